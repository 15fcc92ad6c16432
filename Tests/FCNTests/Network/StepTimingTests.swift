// StepTimingTests.swift — the profilers' hook `Network.timingSteps(into:)`: the timed copy
// computes exactly what the network computes, and times every step it runs.
import Testing
@testable import FCN

@Suite struct StepTimingTests {
    @Test func timedCopyComputesTheSameAndTimesEveryStep() throws {
        let description = try VGGMini.tiny.fcn(.fcn8s)
        var rng = SeededRandom(seed: 5)
        let net = try Network(description, parameters: Network.initialParameters(for: description, using: &rng))
        let timings = StepTimings()
        let timed = net.timingSteps(into: timings)
        let image = Tensor(randomUniform: [1, 3, 64, 64], in: -1...1, using: &rng)
        let configuration = EngineConfiguration(threads: 1)

        #expect(try timed.forward(image, configuration: configuration).scalars == net.forward(image, configuration: configuration).scalars)
        #expect(timings.records.allSatisfy { $0.phase == .forward && $0.seconds >= 0 })
        #expect(!timings.records.isEmpty)

        timings.reset()
        var r1 = SeededRandom(seed: 9), r2 = SeededRandom(seed: 9)
        let trace = try net.trainingForward(["data": image], using: &r1, configuration: configuration)
        let timedTrace = try timed.trainingForward(["data": image], using: &r2, configuration: configuration)
        #expect(timedTrace["score"]!.scalars == trace["score"]!.scalars)
        #expect(timings.records.map(\.layer) == description.layers.map(\.name))
        #expect(timings.records.allSatisfy { $0.phase == .trainingForward })

        timings.reset()
        let dScores = Tensor(shape: trace["score"]!.shape) { i in Float((i[2] * 3 + i[3] + i[1]) % 7) - 3 }
        let g = net.backward(trace, outputGradients: ["score": dScores], configuration: configuration)
        let timedG = timed.backward(timedTrace, outputGradients: ["score": dScores], configuration: configuration)
        #expect(Set(g.keys) == Set(timedG.keys))
        for name in g.keys { #expect(g[name]!.scalars == timedG[name]!.scalars, "\(name)") }
        #expect(timings.records.allSatisfy { $0.phase == .backward })
        #expect(Set(timings.records.map(\.layer)).isSubset(of: Set(description.layers.map(\.name))))
        #expect(timings.records.count > description.layers.count / 2)
    }
}

// DropoutTests.swift — inference identity, the training mask's statistics and scale,
// reproducibility, and the backward pass against finite differences (with the mask held fixed).
import Testing
@testable import FCN

@Suite struct DropoutTests {
    @Test func inferenceIsIdentity() {
        var rng = SeededRandom(seed: 1)
        let x = Tensor(randomNormal: [1, 3, 4, 4], using: &rng)
        #expect(Dropout(ratio: 0.5).forward(x) == x)
    }

    /// Every output is either 0 or x/(1 − p), matching the mask, and about 1 − p are kept.
    @Test(arguments: [Float(0.5), 0.2, 0.9])
    func trainingMaskAndScale(ratio: Float) {
        var rng = SeededRandom(seed: 2)
        let x = Tensor(randomUniform: [1, 8, 40, 40], in: 1...2, using: &rng)    // never 0
        let r = Dropout(ratio: ratio).referenceForward(x, using: &rng)
        var wrong = 0
        for i in 0..<x.count {
            let expected = r.mask[i] ? x.scalars[i] / (1 - ratio) : 0
            if abs(r.output.scalars[i] - expected) > 1e-5 * abs(expected) { wrong += 1 }
        }
        #expect(wrong == 0, "\(wrong) outputs are neither 0 nor x/(1 − p)")
        // 12 800 Bernoulli draws: the kept fraction is within 0.02 of 1 − p with overwhelming probability.
        let kept = Float(r.mask.filter { $0 }.count) / Float(x.count)
        #expect(abs(kept - (1 - ratio)) < 0.02, "kept fraction \(kept) for ratio \(ratio)")
    }

    @Test func sameSeedSameMask() {
        let x = Tensor(repeating: 1, shape: [1, 2, 5, 5])
        var a = SeededRandom(seed: 42), b = SeededRandom(seed: 42), c = SeededRandom(seed: 43)
        let drop = Dropout()
        let first = drop.forward(x, using: &a)
        #expect(first.mask == drop.referenceForward(x, using: &b).mask)
        #expect(first.mask != drop.referenceForward(x, using: &c).mask)
        #expect(drop.forward(x, using: &a).mask != first.mask)         // the generator advanced
    }

    @Test func gradientMatchesFiniteDifferences() {
        var rng = SeededRandom(seed: 4)
        let x = Tensor(randomNormal: [1, 3, 4, 5], using: &rng)
        let dy = Tensor(randomNormal: x.shape, using: &rng)
        let drop = Dropout(ratio: 0.3)
        // Each evaluation starts from the same seed, so the mask is the same at every probe.
        func masked(_ input: Tensor) -> Dropout.Result {
            var maskRNG = SeededRandom(seed: 77)
            return drop.referenceForward(input, using: &maskRNG)
        }
        let mask = masked(x).mask
        #expect(mask.contains(true) && mask.contains(false))
        let numeric = numericalGradient(at: x) { masked($0).output.dot(dy) }
        expectGradientsClose(drop.backward(mask: mask, outputGradient: dy), numeric, "dropout")
    }
}

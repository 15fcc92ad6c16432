// Network+StepTiming.swift — a package-level hook for profilers (Benchmarks/, `fcn-profile
// train-step`): a copy of a network whose every step reports how long each of its layer calls
// took, forward (inference or training) and backward.
//
// Not part of the paper and not public API. It changes nothing the network computes: the copy
// runs the same executor loops (`Network+Inference.swift`, `Network+Training.swift`) over the same
// layer definitions, each wrapped in `TimedLayerDefinition`, which forwards every requirement of
// `LayerDefinition` to the layer it wraps and times the three execution calls. What the loops do
// between steps (summing the gradients of a value read twice, merging parameter gradients) is not
// inside any step, so a profiler sees it as the difference between the pass and its steps.

import FCNCore

/// Per-step durations collected by a network made with ``Network/timingSteps(into:)``.
///
/// Not thread-safe: the executor runs the steps of one pass one after the other on the calling
/// thread (each layer may use several threads inside), and only one pass may run at a time.
package final class StepTimings: @unchecked Sendable {
    /// Which layer call was timed.
    package enum Phase: String, Sendable {
        case forward, trainingForward, backward
    }

    /// One timed call: the layer's name, the call, seconds of wall-clock time.
    package struct Record: Sendable {
        package let layer: String
        package let phase: Phase
        package let seconds: Double
    }

    /// Every call timed since the last ``reset()``, in the order they ran.
    package private(set) var records: [Record] = []

    package init() {}

    /// Forgets the calls timed so far.
    package func reset() { records.removeAll(keepingCapacity: true) }

    func append(_ layer: String, _ phase: Phase, _ duration: Duration) {
        let c = duration.components
        records.append(Record(layer: layer, phase: phase, seconds: Double(c.seconds) + Double(c.attoseconds) * 1e-18))
    }
}

extension Network {
    /// A copy of this network whose steps append their durations to `timings`; it computes exactly
    /// what this network computes.
    package func timingSteps(into timings: StepTimings) -> Network {
        var copy = self
        copy.plan = plan.timing(into: timings)
        return copy
    }
}

extension ExecutionPlan {
    /// The same plan with every step's definition wrapped in a ``TimedLayerDefinition``.
    fileprivate func timing(into timings: StepTimings) -> ExecutionPlan {
        ExecutionPlan(self, steps: steps.map {
            Step(index: $0.index, layer: $0.layer, definition: TimedLayerDefinition(wrapped: $0.definition, timings: timings),
                 inputs: $0.inputs, output: $0.output)
        })
    }

    /// `plan` with other steps (the same values, in the same order).
    private init(_ plan: ExecutionPlan, steps: [Step]) {
        self.steps = steps
        (inputValues, finalValues, valueCount) = (plan.inputValues, plan.finalValues, plan.valueCount)
        (lastUse, readers) = (plan.lastUse, plan.readers)
    }
}

/// A layer definition that forwards everything to `wrapped` and times its execution calls.
struct TimedLayerDefinition: LayerDefinition {
    let wrapped: any LayerDefinition
    let timings: StepTimings

    var caffeType: String { wrapped.caffeType }
    var bottomCount: Int? { wrapped.bottomCount }
    var allowsInPlace: Bool { wrapped.allowsInPlace }
    func validate(_ layer: LayerDescription) throws(NetworkError) { try wrapped.validate(layer) }
    func outputShape(_ layer: LayerDescription, bottoms: [[Int]], cropOffset: Size2?) throws(NetworkError) -> [Int] {
        try wrapped.outputShape(layer, bottoms: bottoms, cropOffset: cropOffset)
    }
    func axisStep(_ axis: Axis) -> AxisMap? { wrapped.axisStep(axis) }
    func coordinateMap(_ layer: LayerDescription, bottoms: [CoordinateMap?],
                       cropOffsets: inout [String: Size2]) throws(NetworkError) -> CoordinateMap? {
        try wrapped.coordinateMap(layer, bottoms: bottoms, cropOffsets: &cropOffsets)
    }
    func receptiveFieldGrowth(_ axis: Axis) -> Int { wrapped.receptiveFieldGrowth(axis) }
    func receptiveFieldSize(bottoms: [FieldSize?], firstBottomJump: FieldSize?) -> FieldSize? {
        wrapped.receptiveFieldSize(bottoms: bottoms, firstBottomJump: firstBottomJump)
    }
    func parameterShapes(_ layer: String, inputChannels c: Int, inputFeatures f: Int?) throws(NetworkError) -> [ParameterShape] {
        try wrapped.parameterShapes(layer, inputChannels: c, inputFeatures: f)
    }
    func outputChannels(inputChannels c: Int, flat: Bool) -> (channels: Int, flat: Bool) {
        wrapped.outputChannels(inputChannels: c, flat: flat)
    }
    func initialWeight(shape: [Int], using rng: inout SeededRandom) -> Tensor { wrapped.initialWeight(shape: shape, using: &rng) }
    var convolutionDepth: Int { wrapped.convolutionDepth }
    func pathBottoms(_ layer: LayerDescription) -> [String] { wrapped.pathBottoms(layer) }
    func multiplyAdds(input: [Int], output: [Int]) -> Int { wrapped.multiplyAdds(input: input, output: output) }
    func workspaceFloats(input: [Int], output: [Int]) -> Int { wrapped.workspaceFloats(input: input, output: output) }
    func summary(_ layer: LayerDescription, cropOffset: Size2?) -> String { wrapped.summary(layer, cropOffset: cropOffset) }
    var fusesFollowingReLU: Bool { wrapped.fusesFollowingReLU }

    func forward(_ x: [Tensor], _ step: StepContext) throws -> Tensor {
        let start = ContinuousClock.now
        defer { timings.append(step.layer.name, .forward, ContinuousClock.now - start) }
        return try wrapped.forward(x, step)
    }

    func trainingForward(_ x: [Tensor], _ step: StepContext, using rng: inout SeededRandom) throws -> (output: Tensor, decisions: Decisions?) {
        let start = ContinuousClock.now
        defer { timings.append(step.layer.name, .trainingForward, ContinuousClock.now - start) }
        return try wrapped.trainingForward(x, step, using: &rng)
    }

    func backward(_ x: [Tensor], outputGradient dy: Tensor, decisions: Decisions?, _ step: StepContext) -> StepGradients {
        let start = ContinuousClock.now
        defer { timings.append(step.layer.name, .backward, ContinuousClock.now - start) }
        return wrapped.backward(x, outputGradient: dy, decisions: decisions, step)
    }
}

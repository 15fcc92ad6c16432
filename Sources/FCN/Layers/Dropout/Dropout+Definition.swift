// Dropout+Definition.swift — what a dropout layer is, as a description and as a step of the
// executor (paper §4.3: dropout "included where used in the original classifier nets").
//
// Elementwise and in place, like ReLU; the identity at inference (Caffe's inverted dropout).
// A training forward pass remembers which units it kept, and backward lets only those through.

import FCNCore

/// The dropout kind's definition (`LayerKind.dropout(ratio:)`).
struct DropoutParameters: LayerDefinition {
    /// The probability of zeroing a unit.
    var ratio: Float

    var caffeType: String { "Dropout" }
    var allowsInPlace: Bool { true }

    func validate(_ layer: LayerDescription) throws(NetworkError) {
        try require(ratio >= 0 && ratio < 1, "dropout ratio \(ratio) is not in [0, 1)", in: layer)
    }

    func outputShape(_ layer: LayerDescription, bottoms: [[Int]], cropOffset: Size2?) throws(NetworkError) -> [Int] { bottoms[0] }

    func forward(_ x: [Tensor], _ step: StepContext) throws -> Tensor { x[0] }     // identity at inference

    func trainingForward(_ x: [Tensor], _ step: StepContext, using rng: inout SeededRandom) throws -> (output: Tensor, decisions: Decisions?) {
        let r = Dropout(ratio: ratio).forward(x[0], using: &rng)
        return (r.output, Decisions(kept: r.mask))
    }

    func backward(_ x: [Tensor], outputGradient dy: Tensor, decisions: Decisions?, _ step: StepContext) -> StepGradients {
        StepGradients(inputs: [Dropout(ratio: ratio).backward(mask: decisions!.kept, outputGradient: dy)])
    }
}

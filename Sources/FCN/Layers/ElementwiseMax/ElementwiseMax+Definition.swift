// ElementwiseMax+Definition.swift — what the max fusion is, as a description and as a step of the
// executor (paper §4.2 and footnote; Caffe `Eltwise` with `operation: MAX`).
//
// A fusion (`FusionParameters.swift`), with the same shape and coordinate rules as the sum: all
// bottoms share one shape, which the top keeps; its map is theirs when they agree; its receptive
// field is the largest of theirs. Caffe requires at least two bottoms. A training forward pass
// remembers which bottom won at each element; backward sends the gradient there.

import FCNCore

/// The element-wise max kind's definition (`LayerKind.max`).
struct ElementwiseMaxParameters: FusionParameters {
    var caffeType: String { "Eltwise" }

    func validate(_ layer: LayerDescription) throws(NetworkError) {
        try require(layer.bottoms.count >= 2, "an element-wise max needs at least two bottoms, got \(layer.bottoms.count)", in: layer)
    }

    func outputShape(_ layer: LayerDescription, bottoms: [[Int]], cropOffset: Size2?) throws(NetworkError) -> [Int] {
        try require(bottoms.allSatisfy({ $0 == bottoms[0] }), "cannot take the maximum of blobs of different shapes \(bottoms)", in: layer)
        return bottoms[0]
    }

    func summary(_ layer: LayerDescription, cropOffset: Size2?) -> String { "max" }

    func forward(_ x: [Tensor], _ step: StepContext) throws -> Tensor { ElementwiseMax().forward(x) }

    func trainingForward(_ x: [Tensor], _ step: StepContext, using rng: inout SeededRandom) throws -> (output: Tensor, decisions: Decisions?) {
        let r = ElementwiseMax().forwardWithArgmax(x)
        return (r.output, Decisions(argmax: r.argmax))
    }

    func backward(_ x: [Tensor], outputGradient dy: Tensor, decisions: Decisions?, _ step: StepContext) -> StepGradients {
        StepGradients(inputs: ElementwiseMax().backward(argmax: decisions!.argmax, outputGradient: dy, inputCount: x.count))
    }
}

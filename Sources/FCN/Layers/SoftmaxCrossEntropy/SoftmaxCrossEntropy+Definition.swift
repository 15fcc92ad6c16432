// SoftmaxCrossEntropy+Definition.swift — what the loss layer is, as a description and as a step
// of the executor (paper §3: "a loss function that is a sum over the spatial dimensions of the
// final layer"; §4.3: "per-pixel multinomial logistic loss").
//
// Bottoms: scores [N, K, H, W], then labels [N, 1, H, W]; the top is a scalar. Only the scores
// receive a gradient.

import FCNCore

/// Parameters of the per-pixel softmax cross-entropy loss [Caffe `SoftmaxWithLoss`].
public struct SoftmaxLossParameters: Hashable, Sendable {
    /// Label value that contributes no loss (VOC's 255 border), or `nil`.
    public var ignoreLabel: Int?
    /// Divide by the number of counted pixels (`true`) or not (Berkeley: `false`, a sum).
    public var normalize: Bool
    /// Defaults: ignore 255, sum over pixels (Berkeley's nets).
    public init(ignoreLabel: Int? = 255, normalize: Bool = false) { self.ignoreLabel = ignoreLabel; self.normalize = normalize }
}

extension SoftmaxLossParameters: LayerDefinition {
    var caffeType: String { "SoftmaxWithLoss" }
    var bottomCount: Int? { 2 }

    func outputShape(_ layer: LayerDescription, bottoms: [[Int]], cropOffset: Size2?) throws(NetworkError) -> [Int] {
        let d = try spatial(bottoms[0], of: layer)
        let label = bottoms[1]
        guard label == [d.n, 1, d.h, d.w] else { throw .labelShapeMismatch(layer: layer.name, scores: bottoms[0], labels: label) }
        return []                                                               // a scalar
    }

    func outputChannels(inputChannels c: Int, flat: Bool) -> (channels: Int, flat: Bool) { (1, true) }

    /// The compute struct. Caffe's `normalize: false` divides by the batch size (see
    /// ``SoftmaxCrossEntropy/Normalization``).
    var operation: SoftmaxCrossEntropy {
        SoftmaxCrossEntropy(ignoreLabel: ignoreLabel, normalization: normalize ? .validPixels : .batchSize)
    }

    func forward(_ x: [Tensor], _ step: StepContext) throws -> Tensor {
        Tensor(shape: [1], scalars: [Float(operation.forward(scores: x[0], labels: x[1]))])
    }

    func backward(_ x: [Tensor], outputGradient dy: Tensor, decisions: Decisions?, _ step: StepContext) -> StepGradients {
        StepGradients(inputs: [operation.backward(scores: x[0], labels: x[1], lossGradient: dy.scalars[0]), nil])
    }
}

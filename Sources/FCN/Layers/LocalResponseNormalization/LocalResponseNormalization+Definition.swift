// LocalResponseNormalization+Definition.swift — what an LRN layer is, as a description and as a
// step of the executor (AlexNet's norm1 and norm2, kept in FCN-AlexNet; paper §4.1, Table 1).
//
// It normalises each value by its neighbours across channels, so it keeps its bottom's shape
// and pixel grid; it has no weights.

import FCNCore

/// Parameters of local response normalisation across channels [Caffe `LRN`]:
/// `y = x / (k + α/size · Σ x²)^β` over `size` neighbouring channels.
public struct LRNParameters: Hashable, Sendable {
    /// Channels per normalisation window.
    public var size: Int
    /// Scale α.
    public var alpha: Float
    /// Exponent β.
    public var beta: Float
    /// Additive constant k.
    public var k: Float
    /// Caffe's defaults: size 5, α = 1e-4, β = 0.75, k = 1.
    public init(size: Int = 5, alpha: Float = 1e-4, beta: Float = 0.75, k: Float = 1) {
        self.size = size; self.alpha = alpha; self.beta = beta; self.k = k
    }
}

extension LRNParameters: LayerDefinition {
    var caffeType: String { "LRN" }

    func validate(_ layer: LayerDescription) throws(NetworkError) {
        try require(size >= 1 && size % 2 == 1, "LRN size must be odd and ≥ 1", in: layer)
    }

    func outputShape(_ layer: LayerDescription, bottoms: [[Int]], cropOffset: Size2?) throws(NetworkError) -> [Int] {
        _ = try spatial(bottoms[0], of: layer)
        return bottoms[0]
    }

    /// The compute struct.
    var operation: LocalResponseNormalization { LocalResponseNormalization(localSize: size, alpha: alpha, beta: beta, k: k) }

    func forward(_ x: [Tensor], _ step: StepContext) throws -> Tensor { operation.forward(x[0]) }

    func backward(_ x: [Tensor], outputGradient dy: Tensor, decisions: Decisions?, _ step: StepContext) -> StepGradients {
        StepGradients(inputs: [operation.backward(input: x[0], outputGradient: dy)])
    }
}

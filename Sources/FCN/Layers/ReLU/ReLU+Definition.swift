// ReLU+Definition.swift — what a ReLU layer is, as a description and as a step of the executor
// (paper §3: the elementwise nonlinearity, the case k = 1, s = 1 of a layer f_ks).
//
// Elementwise, so it keeps its bottom's shape and pixel grid and may work in place (Caffe's
// `in_place=True`, as every ReLU of Berkeley's nets does). At inference the executor usually
// runs it inside the convolution before it (`ConvolutionParameters.fusesFollowingReLU`).

import FCNCore

/// The ReLU kind's definition (`LayerKind.relu` has no parameters).
struct ReLUParameters: LayerDefinition {
    var caffeType: String { "ReLU" }
    var allowsInPlace: Bool { true }

    func outputShape(_ layer: LayerDescription, bottoms: [[Int]], cropOffset: Size2?) throws(NetworkError) -> [Int] { bottoms[0] }

    func forward(_ x: [Tensor], _ step: StepContext) throws -> Tensor {
        var y = x[0]
        ReLU().forwardInPlace(&y)
        return y
    }

    func backward(_ x: [Tensor], outputGradient dy: Tensor, decisions: Decisions?, _ step: StepContext) -> StepGradients {
        StepGradients(inputs: [ReLU().backward(input: x[0], outputGradient: dy)])
    }
}

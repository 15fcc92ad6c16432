// Convolution+Definition.swift — what a convolution layer is, as a description and as a step of
// the executor (paper §3, Eq. 1; §3.1: fully connected layers become these in net surgery).
//
// Rules, with C the bottom's channels, G groups, O outputs, KH×KW the kernel, K its dilated
// extent, s the stride and p the padding before (per axis):
//   output shape     [N, O, OH, OW] with OH = ⌊(H + p + p' − K)/s⌋ + 1   (Caffe, cuDNN, PyTorch)
//   coordinate map   a = s, b = (K − 1)/2 − p                         (`CoordinateMap.swift`)
//   receptive field  r ← r + (K − 1)·j                                (`ReceptiveField.swift`)
//   weights          weight [O, C/G, KH, KW], bias [O]
//   multiply-adds    N·O·OH·OW · C/G·KH·KW
//   workspace        one im2col band, C/G·KH·KW × OH·OW floats at most `ColumnGeometry.defaultBudget`
// The executor runs the kernel `Convolution.kernel(for:purpose:precision:)` chooses (`ConvolutionKernel.swift`:
// direct for conv1_1's 3 channels, Winograd for wide 3×3 layers at inference, im2col + sgemm
// otherwise) and fuses the ReLU that follows.

import FCNCore
import FCNKernels

/// Parameters of a convolution [Caffe `Convolution`], weight `[O, C/G, KH, KW]`, bias `[O]`.
///
/// ```swift
/// let conv1_1 = ConvolutionParameters(outputs: 64, kernel: 3, padding: 100)   // an FCN's first layer
/// let fc6 = ConvolutionParameters(outputs: 4096, kernel: 7)                  // fc6 after net surgery
/// ```
public struct ConvolutionParameters: Hashable, Sendable {
    /// Number of output channels O (Caffe `num_output`).
    public var outputs: Int
    /// How the filters slide: kernel, stride, padding, dilation (also readable and settable one by one).
    public var window: WindowGeometry
    /// Channel groups G (Caffe `group`; 2 in AlexNet's conv2, conv4, conv5).
    public var groups: Int
    /// Whether the layer has a bias `[O]` (Caffe `bias_term`).
    public var bias: Bool

    /// Parameters with Caffe's defaults: stride 1, no padding, no dilation, one group, a bias.
    public init(outputs: Int, kernel: Size2, stride: Size2 = 1, padding: Padding = 0, dilation: Size2 = 1, groups: Int = 1, bias: Bool = true) {
        self.outputs = outputs; self.window = WindowGeometry(kernel: kernel, stride: stride, padding: padding, dilation: dilation)
        self.groups = groups; self.bias = bias
    }
}

extension ConvolutionParameters: WindowedLayerParameters, FilterLayerParameters {
    var caffeType: String { "Convolution" }

    func outputSize(_ input: Size2) -> Size2 { window.convolutionOutputSize(input: input) }

    func noOutput(_ layer: LayerDescription, input d: Size2) -> NetworkError {
        .windowDoesNotFit(layer: layer.name, window: window.extent,
                          input: Size2(height: d.height + padding.top + padding.bottom, width: d.width + padding.left + padding.right))
    }

    func axisStep(_ axis: Axis) -> AxisMap? { window.convolutionStep(axis) }
    func receptiveFieldGrowth(_ axis: Axis) -> Int { window.extent[axis] - 1 }

    func parameterShapes(_ layer: String, inputChannels c: Int, inputFeatures f: Int?) throws(NetworkError) -> [ParameterShape] {
        try checkGroups(inputChannels: c, layer)
        return [ParameterShape(name: "\(layer).weight", shape: [outputs, c / groups, kernel.height, kernel.width], learnable: true)]
            + biasShape(layer)
    }

    var convolutionDepth: Int { 1 }

    func multiplyAdds(input x: [Int], output y: [Int]) -> Int {
        y.reduce(1, *) * (x[1] / groups) * kernel.height * kernel.width
    }

    /// The column matrix `[C/G·KH·KW, OH·OW]`, built in bands of at most the default budget.
    func workspaceFloats(input x: [Int], output y: [Int]) -> Int {
        min(x[1] / groups * kernel.height * kernel.width * y[2] * y[3], ColumnGeometry.defaultBudget)
    }

    func summary(_ layer: LayerDescription, cropOffset: Size2?) -> String { "\(kernel.height)×\(kernel.width) conv → \(outputs)" }

    var fusesFollowingReLU: Bool { true }

    /// The compute struct with the step's weights.
    func operation(with step: StepContext) -> Convolution {
        Convolution(weight: step.weight, bias: step.bias(bias), stride: stride, padding: padding, dilation: dilation, groups: groups)
    }

    /// The kernel `Convolution.kernel(for:purpose:precision:)` chooses for the step's policy,
    /// purpose and precision; bf16 weights come packed from the network's cache.
    func forward(_ x: [Tensor], _ step: StepContext) throws -> Tensor {
        let conv = operation(with: step)
        let kernel = conv.kernel(for: step.configuration.kernels, purpose: step.purpose, precision: step.configuration.precision)
        if kernel == .bfloat16, let cache = step.packedWeights {
            let packed = cache.value("\(step.layer.name).weight/bf16") { BFloat16Convolution.pack(conv.weight) }
            return BFloat16Convolution(conv, packed: packed).forward(x[0], fusingReLU: step.fusingReLU)
        }
        return conv.forward(x[0], fusingReLU: step.fusingReLU, using: kernel)
    }

    func backward(_ x: [Tensor], outputGradient dy: Tensor, decisions: Decisions?, _ step: StepContext) -> StepGradients {
        let conv = operation(with: step)
        let g = conv.gradients(input: x[0], outputGradient: dy, input: step.needs.input(0), parameters: step.needs.parameters,
                               using: conv.backwardKernel(for: step.configuration.kernels))
        return StepGradients(layer: step.layer.name, input: g.input, weight: g.weight, bias: g.bias)
    }
}

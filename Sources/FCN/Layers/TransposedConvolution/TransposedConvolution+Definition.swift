// TransposedConvolution+Definition.swift — what an upsampling ("deconvolution") layer is, as a
// description and as a step of the executor (paper §3.3).
//
// Rules, with C the bottom's channels, G groups, O outputs, KH×KW the kernel, K its dilated
// extent, s the stride (the upsampling factor) and p the padding cropped before (per axis):
//   output shape     [N, O, OH, OW] with OH = s·(H − 1) + K − p − p'
//   coordinate map   a = 1/s, b = (p − (K − 1)/2)/s: the inverse of the convolution's map
//   receptive field  r ← r + ⌊(K − 1)/s⌋·j (an output pixel receives at most ⌊(K − 1)/s⌋ + 1 inputs)
//   weights          weight [C, O/G, KH, KW] (Caffe's Deconvolution layout), bias [O]; a fixed
//                    bilinear kernel is listed but not learnable, and adds no depth to Table 1
//   multiply-adds    N·C·H·W · O/G·KH·KW (every input pixel stamps a kernel)
//   workspace        one col2im band, O/G·KH·KW × H·W floats at most `ColumnGeometry.defaultBudget`

import FCNCore
import FCNKernels

/// Whether an upsampling kernel is trained or stays the bilinear interpolation it starts as.
public enum UpsamplingKernel: Hashable, Sendable {
    /// Bilinear interpolation, frozen (Berkeley's `lr_mult: 0`); not a learnable parameter.
    case fixedBilinear
    /// Trained like any filter (the paper, §3.3, initialises these to bilinear too).
    case learnable
}

/// Parameters of a transposed convolution [Caffe `Deconvolution`], weight `[C, O/G, KH, KW]`.
/// FCNs use it for in-network upsampling (paper §3.3) with `bias: false`.
///
/// ```swift
/// // 21 class scores upsampled 2× by a 4×4 kernel, bilinear at first and then trained, as in §4.2
/// // (``FCN/FCN/description(_:backbone:classes:)`` keeps Berkeley's fixed kernels instead).
/// let upscore2 = TransposedConvolutionParameters(outputs: 21, kernel: 4, stride: 2, kernelKind: .learnable)
/// ```
public struct TransposedConvolutionParameters: Hashable, Sendable {
    /// Number of output channels O (the number of classes K when upsampling scores).
    public var outputs: Int
    /// How the filters slide: kernel, stride, padding, dilation (also readable and settable one by one).
    public var window: WindowGeometry
    /// Channel groups G.
    public var groups: Int
    /// Whether the layer has a bias `[O]` (FCNs: no).
    public var bias: Bool
    /// Whether the kernel is fixed bilinear or learned.
    public var kernelKind: UpsamplingKernel

    /// Parameters with FCN's defaults: no bias, a fixed bilinear kernel.
    public init(outputs: Int, kernel: Size2, stride: Size2 = 1, padding: Padding = 0, dilation: Size2 = 1, groups: Int = 1,
                bias: Bool = false, kernelKind: UpsamplingKernel = .fixedBilinear) {
        self.outputs = outputs; self.window = WindowGeometry(kernel: kernel, stride: stride, padding: padding, dilation: dilation)
        self.groups = groups; self.bias = bias; self.kernelKind = kernelKind
    }
}

extension TransposedConvolutionParameters: WindowedLayerParameters, FilterLayerParameters {
    var caffeType: String { "Deconvolution" }

    func outputSize(_ input: Size2) -> Size2 { window.transposedConvolutionOutputSize(input: input) }

    func noOutput(_ layer: LayerDescription, input d: Size2) -> NetworkError {
        .invalidParameter(layer: layer.name, problem: "padding \(padding) removes the whole \(d.height)×\(d.width) upsampled output")
    }

    func axisStep(_ axis: Axis) -> AxisMap? { window.transposedConvolutionStep(axis) }
    func receptiveFieldGrowth(_ axis: Axis) -> Int { (window.extent[axis] - 1) / stride[axis] }

    func parameterShapes(_ layer: String, inputChannels c: Int, inputFeatures f: Int?) throws(NetworkError) -> [ParameterShape] {
        [ParameterShape(name: "\(layer).weight", shape: [c, outputs / groups, kernel.height, kernel.width], learnable: kernelKind == .learnable)]
            + biasShape(layer)
    }

    var convolutionDepth: Int { kernelKind == .learnable ? 1 : 0 }

    /// Bilinear interpolation (§3.3: "we initialize the 2× upsampling to bilinear interpolation"):
    /// `[C, O, KH, KW]` with the bilinear filter on the class diagonal (c = o) and zeros elsewhere;
    /// works for any kernel size, e.g. FCN-AlexNet's 63.
    func initialWeight(shape: [Int], using rng: inout SeededRandom) -> Tensor {
        let down = bilinearTent(size: shape[2]), across = bilinearTent(size: shape[3])
        var w = Tensor(zeros: shape)
        for c in 0..<min(shape[0], shape[1]) {
            for u in 0..<shape[2] {
                for v in 0..<shape[3] { w[c, c, u, v] = down[u] * across[v] }
            }
        }
        return w
    }

    func multiplyAdds(input x: [Int], output y: [Int]) -> Int {
        x.reduce(1, *) * (outputs / groups) * kernel.height * kernel.width
    }

    /// The column matrix `[O/G·KH·KW, H·W]`, built in bands of at most the default budget.
    func workspaceFloats(input x: [Int], output y: [Int]) -> Int {
        min(outputs / groups * kernel.height * kernel.width * x[2] * x[3], ColumnGeometry.defaultBudget)
    }

    func summary(_ layer: LayerDescription, cropOffset: Size2?) -> String { "×\(stride.height) up (k \(kernel.height))" }

    /// The compute struct with the step's weights.
    func operation(with step: StepContext) -> TransposedConvolution {
        TransposedConvolution(weight: step.weight, bias: step.bias(bias), stride: stride, padding: padding, dilation: dilation, groups: groups)
    }

    func forward(_ x: [Tensor], _ step: StepContext) throws -> Tensor { operation(with: step).forward(x[0]) }

    func backward(_ x: [Tensor], outputGradient dy: Tensor, decisions: Decisions?, _ step: StepContext) -> StepGradients {
        let g = operation(with: step).gradients(input: x[0], outputGradient: dy,
                                                input: step.needs.input(0), parameters: step.needs.parameters)
        return StepGradients(layer: step.layer.name, input: g.input, weight: g.weight, bias: g.bias)
    }
}

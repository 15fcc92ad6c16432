// FilterLayerParameters.swift — what the descriptions of convolution and transposed convolution
// share (paper §3.1, §3.3: upsampling "is backwards strided convolution").
//
// Both layers slide a bank of filters over a window (`WindowGeometry`) in G channel groups,
// with an optional bias; their range checks, their group check on the bottom's channels, their
// bias tensor and the checks their compute structs make when built are the same, so they are
// written once here (their compute structs share one `FilterBank`, in `Layers/FilterBank/`).

import FCNCore

/// A layer whose filters slide over a window — a description (``ConvolutionParameters``), a
/// compute struct (``Convolution``) or their ``FilterBank``: its ``kernel``, ``stride``,
/// ``padding`` and ``dilation`` are the parts of one `WindowGeometry` (FCNCore).
///
/// ```swift
/// var fc6 = ConvolutionParameters(outputs: 4096, kernel: 7)
/// fc6.dilation = 2                    // rarefied (§3.2): the window now spans 13×13 pixels
/// fc6.window.extent                   // Size2(13)
/// ```
public protocol WindowedLayerParameters {
    /// How the filters slide: kernel, stride, padding and dilation together.
    var window: WindowGeometry { get set }
}

extension WindowedLayerParameters {
    /// KH×KW, the filter size (Caffe `kernel_size`; 2f for an upsampling by f).
    public var kernel: Size2 { get { window.kernel } set { window.kernel = newValue } }
    /// Step between windows (Caffe `stride`; the upsampling factor f of a transposed convolution).
    public var stride: Size2 { get { window.stride } set { window.stride = newValue } }
    /// Zeros added around the input (Caffe `pad`; conv1_1 of an FCN uses 100); for a transposed
    /// convolution, rows and columns cropped from the output border.
    public var padding: Padding { get { window.padding } set { window.padding = newValue } }
    /// Spacing between filter taps (Caffe `dilation`; 1 for dense filters).
    public var dilation: Size2 { get { window.dilation } set { window.dilation = newValue } }
}

/// The description of a layer made of sliding filters: O outputs, a window, G groups, a bias.
protocol FilterLayerParameters: LayerDefinition, WindowedLayerParameters {
    /// O, the number of output channels.
    var outputs: Int { get }
    /// G, the number of channel groups.
    var groups: Int { get }
    /// Whether the layer has a bias `[O]`.
    var bias: Bool { get }
    /// The output's spatial size for an input of this size (≤ 0 where there is none).
    func outputSize(_ input: Size2) -> Size2
    /// The error for an input of this size that leaves no output.
    func noOutput(_ layer: LayerDescription, input: Size2) -> NetworkError
}

extension FilterLayerParameters {
    func validate(_ layer: LayerDescription) throws(NetworkError) {
        try require(outputs >= 1, "outputs must be ≥ 1", in: layer)
        if let problem = window.problem { throw .invalidParameter(layer: layer.name, problem: problem) }
        try require(groups >= 1 && outputs % groups == 0, "\(outputs) outputs do not split into \(groups) groups", in: layer)
    }

    /// Throws unless the bottom's `c` channels split into the layer's groups.
    func checkGroups(inputChannels c: Int, _ layer: String) throws(NetworkError) {
        guard c % groups == 0 else {
            throw .invalidParameter(layer: layer, problem: "\(c) input channels do not split into \(groups) groups")
        }
    }

    /// `"<layer>.bias"` `[O]` when the layer has a bias, always learnable.
    func biasShape(_ layer: String) -> [ParameterShape] {
        bias ? [ParameterShape(name: "\(layer).bias", shape: [outputs], learnable: true)] : []
    }

    func outputChannels(inputChannels c: Int, flat: Bool) -> (channels: Int, flat: Bool) { (outputs, false) }

    /// `[N, O, OH, OW]`, with OH×OW from the layer's ``outputSize(_:)``.
    func outputShape(_ layer: LayerDescription, bottoms: [[Int]], cropOffset: Size2?) throws(NetworkError) -> [Int] {
        let d = try groupedBottom(bottoms[0], of: layer)
        let input = Size2(height: d.h, width: d.w)
        let out = outputSize(input)
        guard out.height >= 1 && out.width >= 1 else { throw noOutput(layer, input: input) }
        return [d.n, outputs, out.height, out.width]
    }

    /// The `[N, C, H, W]` bottom of `layer`, checked against the groups.
    func groupedBottom(_ x: [Int], of layer: LayerDescription) throws(NetworkError) -> Tensor.NCHW {
        let d = try spatial(x, of: layer)
        try checkGroups(inputChannels: d.c, layer.name)
        return d
    }
}

/// The check ``Convolution`` and ``TransposedConvolution`` make on their bias, with the layer's
/// name in the message (their ``FilterBank`` checks the weight, stride, dilation and groups).
func checkBias(_ layer: String, _ bias: Tensor?, count: Int) {
    if let bias {
        precondition(bias.shape == [count], "\(layer): bias must be [\(count)], got \(bias.shape)")
    }
}

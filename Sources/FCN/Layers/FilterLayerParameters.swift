// FilterLayerParameters.swift — what the descriptions of convolution and transposed convolution
// share (paper §3.1, §3.3: upsampling "is backwards strided convolution").
//
// Both layers slide a bank of filters over a window (`WindowGeometry`) in G channel groups,
// with an optional bias; their range checks, their group check on the bottom's channels, their
// bias tensor and the checks their compute structs make when built are the same, so they are
// written once here.

import FCNCore

/// A layer description whose filters slide over a window: its ``kernel``, ``stride``,
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

    /// The `[N, C, H, W]` bottom of `layer`, checked against the groups.
    func groupedBottom(_ x: [Int], of layer: LayerDescription) throws(NetworkError) -> Tensor.NCHW {
        let d = try spatial(x, of: layer)
        try checkGroups(inputChannels: d.c, layer.name)
        return d
    }
}

/// The checks ``Convolution`` and ``TransposedConvolution`` make on their arguments, with the
/// layer's name in every message: a 4-D weight in `layout`, its first dimension (`groupedChannels`)
/// split into the groups, stride and dilation ≥ 1, and a bias of `biasCount(weight)` values.
func checkFilterBank(_ layer: String, weight: Tensor, layout: String, groupedChannels: String, biasCount: (Tensor) -> Int,
                     bias: Tensor?, stride: Size2, dilation: Size2, groups: Int) {
    precondition(weight.rank == 4, "\(layer): weight must be \(layout), got \(weight.shape)")
    precondition(groups >= 1 && weight.shape[0] % groups == 0,
                 "\(layer): \(weight.shape[0]) \(groupedChannels) do not split into \(groups) groups")
    precondition(stride.height >= 1 && stride.width >= 1 && dilation.height >= 1 && dilation.width >= 1,
                 "\(layer): stride and dilation must be ≥ 1")
    if let bias {
        let count = biasCount(weight)
        precondition(bias.shape == [count], "\(layer): bias must be [\(count)], got \(bias.shape)")
    }
}

/// The first check of every pass of a filter layer: the input has the channels the weight expects.
func checkInputChannels(_ layer: String, _ d: Tensor.NCHW, expected: Int) {
    precondition(d.c == expected, "\(layer): input has \(d.c) channels, weight expects \(expected)")
}

/// The check of a filter layer's backward passes: dL/dy has the shape of the output.
func checkOutputGradient(_ layer: String, _ dy: Tensor, expected: [Int]) {
    precondition(dy.shape == expected, "\(layer): output gradient must be \(expected), got \(dy.shape)")
}

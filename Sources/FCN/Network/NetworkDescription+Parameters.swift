// NetworkDescription+Parameters.swift — the names and shapes of a network's weights (paper §4.1,
// Table 1 "parameters").
//
// Names follow pytorch-fcn and Caffe's layer names: `"<layer>.weight"`, `"<layer>.bias"`.
// Shapes, with C the bottom's channels, G groups, O outputs, KH×KW the kernel, F = C·H·W the
// flattened input of a fully connected layer:
//   convolution            weight [O, C/G, KH, KW], bias [O]
//   transposed convolution weight [C, O/G, KH, KW], bias [O]   (Caffe's Deconvolution layout)
//   linear                 weight [O, F],           bias [O]
// A fixed bilinear upsampling kernel is listed, but marked not learnable. Each kind's shapes
// are its definition's `parameterShapes` (`Layers/<Kind>/<Kind>+Definition.swift`).

/// One weight tensor of a network.
public struct ParameterShape: Hashable, Sendable {
    /// `"<layer>.weight"` or `"<layer>.bias"`.
    public var name: String
    /// The tensor's shape (weights `[O, C, KH, KW]` or `[O, I]`, biases `[O]`).
    public var shape: [Int]
    /// `false` for tensors that are not trained (fixed bilinear upsampling).
    public var learnable: Bool
    /// The number of scalars in the tensor.
    public var count: Int { shape.reduce(1, *) }
    /// Describes one parameter tensor.
    public init(name: String, shape: [Int], learnable: Bool) { self.name = name; self.shape = shape; self.learnable = learnable }
}

extension LayerDescription {
    /// This layer's weight tensors, given its bottom's channels C (and, for a fully connected
    /// layer, the flattened feature count F) — the kind's rule, in `Layers/<Kind>/`.
    func parameterShapes(inputChannels c: Int, inputFeatures f: Int?) throws(NetworkError) -> [ParameterShape] {
        try kind.definition.parameterShapes(name, inputChannels: c, inputFeatures: f)
    }
}

extension NetworkDescription {
    /// Every weight tensor, in layer order, knowing only the input's channel count. Works for
    /// any fully convolutional net; a fully connected layer reading a spatial blob needs the
    /// spatial size too (use ``parameterShapes(inputShape:)``).
    ///
    /// ```swift
    /// try FCN.description(.fcn32s).parameterShapes(inputChannels: 3).first
    /// // ParameterShape(name: "conv1_1.weight", shape: [64, 3, 3, 3], learnable: true)
    /// ```
    public func parameterShapes(inputChannels: Int) throws(NetworkError) -> [ParameterShape] {
        try validate()
        // Per blob: channels, and whether it is flat ([N, F]) so that F = channels.
        var channels: [String: (channels: Int, flat: Bool)] = [:]
        for input in inputs { channels[input] = (inputChannels, false) }
        var result: [ParameterShape] = []
        for layer in layers {
            let (c, flat) = channels[layer.bottoms[0]]!
            result += try layer.parameterShapes(inputChannels: c, inputFeatures: flat ? c : nil)
            channels[layer.top] = layer.kind.definition.outputChannels(inputChannels: c, flat: flat)
        }
        return result
    }

    /// Every weight tensor, in layer order, for an input of shape `[N, C, H, W]`.
    public func parameterShapes(inputShape: [Int]) throws(NetworkError) -> [ParameterShape] {
        let shapes = try inferShapes(input: inputShape)
        var blobs: [String: [Int]] = [:]
        for input in inputs { blobs[input] = shapes.blobs[input] ?? inputShape }
        var result: [ParameterShape] = []
        for layer in layers {
            let x = blobs[layer.bottoms[0]]!
            result += try layer.parameterShapes(inputChannels: x.count > 1 ? x[1] : 1, inputFeatures: x.dropFirst().reduce(1, *))
            blobs[layer.top] = shapes.layerOutputs[layer.name]
        }
        return result
    }
}

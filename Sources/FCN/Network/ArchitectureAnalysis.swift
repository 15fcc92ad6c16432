// ArchitectureAnalysis.swift — the paper's Table 1 and a per-layer table, computed from a
// network description (paper §4.1, Table 1).
//
// Table 1 compares the classifiers cast into FCNs: FCN-AlexNet and FCN-VGG16 have receptive
// fields of 355 and 404 pixels, output stride 32, 57M and 134M parameters, 8 and 16 conv.
// layers. Each number here is *derived*:
//   receptive field — of the coarsest blob (the largest stride; among those the largest field):
//                     fc6/fc7/score_fr. It depends neither on padding (conv1_1's pad 100 moves
//                     fields, never grows them) nor on the input size.
//   output stride   — that blob's stride (jump) in input pixels.
//   parameters      — learnable tensors only: fixed bilinear upsampling kernels are excluded.
//                     With K = 21 classes the score layer replaces fc8's 1000 outputs, which is
//                     why FCN-VGG16 has 134M where the VGG16 classifier has 138M.
//   conv. layers    — the depth: the most learnable convolutions (fully connected layers count
//                     as the convolutions they become, §3.1) on any path from the input. For
//                     VGG16: 13 + fc6 + fc7 + score = 16; AlexNet: 5 + 3 = 8. Skips do not add
//                     depth (score_pool4 sits on a shorter path), fixed upsampling is not
//                     learned, so FCN-32s, -16s and -8s all count 16.
// A classifier's fully connected layers have no receptive field as such; for them the summary
// is computed on the convolutionalised net (`NetSurgery`), as the paper does. Its fc6 kernel is
// the size of pool5 at the input shape given, so analyse a classifier at its training size
// (224×224 for VGG16, 227×227 for AlexNet); for other sizes convolutionalize first.

import FCNCore

/// One row of the per-layer table.
public struct LayerAnalysis: Hashable, Sendable {
    /// The layer's name.
    public var name: String
    /// Caffe's type name ("Convolution", "Pooling", …).
    public var type: String
    /// The blob the layer writes.
    public var top: String
    /// The shape of that blob, `[N, C, H, W]` (or `[N, O]` after a fully connected layer).
    public var outputShape: [Int]
    /// `nil` after a fully connected layer (it sees the whole input).
    public var receptiveField: ReceptiveField?
    /// Learnable scalars in this layer's weights.
    public var learnableParameters: Int
    /// Scalars in fixed (not learned) weights, such as bilinear upsampling kernels.
    public var fixedParameters: Int
}

/// The analysis of a network for one input shape.
///
/// ```swift
/// let a = try ArchitectureAnalysis(FCN.description(.fcn8s), inputShape: [1, 3, 500, 500])
/// a.receptiveField       // 404
/// a.outputStride         // 32
/// a.cropOffsets["score"] // Size2(31)
/// ```
public struct ArchitectureAnalysis: Hashable, Sendable {
    /// The network's name.
    public var network: String
    /// The input shape analysed, `[N, C, H, W]`.
    public var inputShape: [Int]
    /// One row per layer, in execution order.
    public var layers: [LayerAnalysis]
    /// Receptive field of the coarsest blob, along the vertical axis (all nets here are square).
    public var receptiveField: Rational
    /// The layer whose receptive field that is.
    public var receptiveFieldLayer: String
    /// The coarsest stride in input pixels (Table 1's "max stride", 32 for both nets).
    public var outputStride: Rational
    /// Learnable scalars in the whole net (fixed upsampling kernels excluded).
    public var learnableParameters: Int
    /// Scalars in fixed weights (bilinear upsampling kernels).
    public var fixedParameters: Int
    /// The depth in learnable convolutions (Table 1's "conv. layers": 16 for VGG16, 8 for AlexNet).
    public var convolutionLayers: Int
    /// The offset of every crop layer, by layer name (given or derived from coordinate maps).
    public var cropOffsets: [String: Size2]
    /// Whether the summary was computed on the convolutionalised net (the input had fully connected layers).
    public var convolutionalized: Bool

    /// Analyses `description` for an input of `inputShape`.
    /// - Parameters:
    ///   - description: the network.
    ///   - inputShape: the input `[N, C, H, W]` (sizes matter for shapes and fully connected layers).
    /// - Throws: ``NetworkError`` when the network is invalid or the input does not fit it.
    public init(_ description: NetworkDescription, inputShape: [Int]) throws(NetworkError) {
        let shapes = try description.inferShapes(input: inputShape)
        let fields = try description.receptiveFields()
        let parameters = try description.parameterShapes(inputShape: inputShape)
        network = description.name
        self.inputShape = inputShape
        cropOffsets = shapes.cropOffsets
        layers = description.layers.map { layer in
            let own = parameters.filter { $0.name.hasPrefix(layer.name + ".") }
            return LayerAnalysis(name: layer.name, type: layer.kind.caffeType, top: layer.top,
                                 outputShape: shapes.layerOutputs[layer.name] ?? [],
                                 receptiveField: fields[layer.name] ?? nil,
                                 learnableParameters: own.filter(\.learnable).map(\.count).reduce(0, +),
                                 fixedParameters: own.filter { !$0.learnable }.map(\.count).reduce(0, +))
        }
        learnableParameters = parameters.filter(\.learnable).map(\.count).reduce(0, +)
        fixedParameters = parameters.filter { !$0.learnable }.map(\.count).reduce(0, +)
        convolutionLayers = description.convolutionDepth()

        convolutionalized = description.hasFullyConnectedLayers
        let spatial = convolutionalized ? try NetSurgery.convolutionalized(description, inputShape: inputShape) : description
        let spatialFields = convolutionalized ? try spatial.receptiveFields() : fields
        // The coarsest blob: largest stride, then largest field; ties go to the later layer.
        var best: (name: String, field: ReceptiveField)?
        for layer in spatial.layers {
            guard let f = spatialFields[layer.name] ?? nil else { continue }
            if let b = best, (f.vertical.jump, f.vertical.size) < (b.field.vertical.jump, b.field.vertical.size) { continue }
            best = (layer.name, f)
        }
        receptiveField = best?.field.vertical.size ?? 0
        outputStride = best?.field.vertical.jump ?? 0
        receptiveFieldLayer = best?.name ?? ""
    }
}

extension NetworkDescription {
    /// The depth in learnable convolutions: the most convolutions, fully connected layers and
    /// learnable transposed convolutions met on one path from an input to any blob. A crop's
    /// second bottom only lends its size, so paths do not run through it.
    public func convolutionDepth() -> Int {
        var depth: [String: Int] = [:]
        for input in inputs { depth[input] = 0 }
        var deepest = 0
        for layer in layers {
            let reads = layer.pathBottoms
            let counts = layer.kind.definition.convolutionDepth
            let d = reads.map { depth[$0] ?? 0 }.max()! + counts
            depth[layer.top] = d
            deepest = max(deepest, d)
        }
        return deepest
    }
}

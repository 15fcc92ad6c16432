// NetworkDescription.swift — a network as data: named inputs and an ordered list of layers.
//
// This is the prototxt of the library (paper §4.1: "we cast ILSVRC classifiers into FCNs"; the
// nets are Berkeley's `voc-fcn*/net.py`). Layers run in the order given; each reads blobs that
// are inputs or tops of earlier layers. From a description, `Network/` derives the blob shapes
// (`ShapeInference.swift`), the coordinate maps and crop offsets (`CoordinateMap.swift`), the
// receptive fields (`ReceptiveField.swift`), the parameter shapes (below) and the paper's
// Table 1 (`ArchitectureAnalysis.swift`).

import FCNCore

/// A network: input blob names and layers in execution order.
///
/// ```swift
/// let net = NetworkDescription(name: "tiny", inputs: ["data"], layers: [
///     LayerDescription("conv", .convolution(.init(outputs: 8, kernel: 3, padding: 1)), bottom: "data"),
///     LayerDescription("relu", .relu, bottom: "conv", top: "conv"),
/// ])
/// try net.validate()
/// let shapes = try net.inferShapes(input: [1, 3, 32, 32])     // conv: [1, 8, 32, 32]
/// ```
///
/// ### See Also
/// - ``LayerDescription``, ``LayerKind``; builders in `Models/` (``VGG``, ``AlexNet``, ``FCN``).
public struct NetworkDescription: Hashable, Sendable {
    /// A name for tables and error messages ("FCN-8s", "VGG16").
    public var name: String
    /// Blobs supplied from outside (Caffe `input:`), e.g. `["data"]` or `["data", "label"]`.
    public var inputs: [String]
    /// The layers in execution order; each reads only blobs written before it.
    public var layers: [LayerDescription]

    /// Creates a description from its layers, in execution order.
    public init(name: String, inputs: [String] = ["data"], layers: [LayerDescription]) {
        self.name = name; self.inputs = inputs; self.layers = layers
    }

    /// The layer called `name`.
    public func layer(named name: String) throws(NetworkError) -> LayerDescription {
        guard let l = layers.first(where: { $0.name == name }) else { throw .unknownLayer(name) }
        return l
    }

    /// The top written by the last layer — the network's output.
    public var outputBlob: String? { layers.last?.top }

    /// Checks the structure: unique names, bottoms defined before use, one top per layer,
    /// in-place only where allowed, and parameters in range. Throws the first problem found.
    public func validate() throws(NetworkError) {
        guard !inputs.isEmpty else { throw .noInputs(network: name) }
        var blobs = Set<String>()
        for input in inputs {
            guard blobs.insert(input).inserted else { throw .duplicateInput(input) }
        }
        var names = Set<String>()
        for (position, layer) in layers.enumerated() {
            guard !layer.name.isEmpty else { throw .emptyName(network: name, position: position) }
            guard names.insert(layer.name).inserted else { throw .duplicateLayerName(layer.name) }
            if let count = layer.kind.bottomCount, layer.bottoms.count != count {
                throw .wrongBottomCount(layer: layer.name, expected: "\(count)", got: layer.bottoms.count)
            }
            if layer.kind.bottomCount == nil, layer.bottoms.isEmpty {
                throw .wrongBottomCount(layer: layer.name, expected: "one or more", got: 0)
            }
            for bottom in layer.bottoms where !blobs.contains(bottom) {
                throw .undefinedBottom(layer: layer.name, bottom: bottom)
            }
            guard layer.tops.count == 1 else { throw .wrongTopCount(layer: layer.name, got: layer.tops.count) }
            let inPlace = layer.kind.allowsInPlace && layer.top == layer.bottoms[0]
            if blobs.contains(layer.top) && !inPlace { throw .redefinedBlob(layer: layer.name, blob: layer.top) }
            blobs.insert(layer.top)
            try layer.validateParameters()
        }
    }
}

extension LayerDescription {
    /// Range checks on the parameters (positive sizes, groups dividing outputs, and so on).
    func validateParameters() throws(NetworkError) {
        func require(_ ok: Bool, _ problem: String) throws(NetworkError) {
            if !ok { throw .invalidParameter(layer: name, problem: problem) }
        }
        func positive(_ s: Size2) -> Bool { s.height >= 1 && s.width >= 1 }
        func nonNegative(_ p: Padding) -> Bool { min(p.top, p.left, p.bottom, p.right) >= 0 }
        switch kind {
        case .convolution(let p):
            try require(p.outputs >= 1, "outputs must be ≥ 1")
            try require(positive(p.kernel) && positive(p.stride) && positive(p.dilation), "kernel, stride and dilation must be ≥ 1")
            try require(nonNegative(p.padding), "padding must be ≥ 0")
            try require(p.groups >= 1 && p.outputs % p.groups == 0, "\(p.outputs) outputs do not split into \(p.groups) groups")
        case .transposedConvolution(let p):
            try require(p.outputs >= 1, "outputs must be ≥ 1")
            try require(positive(p.kernel) && positive(p.stride) && positive(p.dilation), "kernel, stride and dilation must be ≥ 1")
            try require(nonNegative(p.padding), "padding must be ≥ 0")
            try require(p.groups >= 1 && p.outputs % p.groups == 0, "\(p.outputs) outputs do not split into \(p.groups) groups")
        case .maxPooling(let p):
            try require(positive(p.kernel) && positive(p.stride), "kernel and stride must be ≥ 1")
            try require(nonNegative(p.padding), "padding must be ≥ 0")
            // Caffe's rule: a padded window must always cover at least one real pixel.
            try require(p.padding.top < p.kernel.height && p.padding.bottom < p.kernel.height
                        && p.padding.left < p.kernel.width && p.padding.right < p.kernel.width,
                        "padding must be smaller than the pooling window")
        case .dropout(let ratio):
            try require(ratio >= 0 && ratio < 1, "dropout ratio \(ratio) is not in [0, 1)")
        case .localResponseNormalization(let p):
            try require(p.size >= 1 && p.size % 2 == 1, "LRN size must be odd and ≥ 1")
        case .crop(let p):
            if let o = p.offset { try require(o.height >= 0 && o.width >= 0, "crop offset must be ≥ 0") }
        case .sum(let coefficients):
            try require(coefficients.count == bottoms.count, "\(coefficients.count) coefficients for \(bottoms.count) bottoms")
        case .linear(let p):
            try require(p.outputs >= 1, "outputs must be ≥ 1")
        case .relu, .softmaxCrossEntropy:
            break
        }
    }
}

extension NetworkDescription {
    /// Whether any layer is fully connected (its weight shape then depends on the input size).
    public var hasFullyConnectedLayers: Bool {
        layers.contains { if case .linear = $0.kind { true } else { false } }
    }

    /// The same network without its in-place dropout layers — what Berkeley's `deploy.prototxt`
    /// files contain. (Dropout is the identity at inference, so the outputs are unchanged.)
    public func removingDropout() -> NetworkDescription {
        var copy = self
        copy.layers.removeAll { layer in
            if case .dropout = layer.kind { layer.top == layer.bottoms.first } else { false }
        }
        return copy
    }
}

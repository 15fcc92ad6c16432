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
            let bottomCount = layer.kind.bottomCount
            if let count = bottomCount, layer.bottoms.count != count {
                throw .wrongBottomCount(layer: layer.name, expected: "\(count)", got: layer.bottoms.count)
            }
            if bottomCount == nil, layer.bottoms.isEmpty {
                throw .wrongBottomCount(layer: layer.name, expected: "one or more", got: 0)
            }
            for bottom in layer.bottoms where !blobs.contains(bottom) {
                throw .undefinedBottom(layer: layer.name, bottom: bottom)
            }
            guard layer.tops.count == 1 else { throw .wrongTopCount(layer: layer.name, got: layer.tops.count) }
            let inPlace = layer.kind.allowsInPlace && layer.top == layer.bottoms[0]
            if blobs.contains(layer.top) && !inPlace { throw .redefinedBlob(layer: layer.name, blob: layer.top) }
            blobs.insert(layer.top)
            try layer.kind.definition.validate(layer)         // the kind's own range checks (`Layers/<Kind>/`)
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

// ShapeInference.swift — the shape of every blob of a network for a given input (paper §3, §4.1).
//
// An FCN accepts an input of any size (§3); this file says what size each blob then has. The
// Berkeley nets pad conv1_1 by 100, pool with ceil rounding, upsample with transposed
// convolutions and crop back. Each kind's rule — Caffe's `Reshape` of that layer — is its
// definition's `outputShape` (`Layers/<Kind>/<Kind>+Definition.swift`); this file walks the
// layers in order and asks each.
//
// Dimension letters: N batch, C channels, H×W spatial size, O output channels, K classes.

import FCNCore

/// The shapes found by ``NetworkDescription/inferShapes(inputs:)``.
///
/// ```swift
/// let shapes = try FCN.description(.fcn8s).inferShapes(input: [1, 3, 500, 500])
/// shapes["pool3"]                  // [1, 256, 88, 88]
/// shapes.layerOutputs["fc7"]       // [1, 4096, 16, 16]
/// shapes.layerOutputs["score"]     // [1, 21, 500, 500]: the input's size
/// ```
public struct BlobShapes: Hashable, Sendable {
    /// Each blob's shape (for a blob written in place, the shape after the last writer — the same).
    public var blobs: [String: [Int]]
    /// The shape of each layer's top, by layer name.
    public var layerOutputs: [String: [Int]]
    /// Each crop layer's offset (given or derived), by layer name.
    public var cropOffsets: [String: Size2]

    /// The shape `[N, C, H, W]` of blob `blob`, or `nil` if no layer writes it.
    public subscript(blob: String) -> [Int]? { blobs[blob] }
}

extension NetworkDescription {
    /// The shape of every blob when the inputs have the given shapes.
    ///
    /// - Parameter shapes: a shape for each input blob: `[N, C, H, W]` (a label input may have C = 1).
    /// - Throws: ``NetworkError`` for an invalid description, a window that does not fit, a crop
    ///   larger than its input, a sum of different shapes, or mismatched channels.
    public func inferShapes(inputs shapes: [String: [Int]]) throws(NetworkError) -> BlobShapes {
        try validate()
        let maps = try coordinateMaps()
        var blobs: [String: [Int]] = [:]
        for input in inputs {
            guard let s = shapes[input] else { throw .missingInputShape(input) }
            guard s.count == 4, s.allSatisfy({ $0 >= 1 }) else { throw .badInputShape(input: input, shape: s) }
            blobs[input] = s
        }
        var result = BlobShapes(blobs: [:], layerOutputs: [:], cropOffsets: maps.cropOffsets)
        for layer in layers {
            let bottomShapes = layer.bottoms.map { blobs[$0]! }     // validate() guaranteed they exist
            let top = try layer.kind.definition.outputShape(layer, bottoms: bottomShapes, cropOffset: maps.cropOffsets[layer.name])
            blobs[layer.top] = top
            result.layerOutputs[layer.name] = top
        }
        result.blobs = blobs
        return result
    }

    /// Shapes for a network with a single input blob (`[N, C, H, W]`).
    public func inferShapes(input shape: [Int]) throws(NetworkError) -> BlobShapes {
        guard let first = inputs.first else { throw .noInputs(network: name) }
        return try inferShapes(inputs: [first: shape])
    }
}

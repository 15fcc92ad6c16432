// ShapeInference.swift — the shape of every blob of a network for a given input (paper §3, §4.1).
//
// An FCN accepts an input of any size (§3); this file says what size each blob then has. The
// Berkeley nets pad conv1_1 by 100, pool with ceil rounding, upsample with transposed
// convolutions and crop back; the arithmetic below reproduces Caffe's `Reshape` of each layer.
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
            let top = try layer.outputShape(bottoms: bottomShapes, cropOffset: maps.cropOffsets[layer.name])
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

extension LayerDescription {
    /// The top's shape given the bottoms' shapes (and, for a crop, its resolved offset).
    func outputShape(bottoms: [[Int]], cropOffset: Size2?) throws(NetworkError) -> [Int] {
        let x = bottoms[0]
        func spatial() throws(NetworkError) -> (n: Int, c: Int, h: Int, w: Int) {
            guard x.count == 4 else { throw .rankMismatch(layer: name, expected: 4, got: x) }
            return (x[0], x[1], x[2], x[3])
        }
        switch kind {
        case .convolution(let p):
            let d = try spatial()
            guard d.c % p.groups == 0 else {
                throw .invalidParameter(layer: name, problem: "\(d.c) input channels do not split into \(p.groups) groups")
            }
            let h = convolutionOutputLength(input: d.h, kernel: p.kernel.height, stride: p.stride.height,
                                            padBefore: p.padding.top, padAfter: p.padding.bottom, dilation: p.dilation.height)
            let w = convolutionOutputLength(input: d.w, kernel: p.kernel.width, stride: p.stride.width,
                                            padBefore: p.padding.left, padAfter: p.padding.right, dilation: p.dilation.width)
            guard h >= 1 && w >= 1 else {
                throw .windowDoesNotFit(layer: name, window: Size2(height: effectiveKernelExtent(kernel: p.kernel.height, dilation: p.dilation.height),
                                                                   width: effectiveKernelExtent(kernel: p.kernel.width, dilation: p.dilation.width)),
                                        input: Size2(height: d.h + p.padding.top + p.padding.bottom, width: d.w + p.padding.left + p.padding.right))
            }
            return [d.n, p.outputs, h, w]                                   // [N, O, OH, OW]
        case .transposedConvolution(let p):
            let d = try spatial()
            guard d.c % p.groups == 0 else {
                throw .invalidParameter(layer: name, problem: "\(d.c) input channels do not split into \(p.groups) groups")
            }
            let h = transposedConvolutionOutputLength(input: d.h, kernel: p.kernel.height, stride: p.stride.height,
                                                      padBefore: p.padding.top, padAfter: p.padding.bottom, dilation: p.dilation.height)
            let w = transposedConvolutionOutputLength(input: d.w, kernel: p.kernel.width, stride: p.stride.width,
                                                      padBefore: p.padding.left, padAfter: p.padding.right, dilation: p.dilation.width)
            guard h >= 1 && w >= 1 else {
                throw .invalidParameter(layer: name, problem: "padding \(p.padding) removes the whole \(d.h)×\(d.w) upsampled output")
            }
            return [d.n, p.outputs, h, w]                                   // [N, O, OH, OW]
        case .maxPooling(let p):
            let d = try spatial()
            let h = MaxPooling.outputLength(input: d.h, kernel: p.kernel.height, stride: p.stride.height,
                                        padBefore: p.padding.top, padAfter: p.padding.bottom, rounding: p.rounding)
            let w = MaxPooling.outputLength(input: d.w, kernel: p.kernel.width, stride: p.stride.width,
                                        padBefore: p.padding.left, padAfter: p.padding.right, rounding: p.rounding)
            guard h >= 1 && w >= 1 else { throw .windowDoesNotFit(layer: name, window: p.kernel, input: Size2(height: d.h, width: d.w)) }
            return [d.n, d.c, h, w]                                         // [N, C, OH, OW]
        case .relu, .dropout:
            return x
        case .localResponseNormalization:
            _ = try spatial()
            return x
        case .crop:
            let d = try spatial()
            let reference = bottoms[1]
            guard reference.count == 4 else { throw .rankMismatch(layer: name, expected: 4, got: reference) }
            let offset = cropOffset ?? 0
            let size = Size2(height: reference[2], width: reference[3])
            guard offset.height + size.height <= d.h && offset.width + size.width <= d.w else {
                throw .cropTooLarge(layer: name, offset: offset, size: size, input: Size2(height: d.h, width: d.w))
            }
            return [d.n, d.c, size.height, size.width]                      // [N, C, H_ref, W_ref]
        case .sum:
            guard bottoms.allSatisfy({ $0 == x }) else { throw .sumShapeMismatch(layer: name, shapes: bottoms) }
            return x
        case .linear(let p):
            return [x[0], p.outputs]                                        // [N, O]; the rest is flattened
        case .softmaxCrossEntropy:
            let d = try spatial()
            let label = bottoms[1]
            guard label == [d.n, 1, d.h, d.w] else { throw .labelShapeMismatch(layer: name, scores: x, labels: label) }
            return []                                                       // a scalar
        }
    }
}

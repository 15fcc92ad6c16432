// CoordinateMap.swift — where each blob pixel sits in the input image, and the crop offsets that
// follow (paper §3.3, §4.1; Caffe's `python/caffe/coord_map.py`).
//
// Every spatial layer maps its output grid onto its input grid by an affine map per axis: output
// position y lies at input position a·y + b. Composing these maps from the image to any blob
// gives where that blob's pixels "are" in the image. FCN fuses a coarse upsampled prediction
// with a finer one (§4.2) and returns a prediction the size of the image; both need a `Crop`
// whose offset makes the two grids coincide — the offset is read off the two maps.
//
// Per layer, in this file's direction (output → input; Caffe's `coord_map` stores the inverse):
//   convolution, pooling:  a = s,    b = (K − 1)/2 − p     (K = dilation·(kernel − 1) + 1, p = pad before)
//   transposed conv.:      a = 1/s,  b = (p − (K − 1)/2)/s  (the inverse of the above)
//   crop at offset o:      a = 1,    b = o
//   ReLU, dropout, LRN, sum and max (when their bottoms agree): a = 1, b = 0.
// Each kind states its own step in its definition (`Layers/<Kind>/<Kind>+Definition.swift`;
// the window formulas are on `WindowGeometry` below); this file composes them.
// A map from a blob to the image is the composition along the path: x = A·y + B with
// A ← A·a and B ← B + A·b for each layer met on the way down.
//
// A crop of blob `from` to the size of blob `to` keeps from[o + y] for to[y]; both pixels must
// sit at the same image position: A_from·(o + y) + B_from = A_to·y + B_to, so A_from = A_to and
//     o = (B_to − B_from) / A_to,
// which must be a non-negative integer (Caffe asserts the same; `Crop+Definition.swift`). Caffe walks to the nearest
// common ancestor blob; maps here go all the way to the network inputs, which agree with it
// whenever the paths are consistent, and every input (image, label) is taken to share one grid.

import FCNCore

/// An affine map along one axis from a blob's pixel index to an input-image coordinate:
/// `x = scale · y + shift`. `scale` is the blob's stride in image pixels; `shift` is where its
/// pixel 0 is centred.
///
/// ```swift
/// // A 2×2 pool of stride 2: output pixel y covers input pixels 2y and 2y + 1, centred at 2y + ½.
/// AxisMap.identity.then(scale: 2, shift: Rational(1, 2)).description   // "x = 2·y + 0.5"
/// ```
public struct AxisMap: Hashable, Sendable, CustomStringConvertible {
    /// The blob's stride in image pixels.
    public var scale: Rational
    /// The image coordinate of the centre of the blob's pixel 0.
    public var shift: Rational
    /// The map `x = scale · y + shift`.
    public init(scale: Rational, shift: Rational) { self.scale = scale; self.shift = shift }
    /// `x = y`: the map of a network input onto itself.
    public static let identity = AxisMap(scale: 1, shift: 0)

    /// Composes with one layer's own map (`a`, `b`: the layer's output → its input).
    public func then(scale a: Rational, shift b: Rational) -> AxisMap {
        AxisMap(scale: scale * a, shift: shift + scale * b)
    }
    /// Composes with one layer's own map `step` (the layer's output → its input).
    public func then(_ step: AxisMap) -> AxisMap { then(scale: step.scale, shift: step.shift) }
    /// "x = scale·y + shift".
    public var description: String { "x = \(scale)·y + \(shift)" }
}

/// Output → image maps for both axes of a blob.
public struct CoordinateMap: Hashable, Sendable {
    /// The map of row indices.
    public var vertical: AxisMap
    /// The map of column indices.
    public var horizontal: AxisMap
    /// A map from its two axes.
    public init(vertical: AxisMap, horizontal: AxisMap) { self.vertical = vertical; self.horizontal = horizontal }
    /// The identity on both axes.
    public static let identity = CoordinateMap(vertical: .identity, horizontal: .identity)
}

/// The result of ``NetworkDescription/coordinateMaps()``.
///
/// ```swift
/// let maps = try FCN.description(.fcn8s).coordinateMaps()
/// maps.cropOffsets["score_pool4c"]   // 5
/// maps.cropOffsets["score_pool3c"]   // 9
/// maps.cropOffsets["score"]          // 31
/// ```
public struct CoordinateMaps: Hashable, Sendable {
    /// Each layer's top map, by layer name; `nil` where undefined (after a fully connected layer,
    /// or a sum of misaligned blobs).
    public var layerMaps: [String: CoordinateMap?]
    /// Each crop's offset, given or derived, by layer name.
    public var cropOffsets: [String: Size2]
}

extension WindowGeometry {
    /// A convolution's (or pooling's) own map along `axis`: a = s, b = (K − 1)/2 − p.
    func convolutionStep(_ axis: Axis) -> AxisMap {
        AxisMap(scale: Rational(stride[axis]), shift: Rational(extent[axis] - 1, 2) - Rational(padding.before(axis)))
    }

    /// A transposed convolution's own map along `axis`, the inverse of the convolution's:
    /// a = 1/s, b = (p − (K − 1)/2)/s.
    func transposedConvolutionStep(_ axis: Axis) -> AxisMap {
        let s = Rational(stride[axis])
        return AxisMap(scale: Rational(1) / s, shift: (Rational(padding.before(axis)) - Rational(extent[axis] - 1, 2)) / s)
    }
}

extension NetworkDescription {
    /// Every layer's coordinate map to the inputs, and every crop's offset (derived where the
    /// description leaves it `nil`).
    ///
    /// - Throws: ``NetworkError`` when a crop's offset cannot be derived: a bottom without a map,
    ///   different strides, or an offset that is negative or fractional.
    public func coordinateMaps() throws(NetworkError) -> CoordinateMaps {
        try validate()
        var blobMaps: [String: CoordinateMap?] = [:]
        for input in inputs { blobMaps[input] = .identity }
        var result = CoordinateMaps(layerMaps: [:], cropOffsets: [:])
        for layer in layers {
            let bottomMaps = layer.bottoms.map { blobMaps[$0] ?? nil }
            let map = try layer.kind.definition.coordinateMap(layer, bottoms: bottomMaps, cropOffsets: &result.cropOffsets)
            blobMaps[layer.top] = map
            result.layerMaps[layer.name] = map
        }
        return result
    }
}

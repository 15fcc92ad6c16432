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
//   ReLU, dropout, LRN, sum (when its bottoms agree): a = 1, b = 0.
// A map from a blob to the image is the composition along the path: x = A·y + B with
// A ← A·a and B ← B + A·b for each layer met on the way down.
//
// A crop of blob `from` to the size of blob `to` keeps from[o + y] for to[y]; both pixels must
// sit at the same image position: A_from·(o + y) + B_from = A_to·y + B_to, so A_from = A_to and
//     o = (B_to − B_from) / A_to,
// which must be a non-negative integer (Caffe asserts the same). Caffe walks to the nearest
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

extension LayerKind {
    /// This layer's own map (output → input) along one axis, or `nil` if the layer has none.
    /// `axis` 0 is height, 1 is width. Crops and sums are handled by the caller.
    func axisStep(axis: Int) -> (a: Rational, b: Rational)? {
        func pick(_ s: Size2) -> Int { axis == 0 ? s.height : s.width }
        func padBefore(_ p: Padding) -> Int { axis == 0 ? p.top : p.left }
        switch self {
        case .convolution(let p):
            let extent = effectiveKernelExtent(kernel: pick(p.kernel), dilation: pick(p.dilation))
            return (Rational(pick(p.stride)), Rational(extent - 1, 2) - Rational(padBefore(p.padding)))
        case .maxPooling(let p):
            return (Rational(pick(p.stride)), Rational(pick(p.kernel) - 1, 2) - Rational(padBefore(p.padding)))
        case .transposedConvolution(let p):
            let extent = effectiveKernelExtent(kernel: pick(p.kernel), dilation: pick(p.dilation))
            let s = Rational(pick(p.stride))
            return (Rational(1) / s, (Rational(padBefore(p.padding)) - Rational(extent - 1, 2)) / s)
        case .relu, .dropout, .localResponseNormalization, .softmaxCrossEntropy:
            return (1, 0)
        case .crop, .sum, .linear:
            return nil
        }
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
            var map: CoordinateMap?
            switch layer.kind {
            case .crop(let p):
                let offset: Size2
                if let given = p.offset { offset = given } else { offset = try layer.derivedCropOffset(from: bottomMaps[0], to: bottomMaps[1]) }
                result.cropOffsets[layer.name] = offset
                map = bottomMaps[0].map {
                    CoordinateMap(vertical: $0.vertical.then(scale: 1, shift: Rational(offset.height)),
                                  horizontal: $0.horizontal.then(scale: 1, shift: Rational(offset.width)))
                }
            case .sum:
                // Defined only when every bottom sits on the same grid.
                let first = bottomMaps[0]
                map = bottomMaps.allSatisfy({ $0 != nil && $0 == first }) ? first : nil
            default:
                if let m = bottomMaps[0], let v = layer.kind.axisStep(axis: 0), let h = layer.kind.axisStep(axis: 1) {
                    map = CoordinateMap(vertical: m.vertical.then(scale: v.a, shift: v.b),
                                        horizontal: m.horizontal.then(scale: h.a, shift: h.b))
                }
            }
            blobMaps[layer.top] = map
            result.layerMaps[layer.name] = map
        }
        return result
    }
}

extension LayerDescription {
    /// Caffe's `coord_map.crop(from, to)`: the offset that puts `from`'s pixels over `to`'s.
    func derivedCropOffset(from: CoordinateMap?, to: CoordinateMap?) throws(NetworkError) -> Size2 {
        guard let from else { throw .undefinedCoordinateMap(layer: name, blob: bottoms[0]) }
        guard let to else { throw .undefinedCoordinateMap(layer: name, blob: bottoms[1]) }
        func axis(_ f: AxisMap, _ t: AxisMap) throws(NetworkError) -> Int {
            guard f.scale == t.scale else { throw .cropScaleMismatch(layer: name, from: bottoms[0], to: bottoms[1]) }
            let offset = (t.shift - f.shift) / t.scale
            guard let whole = offset.integerValue else { throw .cropOffsetNotAnInteger(layer: name, offset: offset.description) }
            guard whole >= 0 else { throw .cropOffsetNegative(layer: name, offset: offset.description) }
            return whole
        }
        return Size2(height: try axis(from.vertical, to.vertical), width: try axis(from.horizontal, to.horizontal))
    }
}

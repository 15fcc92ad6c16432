// ReceptiveField.swift — how much of the image each blob pixel sees (paper §3, §3.1, Table 1).
//
// "Locations in higher layers correspond to the locations in the image they are path-connected
// to, which are called their receptive fields" (§3). Per axis, three numbers describe them:
//   size  r — the number of image pixels a blob pixel depends on,
//   jump  j — the image distance between neighbouring blob pixels (the stride so far),
//   start   — the image coordinate of the centre of blob pixel 0.
// jump and start are the coordinate map of `CoordinateMap.swift` (scale and shift). The size
// grows by each window's extra extent, measured in the bottom's pixels:
//   convolution, pooling (window K, dilation included):  r ← r + (K − 1)·j
//   transposed convolution (stride s):                   r ← r + ⌊(K − 1)/s⌋·j
//     (an output pixel receives at most ⌊(K − 1)/s⌋ + 1 neighbouring inputs)
//   ReLU, dropout, LRN, crop: unchanged;  sum or max of aligned bottoms: the largest.
// Each kind states its growth in its definition (`Layers/<Kind>/<Kind>+Definition.swift`).
// Padding changes where a field starts, never its size. A fully connected layer sees the whole
// input, so it has no receptive field in this sense (`nil`).

import FCNCore

/// A receptive field along one axis, in input-image pixels.
public struct AxisReceptiveField: Hashable, Sendable {
    /// How many input pixels one blob pixel sees along this axis.
    public var size: Rational
    /// The distance in input pixels between neighbouring blob pixels: the blob's stride.
    public var jump: Rational
    /// The input coordinate of the centre of pixel 0's field (negative inside the padding).
    public var start: Rational
    /// A field of `size` pixels, repeated every `jump` pixels, the first centred at `start`.
    public init(size: Rational, jump: Rational, start: Rational) { self.size = size; self.jump = jump; self.start = start }
}

/// The receptive field of a blob's pixels, per axis.
///
/// ```swift
/// let fields = try FCN.description(.fcn32s).receptiveFields()
/// fields["pool5"]!!.vertical.size      // 212
/// fields["score_fr"]!!.vertical.size   // 404 (Table 1)
/// fields["score_fr"]!!.vertical.jump   // 32, the output stride
/// ```
///
/// ### See Also
/// - ``NetworkDescription/receptiveFields()``, ``ArchitectureAnalysis``.
public struct ReceptiveField: Hashable, Sendable, CustomStringConvertible {
    /// The field along the height.
    public var vertical: AxisReceptiveField
    /// The field along the width.
    public var horizontal: AxisReceptiveField
    /// A field from its two axes.
    public init(vertical: AxisReceptiveField, horizontal: AxisReceptiveField) { self.vertical = vertical; self.horizontal = horizontal }

    /// "404" for a square field, "404×212" otherwise.
    public var sizeDescription: String {
        vertical.size == horizontal.size ? vertical.size.description : "\(vertical.size)×\(horizontal.size)"
    }
    /// "size 404, jump 32, start …": the size of both axes, the vertical jump and start.
    public var description: String {
        "size \(sizeDescription), jump \(vertical.jump), start \(vertical.start)"
    }
}

extension NetworkDescription {
    /// The receptive field of each layer's top, by layer name (`nil` where undefined).
    public func receptiveFields() throws(NetworkError) -> [String: ReceptiveField?] {
        let maps = try coordinateMaps()
        var sizes: [String: FieldSize?] = [:]                           // per blob
        var blobMaps: [String: CoordinateMap?] = [:]                     // per blob, as the next reader sees it
        for input in inputs { sizes[input] = (1, 1); blobMaps[input] = .identity }
        var result: [String: ReceptiveField?] = [:]
        for layer in layers {
            let bottomMap = blobMaps[layer.bottoms[0]] ?? nil
            let size = layer.kind.definition.receptiveFieldSize(
                bottoms: layer.bottoms.map { sizes[$0] ?? nil },
                firstBottomJump: bottomMap.map { ($0.vertical.scale, $0.horizontal.scale) })
            blobMaps[layer.top] = maps.layerMaps[layer.name] ?? nil
            guard let map = maps.layerMaps[layer.name] ?? nil, let size else {
                sizes[layer.top] = nil as FieldSize?
                result[layer.name] = nil as ReceptiveField?
                continue
            }
            sizes[layer.top] = size
            result[layer.name] = ReceptiveField(
                vertical: AxisReceptiveField(size: size.vertical, jump: map.vertical.scale, start: map.vertical.shift),
                horizontal: AxisReceptiveField(size: size.horizontal, jump: map.horizontal.scale, start: map.horizontal.shift))
        }
        return result
    }
}

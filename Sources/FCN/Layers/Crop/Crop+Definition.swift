// Crop+Definition.swift — what a crop layer is, as a description and as a step of the executor
// (paper §4.1, §4.2; Caffe's `python/caffe/coord_map.py`).
//
// Bottoms: the blob to crop, then the blob whose size to take. Rules:
//   output shape     [N, C, H_ref, W_ref]; the window must fit inside the first bottom
//   coordinate map   a = 1, b = o: the kept window starts o pixels in
//   offset           given, or derived from the two bottoms' maps (below), as Caffe's
//                    `coord_map.crop` does when Berkeley's `net.py` is run
//   receptive field  unchanged; only the first bottom's pixels flow through (the reference
//                    only lends its size, so it is not on any path and gets no gradient)
//
// The derived offset: a crop of blob `from` to the size of blob `to` keeps from[o + y] for
// to[y]; both pixels must sit at the same image position, A_from·(o + y) + B_from = A_to·y + B_to,
// so A_from = A_to and o = (B_to − B_from) / A_to, which must be a non-negative integer.

import FCNCore

/// Parameters of a spatial crop [Caffe `Crop`, axis 2]: the first bottom is cut to the height
/// and width of the second, starting at `offset`.
public struct CropParameters: Hashable, Sendable {
    /// The (top, left) corner of the window kept, or `nil`: derive it from the coordinate maps
    /// of the two bottoms, as Caffe's `coord_map.crop` does when Berkeley's `net.py` is run.
    public var offset: Size2?
    /// A crop at `offset`, or one whose offset is derived (`nil`).
    public init(offset: Size2? = nil) { self.offset = offset }
}

extension CropParameters: LayerDefinition {
    var caffeType: String { "Crop" }
    var bottomCount: Int? { 2 }

    func validate(_ layer: LayerDescription) throws(NetworkError) {
        if let o = offset { try require(o.height >= 0 && o.width >= 0, "crop offset must be ≥ 0", in: layer) }
    }

    func outputShape(_ layer: LayerDescription, bottoms: [[Int]], cropOffset: Size2?) throws(NetworkError) -> [Int] {
        let d = try spatial(bottoms[0], of: layer)
        let reference = bottoms[1]
        guard reference.count == 4 else { throw .rankMismatch(layer: layer.name, expected: 4, got: reference) }
        let offset = cropOffset ?? 0
        let size = Size2(height: reference[2], width: reference[3])
        guard offset.height + size.height <= d.h && offset.width + size.width <= d.w else {
            throw .cropTooLarge(layer: layer.name, offset: offset, size: size, input: Size2(height: d.h, width: d.w))
        }
        return [d.n, d.c, size.height, size.width]                              // [N, C, H_ref, W_ref]
    }

    func coordinateMap(_ layer: LayerDescription, bottoms: [CoordinateMap?],
                       cropOffsets: inout [String: Size2]) throws(NetworkError) -> CoordinateMap? {
        let offset: Size2
        if let given = self.offset { offset = given } else { offset = try derivedOffset(layer, from: bottoms[0], to: bottoms[1]) }
        cropOffsets[layer.name] = offset
        return bottoms[0].map {
            CoordinateMap(vertical: $0.vertical.then(AxisMap(scale: 1, shift: Rational(offset.height))),
                          horizontal: $0.horizontal.then(AxisMap(scale: 1, shift: Rational(offset.width))))
        }
    }

    /// Caffe's `coord_map.crop(from, to)`: the offset that puts `from`'s pixels over `to`'s.
    func derivedOffset(_ layer: LayerDescription, from: CoordinateMap?, to: CoordinateMap?) throws(NetworkError) -> Size2 {
        guard let from else { throw .undefinedCoordinateMap(layer: layer.name, blob: layer.bottoms[0]) }
        guard let to else { throw .undefinedCoordinateMap(layer: layer.name, blob: layer.bottoms[1]) }
        func axis(_ f: AxisMap, _ t: AxisMap) throws(NetworkError) -> Int {
            guard f.scale == t.scale else { throw .cropScaleMismatch(layer: layer.name, from: layer.bottoms[0], to: layer.bottoms[1]) }
            let offset = (t.shift - f.shift) / t.scale
            guard let whole = offset.integerValue else { throw .cropOffsetNotAnInteger(layer: layer.name, offset: offset.description) }
            guard whole >= 0 else { throw .cropOffsetNegative(layer: layer.name, offset: offset.description) }
            return whole
        }
        return Size2(height: try axis(from.vertical, to.vertical), width: try axis(from.horizontal, to.horizontal))
    }

    func pathBottoms(_ layer: LayerDescription) -> [String] { [layer.bottoms[0]] }

    /// "crop +o": the offset shape inference resolved, else the one given (0 when derived and unknown).
    func summary(_ layer: LayerDescription, cropOffset: Size2?) -> String { "crop +\((cropOffset ?? offset)?.height ?? 0)" }

    func forward(_ x: [Tensor], _ step: StepContext) throws -> Tensor {
        Crop(offset: step.cropOffset).forward(x[0], size: Size2(height: x[1].shape[2], width: x[1].shape[3]))
    }

    func backward(_ x: [Tensor], outputGradient dy: Tensor, decisions: Decisions?, _ step: StepContext) -> StepGradients {
        StepGradients(inputs: [Crop(offset: step.cropOffset).backward(inputShape: x[0].shape, outputGradient: dy), nil])
    }
}

// FusionParameters.swift — what the skip fusions share: several same-shaped bottoms combined
// element by element (paper §4.2: "we fuse … by summing"; footnote: max fusion made learning
// difficult).
//
// A fusion's top sits on the pixel grid of its bottoms, so its coordinate map is theirs — but
// only when they all agree (a missing crop would leave them misaligned: then it has none). Each
// top pixel depends on the same pixel of every bottom, so its receptive field is the largest of
// theirs. Sum (`Layers/Sum/`) and element-wise max (`Layers/ElementwiseMax/`) conform.

import FCNCore

/// The description of a layer that fuses one or more same-shaped bottoms element by element.
protocol FusionParameters: LayerDefinition {}

extension FusionParameters {
    var bottomCount: Int? { nil }

    /// The bottoms' common map, or `nil` when they do not all sit on the same grid.
    func coordinateMap(_ layer: LayerDescription, bottoms: [CoordinateMap?],
                       cropOffsets: inout [String: Size2]) throws(NetworkError) -> CoordinateMap? {
        let first = bottoms[0]
        return bottoms.allSatisfy({ $0 != nil && $0 == first }) ? first : nil
    }

    /// The largest of the bottoms' fields (`nil` if one has none).
    func receptiveFieldSize(bottoms: [FieldSize?], firstBottomJump: FieldSize?) -> FieldSize? {
        guard bottoms.allSatisfy({ $0 != nil }) else { return nil }
        return (bottoms.map { $0!.vertical }.max()!, bottoms.map { $0!.horizontal }.max()!)
    }
}

// MultiplyAdds.swift — the arithmetic a network does, counted from its shapes (paper §3.1:
// "the computation is highly amortized over the overlapping regions of those patches"; §3.2:
// what shift-and-stitch and filter rarefaction each cost).
//
// A multiply-add is one w·x accumulated into an output. Each kind counts its own
// (`LayerDefinition.multiplyAdds`, in `Layers/<Kind>/`); with N the batch:
//   convolution            N · O · OH · OW · (C / groups) · KH · KW
//   transposed convolution N · C · H · W · (O / groups) · KH · KW   (every input pixel stamps a kernel)
//   fully connected        N · O · F                                  (F = C·H·W of its bottom)
// Pooling, ReLU, crops, sums and maxima do comparisons or additions only and are not counted:
// in VGG they are well under 1% of the work.

/// The multiply-adds of one layer.
public struct LayerCost: Hashable, Sendable {
    /// The layer's name.
    public var layer: String
    /// Its multiply-adds for one forward pass.
    public var multiplyAdds: Int
}

extension NetworkDescription {
    /// Multiply-adds of every convolution, transposed convolution and fully connected layer for
    /// an input of `inputShape` `[N, C, H, W]`, in layer order.
    ///
    /// ```swift
    /// let costs = try VGG.description().multiplyAdds(inputShape: [1, 3, 224, 224])
    /// costs.map(\.multiplyAdds).reduce(0, +)      // ≈ 15.5 G for VGG16
    /// ```
    public func multiplyAdds(inputShape: [Int]) throws(NetworkError) -> [LayerCost] {
        let shapes = try inferShapes(input: inputShape)
        return layers.compactMap { layer in
            guard let x = shapes.blobs[layer.bottoms[0]], let y = shapes.layerOutputs[layer.name] else { return nil }
            let count = layer.kind.definition.multiplyAdds(input: x, output: y)
            return count > 0 ? LayerCost(layer: layer.name, multiplyAdds: count) : nil
        }
    }
}

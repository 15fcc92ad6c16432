// MultiplyAdds.swift — the arithmetic a network does, counted from its shapes (paper §3.1:
// "the computation is highly amortized over the overlapping regions of those patches"; §3.2:
// what shift-and-stitch and filter rarefaction each cost).
//
// A multiply-add is one w·x accumulated into an output. Per layer, with N the batch:
//   convolution            N · O · OH · OW · (C / groups) · KH · KW
//   transposed convolution N · C · H · W · (O / groups) · KH · KW   (every input pixel stamps a kernel)
//   fully connected        N · O · F                                  (F = C·H·W of its bottom)
// Pooling, ReLU, crops and sums do comparisons or additions only and are not counted: in VGG
// they are well under 1% of the work.
import FCN

/// The multiply-adds of one layer.
public struct LayerCost: Hashable, Sendable {
    public var layer: String
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
        var costs: [LayerCost] = []
        for layer in layers {
            guard let x = shapes.blobs[layer.bottoms[0]], let y = shapes.layerOutputs[layer.name] else { continue }
            let count: Int
            switch layer.kind {
            case .convolution(let p):
                count = y.reduce(1, *) * (x[1] / p.groups) * p.kernel.height * p.kernel.width
            case .transposedConvolution(let p):
                count = x.reduce(1, *) * (p.outputs / p.groups) * p.kernel.height * p.kernel.width
            case .linear(let p):
                count = x.reduce(1, *) * p.outputs
            default:
                continue
            }
            costs.append(LayerCost(layer: layer.name, multiplyAdds: count))
        }
        return costs
    }
}

/// "15.47 G", "3.2 M": a count with an SI prefix, for printing.
public func showCount(_ n: Int) -> String {
    let x = Double(n)
    for (limit, suffix) in [(1e12, " T"), (1e9, " G"), (1e6, " M"), (1e3, " k")] where x >= limit {
        return show(x / limit) + suffix
    }
    return "\(n)"
}

// FeatureMaps.swift — what a trained FCN computes on the way from pixels to labels: channels
// of several layers for one scene, as mosaics, from fine and large to coarse and deep.
//
// Paper §3 ("each layer of data in a convnet is a three-dimensional array of size h × w × d")
// and §3.1/§4.1 (the trunk shrinks the map by 32 while its receptive fields grow; conv1_1 is
// padded by 100, so its maps are larger than the image; the score layer has one channel per
// class). The activations are the blobs a `Network.forward(_:keeping:)` returned; the caller
// chooses the channels (`FeatureMapLayer.strongest` picks those that vary most).
import FCN

/// One layer's mosaic in the feature-map figure.
public struct FeatureMapLayer: Sendable {
    public var grid: FeatureMapGrid
    /// Printed after the grid's scale note, e.g. "8 of 64 channels".
    public var note: String?
    /// Printed under each tile instead of the channel index (e.g. class names for scores).
    public var tileLabels: [String]?

    public init(grid: FeatureMapGrid, note: String? = nil, tileLabels: [String]? = nil) {
        self.grid = grid; self.note = note; self.tileLabels = tileLabels
    }

    /// The `count` channels of `activation` (`[1, C, H, W]`) whose values vary most over the
    /// map (largest variance), in channel order; ties keep the lower index. All channels if C ≤ count.
    public static func strongest(_ activation: Tensor, count: Int) -> [Int] {
        precondition(activation.rank == 4 && activation.shape[0] >= 1, "FeatureMapLayer: need [N, C, H, W], got \(activation.shape)")
        let c = activation.shape[1], hw = activation.shape[2] * activation.shape[3]
        guard c > count else { return Array(0..<c) }
        let variances = (0..<c).map { k -> Double in
            let values = activation.scalars[(k * hw)..<((k + 1) * hw)].map(Double.init)
            let mean = values.reduce(0, +) / Double(hw)
            return values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(hw)
        }
        let ranked = (0..<c).sorted { variances[$0] != variances[$1] ? variances[$0] > variances[$1] : $0 < $1 }
        return ranked.prefix(count).sorted()
    }
}

/// Feature maps of several layers for one image.
///
/// - Parameters:
///   - title: the heading.
///   - subtitle: the line under the heading.
///   - image: the input, drawn on the left.
///   - imageCaption: the text under the image.
///   - layers: the mosaics, drawn top to bottom in this order.
///   - tileSize: the width of every tile in points (maps of any size are scaled to it, so a
///     tile's pixels show how coarse the map is).
public func featureMapsFigure(title: String, subtitle: String, image: RGBImage, imageCaption: String,
                              layers: [FeatureMapLayer], tileSize: Double = 72) -> Figure {
    let margin = 20.0, header = 50.0, imageSide = 180.0, gap = 18.0
    let sizes = layers.map { $0.grid.size(tileSize: tileSize) }
    let gridsX = margin + imageSide + 30
    let width = gridsX + (sizes.map(\.width).max() ?? 0) + margin + 30
    let height = max(margin + header + imageSide + 60,
                     margin + header + sizes.map(\.height).reduce(0, +) + Double(max(0, layers.count - 1)) * gap + margin)
    return Figure(width: width, height: height) { canvas in
        canvas.text(title, at: Point(margin, margin + 12), font: .bold(14))
        canvas.text(subtitle, at: Point(margin, margin + 30), font: .regular(10), color: .grey)
        let imageRect = Rect(x: margin, y: margin + header, width: imageSide,
                             height: imageSide * Double(image.height) / Double(image.width))
        canvas.image(image, in: imageRect, smooth: true)
        canvas.stroke(imageRect, .grey, lineWidth: 0.5)
        canvas.text(imageCaption, at: Point(margin, imageRect.maxY + 8), font: .regular(10), baseline: .top)
        var y = margin + header
        for (layer, size) in zip(layers, sizes) {
            layer.grid.draw(on: canvas, at: Point(gridsX, y), tileSize: tileSize, note: layer.note, tileLabels: layer.tileLabels)
            y += size.height + gap
        }
    }
}

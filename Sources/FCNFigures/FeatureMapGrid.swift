// FeatureMapGrid.swift — many channels of one layer as a labelled mosaic.
//
// No paper section: drawing infrastructure for looking inside the net (what conv1 or pool5
// responds to). Each tile is one channel of one image, drawn with `TensorImage`, its channel
// index printed underneath; the title names the layer and its C×H×W shape.
import FCN

/// A mosaic of channels from an NCHW (or CHW) activation.
///
/// ```swift
/// let grid = FeatureMapGrid(activation, layer: "conv1_1", channels: Array(0..<16), columns: 8)
/// let figure = grid.figure()
/// ```
public struct FeatureMapGrid: Sendable {
    /// The layer name shown in the title.
    public let layer: String
    /// Shape of one image's activation, [C, H, W].
    public let shape: [Int]
    /// The channels shown, in order.
    public let channels: [Int]
    /// Tiles per row.
    public let columns: Int
    /// One image per channel shown.
    public let tiles: [TensorImage]
    /// Whether all tiles share one value range (comparable brightness) or each has its own.
    public let sharedRange: Bool

    /// A grid of the chosen channels of `activation`, `columns` tiles per row.
    ///
    /// - Parameters:
    ///   - activation: NCHW (image `batch` is shown) or CHW.
    ///   - layer: the layer's name, for the title.
    ///   - batch: which image of an NCHW batch to show.
    ///   - channels: which channels; `nil` means all of them.
    ///   - columns: tiles per row.
    ///   - colormap: the colours of the values.
    ///   - sharedRange: colour every tile over the range of all shown channels (default), or
    ///     stretch each tile over its own range (shows structure in weak channels).
    public init(_ activation: Tensor, layer: String, batch: Int = 0, channels: [Int]? = nil, columns: Int = 8,
                colormap: Colormap = .viridis, sharedRange: Bool = true) {
        let s = activation.shape
        precondition(s.count == 3 || s.count == 4, "FeatureMapGrid: need CHW or NCHW, got \(s)")
        let chw = Array(s.suffix(3))
        let chosen = channels ?? Array(0..<chw[0])
        precondition(!chosen.isEmpty && chosen.allSatisfy { (0..<chw[0]).contains($0) },
                     "FeatureMapGrid: channels \(chosen) outside 0..<\(chw[0])")
        let own = chosen.map { TensorImage(activation, batch: batch, channel: $0, colormap: colormap) }
        if sharedRange {
            let all = own.flatMap(\.values)
            let range = ValueRange(spanning: all)
            tiles = own.map { TensorImage(values: $0.values, height: $0.height, width: $0.width, colormap: colormap, range: range) }
        } else {
            tiles = own
        }
        self.layer = layer; self.shape = chw; self.channels = chosen
        self.columns = max(1, min(columns, chosen.count)); self.sharedRange = sharedRange
    }

    /// The mosaic as a figure, tiles `tileSize` points wide (height follows the aspect ratio).
    public func figure(tileSize: Double = 64) -> Figure {
        let rows = (tiles.count + columns - 1) / columns
        let tileH = tileSize * Double(shape[1]) / Double(shape[2])
        let gap = 8.0, label = 14.0, title = 40.0, margin = 12.0, bar = sharedRange ? 50.0 : 0
        let width = 2 * margin + Double(columns) * tileSize + Double(columns - 1) * gap + bar
        let height = margin + title + Double(rows) * (tileH + label) + Double(rows - 1) * gap + margin
        return Figure(width: width, height: height) { canvas in
            let dims = shape.map(String.init).joined(separator: "×")
            canvas.text("\(layer)  \(dims)", at: Point(margin, margin + 12), font: .bold(13))
            canvas.text(sharedRange ? "C×H×W · one colour scale for all tiles" : "C×H×W · each tile on its own scale",
                        at: Point(margin, margin + 25), font: .regular(9), color: .grey)
            for (i, tile) in tiles.enumerated() {
                let r = Rect(x: margin + Double(i % columns) * (tileSize + gap),
                             y: margin + title + Double(i / columns) * (tileH + label + gap),
                             width: tileSize, height: tileH)
                canvas.draw(tile, in: r)
                canvas.text("\(channels[i])", at: Point(r.center.x, r.maxY + 2), font: .regular(9),
                            align: .center, baseline: .top)
            }
            if sharedRange, let first = tiles.first {
                let x = width - margin - bar + 12
                canvas.colorBar(first.colormap, range: first.range,
                                in: Rect(x: x, y: margin + title, width: 10, height: min(120, height - title - 2 * margin)))
            }
        }
    }
}

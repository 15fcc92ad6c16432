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

    /// The size the mosaic needs with tiles `tileSize` points wide (height follows the aspect ratio).
    public func size(tileSize: Double = 64) -> (width: Double, height: Double) {
        let rows = (tiles.count + columns - 1) / columns
        let tileH = tileSize * Double(shape[1]) / Double(shape[2])
        let bar = sharedRange ? 50.0 : 0
        return (Double(columns) * tileSize + Double(columns - 1) * Self.gap + bar,
                Self.titleHeight + Double(rows) * (tileH + Self.labelHeight) + Double(rows - 1) * Self.gap)
    }

    static let gap = 8.0, labelHeight = 14.0, titleHeight = 40.0

    /// Draws the mosaic with its top-left corner at `origin`: title, tiles, each tile's label
    /// (`tileLabels`, or the channel index) and, for a shared range, the colour bar.
    public func draw(on canvas: Canvas, at origin: Point, tileSize: Double = 64, note: String? = nil, tileLabels: [String]? = nil) {
        let tileH = tileSize * Double(shape[1]) / Double(shape[2])
        let dims = shape.map(String.init).joined(separator: "×")
        canvas.text("\(layer)  \(dims)", at: Point(origin.x, origin.y + 12), font: .bold(13))
        let scale = sharedRange ? "C×H×W · one colour scale for all tiles" : "C×H×W · each tile on its own scale"
        canvas.text(note.map { "\(scale) · \($0)" } ?? scale, at: Point(origin.x, origin.y + 25), font: .regular(9), color: .grey)
        for (i, tile) in tiles.enumerated() {
            let r = Rect(x: origin.x + Double(i % columns) * (tileSize + Self.gap),
                         y: origin.y + Self.titleHeight + Double(i / columns) * (tileH + Self.labelHeight + Self.gap),
                         width: tileSize, height: tileH)
            canvas.draw(tile, in: r)
            let label = tileLabels.map { i < $0.count ? $0[i] : "" } ?? "\(channels[i])"
            canvas.text(label, at: Point(r.center.x, r.maxY + 2), font: .regular(9), align: .center, baseline: .top)
        }
        if sharedRange, let first = tiles.first {
            let x = origin.x + Double(columns) * (tileSize + Self.gap) + 4
            let height = size(tileSize: tileSize).height
            canvas.colorBar(first.colormap, range: first.range,
                            in: Rect(x: x, y: origin.y + Self.titleHeight, width: 10, height: min(120, height - Self.titleHeight)))
        }
    }

    /// The mosaic as a figure, tiles `tileSize` points wide (height follows the aspect ratio).
    public func figure(tileSize: Double = 64) -> Figure {
        let margin = 12.0
        let s = size(tileSize: tileSize)
        return Figure(width: s.width + 2 * margin, height: s.height + 2 * margin) { canvas in
            draw(on: canvas, at: Point(margin, margin), tileSize: tileSize)
        }
    }
}

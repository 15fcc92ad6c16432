// OverlayWithLegend.swift — a segmentation overlay a person can read: the blended photograph
// at its own pixel size, and beside it the key to the colours of the classes present (a swatch
// and a name each), as the paper's result figures pair pictures with class names (CVPR 2015
// Fig. 6).
//
// Why here and not in the inference library: `FCN` writes overlays without Cairo (no font, no
// text) so that deploying inference needs no drawing stack; a legend needs text, so it is drawn
// by the figure engine, which `fcn segment --legend` links anyway. Without `--legend` the overlay
// stays pixel-aligned with the input, which is what tools that stack it on the photo expect.
import FCN

/// `overlay` (already blended) with a legend of the labels present in `labels` to its right.
///
/// Drawn at 1 point per pixel: written with `scale: 1`, the picture's pixels are the overlay's.
///
/// ```swift
/// let shown = result.overlay(alpha: 0.5, leavingBackground: true)
/// try overlayWithLegend(shown, labels: result.labels, classNames: spec.classNames, palette: spec.palette)
///     .write(to: URL(filePath: "overlay.png"), scale: 1)
/// ```
public func overlayWithLegend(_ overlay: RGBImage, labels: LabelMap, classNames: [String],
                              palette: [LabelColor] = LabelPalette.pascalVOCColors) -> Figure {
    let full = (0..<256).map { $0 < palette.count ? palette[$0] : LabelPalette.pascalVOCColors[$0] }
    var present = [Bool](repeating: false, count: 256)
    for label in labels.labels { present[Int(label)] = true }
    let shown = (0..<256).filter { present[$0] }
    let names = (0..<256).map { $0 < classNames.count ? classNames[$0] : ($0 == LabelPalette.voidLabel ? "void" : "class \($0)") }
    let rowHeight = 16.0, margin = 8.0
    let columnWidth = TextMeasurer.measure { canvas in shown.map { canvas.measure("\($0) \(names[$0])", font: .regular(10)) }.max() ?? 0 } + 24
    let rowsPerColumn = max(1, Int((max(Double(overlay.height), rowHeight) - 2 * margin) / rowHeight))
    let columns = max(1, (shown.count + rowsPerColumn - 1) / rowsPerColumn)
    let width = Double(overlay.width) + 2 * margin + Double(columns) * columnWidth
    let height = max(Double(overlay.height), Double(min(shown.count, rowsPerColumn)) * rowHeight + 2 * margin)
    return Figure(width: width, height: height) { canvas in
        canvas.fill(Rect(x: 0, y: 0, width: width, height: height), .white)
        canvas.image(overlay, in: Rect(x: 0, y: 0, width: Double(overlay.width), height: Double(overlay.height)))
        canvas.labelLegend(labels: shown, names: names, palette: full, at: Point(Double(overlay.width) + margin, margin),
                           columns: columns, columnWidth: columnWidth, rowHeight: rowHeight)
    }
}

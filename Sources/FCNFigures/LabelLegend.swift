// LabelLegend.swift — the key to a label map: a colour swatch and a class name per label.
//
// Paper §5 (PASCAL VOC classes). Drawn beside every segmentation figure so that colours can
// be read back as classes.
import FCN

extension Canvas {
    /// Draws swatch-and-name rows for `labels`, filling `columns` columns top to bottom.
    ///
    /// - Parameters:
    ///   - labels: the labels to list, in order.
    ///   - names: the name of each label, indexed by label.
    ///   - palette: the colour of each label.
    ///   - origin: top-left corner of the legend.
    ///   - columns: how many columns the rows are spread over.
    ///   - columnWidth: the distance between columns, in points.
    ///   - rowHeight: the distance between rows, in points.
    ///   - font: the font of the names.
    /// - Returns: the legend's bounding rectangle.
    ///
    /// ```swift
    /// canvas.labelLegend(labels: Array(0...20), names: LabelPalette.pascalVOCClassNames, at: Point(10, 10))
    /// ```
    @discardableResult
    public func labelLegend(labels: [Int], names: [String], palette: [LabelColor] = LabelPalette.pascalVOCColors,
                            at origin: Point, columns: Int = 1, columnWidth: Double = 110, rowHeight: Double = 16,
                            font: Font = .regular(10)) -> Rect {
        let rows = (labels.count + columns - 1) / max(1, columns)
        for (i, label) in labels.enumerated() {
            let x = origin.x + Double(i / rows) * columnWidth
            let y = origin.y + Double(i % rows) * rowHeight
            let swatch = Rect(x: x, y: y + 2, width: rowHeight - 4, height: rowHeight - 4)
            fill(swatch, RGB(palette[label]))
            stroke(swatch, .grey, lineWidth: 0.5)
            let name = label < names.count ? names[label] : (label == LabelPalette.voidLabel ? "void" : "")
            text("\(label) \(name)", at: Point(swatch.maxX + 5, swatch.center.y), font: font, baseline: .middle)
        }
        return Rect(x: origin.x, y: origin.y, width: Double(min(columns, labels.count)) * columnWidth,
                    height: Double(rows) * rowHeight)
    }
}

// TableRenderer.swift — a table of text drawn as a figure: header, rule, aligned columns.
//
// Paper Tables 1–4 drawn from the numbers this library measured, in the book style: a rule
// above and below the header and one at the bottom, no vertical lines.

/// Rows and columns of text with a header; columns sized to their widest cell.
///
/// ```swift
/// let t = TableRenderer(header: ["net", "mean IU"], rows: [["FCN-32s", "59.4"], ["FCN-8s", "62.7"]],
///                       alignments: [.left, .right])
/// let figure = t.figure()
/// ```
public struct TableRenderer: Sendable {
    /// The column titles.
    public var header: [String]
    /// The cells, one array per row, as many as the header.
    public var rows: [[String]]
    /// The alignment of each column.
    public var alignments: [TextAlignment]
    /// A title above the table, if any.
    public var title: String?
    /// The font of the cells (the header is set in its bold weight).
    public var font: Font

    /// A table; by default the first column is left-aligned and the others right-aligned.
    public init(header: [String], rows: [[String]], alignments: [TextAlignment]? = nil, title: String? = nil,
                font: Font = .regular(10)) {
        precondition(rows.allSatisfy { $0.count == header.count }, "TableRenderer: every row needs \(header.count) cells")
        self.header = header; self.rows = rows; self.title = title; self.font = font
        self.alignments = alignments ?? [.left] + Array(repeating: .right, count: max(0, header.count - 1))
    }

    var rowHeight: Double { font.size + 8 }
    let padding = 10.0
    var titleHeight: Double { title == nil ? 0 : font.size + 12 }

    /// Column widths measured on `canvas` (text metrics need a Cairo context).
    func columnWidths(on canvas: Canvas) -> [Double] {
        header.indices.map { c in
            let cells = [canvas.measure(header[c], font: Font(family: font.family, size: font.size, bold: true))]
                + rows.map { canvas.measure($0[c], font: font) }
            return (cells.max() ?? 0) + 2 * padding
        }
    }

    /// The size the table needs, in points.
    public func size(on canvas: Canvas) -> (width: Double, height: Double) {
        (columnWidths(on: canvas).reduce(0, +), titleHeight + Double(rows.count + 1) * rowHeight + 8)
    }

    /// Draws the table with its top-left corner at `origin`.
    public func draw(on canvas: Canvas, at origin: Point) {
        let widths = columnWidths(on: canvas)
        let total = widths.reduce(0, +)
        var y = origin.y
        if let title {
            canvas.text(title, at: Point(origin.x, y + font.size), font: Font(family: font.family, size: font.size + 1, bold: true))
            y += titleHeight
        }
        func drawRow(_ cells: [String], top: Double, bold: Bool) {
            var x = origin.x
            for (c, cell) in cells.enumerated() {
                let anchor: Double = switch alignments[c] {
                case .left: x + padding
                case .center: x + widths[c] / 2
                case .right: x + widths[c] - padding
                }
                canvas.text(cell, at: Point(anchor, top + rowHeight / 2),
                            font: Font(family: font.family, size: font.size, bold: bold), align: alignments[c], baseline: .middle)
                x += widths[c]
            }
        }
        canvas.line(from: Point(origin.x, y), to: Point(origin.x + total, y), lineWidth: 1.2)
        drawRow(header, top: y, bold: true)
        y += rowHeight
        canvas.line(from: Point(origin.x, y), to: Point(origin.x + total, y), lineWidth: 0.7)
        for row in rows { drawRow(row, top: y + 2, bold: false); y += rowHeight }
        canvas.line(from: Point(origin.x, y + 4), to: Point(origin.x + total, y + 4), lineWidth: 1.2)
    }

    /// The table alone as a figure, sized to fit (measured with a scratch Cairo context).
    public func figure(margin: Double = 12) -> Figure {
        let s = TextMeasurer.measure { size(on: $0) }
        return Figure(width: s.width + 2 * margin, height: s.height + 2 * margin) { canvas in
            draw(on: canvas, at: Point(margin, margin))
        }
    }
}

// Shapes.swift — the diagram vocabulary: arrows, rounded boxes, layer blocks, dashed lines.
//
// No paper section: drawing infrastructure for architecture diagrams (paper Fig. 1–3: the
// net as a chain of blocks joined by arrows, each block named with its output shape).
import CCairo
import Foundation

extension Canvas {
    /// A straight arrow from `a` to `b` with a filled triangular head at `b`.
    ///
    /// - Parameters:
    ///   - a: the tail.
    ///   - b: the tip.
    ///   - color: the colour of shaft and head.
    ///   - lineWidth: the shaft's width, in points.
    ///   - headLength: the length of the head along the shaft, in points; its half-width is 0.45×.
    ///   - dash: the shaft's dash pattern in points (empty: solid).
    public func arrow(from a: Point, to b: Point, color: RGB = .ink, lineWidth: Double = 1.2,
                      headLength: Double = 8, dash: [Double] = []) {
        let dx = b.x - a.x, dy = b.y - a.y
        let length = (dx * dx + dy * dy).squareRoot()
        guard length > 0 else { return }
        let ux = dx / length, uy = dy / length           // unit vector along the shaft
        let head = min(headLength, length)
        let base = Point(b.x - ux * head, b.y - uy * head)  // the shaft stops where the head begins
        line(from: a, to: base, color: color, lineWidth: lineWidth, dash: dash)
        let half = 0.45 * head
        fillPolygon([b, Point(base.x - uy * half, base.y + ux * half), Point(base.x + uy * half, base.y - ux * half)], color)
    }

    /// Adds a rectangle with corners rounded by `radius` to the current path.
    func addRoundedRect(_ r: Rect, radius: Double) {
        let k = max(0, min(radius, r.width / 2, r.height / 2))
        cairo_new_sub_path(context)
        cairo_arc(context, r.maxX - k, r.minY + k, k, -Double.pi / 2, 0)
        cairo_arc(context, r.maxX - k, r.maxY - k, k, 0, Double.pi / 2)
        cairo_arc(context, r.minX + k, r.maxY - k, k, Double.pi / 2, Double.pi)
        cairo_arc(context, r.minX + k, r.minY + k, k, Double.pi, 3 * Double.pi / 2)
        cairo_close_path(context)
    }

    /// A rounded box, filled and outlined.
    public func roundedBox(_ rect: Rect, radius: Double = 6, fill: RGB = .white, stroke: RGB = .ink,
                           lineWidth: Double = 1, dash: [Double] = []) {
        cairo_new_path(context)
        addRoundedRect(rect, radius: radius)
        setColor(fill)
        cairo_fill_preserve(context)   // keep the path for the outline
        setColor(stroke)
        setLine(width: lineWidth, dash: dash)
        cairo_stroke(context)
    }

    /// A layer block: a rounded box with the layer's name on top and its output shape below,
    /// e.g. "conv1_1" over "64×500×500" (C×H×W).
    ///
    /// ```swift
    /// canvas.layerBox(Rect(x: 10, y: 10, width: 90, height: 40), name: "conv1_1", shape: [64, 500, 500])
    /// ```
    public func layerBox(_ rect: Rect, name: String, shape: [Int], fill: RGB = RGB(0.93, 0.95, 0.98),
                         font: Font = .bold(10)) {
        roundedBox(rect, fill: fill)
        let c = rect.center
        let dimensions = shape.map(String.init).joined(separator: "×")
        text(name, at: Point(c.x, c.y - 2), font: font, align: .center, baseline: .bottom)
        text(dimensions, at: Point(c.x, c.y + 2), font: .regular(font.size - 1), color: .grey,
             align: .center, baseline: .top)
    }

    /// A dimension line: a thin double-headed arrow from `a` to `b` with `label` beside its middle,
    /// as on engineering drawings ("8 = 2·(3−1)+4").
    public func dimension(from a: Point, to b: Point, label: String, font: Font = .regular(10),
                          offset: Point = Point(0, -4), color: RGB = .grey) {
        let mid = Point((a.x + b.x) / 2, (a.y + b.y) / 2)
        arrow(from: mid, to: a, color: color, lineWidth: 0.8, headLength: 5)
        arrow(from: mid, to: b, color: color, lineWidth: 0.8, headLength: 5)
        text(label, at: Point(mid.x + offset.x, mid.y + offset.y), font: font, color: color,
             align: .center, baseline: offset.y < 0 ? .bottom : .top)
    }

    /// A dashed line segment (shorthand for `line(…, dash: [on, off])`).
    public func dashedLine(from a: Point, to b: Point, color: RGB = .grey, lineWidth: Double = 1,
                           on: Double = 4, off: Double = 3) {
        line(from: a, to: b, color: color, lineWidth: lineWidth, dash: [on, off])
    }
}

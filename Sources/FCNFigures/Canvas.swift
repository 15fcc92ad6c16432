// Canvas.swift — a Cairo drawing context with a small, readable vocabulary.
//
// No paper section: drawing infrastructure for every figure. A `Canvas` is handed to a
// figure's drawing closure by `Figure.write(to:)`, which chose the Cairo surface (PNG image,
// PDF or SVG) from the file name; the closure never knows which, so one drawing serves all
// three formats. Coordinates are in points with (0, 0) top-left; for PNG the whole drawing is
// scaled by the pixel density.
//
// The raw `cairo_t` is available as `context` for anything this vocabulary lacks.
import CCairo

/// A drawing surface of `width × height` points. Text, images and shapes are extensions in
/// `Canvas+Text.swift`, `Canvas+Image.swift` and `Shapes.swift`.
///
/// ```swift
/// let figure = Figure(width: 200, height: 100) { canvas in
///     canvas.fill(Rect(x: 10, y: 10, width: 80, height: 40), RGB.series[0])
///     canvas.line(from: Point(10, 70), to: Point(190, 70), color: .ink, dash: [4, 2])
/// }
/// ```
public final class Canvas {
    /// The drawable size in points.
    public let width: Double, height: Double
    /// The underlying Cairo context (`cairo_t *`), owned by `Figure.write(to:)`.
    public let context: OpaquePointer

    init(context: OpaquePointer, width: Double, height: Double) {
        self.context = context
        self.width = width
        self.height = height
        // Unhinted metrics: text widths then do not depend on the surface or the PNG scale,
        // so a size measured on a scratch surface (TextMeasurer) holds for every format.
        let options = cairo_font_options_create()
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_set_font_options(context, options)
        cairo_font_options_destroy(options)
    }

    /// The whole canvas as a rectangle.
    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// Runs `body` and then restores colour, line style, transform and clip.
    public func withSavedState(_ body: () -> Void) {
        cairo_save(context)
        body()
        cairo_restore(context)
    }

    /// Moves the origin; use inside `withSavedState` to draw a part in its own coordinates.
    public func translate(_ dx: Double, _ dy: Double) { cairo_translate(context, dx, dy) }

    /// Restricts drawing to `rect` until the enclosing `withSavedState` ends.
    public func clip(to rect: Rect) {
        cairo_rectangle(context, rect.x, rect.y, rect.width, rect.height)
        cairo_clip(context)
    }

    /// Sets the colour of the next fill, stroke or text.
    public func setColor(_ color: RGB, alpha: Double = 1) {
        cairo_set_source_rgba(context, color.red, color.green, color.blue, alpha)
    }

    /// Sets the line width and dash pattern (`[]` for solid; `[on, off, …]` in points).
    public func setLine(width: Double, dash: [Double] = []) {
        cairo_set_line_width(context, width)
        dash.withUnsafeBufferPointer { cairo_set_dash(context, $0.baseAddress, Int32(dash.count), 0) }
    }

    /// Fills `rect` with `color`.
    public func fill(_ rect: Rect, _ color: RGB, alpha: Double = 1) {
        setColor(color, alpha: alpha)
        cairo_rectangle(context, rect.x, rect.y, rect.width, rect.height)
        cairo_fill(context)
    }

    /// Outlines `rect`.
    public func stroke(_ rect: Rect, _ color: RGB = .ink, lineWidth: Double = 1, dash: [Double] = []) {
        setColor(color)
        setLine(width: lineWidth, dash: dash)
        cairo_rectangle(context, rect.x, rect.y, rect.width, rect.height)
        cairo_stroke(context)
    }

    /// A straight line segment.
    public func line(from a: Point, to b: Point, color: RGB = .ink, lineWidth: Double = 1, dash: [Double] = []) {
        polyline([a, b], color: color, lineWidth: lineWidth, dash: dash)
    }

    /// Joined line segments through `points` (nothing if fewer than two).
    public func polyline(_ points: [Point], color: RGB = .ink, lineWidth: Double = 1, dash: [Double] = []) {
        guard points.count >= 2 else { return }
        addPath(points, closed: false)
        setColor(color)
        setLine(width: lineWidth, dash: dash)
        cairo_set_line_join(context, CAIRO_LINE_JOIN_ROUND)
        cairo_stroke(context)
    }

    /// Fills the polygon through `points`.
    public func fillPolygon(_ points: [Point], _ color: RGB, alpha: Double = 1) {
        guard points.count >= 3 else { return }
        addPath(points, closed: true)
        setColor(color, alpha: alpha)
        cairo_fill(context)
    }

    /// Fills a disc.
    public func fillCircle(center: Point, radius: Double, _ color: RGB) {
        cairo_new_sub_path(context)
        cairo_arc(context, center.x, center.y, radius, 0, 2 * Double.pi)
        setColor(color)
        cairo_fill(context)
    }

    /// Starts a new path through `points`.
    func addPath(_ points: [Point], closed: Bool) {
        cairo_new_path(context)
        cairo_move_to(context, points[0].x, points[0].y)
        for p in points.dropFirst() { cairo_line_to(context, p.x, p.y) }
        if closed { cairo_close_path(context) }
    }
}

// TextMeasurer.swift — a scratch Cairo context for sizing a figure before drawing it.
//
// No paper section: drawing infrastructure. Text widths depend on the font, so a figure whose
// size follows its text (a table, a legend) measures on a tiny image surface first. Toy-API
// text metrics do not depend on the surface type, so the size holds for PNG, PDF and SVG.
import CCairo
import Foundation

enum TextMeasurer {
    /// Runs `body` with a canvas on a 1×1 scratch surface and returns its result.
    static func measure<T>(_ body: (Canvas) -> T) -> T {
        Figure.cairoLock.lock()                     // as Figure.render: one Cairo text user at a time
        defer { Figure.cairoLock.unlock() }
        let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1)!
        let context = cairo_create(surface)!
        defer { cairo_destroy(context); cairo_surface_destroy(surface) }
        return body(Canvas(context: context, width: 1, height: 1))
    }
}

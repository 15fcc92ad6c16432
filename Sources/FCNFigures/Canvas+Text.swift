// Canvas+Text.swift — text in a real font (DejaVu Sans), aligned and measured.
//
// No paper section: drawing infrastructure. Uses Cairo's "toy" text API, which is enough for
// labels: one font face per call, no shaping beyond what the font gives. DejaVu Sans (Debian's
// fonts-dejavu-core) covers the × and − and Greek letters the figures use.
import CCairo

/// A font choice for labels: family, size in points, weight.
public struct Font: Hashable, Sendable {
    /// The font family, as fontconfig names it.
    public var family: String
    /// The size in points.
    public var size: Double
    /// Whether the bold weight is used.
    public var bold: Bool
    /// A font; the default family, DejaVu Sans, is installed with the system dependencies.
    public init(family: String = "DejaVu Sans", size: Double, bold: Bool = false) {
        self.family = family; self.size = size; self.bold = bold
    }
    /// Body text for labels.
    public static func regular(_ size: Double = 11) -> Font { Font(size: size) }
    /// Titles and emphasised labels.
    public static func bold(_ size: Double = 12) -> Font { Font(size: size, bold: true) }
    /// Numbers in grids and tables that should line up.
    public static func mono(_ size: Double = 10) -> Font { Font(family: "DejaVu Sans Mono", size: size) }
}

/// Where the anchor point sits horizontally on the text.
public enum TextAlignment: Sendable {
    /// The anchor is at the text's left end, its middle, or its right end.
    case left, center, right
}

/// Where the anchor point sits vertically on the text: on the baseline, at half the capital
/// height (visually centred for labels), at the top of capitals, or at the descender line.
public enum TextBaseline: Sendable {
    /// The anchor is on the baseline, at half the capital height, at the top of capitals, or
    /// on the descender line.
    case baseline, middle, top, bottom
}

extension Canvas {
    /// Selects `font` for the next text call.
    func select(_ font: Font) {
        cairo_select_font_face(context, font.family, CAIRO_FONT_SLANT_NORMAL,
                               font.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(context, font.size)
    }

    /// The advance width of `text` in `font`, in points.
    public func measure(_ text: String, font: Font = .regular()) -> Double {
        select(font)
        var extents = cairo_text_extents_t()
        cairo_text_extents(context, text, &extents)
        return extents.x_advance
    }

    /// The height of a capital letter in `font` (about 0.73 em for DejaVu Sans).
    public func capitalHeight(_ font: Font) -> Double {
        select(font)
        var extents = cairo_text_extents_t()
        cairo_text_extents(context, "H", &extents)
        return -extents.y_bearing
    }

    /// Draws `text` anchored at `point`.
    ///
    /// - Parameters:
    ///   - text: the text, one line.
    ///   - point: the anchor, in points.
    ///   - font: the font.
    ///   - color: the text colour.
    ///   - align: which end (or the middle) of the text lies at `point.x`.
    ///   - baseline: which horizontal line of the text lies at `point.y`.
    ///   - angle: rotation in radians about `point`, counter-clockwise (−π/2 reads bottom-up,
    ///     as on a y-axis label).
    ///
    /// ```swift
    /// canvas.text("conv1", at: box.center, align: .center, baseline: .middle)
    /// ```
    public func text(_ text: String, at point: Point, font: Font = .regular(), color: RGB = .ink,
                     align: TextAlignment = .left, baseline: TextBaseline = .baseline, angle: Double = 0) {
        let width = measure(text, font: font)   // also selects the font
        let dx: Double = switch align {
        case .left: 0
        case .center: -width / 2
        case .right: -width
        }
        var fontExtents = cairo_font_extents_t()
        cairo_font_extents(context, &fontExtents)
        let capital = capitalHeight(font)
        let dy: Double = switch baseline {
        case .baseline: 0
        case .middle: capital / 2
        case .top: capital
        case .bottom: -fontExtents.descent
        }
        withSavedState {
            cairo_translate(context, point.x, point.y)
            cairo_rotate(context, -angle)
            setColor(color)
            cairo_move_to(context, dx, dy)
            cairo_show_text(context, text)
        }
    }
}

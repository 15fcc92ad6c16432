// SceneObject.swift — one shape in a synthetic scene, and how Cairo draws it.
//
// A shape is a class, a centre, a radius and a rotation; its appearance (colour and texture)
// is random and independent of the class. `ScenePainter` wraps a Cairo image surface.
import FCN
import FCNCore
import CCairo
import Foundation

struct SceneObject: Sendable {
    var shape: ShapeClass
    var center: (x: Double, y: Double)
    var radius: Double
    var rotation: Double
    /// The shape's own proportion, as a fraction of the radius: a ring's hole, a star's inner
    /// corners, a cross's half-arm (`nil`: the classic 0.55, 0.45, 0.32). People draw these
    /// differently; a net should know a ring by its hole, not by one hole size.
    var proportion: Double? = nil

    static func randomProportion(_ shape: ShapeClass, using rng: inout SeededRandom) -> Double? {
        switch shape {
        case .ring: Double.random(in: 0.42...0.68, using: &rng)
        case .star: Double.random(in: 0.36...0.54, using: &rng)
        case .cross: Double.random(in: 0.24...0.4, using: &rng)
        default: nil
        }
    }

    static func randomShape(using rng: inout SeededRandom) -> ShapeClass {
        ShapeClass(rawValue: Int.random(in: 1..<ShapeClass.count, using: &rng))!
    }

    static func random(in width: Int, _ height: Int, radiusFraction: ClosedRange<Double>, logUniform: Bool,
                       using rng: inout SeededRandom) -> SceneObject {
        let shorter = Double(min(width, height))
        // Uniform in log scale (varied): a net sees as many objects of 6–12 px as of 29–58 px.
        let fraction = logUniform && radiusFraction.lowerBound > 0
            ? exp(Double.random(in: log(radiusFraction.lowerBound)...log(radiusFraction.upperBound), using: &rng))
            : Double.random(in: radiusFraction, using: &rng)
        let radius = shorter * fraction
        return SceneObject(
            shape: randomShape(using: &rng),
            // Centres keep most of the shape inside the image; edges may still cut a little off.
            center: (Double.random(in: (radius * 0.4)...(Double(width) - radius * 0.4), using: &rng),
                     Double.random(in: (radius * 0.4)...(Double(height) - radius * 0.4), using: &rng)),
            radius: radius,
            rotation: Double.random(in: 0..<(2 * .pi), using: &rng))
    }

    /// Adds the shape's outline to the current Cairo path (in image coordinates).
    func tracePath(_ cr: OpaquePointer) {
        cairo_save(cr)
        cairo_translate(cr, center.x, center.y)
        cairo_rotate(cr, rotation)
        let r = radius
        switch shape {
        case .background:
            break
        case .disc:
            cairo_arc(cr, 0, 0, r, 0, 2 * .pi)
        case .ring:
            // Outer circle clockwise, inner circle counter-clockwise: with the nonzero fill
            // rule the hole stays empty (the background shows through it).
            cairo_arc(cr, 0, 0, r, 0, 2 * .pi)
            cairo_new_sub_path(cr)
            cairo_arc_negative(cr, 0, 0, r * (proportion ?? 0.55), 2 * .pi, 0)
        case .square:
            let s = r * 0.8
            cairo_rectangle(cr, -s, -s, 2 * s, 2 * s)
        case .triangle:
            polygon(cr, points: (0..<3).map { k in angle(k, of: 3, radius: r) })
        case .star:
            polygon(cr, points: (0..<10).map { k in angle(k, of: 10, radius: k % 2 == 0 ? r : r * (proportion ?? 0.45)) })
        case .cross:
            let a = r, b = r * (proportion ?? 0.32)
            polygon(cr, points: [(-b, -a), (b, -a), (b, -b), (a, -b), (a, b), (b, b), (b, a), (-b, a), (-b, b), (-a, b), (-a, -b), (-b, -b)])
        }
        cairo_restore(cr)
    }

    private func angle(_ k: Int, of n: Int, radius: Double) -> (Double, Double) {
        let t = -Double.pi / 2 + 2 * Double.pi * Double(k) / Double(n)
        return (radius * cos(t), radius * sin(t))
    }

    private func polygon(_ cr: OpaquePointer, points: [(Double, Double)]) {
        cairo_move_to(cr, points[0].0, points[0].1)
        for p in points.dropFirst() { cairo_line_to(cr, p.0, p.1) }
        cairo_close_path(cr)
    }
}

/// A Cairo ARGB32 image surface used to paint scenes and label maps.
final class ScenePainter {
    let width: Int, height: Int
    private let surface: OpaquePointer
    private let cr: OpaquePointer

    init(width: Int, height: Int) {
        self.width = width; self.height = height
        surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(width), Int32(height))
        cr = cairo_create(surface)
        cairo_set_source_rgb(cr, 0, 0, 0)
        cairo_paint(cr)
    }

    deinit {
        cairo_destroy(cr)
        cairo_surface_destroy(surface)
    }

    /// How one scene is drawn: its background, its shapes' fills and outlines, and noise.
    struct Style: Sendable {
        enum Background: CaseIterable, Sendable { case cluttered, plain, gradient, pattern, noisy }
        var background: Background
        /// Which fills the shapes may get: 0 flat, 1 stripes, 2 dots, 3 checks.
        var fills: ClosedRange<Int>
        /// The chance that a shape gets an outline, and its width range.
        var outlineChance: Double
        var outlineWidth: ClosedRange<Double>
        /// Per-pixel Gaussian noise (σ in units of 255), on the background only or everywhere.
        var noise: Double
        var noiseOnBackgroundOnly: Bool

        /// The course's first world: cluttered gradients, flat/striped/dotted shapes, 1 px outlines.
        static let classic = Style(background: .cluttered, fills: 0...2, outlineChance: 1, outlineWidth: 1...1, noise: 0,
                                   noiseOnBackgroundOnly: false)

        static func random(using rng: inout SeededRandom) -> Style {
            let background = Background.allCases.randomElement(using: &rng)!
            let outline = Double.random(in: 0..<1, using: &rng) < 0.5
            var noise = 0.0, backgroundOnly = false
            if background == .noisy {
                noise = Double.random(in: 0.06...0.25, using: &rng); backgroundOnly = true
            } else if Double.random(in: 0..<1, using: &rng) < 0.2 {
                noise = Double.random(in: 0.02...0.1, using: &rng)                 // sensor noise, everywhere
            }
            return Style(background: background, fills: 0...3, outlineChance: outline ? 1 : 0,
                         outlineWidth: 1...3, noise: noise, noiseOnBackgroundOnly: backgroundOnly)
        }
    }

    /// Paints the background and returns its main colours (for keeping shapes visible on it).
    func drawBackground(_ kind: Style.Background, using rng: inout SeededRandom) -> [(Double, Double, Double)] {
        let w = Double(width), h = Double(height)
        if kind == .cluttered { return drawClutteredBackground(using: &rng) }
        let a = randomColor(using: &rng), b = randomColor(using: &rng)
        switch kind {
        case .cluttered:
            fatalError("drawn above")
        case .plain, .noisy:
            cairo_set_source_rgb(cr, a.0, a.1, a.2)
            cairo_paint(cr)
            return [a]
        case .gradient:
            let gradient: OpaquePointer
            if Bool.random(using: &rng) {
                let t = Double.random(in: 0..<(2 * .pi), using: &rng), l = max(w, h)
                gradient = cairo_pattern_create_linear(w / 2 - l / 2 * cos(t), h / 2 - l / 2 * sin(t), w / 2 + l / 2 * cos(t), h / 2 + l / 2 * sin(t))
            } else {
                gradient = cairo_pattern_create_radial(.random(in: 0...w, using: &rng), .random(in: 0...h, using: &rng), 0,
                                                       .random(in: 0...w, using: &rng), .random(in: 0...h, using: &rng), max(w, h) * .random(in: 0.5...1.5, using: &rng))
            }
            cairo_pattern_add_color_stop_rgb(gradient, 0, a.0, a.1, a.2)
            cairo_pattern_add_color_stop_rgb(gradient, 1, b.0, b.1, b.2)
            cairo_set_source(cr, gradient)
            cairo_paint(cr)
            cairo_pattern_destroy(gradient)
            return [a, b]
        case .pattern:
            cairo_set_source_rgb(cr, a.0, a.1, a.2)
            cairo_paint(cr)
            cairo_save(cr)
            cairo_translate(cr, w / 2, h / 2)
            cairo_rotate(cr, Double.random(in: 0..<Double.pi, using: &rng))
            cairo_set_source_rgb(cr, b.0, b.1, b.2)
            let step = Double.random(in: 4...24, using: &rng), l = w + h
            fillPattern(Int.random(in: 1...3, using: &rng), step: step, extent: l)
            cairo_restore(cr)
            return [a, b]
        }
    }

    /// A vertical or horizontal gradient between two random colours, crossed by random curves
    /// and specks in other random colours: enough clutter that "not uniform" ≠ "object".
    /// (The classic world's background: its random draws are in the order of the course's first
    /// scenes, so classic scenes are the same pixels as before the varied world existed.)
    private func drawClutteredBackground(using rng: inout SeededRandom) -> [(Double, Double, Double)] {
        let horizontal = Bool.random(using: &rng)
        let gradient = horizontal
            ? cairo_pattern_create_linear(0, 0, Double(width), 0)
            : cairo_pattern_create_linear(0, 0, 0, Double(height))
        let a = randomColor(using: &rng), b = randomColor(using: &rng)
        cairo_pattern_add_color_stop_rgb(gradient, 0, a.0, a.1, a.2)
        cairo_pattern_add_color_stop_rgb(gradient, 1, b.0, b.1, b.2)
        cairo_set_source(cr, gradient)
        cairo_paint(cr)
        cairo_pattern_destroy(gradient)

        let w = Double(width), h = Double(height)
        for _ in 0..<Int.random(in: 3...8, using: &rng) {
            let c = randomColor(using: &rng)
            cairo_set_source_rgba(cr, c.0, c.1, c.2, 0.6)
            cairo_set_line_width(cr, Double.random(in: 1...3, using: &rng))
            cairo_move_to(cr, .random(in: 0...w, using: &rng), .random(in: 0...h, using: &rng))
            cairo_curve_to(cr, .random(in: 0...w, using: &rng), .random(in: 0...h, using: &rng),
                           .random(in: 0...w, using: &rng), .random(in: 0...h, using: &rng),
                           .random(in: 0...w, using: &rng), .random(in: 0...h, using: &rng))
            cairo_stroke(cr)
        }
        for _ in 0..<Int.random(in: 10...40, using: &rng) {
            let c = randomColor(using: &rng)
            cairo_set_source_rgba(cr, c.0, c.1, c.2, 0.5)
            cairo_arc(cr, .random(in: 0...w, using: &rng), .random(in: 0...h, using: &rng),
                      .random(in: 0.5...2, using: &rng), 0, 2 * .pi)
            cairo_fill(cr)
        }
        return [a, b]
    }

    /// Fills the square [-extent, extent]² (around the current origin) with stripes (1), dots (2)
    /// or checks (3) of the current source colour, `step` pixels apart.
    private func fillPattern(_ kind: Int, step: Double, extent r: Double) {
        var t = -r
        while t <= r {
            switch kind {
            case 1: cairo_rectangle(cr, t, -r, step / 2, 2 * r)
            case 2:
                var u = -r
                while u <= r { cairo_new_sub_path(cr); cairo_arc(cr, t, u, step / 4, 0, 2 * .pi); u += step }
            default:
                var u = -r, odd = Int((t + r) / step) % 2
                while u <= r { if odd == 0 { cairo_rectangle(cr, t, u, step, step) }; odd ^= 1; u += step }
            }
            t += step
        }
        cairo_fill(cr)
    }

    /// Fills the object with a random colour (clearly unlike `backdrop`'s colours when it is one
    /// colour) and a texture of `style`, then outlines it when the style says so.
    func draw(_ object: SceneObject, style: Style, avoiding backdrop: [(Double, Double, Double)], using rng: inout SeededRandom) {
        var fill = randomColor(using: &rng)
        if backdrop.count == 1 {
            // On a one-colour background a shape of nearly that colour cannot be seen at all.
            var tries = 0
            while Self.distance(fill, backdrop[0]) < 0.3 && tries < 20 { fill = randomColor(using: &rng); tries += 1 }
        }
        object.tracePath(cr)
        cairo_set_source_rgb(cr, fill.0, fill.1, fill.2)
        cairo_fill_preserve(cr)
        let texture = Int.random(in: style.fills.lowerBound..<(style.fills.upperBound + 1), using: &rng)
        if texture > 0 {
            // Texture inside the shape only: clip to its path, then draw stripes, dots or checks.
            // `cairo_clip` consumes the path, so the pattern is filled on its own (with the
            // path preserved it would be filled together with the shape: a solid object).
            cairo_save(cr)
            cairo_clip(cr)
            let other = randomColor(using: &rng)
            cairo_set_source_rgb(cr, other.0, other.1, other.2)
            cairo_translate(cr, object.center.x, object.center.y)
            cairo_rotate(cr, Double.random(in: 0..<Double.pi, using: &rng))
            fillPattern(texture, step: max(3, object.radius / 3), extent: object.radius)
            cairo_restore(cr)
        }
        cairo_new_path(cr)
        // (Classic scenes always have a 1 px outline and draw no number for it.)
        let outlined = style.outlineChance >= 1 || Double.random(in: 0..<1, using: &rng) < style.outlineChance
        if outlined {
            let edge = randomColor(using: &rng)
            object.tracePath(cr)                // the outline again: filling and clipping used it up
            cairo_set_source_rgb(cr, edge.0, edge.1, edge.2)
            let width = style.outlineWidth.lowerBound == style.outlineWidth.upperBound
                ? style.outlineWidth.lowerBound : Double.random(in: style.outlineWidth, using: &rng)
            cairo_set_line_width(cr, width)
            cairo_stroke(cr)
        }
    }

    /// Adds Gaussian noise of σ = `amount`·255 to every pixel, or to the background's only
    /// (label 0 in `labels`, the label map before the void band).
    static func addNoise(_ rgb: inout [UInt8], amount: Double, backgroundOnly: Bool, labels: [UInt8], using rng: inout SeededRandom) {
        for i in 0..<labels.count where !backgroundOnly || labels[i] == 0 {
            for c in 0..<3 {
                let v = Double(rgb[3 * i + c]) + 255 * amount * Double(rng.nextNormal())
                rgb[3 * i + c] = UInt8(max(0, min(255, v.rounded())))
            }
        }
    }

    static func distance(_ a: (Double, Double, Double), _ b: (Double, Double, Double)) -> Double {
        ((a.0 - b.0) * (a.0 - b.0) + (a.1 - b.1) * (a.1 - b.1) + (a.2 - b.2) * (a.2 - b.2)).squareRoot()
    }

    /// Fills the object's outline with its class value in the red channel, without antialiasing,
    /// so every pixel is exactly one class. (Cairo converts k/255 back to the byte k exactly.)
    func fillLabel(_ object: SceneObject) {
        cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE)
        object.tracePath(cr)
        cairo_set_source_rgb(cr, Double(object.shape.rawValue) / 255, 0, 0)
        cairo_fill(cr)
    }

    /// The surface as interleaved RGB bytes (Cairo stores 0xXXRRGGBB native-endian words).
    func rgbBytes() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: width * height * 3)
        forEachPixel { i, word in
            out[3 * i] = UInt8((word >> 16) & 0xFF)
            out[3 * i + 1] = UInt8((word >> 8) & 0xFF)
            out[3 * i + 2] = UInt8(word & 0xFF)
        }
        return out
    }

    /// The red channel only (where `fillLabel` wrote class values).
    func redChannel() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: width * height)
        forEachPixel { i, word in out[i] = UInt8((word >> 16) & 0xFF) }
        return out
    }

    private func forEachPixel(_ body: (Int, UInt32) -> Void) {
        cairo_surface_flush(surface)
        let stride = Int(cairo_image_surface_get_stride(surface))
        guard let data = cairo_image_surface_get_data(surface) else { return }
        for y in 0..<height {
            let row = UnsafeRawPointer(data + y * stride).assumingMemoryBound(to: UInt32.self)
            for x in 0..<width { body(y * width + x, row[x]) }
        }
    }

    private func randomColor(using rng: inout SeededRandom) -> (Double, Double, Double) {
        (Double(rng.nextFloat()), Double(rng.nextFloat()), Double(rng.nextFloat()))
    }
}

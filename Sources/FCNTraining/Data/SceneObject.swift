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

    static func randomShape(using rng: inout SeededRandom) -> ShapeClass {
        ShapeClass(rawValue: Int.random(in: 1..<ShapeClass.count, using: &rng))!
    }

    static func random(in width: Int, _ height: Int, radiusFraction: ClosedRange<Double>, using rng: inout SeededRandom) -> SceneObject {
        let shorter = Double(min(width, height))
        let radius = shorter * Double.random(in: radiusFraction, using: &rng)
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
            cairo_arc_negative(cr, 0, 0, r * 0.55, 2 * .pi, 0)
        case .square:
            let s = r * 0.8
            cairo_rectangle(cr, -s, -s, 2 * s, 2 * s)
        case .triangle:
            polygon(cr, points: (0..<3).map { k in angle(k, of: 3, radius: r) })
        case .star:
            polygon(cr, points: (0..<10).map { k in angle(k, of: 10, radius: k % 2 == 0 ? r : r * 0.45) })
        case .cross:
            let a = r, b = r * 0.32
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

    /// A vertical or horizontal gradient between two random colours, crossed by random curves
    /// and specks in other random colours: enough clutter that "not uniform" ≠ "object".
    func drawClutteredBackground(using rng: inout SeededRandom) {
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
    }

    /// Fills the object with a random colour and one of three textures, then outlines it.
    func draw(_ object: SceneObject, using rng: inout SeededRandom) {
        let fill = randomColor(using: &rng)
        object.tracePath(cr)
        cairo_set_source_rgb(cr, fill.0, fill.1, fill.2)
        cairo_fill_preserve(cr)
        let texture = Int.random(in: 0..<3, using: &rng)
        if texture > 0 {
            // Texture inside the shape only: clip to its path, then draw stripes or dots.
            // `cairo_clip` consumes the path, so the stripes are filled on their own (with the
            // path preserved they would be filled together with the shape: a solid object).
            cairo_save(cr)
            cairo_clip(cr)
            let other = randomColor(using: &rng)
            cairo_set_source_rgb(cr, other.0, other.1, other.2)
            let r = object.radius, step = max(3, r / 3)
            cairo_translate(cr, object.center.x, object.center.y)
            cairo_rotate(cr, Double.random(in: 0..<Double.pi, using: &rng))
            var t = -r
            while t <= r {
                if texture == 1 {
                    cairo_rectangle(cr, t, -r, step / 2, 2 * r)
                } else {
                    var u = -r
                    while u <= r { cairo_new_sub_path(cr); cairo_arc(cr, t, u, step / 4, 0, 2 * .pi); u += step }
                }
                t += step
            }
            cairo_fill(cr)
            cairo_restore(cr)
        }
        let edge = randomColor(using: &rng)
        cairo_new_path(cr)
        object.tracePath(cr)                // the outline again: filling and clipping used it up
        cairo_set_source_rgb(cr, edge.0, edge.1, edge.2)
        cairo_set_line_width(cr, 1)
        cairo_stroke(cr)
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

// IndependentScenes.swift — a second, independent drawing of the shapes world, for testing
// whether a model learned the *shapes* or only the way `SceneGenerator` draws them.
//
// A model scored only on scenes from its own generator can be right for the wrong reasons: it
// may have learned Cairo's one-pixel outline, the radius range, the three textures or the image
// size. The paper measures generalisation on images it never trained on (CVPR 2015 §5, PASCAL
// VOC 2011 val; PAMI 2016 §5 adds NYUDv2, SIFT Flow, PASCAL-Context). Here the held-out world is
// drawn by different code, with no shared line:
//
// - its own rasteriser: every pixel is 4×4 sub-samples tested against the shape's geometry
//   (no Cairo, no outline stroke), so edges are antialiased differently;
// - its own proportions: ring holes, star depths and cross arms vary around `SceneObject`'s,
//   as a person drawing them by hand would;
// - backgrounds plain, linear or radial gradients, textured (checks, waves) or noisy, and
//   shapes flat or textured (checks, stripes, noise) — the four cases a user tries first;
// - any image size and aspect ratio, object radii from 8 px to 100 px set in *pixels*, not as
//   a fraction of the image, because a convolutional net's filters see pixels.
//
// Labels follow VOC's convention (and the training world's): the class of the pixel's centre,
// and a one-pixel void band (255) where classes meet, which the metrics ignore.

import FCN
import FCNCore
import Foundation

/// Scenes of the shapes world drawn by code independent of ``SceneGenerator``, for held-out tests.
///
/// ```swift
/// let world = IndependentScenes(seed: 7)
/// let setting = IndependentScenes.Setting(width: 256, height: 256, radius: 16...40)
/// let scene = world.scene(3, setting)        // same pixels on every machine
/// ```
public struct IndependentScenes: Sendable {
    /// What fills the image behind the objects.
    public enum Background: String, CaseIterable, Sendable, Codable {
        /// One colour.
        case plain
        /// A linear or radial blend of two colours.
        case gradient
        /// Checks or waves of two colours, at a random scale and angle.
        case textured
        /// One colour with strong per-pixel noise.
        case noisy
    }

    /// How an object is painted.
    public enum Fill: String, CaseIterable, Sendable, Codable {
        /// One colour.
        case flat
        /// Checks, stripes or noise of two colours.
        case textured
    }

    /// The size of the images and of the objects in them.
    public struct Setting: Sendable, Hashable, Codable {
        /// Image width in pixels.
        public var width: Int
        /// Image height in pixels.
        public var height: Int
        /// Object radii in pixels (the circumscribed circle; a disc's radius).
        public var radius: ClosedRange<Double>
        /// Objects per scene.
        public var objectCount: ClosedRange<Int>
        /// A setting; radii larger than a third of the shorter side are clamped to it.
        public init(width: Int, height: Int, radius: ClosedRange<Double>, objectCount: ClosedRange<Int> = 1...4) {
            self.width = width; self.height = height
            let cap = max(radius.lowerBound, Double(min(width, height)) / 3)
            self.radius = radius.lowerBound...min(radius.upperBound, cap)
            self.objectCount = objectCount
        }
        // Codable by hand: ClosedRange<Double> encodes as [lower, upper].
        enum CodingKeys: String, CodingKey { case width, height, radius, objectCount }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let r = try c.decode([Double].self, forKey: .radius), n = try c.decode([Int].self, forKey: .objectCount)
            self.init(width: try c.decode(Int.self, forKey: .width), height: try c.decode(Int.self, forKey: .height),
                      radius: r[0]...r[1], objectCount: n[0]...n[1])
        }
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(width, forKey: .width); try c.encode(height, forKey: .height)
            try c.encode([radius.lowerBound, radius.upperBound], forKey: .radius)
            try c.encode([objectCount.lowerBound, objectCount.upperBound], forKey: .objectCount)
        }
    }

    /// The seed every scene derives from.
    public var seed: UInt64

    /// A held-out world from `seed` (any seed: this world shares nothing with the training one).
    public init(seed: UInt64) { self.seed = seed }

    /// The background and fill scene `index` uses: every combination in turn, so any 8
    /// consecutive scenes cover all of them.
    public static func style(_ index: Int) -> (background: Background, fill: Fill) {
        let b = Background.allCases, f = Fill.allCases
        return (b[index % b.count], f[(index / b.count) % f.count])
    }

    /// Scene `index` of `setting`: a pure function of (seed, setting, index).
    public func scene(_ index: Int, _ setting: Setting) -> LabeledScene {
        var rng = SeededRandom(seed: seed &* 0xD1B5_4A32_D192_ED03 ^ UInt64(index) &* 0x8CB9_2BA7_2F3D_8DD7
                               ^ UInt64(setting.width) << 40 ^ UInt64(setting.height) << 20 ^ UInt64(setting.radius.upperBound))
        let (backgroundStyle, fillStyle) = Self.style(index)
        let background = Paint.random(for: backgroundStyle, using: &rng)
        let count = Int.random(in: setting.objectCount, using: &rng)
        var shapes: [Outline] = []
        var paints: [Paint] = []
        for _ in 0..<count {
            let shape = Outline.random(in: setting, using: &rng)
            var paint = Paint.random(for: fillStyle, using: &rng)
            // A shape the colour of what is behind it cannot be seen: redraw its colours until
            // they differ clearly from the background's (colour still tells nothing of the class).
            var tries = 0
            while paint.distance(to: background) < 0.35 && tries < 20 { paint = Paint.random(for: fillStyle, using: &rng); tries += 1 }
            shapes.append(shape); paints.append(paint)
        }
        return Self.render(setting.width, setting.height, background: background, shapes: shapes, paints: paints, using: &rng)
    }

    // MARK: - Rasterising

    static func render(_ width: Int, _ height: Int, background: Paint, shapes: [Outline], paints: [Paint],
                       using rng: inout SeededRandom) -> LabeledScene {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        var labels = [UInt8](repeating: 0, count: width * height)
        let samples = 4                                   // 4×4 sub-samples per pixel
        let noiseSeed = rng.next()
        for y in 0..<height {
            for x in 0..<width {
                var sum = (0.0, 0.0, 0.0)
                for sy in 0..<samples {
                    for sx in 0..<samples {
                        let px = Double(x) + (Double(sx) + 0.5) / Double(samples)
                        let py = Double(y) + (Double(sy) + 0.5) / Double(samples)
                        var c = background.color(px, py, noise: noiseSeed)
                        for k in stride(from: shapes.count - 1, through: 0, by: -1) where shapes[k].contains(px, py) {
                            c = paints[k].color(px - shapes[k].center.x, py - shapes[k].center.y, noise: noiseSeed &+ UInt64(k + 1))
                            break
                        }
                        sum = (sum.0 + c.0, sum.1 + c.1, sum.2 + c.2)
                    }
                }
                let n = Double(samples * samples), i = y * width + x
                pixels[3 * i] = byte(sum.0 / n); pixels[3 * i + 1] = byte(sum.1 / n); pixels[3 * i + 2] = byte(sum.2 / n)
                // The label: the topmost shape containing the pixel's centre.
                let cx = Double(x) + 0.5, cy = Double(y) + 0.5
                for k in stride(from: shapes.count - 1, through: 0, by: -1) where shapes[k].contains(cx, cy) {
                    labels[i] = UInt8(shapes[k].shape.rawValue); break
                }
            }
        }
        labels = SceneGenerator.markBoundaries(labels, width: width, height: height, band: 1)
        return LabeledScene(image: RGBImage(width: width, height: height, pixels: pixels), labels: labels)
    }

    static func byte(_ v: Double) -> UInt8 { UInt8(max(0, min(255, (v * 255).rounded()))) }
}

extension IndependentScenes {
    /// One shape's geometry, tested point by point (no path, no stroke).
    struct Outline: Sendable {
        var shape: ShapeClass
        var center: (x: Double, y: Double)
        var radius: Double
        var rotation: Double
        /// The shape's own proportion: ring hole, star depth or cross arm, as a fraction of the radius.
        var proportion: Double

        static func random(in setting: Setting, using rng: inout SeededRandom) -> Outline {
            let shape = ShapeClass(rawValue: Int.random(in: 1..<ShapeClass.count, using: &rng))!
            // Radii uniform in log scale: as many small objects as large ones.
            let r = exp(Double.random(in: log(setting.radius.lowerBound)...log(setting.radius.upperBound), using: &rng))
            let w = Double(setting.width), h = Double(setting.height)
            let proportion: Double = switch shape {
            case .ring: Double.random(in: 0.45...0.65, using: &rng)
            case .star: Double.random(in: 0.38...0.52, using: &rng)
            case .cross: Double.random(in: 0.25...0.38, using: &rng)
            default: 0
            }
            return Outline(shape: shape,
                           center: (Double.random(in: min(r * 0.6, w / 2)...max(w - r * 0.6, w / 2), using: &rng),
                                    Double.random(in: min(r * 0.6, h / 2)...max(h - r * 0.6, h / 2), using: &rng)),
                           radius: r, rotation: Double.random(in: 0..<(2 * .pi), using: &rng), proportion: proportion)
        }

        /// Whether the image point (x, y) is inside the shape.
        func contains(_ x: Double, _ y: Double) -> Bool {
            let dx = x - center.x, dy = y - center.y
            let d2 = dx * dx + dy * dy
            if d2 > radius * radius { return false }          // outside the circumscribed circle
            // Into the shape's own frame: unrotated, unit radius.
            let c = cos(-rotation), s = sin(-rotation)
            let u = (c * dx - s * dy) / radius, v = (s * dx + c * dy) / radius
            switch shape {
            case .background: return false
            case .disc: return true
            case .ring: return d2 >= (proportion * radius) * (proportion * radius)
            case .square: return abs(u) <= 0.72 && abs(v) <= 0.72           // corners on the circle: 1/√2 ≈ 0.707
            case .triangle: return Self.insidePolygon(u, v, Self.regular(3, inner: 1))
            case .star: return Self.insidePolygon(u, v, Self.regular(5, inner: proportion))
            case .cross: return (abs(u) <= proportion && abs(v) <= 0.95) || (abs(v) <= proportion && abs(u) <= 0.95)
            }
        }

        /// The corners of a regular n-gon (inner = 1) or n-pointed star (inner < 1), pointing up.
        static func regular(_ n: Int, inner: Double) -> [(Double, Double)] {
            let corners = inner < 1 ? 2 * n : n
            return (0..<corners).map { k in
                let t = -Double.pi / 2 + 2 * Double.pi * Double(k) / Double(corners)
                let r = (inner < 1 && k % 2 == 1) ? inner : 1
                return (r * cos(t), r * sin(t))
            }
        }

        /// The even–odd rule: a ray to the right crosses the outline an odd number of times.
        static func insidePolygon(_ x: Double, _ y: Double, _ p: [(Double, Double)]) -> Bool {
            var inside = false
            var j = p.count - 1
            for i in 0..<p.count {
                if (p[i].1 > y) != (p[j].1 > y),
                   x < (p[j].0 - p[i].0) * (y - p[i].1) / (p[j].1 - p[i].1) + p[i].0 { inside.toggle() }
                j = i
            }
            return inside
        }
    }

    /// How a region is coloured: one colour, a blend, a pattern or noise, as a function of position.
    struct Paint: Sendable {
        enum Kind: Sendable { case flat, linear(angle: Double, length: Double), radial(cx: Double, cy: Double, r: Double),
                                   checks(size: Double, angle: Double), waves(period: Double, angle: Double),
                                   stripes(period: Double, angle: Double), noise(amount: Double) }
        var kind: Kind
        var a: (Double, Double, Double)
        var b: (Double, Double, Double)

        static func randomColor(using rng: inout SeededRandom) -> (Double, Double, Double) {
            (Double(rng.nextFloat()), Double(rng.nextFloat()), Double(rng.nextFloat()))
        }

        static func random(for background: Background, using rng: inout SeededRandom) -> Paint {
            let a = randomColor(using: &rng), b = randomColor(using: &rng)
            let angle = Double.random(in: 0..<Double.pi, using: &rng)
            switch background {
            case .plain: return Paint(kind: .flat, a: a, b: a)
            case .gradient:
                return Bool.random(using: &rng)
                    ? Paint(kind: .linear(angle: angle, length: Double.random(in: 100...600, using: &rng)), a: a, b: b)
                    : Paint(kind: .radial(cx: Double.random(in: 0...400, using: &rng), cy: Double.random(in: 0...400, using: &rng),
                                          r: Double.random(in: 100...500, using: &rng)), a: a, b: b)
            case .textured:
                return Bool.random(using: &rng)
                    ? Paint(kind: .checks(size: Double.random(in: 4...24, using: &rng), angle: angle), a: a, b: b)
                    : Paint(kind: .waves(period: Double.random(in: 6...40, using: &rng), angle: angle), a: a, b: b)
            case .noisy: return Paint(kind: .noise(amount: Double.random(in: 0.15...0.35, using: &rng)), a: a, b: a)
            }
        }

        static func random(for fill: Fill, using rng: inout SeededRandom) -> Paint {
            let a = randomColor(using: &rng), b = randomColor(using: &rng)
            let angle = Double.random(in: 0..<Double.pi, using: &rng)
            switch fill {
            case .flat: return Paint(kind: .flat, a: a, b: a)
            case .textured:
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: return Paint(kind: .checks(size: Double.random(in: 3...10, using: &rng), angle: angle), a: a, b: b)
                case 1: return Paint(kind: .stripes(period: Double.random(in: 4...14, using: &rng), angle: angle), a: a, b: b)
                default: return Paint(kind: .noise(amount: Double.random(in: 0.1...0.25, using: &rng)), a: a, b: a)
                }
            }
        }

        /// How far apart two paints' mean colours are (Euclidean, RGB in [0, 1]).
        func distance(to other: Paint) -> Double {
            let m = mean, o = other.mean
            return ((m.0 - o.0) * (m.0 - o.0) + (m.1 - o.1) * (m.1 - o.1) + (m.2 - o.2) * (m.2 - o.2)).squareRoot()
        }
        var mean: (Double, Double, Double) {
            switch kind {
            case .flat, .noise: a
            default: ((a.0 + b.0) / 2, (a.1 + b.1) / 2, (a.2 + b.2) / 2)
            }
        }

        /// The colour at (x, y); `noise` seeds the per-pixel noise so that it is fixed per scene.
        func color(_ x: Double, _ y: Double, noise: UInt64) -> (Double, Double, Double) {
            func mix(_ t: Double) -> (Double, Double, Double) {
                let t = max(0, min(1, t))
                return (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t, a.2 + (b.2 - a.2) * t)
            }
            func along(_ angle: Double) -> Double { x * cos(angle) + y * sin(angle) }
            func across(_ angle: Double) -> Double { -x * sin(angle) + y * cos(angle) }
            switch kind {
            case .flat: return a
            case let .linear(angle, length): return mix(along(angle) / length)
            case let .radial(cx, cy, r): return mix(((x - cx) * (x - cx) + (y - cy) * (y - cy)).squareRoot() / r)
            case let .checks(size, angle):
                let i = Int((along(angle) / size).rounded(.down)), j = Int((across(angle) / size).rounded(.down))
                return (i + j) & 1 == 0 ? a : b
            case let .waves(period, angle): return mix(0.5 + 0.5 * sin(2 * .pi * along(angle) / period))
            case let .stripes(period, angle): return along(angle).truncatingRemainder(dividingBy: period).magnitude < period / 2 ? a : b
            case let .noise(amount):
                // One value per whole pixel (the sub-samples of a pixel share it), hashed from its position.
                var h = SeededRandom(seed: noise ^ UInt64(bitPattern: Int64(x.rounded(.down))) &* 0x9E37_79B9_7F4A_7C15
                                     ^ UInt64(bitPattern: Int64(y.rounded(.down))) &* 0xC2B2_AE3D_27D4_EB4F)
                let n = Double(h.nextNormal()) * amount
                return (max(0, min(1, a.0 + n)), max(0, min(1, a.1 + n * 0.8)), max(0, min(1, a.2 + n * 1.2)))
            }
        }
    }
}

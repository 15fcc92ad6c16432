// SyntheticScenes.swift — a deterministic world of shapes to segment, drawn with Cairo.
//
// The paper trains on PASCAL VOC after ImageNet pretraining; neither can be downloaded here,
// and a course should run without them. So we make a small world with the same structure:
//
// - several object classes (disc, ring, square, triangle, star, cross) plus background;
// - random positions, scales, rotations, colours and textures on varied backgrounds, with
//   objects occluding one another — colour alone never tells the class, shape does;
// - drawn in one of two ways: `Drawing.classic` (the default, the world the shipped models were
//   trained on: cluttered gradient backgrounds, every shape outlined), or `Drawing.varied`:
//   plain, gradient, patterned, noisy or
//   cluttered backgrounds; flat, striped, dotted or checked shapes with or without an outline;
//   radii spread evenly in log scale. A net trained on one way of drawing learns that way, not
//   the shapes: trained on `Drawing.classic` alone, the shipped FCN-8s scores 14 mean IU on the
//   independently drawn held-out world (`IndependentScenes`) while scoring 46 on its own; the
//   same net trained on `Drawing.varied` scores about the same on both (issue #16);
// - ground-truth label maps with a thin "void" band (label 255) along object boundaries, as
//   VOC has, which the loss and the metrics ignore.
//
// Everything is a pure function of (seed, index): scene 17 of seed 1 is the same picture on
// every machine, so training runs, figures and tests can be repeated exactly. (Cairo's
// software rasteriser is deterministic for the same drawing calls.)
import FCN
import FCNCore
import CCairo

/// Draws labelled scenes of shapes, deterministically from a seed.
///
/// ```swift
/// let world = SceneGenerator(seed: 1, width: 128, height: 128)
/// let scene = world.scene(17)            // same pixels every time
/// scene.labels.filter { $0 == ShapeClass.void }.count   // the boundary band
/// ```
public struct SceneGenerator: Sendable {
    /// The seed every scene is derived from (scene `i` is the same for every run).
    public var seed: UInt64
    /// Width of the scenes in pixels.
    public var width: Int
    /// Height of the scenes in pixels.
    public var height: Int
    /// How the scenes are drawn.
    public enum Drawing: String, Sendable, Hashable, CaseIterable, Codable {
        /// Many ways: plain, gradient, patterned, noisy or cluttered backgrounds; flat or
        /// textured shapes, outlined or not (the default).
        case varied
        /// The course's first world: cluttered gradient backgrounds, every shape outlined.
        case classic
    }

    /// How the scenes are drawn.
    public let drawing: Drawing
    /// How many objects a segmentation scene holds (classic 2…5, varied 1…5).
    public var objectCount: ClosedRange<Int>
    /// Object radius as a fraction of the shorter image side: classic 0.08…0.22, drawn uniformly;
    /// varied 0.05…0.45, drawn uniformly in log scale (as many small objects as large ones:
    /// 6–58 px in a 128² scene).
    public var radiusFraction: ClosedRange<Double>
    /// Width in pixels of the void band on each side of an object boundary.
    public var voidBand: Int = 1

    /// A generator of `width`×`height` scenes from `seed`, drawn the `drawing` way.
    public init(seed: UInt64, width: Int, height: Int, drawing: Drawing = .classic) {
        self.seed = seed; self.width = width; self.height = height; self.drawing = drawing
        objectCount = drawing == .classic ? 2...5 : 1...5
        radiusFraction = drawing == .classic ? 0.08...0.22 : 0.05...0.45
    }

    /// The segmentation scene number `index`: several objects, occluding one another.
    public func scene(_ index: Int) -> LabeledScene {
        var rng = SeededRandom(seed: seed &* 0x9E37_79B9 &+ UInt64(index) &* 0x2545_F491_4F6C_DD1D)
        let count = Int.random(in: objectCount, using: &rng)
        let objects = (0..<count).map { _ in
            var object = SceneObject.random(in: width, height, radiusFraction: radiusFraction, logUniform: drawing == .varied, using: &rng)
            if drawing == .varied { object.proportion = SceneObject.randomProportion(object.shape, using: &rng) }
            return object
        }
        return render(objects, using: &rng)
    }

    /// A classification example number `index`: one dominant object near the centre (plus a
    /// few small distractors of other classes) and its class — the "ImageNet stage".
    public func classificationExample(_ index: Int) -> (scene: LabeledScene, label: ShapeClass) {
        var rng = SeededRandom(seed: seed &* 0x632B_E59B &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15 &+ 1)
        let shorter = Double(min(width, height))
        var main = SceneObject.random(in: width, height, radiusFraction: drawing == .classic ? 0.25...0.38 : 0.15...0.45,
                                      logUniform: drawing == .varied, using: &rng)
        main.center = (Double(width) / 2 + shorter * Double.random(in: -0.1...0.1, using: &rng),
                       Double(height) / 2 + shorter * Double.random(in: -0.1...0.1, using: &rng))
        var objects: [SceneObject] = []
        for _ in 0..<Int.random(in: 0...2, using: &rng) {
            var small = SceneObject.random(in: width, height, radiusFraction: 0.05...0.09, logUniform: drawing == .varied, using: &rng)
            while small.shape == main.shape { small.shape = SceneObject.randomShape(using: &rng) }
            objects.append(small)
        }
        objects.insert(main, at: 0)      // distractors drawn on top may nick it, as in real photos
        return (render(objects, using: &rng), main.shape)
    }

    // MARK: - Rendering

    private func render(_ objects: [SceneObject], using rng: inout SeededRandom) -> LabeledScene {
        let canvas = ScenePainter(width: width, height: height)
        let style = drawing == .classic ? ScenePainter.Style.classic : ScenePainter.Style.random(using: &rng)
        let backdrop = canvas.drawBackground(style.background, using: &rng)
        for object in objects { canvas.draw(object, style: style, avoiding: backdrop, using: &rng) }
        var rgb = canvas.rgbBytes()

        // The label map: the same outlines filled with the class value, without antialiasing,
        // in the same order, so later objects occlude earlier ones exactly as in the image.
        let labelPainter = ScenePainter(width: width, height: height)
        for object in objects { labelPainter.fillLabel(object) }
        var labels = labelPainter.redChannel()
        if style.noise > 0 { ScenePainter.addNoise(&rgb, amount: style.noise, backgroundOnly: style.noiseOnBackgroundOnly, labels: labels, using: &rng) }
        labels = Self.markBoundaries(labels, width: width, height: height, band: voidBand)
        return LabeledScene(image: RGBImage(width: width, height: height, pixels: rgb), labels: labels)
    }

    /// Marks as void every pixel within `band` pixels of a pixel with another label.
    static func markBoundaries(_ labels: [UInt8], width: Int, height: Int, band: Int) -> [UInt8] {
        guard band > 0 else { return labels }
        var out = labels
        for y in 0..<height {
            for x in 0..<width {
                let mine = labels[y * width + x]
                search: for dy in -band...band {
                    let yy = y + dy
                    if yy < 0 || yy >= height { continue }
                    for dx in -band...band {
                        let xx = x + dx
                        if xx < 0 || xx >= width { continue }
                        if labels[yy * width + xx] != mine { out[y * width + x] = ShapeClass.void; break search }
                    }
                }
            }
        }
        return out
    }
}

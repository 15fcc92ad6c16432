// Generalization.swift — scoring a model on the independently drawn world, per image size and
// per object scale (issue #16's held-out test; the paper's counterpart is scoring on images never
// trained on, CVPR 2015 §5).
//
// One number hides what matters: a net trained on 128² scenes with 10–28 px objects may be
// perfect there and blind to a 100 px disc in a 512² photo. So the held-out set is a grid —
// image sizes (square and not) × object scales (small, medium, large, in pixels) — and the
// report gives the mean IU of each row and column, of each drawing style, and the worst scene:
// a model that works "on average" but fails whole scenes is not a model that works.
//
// Mean IU is the paper's (§5): counts summed over every pixel of a group, ratios taken once.
// A scene's own mean IU averages the classes present in its truth or its prediction.

import FCN
import FCNCore
import Foundation

/// A model's scores on ``IndependentScenes``: by image size, by object scale, by style, and per scene.
///
/// ```swift
/// let report = try GeneralizationReport.evaluate(try EmbeddedModels.network(.fcn8s))
/// print(report.table)                    // mean IU per size × scale
/// report.worstScene.meanIU               // the scene it does worst on
/// ```
public struct GeneralizationReport: Sendable, Codable {
    /// An object scale: radii in pixels.
    public struct Scale: Sendable, Hashable, Codable {
        /// The scale's name ("small", "medium", "large").
        public var name: String
        /// Radii in pixels.
        public var lower: Double, upper: Double
    }

    /// An image size.
    public struct Size: Sendable, Hashable, Codable {
        /// Width and height in pixels.
        public var width: Int, height: Int
        /// "W×H".
        public var name: String { "\(width)×\(height)" }
    }

    /// One scene's result.
    public struct SceneScore: Sendable, Codable {
        /// The image size, the scale, and the scene's index in its cell.
        public var size: Size, scale: String, index: Int
        /// The drawing: background and fill.
        public var background: String, fill: String
        /// The scene's own mean IU (classes present in truth or prediction).
        public var meanIU: Double
        /// Its pixel accuracy.
        public var pixelAccuracy: Double
    }

    /// The held-out grid's default sizes: 128² (the training size), 256², 512², and two
    /// non-square ones (2:1 and 1:2).
    public static let defaultSizes = [Size(width: 128, height: 128), Size(width: 256, height: 256), Size(width: 512, height: 512),
                                      Size(width: 384, height: 192), Size(width: 160, height: 320)]
    /// The default object scales: radii 8–16, 16–40 and 40–100 px (clamped to a third of the
    /// image's shorter side, so 128² images get 40–43 px "large" objects).
    public static let defaultScales = [Scale(name: "small", lower: 8, upper: 16), Scale(name: "medium", lower: 16, upper: 40),
                                       Scale(name: "large", lower: 40, upper: 100)]

    /// The world's seed.
    public var seed: UInt64
    /// Scenes per (size, scale) cell.
    public var scenesPerCell: Int
    /// Every scene's score, in evaluation order.
    public var scenes: [SceneScore]
    /// Mean IU of everything, and of each size, scale, background and fill (pixel counts pooled).
    public var meanIU: Double
    /// Pixel accuracy of everything.
    public var pixelAccuracy: Double
    /// Mean IU per image size name.
    public var meanIUBySize: [String: Double]
    /// Mean IU per scale name.
    public var meanIUByScale: [String: Double]
    /// Mean IU per (size name, scale name) cell, keyed "size/scale".
    public var meanIUByCell: [String: Double]
    /// Mean IU per background style.
    public var meanIUByBackground: [String: Double]
    /// Mean IU per fill style.
    public var meanIUByFill: [String: Double]
    /// IU per class name, over everything.
    public var iuByClass: [String: Double]

    /// The scene with the lowest mean IU.
    public var worstScene: SceneScore { scenes.min { $0.meanIU < $1.meanIU }! }

    /// Scores `network` (a 7-class net of the shapes world) on `scenesPerCell` scenes of every
    /// (size, scale) cell, drawn by ``IndependentScenes`` from `seed`.
    public static func evaluate(_ network: Network, seed: UInt64 = 0x1DE9_E4DE, scenesPerCell: Int = 8,
                                sizes: [Size] = defaultSizes, scales: [Scale] = defaultScales,
                                progress: (Int, Int) -> Void = { _, _ in },
                                inspect: (String, LabeledScene, LabelMap) throws -> Void = { _, _, _ in }) throws -> GeneralizationReport {
        let classes = ShapeClass.count
        let world = IndependentScenes(seed: seed)
        var all = ConfusionMatrix(classCount: classes)
        var groups: [String: ConfusionMatrix] = [:]
        func add(_ key: String, _ m: ConfusionMatrix) { groups[key, default: ConfusionMatrix(classCount: classes)].merge(m) }
        var scenes: [SceneScore] = []
        let total = sizes.count * scales.count * scenesPerCell
        for size in sizes {
            for scale in scales {
                let setting = IndependentScenes.Setting(width: size.width, height: size.height, radius: scale.lower...scale.upper)
                for i in 0..<scenesPerCell {
                    let scene = world.scene(i, setting)
                    let predicted = try Segmentation.segment(scene.image, with: network).labels
                    let name = "held-out scene \(i) at \(size.name), \(scale.name) objects"
                    // A net of another world (21 VOC classes, say) predicts labels this one has not.
                    guard predicted.labels.allSatisfy({ Int($0) < classes }) else {
                        throw SegmentationError.classCountMismatch(expected: classes, scene: name)
                    }
                    var m = ConfusionMatrix(classCount: classes)
                    try m.accumulate(checking: scene.labels, prediction: predicted.labels, width: scene.width, source: name)
                    let style = IndependentScenes.style(i)
                    try inspect("\(size.width)x\(size.height)-\(scale.name)-\(i)", scene, predicted)
                    all.merge(m)
                    add("size:" + size.name, m); add("scale:" + scale.name, m); add("cell:\(size.name)/\(scale.name)", m)
                    add("background:" + style.background.rawValue, m); add("fill:" + style.fill.rawValue, m)
                    let s = m.scores
                    scenes.append(SceneScore(size: size, scale: scale.name, index: i, background: style.background.rawValue,
                                             fill: style.fill.rawValue, meanIU: s.meanIU, pixelAccuracy: s.pixelAccuracy))
                    progress(scenes.count, total)
                }
            }
        }
        func by(_ prefix: String) -> [String: Double] {
            Dictionary(uniqueKeysWithValues: groups.filter { $0.key.hasPrefix(prefix) }
                .map { (String($0.key.dropFirst(prefix.count)), $0.value.scores.meanIU) })
        }
        let iu = all.intersectionOverUnion
        return GeneralizationReport(
            seed: seed, scenesPerCell: scenesPerCell, scenes: scenes, meanIU: all.scores.meanIU, pixelAccuracy: all.scores.pixelAccuracy,
            meanIUBySize: by("size:"), meanIUByScale: by("scale:"), meanIUByCell: by("cell:"),
            meanIUByBackground: by("background:"), meanIUByFill: by("fill:"),
            iuByClass: Dictionary(uniqueKeysWithValues: ShapeClass.allCases.compactMap { c in iu[c.rawValue].map { (c.name, $0) } }))
    }

    /// Mean IU per size (rows) × scale (columns), with the row and column means, in percent.
    public var table: String {
        let sizeNames = Self.ordered(Array(meanIUBySize.keys), by: scenes.map(\.size.name))
        let scaleNames = Self.ordered(Array(meanIUByScale.keys), by: scenes.map(\.scale))
        func pct(_ x: Double?) -> String { x.map { $0.isNaN ? "n/a" : String(format: "%.1f", 100 * $0) } ?? "—" }
        var lines = ["size \\ objects".padding(toLength: 16, withPad: " ", startingAt: 0)
                     + scaleNames.map { $0.leftPadded(9) }.joined() + "all".leftPadded(9)]
        for s in sizeNames {
            lines.append(s.padding(toLength: 16, withPad: " ", startingAt: 0)
                         + scaleNames.map { pct(meanIUByCell["\(s)/\($0)"]).leftPadded(9) }.joined()
                         + pct(meanIUBySize[s]).leftPadded(9))
        }
        lines.append("all".padding(toLength: 16, withPad: " ", startingAt: 0)
                     + scaleNames.map { pct(meanIUByScale[$0]).leftPadded(9) }.joined() + pct(meanIU).leftPadded(9))
        return lines.joined(separator: "\n")
    }

    static func ordered(_ keys: [String], by appearance: [String]) -> [String] {
        var seen: [String] = []
        for k in appearance where !seen.contains(k) && keys.contains(k) { seen.append(k) }
        return seen
    }
}

extension String {
    /// The string right-aligned in `n` columns (the tables of this module).
    func leftPadded(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}

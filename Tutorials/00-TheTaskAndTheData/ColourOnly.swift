// ColourOnly.swift — Chapter 0's control experiment: how well does a pixel's colour alone
// predict its class in the synthetic world?
//
// The classifier quantises RGB into `levels`³ bins and answers, for each bin, the class most
// frequent in it on the training scenes (background where a bin was never seen). It is the best
// any per-pixel colour rule can do on those scenes up to the binning. If it is near chance on
// object pixels, the class is not in the colour — the scenes were built that way
// (`SceneObject`: appearance independent of class) and this measures that it worked.
import FCN
import FCNTraining

/// Pixel accuracy, accuracy on object (non-background) pixels, and mean per-class accuracy,
/// void pixels not counted.
struct PixelAccuracies: Equatable {
    var pixelAccuracy: Double
    var objectAccuracy: Double
    var meanAccuracy: Double

    /// Scores predictions (one label per pixel, row-major) against each scene's labels.
    init(_ pairs: [(scene: LabeledScene, predicted: [UInt8])]) {
        var hits = [Int](repeating: 0, count: ShapeClass.count), totals = hits
        for (scene, predicted) in pairs {
            for (truth, guess) in zip(scene.labels, predicted) where truth != ShapeClass.void {
                totals[Int(truth)] += 1
                if truth == guess { hits[Int(truth)] += 1 }
            }
        }
        let all = totals.reduce(0, +), objects = all - totals[0]
        pixelAccuracy = Double(hits.reduce(0, +)) / Double(max(1, all))
        objectAccuracy = Double(hits.reduce(0, +) - hits[0]) / Double(max(1, objects))
        let present = totals.indices.filter { totals[$0] > 0 }
        meanAccuracy = present.map { Double(hits[$0]) / Double(totals[$0]) }.reduce(0, +) / Double(max(1, present.count))
    }
}

/// A per-pixel classifier that sees only the pixel's colour.
struct ColourOnlyClassifier {
    /// Quantisation levels per channel.
    static let levels = 8
    /// The class answered for each colour bin.
    var binClass: [UInt8]

    /// Fits the bins on `scenes`: each bin takes its most frequent counted class. With
    /// `shapesOnly`, only object pixels are counted (the question is then "which shape?"), and a
    /// bin never seen answers the most frequent shape.
    init(fittedOn scenes: [LabeledScene], shapesOnly: Bool = false) {
        let bins = Self.levels * Self.levels * Self.levels
        var counts = [[Int]](repeating: [Int](repeating: 0, count: ShapeClass.count), count: bins)
        for s in scenes {
            for (p, l) in s.labels.enumerated() where l != ShapeClass.void && !(shapesOnly && l == 0) {
                counts[Self.bin(s.image, p)][Int(l)] += 1
            }
        }
        let totals = counts.reduce([Int](repeating: 0, count: ShapeClass.count)) { zip($0, $1).map { $0 + $1 } }
        let overall = totals.indices.max { totals[$0] < totals[$1] }!
        binClass = counts.map { c in UInt8(c.allSatisfy { $0 == 0 } ? overall : c.indices.max { c[$0] < c[$1] }!) }
    }

    /// The bin of pixel `p` (row-major index) of `image`.
    static func bin(_ image: RGBImage, _ p: Int) -> Int {
        let q = { (v: UInt8) in Int(v) * levels / 256 }
        return (q(image.pixels[3 * p]) * levels + q(image.pixels[3 * p + 1])) * levels + q(image.pixels[3 * p + 2])
    }

    /// One label per pixel of `image`, row-major.
    func predict(_ image: RGBImage) -> [UInt8] {
        (0..<(image.width * image.height)).map { binClass[Self.bin(image, $0)] }
    }

    /// Its accuracies on `scenes`.
    func accuracies(on scenes: [LabeledScene]) -> PixelAccuracies {
        PixelAccuracies(scenes.map { ($0, predict($0.image)) })
    }
}

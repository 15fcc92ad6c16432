// SegmentationEvaluation.swift — scoring a segmentation net on labelled images with the
// paper's four metrics (§4 "Metrics", Table 2), as Berkeley's `score.py` does: the arg-max
// class at every pixel, counts accumulated over the whole set, ratios taken once at the end.
//
// Dimension letters: K classes, H×W the image.

import FCNCore

/// Runs a segmentation net over labelled images and accumulates the confusion matrix.
///
/// ```swift
/// let net = try Network(VGGMini.standard.fcn(.fcn8s), parameters: weights)
/// let world = SyntheticData.validationWorld(sceneSize: 64)
/// let m = try SegmentationEvaluation.evaluate(net, classes: 7, count: 200) { world.scene($0) }
/// print(m.scores)        // pixel acc., mean acc., mean IU, f.w. IU
/// ```
public enum SegmentationEvaluation {
    /// The arg-max class of each pixel of a score map `[1, K, H, W]`, row-major `[H·W]`
    /// (ties go to the lower class, as numpy's `argmax`).
    public static func argmax(_ scores: Tensor) -> [UInt8] {
        let d = scores.nchw, plane = d.h * d.w
        precondition(d.n == 1 && d.c <= 256, "argmax: need one score map of at most 256 classes, got \(scores.shape)")
        var best = [UInt8](repeating: 0, count: plane)
        for p in 0..<plane {
            var top = scores.scalars[p]
            for c in 1..<d.c where scores.scalars[c * plane + p] > top {
                top = scores.scalars[c * plane + p]
                best[p] = UInt8(c)
            }
        }
        return best
    }

    /// The confusion matrix of `network` on `count` labelled scenes; `scene(i)` supplies scene i.
    ///
    /// - Parameters:
    ///   - network: a segmentation net whose output is `[1, K, H, W]` for an input `[1, 3, H, W]`.
    ///   - classes: K; ground-truth values outside `0..<K` (void, 255) are not counted.
    ///   - count: the number of scenes.
    ///   - progress: called after each scene with the number done.
    ///   - scene: the labelled scene of index i.
    public static func evaluate(_ network: Network, classes: Int, count: Int, progress: (Int) -> Void = { _ in },
                                scene: (Int) throws -> LabeledScene) throws -> ConfusionMatrix {
        var matrix = ConfusionMatrix(classCount: classes)
        for i in 0..<count {
            let s = try scene(i)
            let scores = try network.forward(s.image.caffeInput())   // [1, K, H, W]
            matrix.accumulate(groundTruth: s.labels, prediction: argmax(scores))
            progress(i + 1)
        }
        return matrix
    }
}

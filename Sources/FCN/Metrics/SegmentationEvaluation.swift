// SegmentationEvaluation.swift — scoring a segmentation net on labelled images with the
// paper's four metrics (CVPR 2015 §4 "Metrics", Table 2), as Berkeley's `score.py` does: the
// arg-max class at every pixel (`Segmentation.segment`, `ScoreMap.labels()`), counts accumulated
// over the whole set, ratios taken once at the end.
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
            let predicted = try Segmentation.segment(s.image, with: network).labels
            matrix.accumulate(groundTruth: s.labels, prediction: predicted.labels)
            progress(i + 1)
        }
        return matrix
    }
}

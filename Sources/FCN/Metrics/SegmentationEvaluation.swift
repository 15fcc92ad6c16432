// SegmentationEvaluation.swift — scoring a segmentation net on labelled images with the
// paper's four metrics (CVPR 2015 §5 "Metrics", Table 2), as Berkeley's `score.py` does: the
// arg-max class at every pixel (`Segmentation.segment`, `ScoreMap.labels()`), counts accumulated
// over the whole set, ratios taken once at the end. Ground-truth labels that are neither a class
// nor void are refused with the scene's name and the pixel (`ConfusionMatrix.accumulate(checking:…)`).
// A net of more than 256 classes is refused before the first pass: its arg-max does not fit the
// 8-bit labels that ground truth and predictions share (`LabelMap`).
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
    ///   - classes: K, 1…256; ground-truth pixels labelled void (255) are not counted.
    ///   - count: the number of scenes.
    ///   - name: the name of scene i in messages (its file, for a VOC folder).
    ///   - progress: called after each scene with the number done.
    ///   - inspect: called after each scene with its index, the scene and the prediction
    ///     (`fcn evaluate --show-dir` paints them).
    ///   - scene: the labelled scene of index i.
    /// - Throws: ``SegmentationError/tooManyClasses(classes:)`` when K is not 1…256;
    ///   ``LabelMapError/labelOutOfRange(file:x:y:label:classCount:)`` for a ground-truth label
    ///   that is neither a class nor void; whatever `scene` and the net throw.
    public static func evaluate(_ network: Network, classes: Int, count: Int,
                                name: (Int) -> String = { "scene \($0)" },
                                progress: (Int) -> Void = { _ in },
                                inspect: (Int, LabeledScene, LabelMap) throws -> Void = { _, _, _ in },
                                scene: (Int) throws -> LabeledScene) throws -> ConfusionMatrix {
        guard (1...256).contains(classes) else { throw SegmentationError.tooManyClasses(classes: classes) }
        var matrix = ConfusionMatrix(classCount: classes)
        for i in 0..<count {
            let s = try scene(i)
            let predicted = try Segmentation.segment(s.image, with: network).labels
            guard predicted.labels.allSatisfy({ Int($0) < classes }) else {
                throw SegmentationError.classCountMismatch(expected: classes, scene: name(i))
            }
            try matrix.accumulate(checking: s.labels, prediction: predicted.labels, width: s.width, source: name(i))
            try inspect(i, s, predicted)
            progress(i + 1)
        }
        return matrix
    }
}

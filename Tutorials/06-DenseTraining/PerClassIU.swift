// PerClassIU.swift — Chapter 6: the IU of every class, not only their mean (paper §5, CVPR
// 2015: "mean IU = (1/n_cl) Σ_i n_ii / (t_i + Σ_j n_ji − n_ii)").
//
// A mean hides which classes a net has learned. Before training every pixel is background, so
// every shape's IU is 0 and the mean is the background's IU ÷ 7; a few steps mostly raise the
// background's; the shipped net's row shows which shapes are told apart and which are confused.
import FCN
import FCNCourse

/// Prints one row per net: the IU of each class in %, "—" where a class is neither present
/// nor predicted (0/0, left out of the mean, as Berkeley's `score.py` does).
func showPerClassIU(_ lesson: inout Lesson, _ rows: [(name: String, matrix: ConfusionMatrix)]) throws {
    lesson.say("  IU per class (%):")
    lesson.say("  " + column("", 20) + ShapeClass.allCases.map { column($0.name, 11) }.joined())
    for row in rows {
        let cells = row.matrix.intersectionOverUnion.map { iu in column(iu.map { percent($0) } ?? "—", 11) }
        lesson.say("  " + column(row.name, 20) + cells.joined())
    }
}

/// The scene's labels as a map, the void band drawn as background (the legend lists classes).
func groundTruth(_ scene: LabeledScene) -> LabelMap {
    LabelMap(width: scene.width, height: scene.height, labels: scene.labels.map { $0 == ShapeClass.void ? 0 : $0 })
}

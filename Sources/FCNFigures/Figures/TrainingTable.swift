// TrainingTable.swift — the miniature Table 2 as a figure: each trained segmentation stage
// scored on held-out scenes with the paper's four metrics.
//
// Paper §5 ("Metrics", CVPR 2015 and PAMI 2016: pixel accuracy, mean accuracy, mean IU, frequency weighted IU) and
// Table 2 (FCN-32s-fixed, -32s, -16s, -8s, -8s at-once). The numbers are the run's
// `TrainingReport` (table2.json), in percent as the paper prints them; nothing is computed here.
import FCNTraining
import FCN
import Foundation

/// The cells of Table 2: one row per stage, the four metrics in percent with one decimal.
public func trainingTableRows(_ report: TrainingReport) -> [[String]] {
    func percent(_ x: Double) -> String { x.isFinite ? String(format: "%.1f", 100 * x) : "n/a" }
    return report.rows.map { r in
        [r.name, "\(r.steps)", percent(r.pixelAccuracy), percent(r.meanAccuracy), percent(r.meanIU), percent(r.frequencyWeightedIU)]
    }
}

/// Table 2 (miniature): the stages of `report` with steps and the four metrics.
///
/// ```swift
/// let figure = trainingTableFigure(try EmbeddedModels.trainingReport())
/// ```
public func trainingTableFigure(_ report: TrainingReport) -> Figure {
    let table = TableRenderer(header: ["net", "steps", "pixel acc. (%)", "mean acc. (%)", "mean IU (%)", "f.w. IU (%)"],
                              rows: trainingTableRows(report), font: .regular(11))
    let title = "Table 2 (miniature): VGG-mini FCNs on the synthetic shapes world"
    let note = "\(report.validationCount) held-out validation scenes of \(report.sceneSize)×\(report.sceneSize) px "
        + "(world seed 0x\(String(report.validationSeed, radix: 16, uppercase: true))); training seed \(report.seed); \(VGGMini.segmentationClasses) classes incl. background"
    let metrics = "Metrics as in §5: pixel acc. = Σᵢ nᵢᵢ / Σᵢ tᵢ, mean acc. = (1/n_cl) Σᵢ nᵢᵢ / tᵢ, mean IU = (1/n_cl) Σᵢ nᵢᵢ / (tᵢ + Σⱼ nⱼᵢ − nᵢᵢ); void pixels not counted."
    let margin = 16.0
    let measured = TextMeasurer.measure { canvas in
        (table.size(on: canvas), max(canvas.measure(title, font: .bold(13)), canvas.measure(metrics, font: .regular(9)),
                                     canvas.measure(note, font: .regular(9))))
    }
    let width = max(measured.0.width, measured.1) + 2 * margin
    let height = measured.0.height + 2 * margin + 70
    return Figure(width: width, height: height) { canvas in
        canvas.text(title, at: Point(margin, margin + 12), font: .bold(13))
        canvas.text(note, at: Point(margin, margin + 28), font: .regular(9), color: .grey)
        table.draw(on: canvas, at: Point(margin, margin + 40))
        canvas.text(metrics, at: Point(margin, height - margin - 4), font: .regular(9), color: .grey)
    }
}

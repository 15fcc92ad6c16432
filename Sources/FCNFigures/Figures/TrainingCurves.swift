// TrainingCurves.swift — the loss and accuracy of every training stage against its steps.
//
// Paper §4.3 (optimisation: SGD with momentum, minibatches of one image for the FCNs, a
// classifier pretrained first) and §4.1–4.2 (the stages: classifier, FCN-32s-fixed, -32s,
// -16s, -8s, -8s at-once). The records are the stages' `<stage>.history.csv`, one line per
// step; each curve is drawn as a trailing moving average (a single image's loss jumps with
// the scene), and the window is stated. Two rows: the classifier (its loss a mean over the
// batch), then the segmentation stages (their loss summed over the pixels, drawn per pixel).
// A run that validated (`fcn train --validate-every N`) gets a third row: mean IU and pixel
// accuracy on held-out scenes at each validation (§5 "Metrics"), drawn as measured, unsmoothed.
// `runCurvesFigure` draws a run folder of your own (`fcn figures --run DIR`).
import FCNTraining
import FCN
import Foundation

/// One stage's training records and its legend name.
public struct StageCurve: Sendable {
    public var name: String
    public var records: [TrainingRecord]
    public init(name: String, records: [TrainingRecord]) { self.name = name; self.records = records }
}

/// One stage's validation scores and its legend name.
public struct ValidationCurve: Sendable {
    public var name: String
    public var records: [ValidationRecord]
    public init(name: String, records: [ValidationRecord]) { self.name = name; self.records = records }
}

/// The trailing moving average: element i is the mean of `values[max(0, i − window + 1)…i]`.
///
/// ```swift
/// movingAverage([1, 2, 3, 4], window: 2)   // [1, 1.5, 2.5, 3.5]
/// ```
public func movingAverage(_ values: [Double], window: Int) -> [Double] {
    precondition(window >= 1, "movingAverage: window must be at least 1, got \(window)")
    var result: [Double] = [], sum = 0.0
    result.reserveCapacity(values.count)
    for (i, v) in values.enumerated() {
        sum += v
        if i >= window { sum -= values[i - window] }
        result.append(sum / Double(min(i + 1, window)))
    }
    return result
}

/// Training curves: loss and accuracy of the classifier (top row) and of the segmentation
/// stages (bottom row), each a moving average over `window` steps.
///
/// - Parameters:
///   - classifier: the classifier's records (`nil`: the top row is left out).
///   - segmentation: the segmentation stages, one line each.
///   - pixelsPerScene: the segmentation loss is a sum over the scene's pixels; it is divided by
///     this number (H·W) so the curves read per pixel (ln 7 ≈ 1.95 is chance for 7 classes).
///   - window: the moving-average window in steps.
///   - validation: the stages' validation scores (empty: no third row, the figure as before).
///   - title: the heading.
public func trainingCurvesFigure(classifier: StageCurve?, segmentation: [StageCurve], pixelsPerScene: Int,
                                 window: Int = 50, validation: [ValidationCurve] = [],
                                 title: String = "Training curves of the staged training (§4.1–4.3)") -> Figure {
    let panelWidth = 430.0, panelHeight = 260.0, margin = 16.0, header = 46.0
    let validated = validation.filter { !$0.records.isEmpty }
    let rows = (classifier == nil ? 0 : 1) + (segmentation.isEmpty ? 0 : 1) + (validated.isEmpty ? 0 : 1)
    let width = 2 * margin + 2 * panelWidth, height = margin + header + Double(max(rows, 1)) * panelHeight + margin
    func smoothed(_ c: StageCurve, color: RGB, scale: Double, _ value: (TrainingRecord) -> Double) -> Series {
        let ys = movingAverage(c.records.map { value($0) * scale }, window: window)
        return Series(name: c.name, points: zip(c.records, ys).map { (x: Double($0.step), y: $1) }, color: color)
    }
    var charts: [LineChart] = []
    if let classifier {
        charts.append(LineChart(title: "Classifier (\"ImageNet\" stage): loss", xLabel: "step (batch)",
                                yLabel: "cross-entropy, batch mean", series: [smoothed(classifier, color: RGB.series[0], scale: 1) { $0.loss }]))
        charts.append(LineChart(title: "Classifier: accuracy", xLabel: "step (batch)", yLabel: "accuracy (%)",
                                series: [smoothed(classifier, color: RGB.series[0], scale: 100) { $0.pixelAccuracy }]))
    }
    if !segmentation.isEmpty {
        let colors = segmentation.indices.map { RGB.series[($0 + 1) % RGB.series.count] }
        let perPixel = 1 / Double(max(1, pixelsPerScene))
        charts.append(LineChart(title: "Segmentation stages: loss per pixel", xLabel: "step (one scene)",
                                yLabel: "summed loss ÷ H·W",
                                series: zip(segmentation, colors).map { smoothed($0, color: $1, scale: perPixel) { $0.loss } }))
        charts.append(LineChart(title: "Segmentation stages: pixel accuracy", xLabel: "step (one scene)",
                                yLabel: "pixel accuracy (%)",
                                series: zip(segmentation, colors).map { smoothed($0, color: $1, scale: 100) { $0.pixelAccuracy } }))
    }
    if !validated.isEmpty {
        // The same colour as the stage's training curve (segmentation stages only validate).
        func color(_ name: String) -> RGB {
            let i = segmentation.firstIndex { $0.name == name } ?? 0
            return RGB.series[(i + 1) % RGB.series.count]
        }
        // Unsmoothed (a validation is already a mean over scenes); a NaN (no class present) is skipped.
        func measured(_ c: ValidationCurve, _ value: (ValidationRecord) -> Double) -> Series {
            Series(name: c.name, points: c.records.filter { !value($0).isNaN }.map { (x: Double($0.step), y: 100 * value($0)) },
                   color: color(c.name))
        }
        charts.append(LineChart(title: "Validation: mean IU (held-out scenes)", xLabel: "step (one scene)", yLabel: "mean IU (%)",
                                series: validated.map { measured($0) { $0.meanIU } }))
        charts.append(LineChart(title: "Validation: pixel accuracy", xLabel: "step (one scene)", yLabel: "pixel accuracy (%)",
                                series: validated.map { measured($0) { $0.pixelAccuracy } }))
    }
    let panels = charts
    return Figure(width: width, height: height) { canvas in
        canvas.text(title, at: Point(margin, margin + 12), font: .bold(14))
        canvas.text("Each line: trailing mean of the last \(window) steps of the training history (<stage>.history.csv); "
                    + "accuracy on the training images themselves, void pixels not counted.",
                    at: Point(margin, margin + 30), font: .regular(10), color: .grey)
        for (i, chart) in panels.enumerated() {
            let frame = Rect(x: margin + Double(i % 2) * panelWidth, y: margin + header + Double(i / 2) * panelHeight,
                             width: panelWidth, height: panelHeight)
            chart.draw(on: canvas, in: frame.inset(by: 6))
        }
    }
}

/// The curves of a run folder of your own (`fcn figures --run DIR`): every stage with a
/// history, and the validation row if the run validated.
///
/// ```swift
/// let figure = runCurvesFigure(try TrainingRun(folder: URL(filePath: "runs/seed1")))
/// try figure.write(to: URL(filePath: "runs/seed1/training-curves.png"), scale: 2)
/// ```
///
/// - Parameters:
///   - run: the folder's records.
///   - window: the moving-average window in steps.
public func runCurvesFigure(_ run: TrainingRun, window: Int = 50) -> Figure {
    let classifier = run.stages.first { $0.stage == .classifier }.map { StageCurve(name: $0.stage.displayName, records: $0.history) }
    let segmentation = run.stages.filter { $0.stage != .classifier }
    let side = run.sceneSize ?? 128                                 // TrainingPipeline's default scene side
    return trainingCurvesFigure(classifier: classifier,
                                segmentation: segmentation.map { StageCurve(name: $0.stage.displayName, records: $0.history) },
                                pixelsPerScene: side * side, window: window,
                                validation: segmentation.map { ValidationCurve(name: $0.stage.displayName, records: $0.validation) },
                                title: "Training curves of \(run.folder.lastPathComponent) (§4.1–4.3)")
}

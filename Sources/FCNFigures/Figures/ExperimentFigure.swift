// ExperimentFigure.swift — an experiment's result (`fcn experiment NAME --figure`): mean IU per
// arm (by its key; the table and the JSON name it in full), one bar per seed, so the spread between seeds is visible next to the differences between
// arms; for an experiment that keeps curves (Fig. 5, CVPR 2015 §4.3), the held-out loss against
// steps and against wall time, as the paper plots it.
import FCNTraining
import FCN
import Foundation

/// Bars of mean IU per arm and seed, with the paper's finding underneath, and the loss curves
/// when the result has them.
///
/// ```swift
/// let result = try ExperimentRunner(folder: URL(filePath: "runs/experiments")).run(Experiment.named("fusion")!)
/// try experimentFigure(result).write(to: URL(filePath: "fusion.svg"))
/// ```
public func experimentFigure(_ result: ExperimentResult) -> Figure {
    let margin = 16.0, header = 40.0, panelWidth = 430.0, panelHeight = 280.0
    let hasCurves = result.rows.contains { $0.outcomes.contains { !$0.curve.isEmpty } }
    let seeds = result.seeds
    let bars = BarChart(title: "Mean IU on \(result.validationCount) validation scenes (one bar per seed)", yLabel: "mean IU (%)",
                        groups: result.rows.map(\.key), seriesNames: seeds.map { "seed \($0)" },
                        values: result.rows.map { row in seeds.map { s in 100 * (row.outcomes.first { $0.seed == s }?.meanIU ?? 0) } })
    var charts: [LineChart] = []
    if hasCurves {
        // One line per arm: the first seed's curve (the others are in the JSON).
        func series(_ x: (ExperimentResult.CurvePoint) -> Double) -> [Series] {
            result.rows.enumerated().compactMap { i, row in
                guard let o = row.outcomes.first, !o.curve.isEmpty else { return nil }
                return Series(name: row.name, points: o.curve.map { (x: x($0), y: $0.loss) }, color: RGB.series[i % RGB.series.count])
            }
        }
        charts.append(LineChart(title: "Held-out loss against steps", xLabel: "step", yLabel: "loss per pixel", series: series { Double($0.step) }))
        charts.append(LineChart(title: "Held-out loss against wall time", xLabel: "training seconds", yLabel: "loss per pixel",
                                series: series(\.seconds)))
    }
    let barWidth = max(2 * panelWidth, 90 * Double(result.rows.count))
    let width = 2 * margin + max(barWidth, hasCurves ? 2 * panelWidth : 0)
    let height = margin + header + panelHeight + (hasCurves ? panelHeight : 0) + 40 + margin
    let paper = result.paper, panels = charts
    return Figure(width: width, height: height) { canvas in
        canvas.text(result.title, at: Point(margin, margin + 12), font: .bold(14))
        canvas.text("swift-fcn, VGG-mini on \(result.sceneSize)² synthetic scenes, seeds \(seeds.map(String.init).joined(separator: ", "))",
                    at: Point(margin, margin + 30), font: .regular(10), color: .grey)
        bars.draw(on: canvas, in: Rect(x: margin, y: margin + header, width: barWidth, height: panelHeight).inset(by: 6))
        for (i, chart) in panels.enumerated() {
            chart.draw(on: canvas, in: Rect(x: margin + Double(i) * panelWidth, y: margin + header + panelHeight,
                                            width: panelWidth, height: panelHeight).inset(by: 6))
        }
        let words = paper.split(separator: " ")
        var line = "", y = height - margin - 24
        for w in words {
            if line.count + w.count > Int(width / 5.6) { canvas.text(line, at: Point(margin, y), font: .regular(9), color: .grey); line = ""; y += 11 }
            line += (line.isEmpty ? "" : " ") + w
            if y > height - 4 { break }
        }
        if !line.isEmpty && y <= height - 4 { canvas.text(line, at: Point(margin, y), font: .regular(9), color: .grey) }
    }
}

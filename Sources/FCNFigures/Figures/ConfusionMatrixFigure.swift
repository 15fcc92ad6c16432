// ConfusionMatrixFigure.swift — the confusion matrix n_ij of an evaluation as a picture (paper
// §5 "Metrics": every one of the four numbers is a ratio of its entries).
//
// Row i is the true class, column j the prediction; each row is normalised by t_i (the class's
// pixels), so a cell shows the fraction of class i predicted as j and a perfect net is a dark
// diagonal. Normalising rows, not the whole matrix, keeps a rare class readable beside the
// background that covers most pixels. A class absent from the ground truth (t_i = 0) has an
// empty, hatched-grey row. Percentages are printed in the cells while they fit (K ≤ 24), class
// names on the axes while they fit (K ≤ 64); beyond that the picture alone shows the structure.
import FCN
import Foundation

/// The row-normalised confusion matrix of `matrix`, classes named by `classNames` (a missing
/// name is shown as the class index).
///
/// ```swift
/// let figure = confusionMatrixFigure(matrix, classNames: spec.classNames)
/// try figure.write(to: URL(filePath: "confusion.png"))
/// ```
public func confusionMatrixFigure(_ matrix: ConfusionMatrix, classNames: [String], title: String = "Confusion matrix") -> Figure {
    let k = matrix.classCount
    let cell = max(2.0, min(28.0, 560.0 / Double(k)))
    let named = k <= 64, numbered = k <= 24
    let font = Font.regular(min(9, max(5, cell * 0.4)))
    let names = (0..<k).map { $0 < classNames.count ? classNames[$0] : "\($0)" }
    let labelWidth = named ? TextMeasurer.measure { canvas in names.map { canvas.measure($0, font: font) }.max() ?? 0 } + 8 : 0
    let margin = 16.0, titleHeight = 30.0
    let grid = Rect(x: margin + labelWidth + 14, y: margin + titleHeight, width: cell * Double(k), height: cell * Double(k))
    let totals = matrix.truthTotals
    let titleWidth = TextMeasurer.measure { $0.measure(title, font: .bold(12)) }
    return Figure(width: max(grid.maxX, margin + titleWidth) + margin, height: grid.maxY + labelWidth + 24 + margin) { canvas in
        canvas.text(title, at: Point(margin, margin + 12), font: .bold(12))
        canvas.text("rows: true class, columns: predicted; each row sums to 100 %", at: Point(margin, margin + 24),
                    font: .regular(8), color: .grey)
        for i in 0..<k {
            for j in 0..<k {
                let rect = Rect(x: grid.x + Double(j) * cell, y: grid.y + Double(i) * cell, width: cell, height: cell)
                guard totals[i] > 0 else { canvas.fill(rect, .lightGrey); continue }
                let fraction = Double(matrix[truth: i, predicted: j]) / Double(totals[i])
                canvas.fill(rect, Colormap.greys.color(at: fraction))
                if numbered, fraction >= 0.005 {
                    canvas.text(String(format: "%.0f", 100 * fraction), at: rect.center, font: font,
                                color: fraction > 0.5 ? .white : .ink, align: .center, baseline: .middle)
                }
            }
        }
        canvas.stroke(grid, .grey, lineWidth: 0.5)
        if named {
            for i in 0..<k {
                let y = grid.y + (Double(i) + 0.5) * cell
                canvas.text(names[i], at: Point(grid.x - 4, y), font: font, align: .right, baseline: .middle)
                let x = grid.x + (Double(i) + 0.5) * cell
                canvas.text(names[i], at: Point(x, grid.maxY + 4), font: font, align: .right, baseline: .middle, angle: .pi / 2)
            }
        }
        canvas.text("true", at: Point(margin + 4, grid.center.y), font: .regular(9), color: .grey, align: .center,
                    baseline: .middle, angle: .pi / 2)
        canvas.text("predicted", at: Point(grid.center.x, grid.maxY + labelWidth + 16), font: .regular(9), color: .grey,
                    align: .center, baseline: .middle)
    }
}

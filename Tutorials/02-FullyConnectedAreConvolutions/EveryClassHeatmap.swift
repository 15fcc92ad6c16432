// EveryClassHeatmap.swift — Chapter 2's Fig. 2 for every class at once: the convolutionalized
// classifier's probability map of each shape, its arg-max map, and how much higher each map is
// on its own class than elsewhere (paper §3.1, Fig. 2, CVPR 2015).
//
// A cell "is on" a class when the label under its centre is that class. For each class the
// chapter reports the mean probability over such cells and over all other cells; the arg-max
// map paints each cell with the shape it names (the classifier has no background class, so
// every cell names some shape — the coarse, forced answer FCN's score layer replaces).
//
// Dimension letters: K classifier classes (the six shapes), G_H×G_W the cells.
import FCN
import FCNTraining
import FCNCourse
import FCNFigures

/// How one class's heatmap sits on the class.
struct ClassHeat: Equatable {
    var shape: ShapeClass
    var meanOn: Double, meanOff: Double
    var cellsOn: Int
}

/// Prints each class's on/off mean probability and draws every class's map, the arg-max map and
/// a colour bar.
///
/// - Parameters:
///   - probabilities: the softmax of the classifier's scores, `[1, K, G_H, G_W]`, class k = shape k + 1.
///   - stride, offset: cell (i, j) is centred on image pixel (offset + stride·i, offset + stride·j).
func showEveryClassHeatmap(_ lesson: inout Lesson, scene: LabeledScene, probabilities: Tensor,
                           stride: Double, offset: Double) throws -> [ClassHeat] {
    let d = probabilities.nchw                                                         // K, G_H, G_W
    func label(_ i: Int, _ j: Int) -> UInt8? {
        let y = Int((offset + stride * Double(i)).rounded()), x = Int((offset + stride * Double(j)).rounded())
        guard (0..<scene.height).contains(y), (0..<scene.width).contains(x) else { return nil }
        return scene.labels[y * scene.width + x]
    }
    var heats: [ClassHeat] = []
    for k in 0..<d.c {
        let shape = ShapeClass(rawValue: k + 1)!
        var on: [Double] = [], off: [Double] = []
        for i in 0..<d.h { for j in 0..<d.w {
            guard let l = label(i, j) else { continue }
            (l == UInt8(shape.rawValue) ? { on.append(Double(probabilities[0, k, i, j])) } : { off.append(Double(probabilities[0, k, i, j])) })()
        } }
        let mean = { (v: [Double]) in v.isEmpty ? 0 : v.reduce(0, +) / Double(v.count) }
        heats.append(ClassHeat(shape: shape, meanOn: mean(on), meanOff: mean(off), cellsOn: on.count))
    }
    lesson.say("  Every class's map: mean probability on cells centred on that class vs all other cells:")
    for h in heats where h.cellsOn > 0 {
        lesson.value("    P(\(h.shape.name))", "\(percent(h.meanOn))% on \(h.cellsOn) cells vs \(percent(h.meanOff))% elsewhere")
    }
    let absent = heats.filter { $0.cellsOn == 0 }.map(\.shape.name)
    if !absent.isEmpty { lesson.say("    (no cell is centred on: \(absent.joined(separator: ", ")))") }
    // The arg-max map: each cell names the shape of highest probability.
    var argmax = [UInt8](repeating: 0, count: d.h * d.w)
    for i in 0..<d.h { for j in 0..<d.w {
        argmax[i * d.w + j] = UInt8((0..<d.c).max { probabilities[0, $0, i, j] < probabilities[0, $1, i, j] }! + 1)
    } }
    try lesson.figure("heatmap-every-class", everyClassFigure(scene, probabilities: probabilities, argmax: argmax))
    return heats
}

/// The scene, its labels, the arg-max map, then one probability map per class with a colour bar.
func everyClassFigure(_ scene: LabeledScene, probabilities: Tensor, argmax: [UInt8]) -> Figure {
    let d = probabilities.nchw, panel = 150.0, gap = 12.0, margin = 20.0
    let names = ShapeClass.allCases.map(\.name)
    let truth = LabelMap(width: scene.width, height: scene.height, labels: scene.labels).colored()
    let cells = LabelMap(width: d.w, height: d.h, labels: argmax).colored()
    let maps = (0..<d.c).map { k in
        TensorImage(values: (0..<(d.h * d.w)).map { probabilities[0, k, $0 / d.w, $0 % d.w] }, height: d.h, width: d.w,
                    range: ValueRange(0, 1))
    }
    let columns = max(3, d.c)
    let width = 2 * margin + Double(columns) * (panel + gap) + 60
    return Figure(width: width, height: 2 * (panel + 40) + 70) { canvas in
        canvas.text("Fig. 2 for every class: the classifier's probability maps and their arg-max", at: Point(margin, margin + 12), font: .bold(14))
        let top: [(String, RGBImage)] = [("scene", scene.image), ("labels", truth), ("arg-max of the \(d.h)×\(d.w) cells", cells)]
        for (n, (title, pixels)) in top.enumerated() {
            let rect = Rect(x: margin + Double(n) * (panel + gap), y: 60, width: panel, height: panel)
            canvas.text(title, at: Point(rect.center.x, 54), font: .regular(10), align: .center, baseline: .bottom)
            canvas.image(pixels, in: rect, smooth: n == 0)
            canvas.stroke(rect, .grey, lineWidth: 0.5)
        }
        canvas.labelLegend(labels: Array(1..<ShapeClass.count) + [0], names: names, at: Point(margin + 3 * (panel + gap), 60))
        let y2 = 60 + panel + 40
        for (k, map) in maps.enumerated() {
            let rect = Rect(x: margin + Double(k) * (panel + gap), y: y2, width: panel, height: panel)
            canvas.text("P(\(names[k + 1]))", at: Point(rect.center.x, y2 - 6), font: .regular(10), align: .center, baseline: .bottom)
            canvas.draw(map, in: rect)
        }
        canvas.colorBar(.viridis, range: ValueRange(0, 1), in: Rect(x: margin + Double(d.c) * (panel + gap), y: y2, width: 12, height: panel))
    }
}

// NetSurgeryFigure.swift — paper Fig. 2: a classifier's fully connected layers become
// convolutions, and the net then takes any input and returns a map of scores — a heatmap.
//
// Paper §3.1, Fig. 2 ("Transforming fully connected layers into convolution layers enables a
// classification net to output a heatmap"). Top: the classifier on its own input size (VGG16:
// 224×224, pool5 512×7×7 flattened to 25088 numbers for fc6). Bottom: the same weights reshaped
// (`NetSurgery`), fc6 a convolution over pool5's whole extent, on a larger image: every blob
// grows and the output is a C×H'×W' score map, one classifier output per 32-pixel step. Shapes
// come from `inferShapes` of both descriptions; the weight shapes from `parameterShapes`. With
// a trained net, the score map of one class is drawn in the output grid and, on the right, over
// the image it was computed from (`NetSurgeryHeatmap.swift`); without one the grid stays empty.
import FCN
import Foundation

/// One row of the net-surgery figure: an input size, blobs, and the fully connected weights' shapes.
public struct SurgeryRow: Sendable {
    /// The row's title.
    public var title: String
    /// The square input size, in pixels.
    public var inputSize: Int
    /// The blobs, from input to scores.
    public var blocks: [LayerBlock]
    /// e.g. ("fc6", "[4096, 25088]").
    public var weights: [(layer: String, shape: String)]
    /// A row of the figure.
    public init(title: String, inputSize: Int, blocks: [LayerBlock], weights: [(layer: String, shape: String)]) {
        self.title = title; self.inputSize = inputSize; self.blocks = blocks; self.weights = weights
    }
}

/// Paper Fig. 2.
///
/// - Parameters:
///   - classifier: the top row, the net before surgery.
///   - convolutional: the bottom row, the same net after surgery.
///   - subtitle: the line under the title, e.g. how fc6's weight is reshaped.
///   - heatmap: one class's scores from a trained net, drawn in the output grid and over the
///     image on the right; `nil` draws the empty grid (shapes only).
public func netSurgeryFigure(classifier: SurgeryRow, convolutional: SurgeryRow, subtitle: String,
                             heatmap: SurgeryHeatmap? = nil) -> Figure {
    let margin = 20.0, rowHeight = 250.0, column = 130.0
    let diagramWidth = margin + 130 + Double(max(classifier.blocks.count, convolutional.blocks.count)) * column + 250
    let width = diagramWidth + (heatmap == nil ? 0 : SurgeryHeatmap.panelWidth)
    let height = margin + 50 + 2 * rowHeight + 10
    let scale = SlabScale(referenceHeight: 16, maxFace: 90, minFace: 20)
    return Figure(width: width, height: height) { canvas in
        canvas.text("Convolutionalization: fully connected layers as convolutions (§3.1, Fig. 2)",
                    at: Point(margin, margin + 12), font: .bold(14))
        canvas.text(subtitle, at: Point(margin, margin + 30), font: .regular(10), color: .grey)
        if let heatmap {
            heatmap.draw(on: canvas, in: Rect(x: diagramWidth, y: margin + 50, width: SurgeryHeatmap.panelWidth - margin,
                                              height: 2 * rowHeight))
        }
        for (r, row) in [classifier, convolutional].enumerated() {
            let top = margin + 50 + Double(r) * rowHeight
            let baseY = top + 160
            canvas.text(row.title, at: Point(margin, top + 14), font: .bold(12))
            // The input image as a square scaled by its size.
            let imageSide = 40 + 70 * Double(row.inputSize) / 500
            let img = Rect(x: margin, y: baseY - imageSide, width: imageSide, height: imageSide)
            if r == 1, let heatmap, heatmap.image.width == row.inputSize {
                canvas.image(heatmap.image, in: img, smooth: true)      // the very image the heatmap is computed on
            } else {
                canvas.fill(img, RGB(0.9, 0.92, 0.95))
                canvas.text("image", at: Point(img.center.x, img.center.y), font: .regular(9), color: .grey, align: .center, baseline: .middle)
            }
            canvas.stroke(img, .grey, lineWidth: 0.7)
            canvas.text("3×\(row.inputSize)×\(row.inputSize)", at: Point(img.minX, baseY + 10), font: .regular(10), baseline: .top)
            var previousRight = img.maxX
            for (i, b) in row.blocks.enumerated() {
                let x = margin + 140 + Double(i) * column
                canvas.arrow(from: Point(previousRight + 6, baseY - 20), to: Point(x - 6, baseY - 20), lineWidth: 0.9, headLength: 6)
                if b.shape.count == 3 {
                    let covered = canvas.slab(at: Point(x, baseY), face: scale.face(b.shape[1]), thickness: scale.depth(b.shape[0]) * 0.7,
                                              fill: RGB.series[0].mixed(with: .white, 0.45))
                    previousRight = covered.maxX
                } else {
                    // A vector: a thin bar, taller for more numbers.
                    let h = min(130, 12 * log2(Double(b.shape[0])))
                    let bar = Rect(x: x, y: baseY - h, width: 10, height: h)
                    canvas.fill(bar, RGB.series[1].mixed(with: .white, 0.3)); canvas.stroke(bar, .ink, lineWidth: 0.6)
                    previousRight = bar.maxX
                }
                canvas.text(b.name, at: Point(x, baseY + 10), font: .bold(10), baseline: .top)
                canvas.text(b.shapeText, at: Point(x, baseY + 24), font: .regular(9), baseline: .top)
                canvas.text(b.operation, at: Point(x, baseY + 38), font: .regular(8), color: .grey, baseline: .top)
            }
            // The output: a row of scores, or a grid of score vectors.
            let outX = margin + 140 + Double(row.blocks.count) * column + 10
            canvas.arrow(from: Point(previousRight + 6, baseY - 20), to: Point(outX - 6, baseY - 20), lineWidth: 0.9, headLength: 6)
            if let last = row.blocks.last, last.shape.count == 3 {
                let h = last.shape[1], w = last.shape[2]
                let cell = min(12, 120 / Double(max(h, w)))
                let grid = Rect(x: outX, y: baseY - Double(h) * cell, width: Double(w) * cell, height: Double(h) * cell)
                if let heatmap, heatmap.scores.height == h, heatmap.scores.width == w {
                    canvas.draw(heatmap.scores, in: grid)
                    canvas.text("\(heatmap.valueName) of '\(heatmap.className)'", at: Point(outX, grid.minY - 6), font: .regular(9), baseline: .bottom)
                } else {
                    for i in 0...h { canvas.line(from: Point(grid.minX, grid.minY + Double(i) * cell), to: Point(grid.maxX, grid.minY + Double(i) * cell), color: .grey, lineWidth: 0.5) }
                    for j in 0...w { canvas.line(from: Point(grid.minX + Double(j) * cell, grid.minY), to: Point(grid.minX + Double(j) * cell, grid.maxY), color: .grey, lineWidth: 0.5) }
                    canvas.text("(shapes only: no trained weights drawn)", at: Point(outX, grid.minY - 6), font: .regular(8), color: .grey, baseline: .bottom)
                }
                canvas.text("\(h)×\(w) grid of \(last.shape[0])-way", at: Point(outX, baseY + 10), font: .bold(10), baseline: .top)
                canvas.text("score vectors: a heatmap per class", at: Point(outX, baseY + 24), font: .regular(9), baseline: .top)
            } else if let last = row.blocks.last {
                canvas.text("\(last.shape.first ?? 0) class scores", at: Point(outX, baseY - 24), font: .bold(10), baseline: .bottom)
                canvas.text("for the whole image", at: Point(outX, baseY - 10), font: .regular(9), baseline: .bottom)
            }
            // The fully connected weights.
            let wy = baseY + 62
            canvas.text("weights:", at: Point(margin + 130, wy), font: .regular(9), color: .grey, align: .right)
            for (k, w) in row.weights.enumerated() {
                canvas.text("\(w.layer) \(w.shape)", at: Point(margin + 140 + Double(k + 1) * column, wy), font: .mono(9))
            }
        }
    }
}

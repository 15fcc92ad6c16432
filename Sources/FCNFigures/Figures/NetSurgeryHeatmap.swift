// NetSurgeryHeatmap.swift — the right half of paper Fig. 2: the coarse score map of one class,
// computed by the convolutionalized classifier, laid over the image it was computed on.
//
// Paper §3.1, Fig. 2 (the "tabby cat heatmap"). Each output cell is the classifier's answer for
// one window of the image; the cells are `jump` pixels apart (the net's stride, 32) and each
// sees `size` pixels (its receptive field, `LayerField`). So the map is drawn where it belongs:
// cell (i, j) as a jump×jump square centred on its window's centre, not stretched over the whole
// image — the border the windows never centre on stays uncovered. One window is outlined.
import FCN

/// One class's coarse scores on a large image, and where each score cell sits on it.
public struct SurgeryHeatmap: Sendable {
    /// The large input image.
    public var image: RGBImage
    /// The class's scores, H'×W' (e.g. softmax probabilities, range 0…1).
    public var scores: TensorImage
    /// The class shown (our "tabby cat").
    public var className: String
    /// What a score is, e.g. "softmax probability".
    public var valueName: String
    /// The output layer's receptive field: cell i's window is centred at `field.center(i)`.
    public var field: LayerField

    public init(image: RGBImage, scores: TensorImage, className: String, valueName: String, field: LayerField) {
        self.image = image; self.scores = scores; self.className = className; self.valueName = valueName; self.field = field
    }

    /// The width the panel adds to the figure, in points.
    static let panelWidth = 360.0

    /// The image with the heat squares, a colour bar and the sizes, inside `rect`.
    func draw(on canvas: Canvas, in rect: Rect) {
        let h = scores.height, w = scores.width
        canvas.text("The heatmap on the image", at: Point(rect.minX, rect.minY + 14), font: .bold(12))
        canvas.text("\(valueName) of '\(className)' in each of the \(h)×\(w) cells,", at: Point(rect.minX, rect.minY + 30),
                    font: .regular(9), color: .grey)
        canvas.text("cells \(field.jump) px apart; each sees a \(field.size)×\(field.size) px window (one outlined)",
                    at: Point(rect.minX, rect.minY + 43), font: .regular(9), color: .grey)
        let side = min(rect.width - 50, rect.height - 110)
        let scale = side / Double(max(image.width, image.height))
        let frame = Rect(x: rect.minX, y: rect.minY + 56, width: Double(image.width) * scale, height: Double(image.height) * scale)
        canvas.image(image, in: frame, smooth: true)
        // Pixel centres are at integer coordinates, so pixel x spans [x − ½, x + ½] and lies at
        // frame.minX + (x + ½)·scale on the canvas.
        func canvasX(_ x: Double) -> Double { frame.minX + (x + 0.5) * scale }
        func canvasY(_ y: Double) -> Double { frame.minY + (y + 0.5) * scale }
        let half = Double(field.jump) / 2
        let colours = scores.pixels
        canvas.withSavedState {
            canvas.clip(to: frame)
            for i in 0..<h {
                for j in 0..<w {
                    let cy = field.center(i), cx = field.center(j)
                    let square = Rect(x: canvasX(cx - half), y: canvasY(cy - half), width: 2 * half * scale, height: 2 * half * scale)
                    // Opacity grows with the value, so the image shows through where the class is unlikely.
                    canvas.fill(square, colours[i, j], alpha: 0.15 + 0.7 * min(1, max(0, scores.range.fraction(Double(scores.values[i * w + j])))))
                }
            }
            // The window of the highest-scoring cell.
            let best = scores.values.indices.max { scores.values[$0] < scores.values[$1] } ?? 0
            let bi = best / w, bj = best % w, r = Double(field.size) / 2
            canvas.stroke(Rect(x: canvasX(field.center(bj) - r), y: canvasY(field.center(bi) - r),
                               width: 2 * r * scale, height: 2 * r * scale), .white, lineWidth: 1.5, dash: [4, 3])
        }
        canvas.stroke(frame, .grey, lineWidth: 0.5)
        canvas.colorBar(scores.colormap, range: scores.range, in: Rect(x: frame.maxX + 8, y: frame.minY, width: 10, height: frame.height))
        canvas.text("input \(image.width)×\(image.height) px → \(h)×\(w) score map", at: Point(frame.minX, frame.maxY + 8),
                    font: .bold(10), baseline: .top)
        canvas.text("(drawn at \(formatNumber(scale, significant: 2)) pt per px)", at: Point(frame.minX, frame.maxY + 22),
                    font: .regular(9), color: .grey, baseline: .top)
    }
}

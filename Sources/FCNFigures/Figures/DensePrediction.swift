// DensePrediction.swift — paper Fig. 1: an image through a fully convolutional net to a
// pixelwise prediction, learned end to end.
//
// Paper §1, Fig. 1 ("Fully convolutional networks can efficiently learn to make dense
// predictions for per-pixel tasks like semantic segmentation"). The blocks are the blobs of a
// real description with their real shapes for the input drawn (from `inferShapes`): sizes
// shrink by pooling to stride 32, channels grow to 4096, the score layer has one channel per
// class, and upsampling with skips returns to the input size. The right panel is whatever
// label map it is given, under the title it is given.
import FCN

/// Paper Fig. 1.
///
/// - Parameters:
///   - image: the input picture (drawn square-scaled into its panel).
///   - imageCaption: e.g. "input 3×500×500 (synthetic scene)".
///   - blocks: the blobs between input and output, in order.
///   - labels: labels the size of `image` (the prediction, or ground truth).
///   - labelsTitle: the right panel's title — say honestly what it shows.
///   - classNames: the legend's name of each label.
///   - palette: the colour of each label.
public func densePredictionFigure(image: RGBImage, imageCaption: String, blocks: [LayerBlock], labels: LabelMap,
                                  labelsTitle: String, classNames: [String],
                                  palette: [LabelColor] = LabelPalette.pascalVOCColors) -> Figure {
    let margin = 20.0, panel = 190.0, baseY = 300.0
    let scale = SlabScale(referenceHeight: blocks.map { $0.shape.count == 3 ? $0.shape[1] : 1 }.filter { $0 < 600 }.max() ?? 1, maxFace: 150)
    let slabs = blocks.map { b -> (face: Double, depth: Double) in
        let h = b.shape.count == 3 ? b.shape[1] : 1
        return (min(scale.face(h), panel), scale.depth(b.shape.first ?? 1))
    }
    let columnWidth = 74.0
    let blocksX = margin + panel + 50
    let outputX = blocksX + Double(blocks.count) * columnWidth + 30
    let width = outputX + panel + 130
    let height = baseY + 150
    let present = Array(Set(labels.labels.map(Int.init))).sorted()

    return Figure(width: width, height: height) { canvas in
        canvas.text("Dense prediction with a fully convolutional net (Fig. 1)", at: Point(margin, margin + 12), font: .bold(14))
        canvas.text("Blocks: the net's blobs with their real C×H×W for this input (front-face height ∝ √H, depth ∝ log₂ C).",
                    at: Point(margin, margin + 30), font: .regular(10), color: .grey)

        // Forward and backward arrows spanning the whole net.
        let arrowLeft = margin + panel / 2, arrowRight = outputX + panel / 2
        canvas.arrow(from: Point(arrowLeft, 70), to: Point(arrowRight, 70), color: RGB.series[0], lineWidth: 2.5, headLength: 12)
        canvas.text("forward / inference", at: Point((arrowLeft + arrowRight) / 2, 64), font: .bold(12), color: RGB.series[0],
                    align: .center, baseline: .bottom)
        canvas.arrow(from: Point(arrowRight, baseY + 100), to: Point(arrowLeft, baseY + 100), color: RGB.series[2], lineWidth: 2.5, headLength: 12)
        canvas.text("backward / learning (gradients of the per-pixel loss)", at: Point((arrowLeft + arrowRight) / 2, baseY + 108),
                    font: .bold(12), color: RGB.series[2], align: .center, baseline: .top)

        // Input image.
        let imageRect = Rect(x: margin, y: baseY - panel, width: panel, height: panel)
        canvas.image(image, in: imageRect, smooth: true)
        canvas.stroke(imageRect, .grey, lineWidth: 0.5)
        canvas.text(imageCaption, at: Point(imageRect.center.x, baseY + 8), font: .regular(10), align: .center, baseline: .top)

        // The blobs.
        for (i, b) in blocks.enumerated() {
            let (face, depth) = slabs[i]
            let x = blocksX + Double(i) * columnWidth
            let isScore = b.shape.first == classNames.count      // one channel per class: a score blob
            let fill = isScore ? RGB.series[1].mixed(with: .white, 0.3) : RGB.series[0].mixed(with: .white, 0.45)
            canvas.slab(at: Point(x, baseY), face: face, thickness: depth, fill: fill)
            canvas.text(b.name, at: Point(x, baseY + 10), font: .bold(10), baseline: .top)
            canvas.text(b.shape.first.map(String.init) ?? "", at: Point(x, baseY + 24), font: .regular(10), baseline: .top)
            if b.shape.count == 3 {
                canvas.text("\(b.shape[1])×\(b.shape[2])", at: Point(x, baseY + 37), font: .regular(9), color: .grey, baseline: .top)
            }
            if !b.operation.isEmpty {
                canvas.text(b.operation, at: Point(x, baseY + 50), font: .regular(8), color: .grey, baseline: .top)
            }
        }
        canvas.text("channels", at: Point(blocksX - 8, baseY + 24), font: .regular(9), color: .grey, align: .right, baseline: .top)
        canvas.text("H×W", at: Point(blocksX - 8, baseY + 37), font: .regular(9), color: .grey, align: .right, baseline: .top)

        // The label map.
        let outRect = Rect(x: outputX, y: baseY - panel, width: panel, height: panel)
        canvas.image(labels.colored(palette: palette), in: outRect)
        canvas.stroke(outRect, .grey, lineWidth: 0.5)
        canvas.text(labelsTitle, at: Point(outRect.center.x, baseY + 8), font: .regular(10), align: .center, baseline: .top)
        canvas.text("\(image.width)×\(image.height) labels", at: Point(outRect.center.x, baseY + 22), font: .regular(9),
                    color: .grey, align: .center, baseline: .top)
        canvas.labelLegend(labels: present, names: classNames, palette: palette, at: Point(outRect.maxX + 12, outRect.minY),
                           rowHeight: 15, font: .regular(9))
    }
}

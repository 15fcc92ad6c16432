// SegmentationResults.swift — paper Fig. 4 and Fig. 6: rows of images with label maps beside
// them (e.g. FCN-32s, FCN-16s, FCN-8s, ground truth).
//
// Paper §4.2 Fig. 4 ("Refining fully convolutional nets by fusing information from layers with
// different strides improves segmentation detail") and §5 Fig. 6 (CVPR 2015). Pure drawing:
// the caller brings the images and the label maps (predictions from a trained net, e.g.
// `Segmentation.segment`, ground truth from the data set); the painting is the library's
// (`LabelMap.colored`, `RGBImage.overlaid`); nothing is computed here.
import FCN

/// One row: an image and its label maps, each with a column title.
public struct SegmentationRow: Sendable {
    /// The input image.
    public var image: RGBImage
    /// The label maps shown beside it (the image's size), each with a title.
    public var panels: [(title: String, labels: LabelMap)]
    /// A row of the figure.
    public init(image: RGBImage, panels: [(title: String, labels: LabelMap)]) {
        precondition(panels.allSatisfy { $0.labels.width == image.width && $0.labels.height == image.height },
                     "SegmentationRow: every label map needs \(image.width)×\(image.height) labels")
        self.image = image; self.panels = panels
    }
}

/// A grid of segmentation results with a legend of the labels that occur.
///
/// - Parameters:
///   - title: the figure's title.
///   - rows: one image per row; every row should have the same panel titles (the first row's are shown).
///   - classNames: the legend's name of each label.
///   - palette: the colour of each label.
///   - panelSize: the side of each panel in points (images are scaled to fit, aspect kept).
///   - overlayAlpha: if given, label maps are blended over the image at this opacity instead of drawn flat.
///   - subtitle: an optional grey line under the title (what the columns' numbers mean).
///   - legendLabels: the labels the legend lists; nil lists those that occur in the panels. Give
///     every class (and the void label) when the figure teaches the label set, so that a class
///     the few scenes drawn happen to lack is still named.
public func segmentationResultsFigure(title: String, subtitle: String? = nil, rows: [SegmentationRow], classNames: [String],
                                      palette: [LabelColor] = LabelPalette.pascalVOCColors, panelSize: Double = 150,
                                      overlayAlpha: Double? = nil, legendLabels: [Int]? = nil) -> Figure {
    let margin = 20.0, gap = 8.0, header = 60.0
    let columns = 1 + (rows.first?.panels.count ?? 0)
    let present = legendLabels ?? Array(Set(rows.flatMap { $0.panels.flatMap { $0.labels.labels.map(Int.init) } })).sorted()
    let legendWidth = 130.0
    let width = 2 * margin + Double(columns) * (panelSize + gap) + legendWidth
    // Rows as tall as the tallest image needs (landscape images leave no empty band).
    let rowHeight = panelSize * min(1, rows.map { Double($0.image.height) / Double($0.image.width) }.max() ?? 1)
    let height = margin + header + Double(rows.count) * (rowHeight + gap) + margin
    return Figure(width: width, height: height) { canvas in
        canvas.text(title, at: Point(margin, margin + 12), font: .bold(14))
        if let subtitle { canvas.text(subtitle, at: Point(margin, margin + 30), font: .regular(10), color: .grey) }
        let titles = ["image"] + (rows.first?.panels.map(\.title) ?? [])
        for (c, t) in titles.enumerated() {
            canvas.text(t, at: Point(margin + Double(c) * (panelSize + gap) + panelSize / 2, margin + header - 8),
                        font: .bold(11), align: .center, baseline: .bottom)
        }
        for (r, row) in rows.enumerated() {
            let y = margin + header + Double(r) * (rowHeight + gap)
            let aspect = Double(row.image.height) / Double(row.image.width)
            let w = aspect <= 1 ? panelSize : panelSize / aspect, h = aspect <= 1 ? panelSize * aspect : panelSize
            func rect(_ c: Int) -> Rect {
                Rect(x: margin + Double(c) * (panelSize + gap) + (panelSize - w) / 2, y: y + (rowHeight - h) / 2, width: w, height: h)
            }
            canvas.image(row.image, in: rect(0), smooth: true)
            canvas.stroke(rect(0), .grey, lineWidth: 0.5)
            for (c, panel) in row.panels.enumerated() {
                let shown = overlayAlpha.map { row.image.overlaid(with: panel.labels, palette: palette, alpha: $0) }
                    ?? panel.labels.colored(palette: palette)
                canvas.image(shown, in: rect(c + 1))
                canvas.stroke(rect(c + 1), .grey, lineWidth: 0.5)
            }
        }
        canvas.labelLegend(labels: present, names: classNames, palette: palette,
                           at: Point(margin + Double(columns) * (panelSize + gap) + 6, margin + header), rowHeight: 15, font: .regular(9))
    }
}

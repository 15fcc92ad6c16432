// ColormapSwatches.swift — the engine's self-test figure: every colormap and the VOC palette.
//
// Paper §5 (the VOC classes and their colours); otherwise no paper section. If text, colours
// or alignment break anywhere in the engine, it shows here first.
import FCN

/// The colormaps as labelled gradient bars, then the 21 VOC classes and void with their colours.
public func colormapSwatches() -> Figure {
    let margin = 20.0, barWidth = 400.0, barHeight = 20.0, rowGap = 44.0, labelWidth = 100.0
    let maps: [(Colormap, ValueRange)] = [
        (.viridis, ValueRange(0, 1)), (.blueWhiteRed, ValueRange(-1, 1)), (.greys, ValueRange(0, 1)),
    ]
    let legendTop = margin + 40 + Double(maps.count) * rowGap + 24
    let labels = Array(0..<LabelPalette.pascalVOCClassNames.count) + [LabelPalette.voidLabel]
    let legendRows = (labels.count + 3) / 4
    return Figure(width: 2 * margin + labelWidth + barWidth + 30, height: legendTop + Double(legendRows) * 16 + margin) { canvas in
        canvas.text("Colormaps and the PASCAL VOC label palette", at: Point(margin, margin + 12), font: .bold(14))
        for (row, (map, range)) in maps.enumerated() {
            let y = margin + 40 + Double(row) * rowGap
            let bar = Rect(x: margin + labelWidth, y: y, width: barWidth, height: barHeight)
            // 256 samples left to right, drawn with sharp pixels (each sample ≈ 1.6 pt wide).
            var pixels = RGBImage(width: 256, height: 1, fill: .white)
            for x in 0..<256 { pixels[0, x] = map.color(at: Double(x) / 255) }
            canvas.image(pixels, in: bar)
            canvas.stroke(bar, .grey, lineWidth: 0.5)
            canvas.text(map.name, at: Point(margin, bar.center.y), font: .regular(11), baseline: .middle)
            for t in [0.0, 0.5, 1.0] {
                let x = bar.minX + t * bar.width
                canvas.line(from: Point(x, bar.maxY), to: Point(x, bar.maxY + 3), lineWidth: 0.7)
                canvas.text(formatNumber(range.lower + t * (range.upper - range.lower)), at: Point(x, bar.maxY + 5),
                            font: .regular(9), align: t == 0 ? .left : t == 1 ? .right : .center, baseline: .top)
            }
        }
        canvas.text("PASCAL VOC labels (colours computed by VOClabelcolormap's bit interleaving)",
                    at: Point(margin, legendTop - 10), font: .bold(11))
        canvas.labelLegend(labels: labels, names: LabelPalette.pascalVOCClassNames, at: Point(margin, legendTop),
                           columns: 4, columnWidth: (labelWidth + barWidth + 30) / 4)
    }
}

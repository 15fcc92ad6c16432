// ConvolutionArithmetic.swift — how a stride-s transposed convolution upsamples, cell by cell.
//
// Paper §3.3 ("Upsampling is backwards strided convolution"). In the style of Dumoulin &
// Visin's conv_arithmetic pictures: each input cell stamps a k×k copy of the kernel onto the
// output, s cells further along than its neighbour's stamp; where stamps overlap their
// contributions add. FCN uses k = 2s, so the output is s·(n−1)+k = s·(n+1) long. The picture
// trims (k−s)/2 on each side to show the s·n cells centred on the input cells; FCN's Crop layer
// instead cuts at the offset where the coordinate maps meet and keeps the INPUT's size (for
// VGG16's FCN-32s on 500 px: 544 upsampled, offset 19, 500 kept — see `upsamplingSizesTable`).
// Every number drawn comes from `transposedConvolutionOutputLength` (FCNCore/Geometry.swift).
import FCN

/// How many stamps cover output position `o` along one axis: #{i < n : i·s ≤ o < i·s + k}.
func stampCount(at o: Int, inputLength n: Int, stride s: Int, kernel k: Int) -> Int {
    (0..<n).filter { i in i * s <= o && o < i * s + k }.count
}

/// The transposed-convolution picture for an n×n input, stride `stride`, kernel `kernel`
/// (default 2·stride, FCN's choice), with the stamp of input cell `highlight` outlined.
///
/// - Parameters:
///   - n: cells per side of the input (≥ 1).
///   - s: the stride, ≥ 1.
///   - kernel: k ≥ s (default 2s).
///   - highlight: the input cell whose stamp is outlined.
public func convolutionArithmetic(inputLength n: Int = 3, stride s: Int = 2, kernel: Int? = nil,
                                  highlight: (row: Int, column: Int) = (1, 1)) -> Figure {
    let k = kernel ?? 2 * s
    precondition(n >= 1 && s >= 1 && k >= s, "convolutionArithmetic: need n ≥ 1, s ≥ 1, k ≥ s")
    let full = transposedConvolutionOutputLength(input: n, kernel: k, stride: s, padBefore: 0, padAfter: 0)
    let crop = (k - s) / 2
    let cropped = transposedConvolutionOutputLength(input: n, kernel: k, stride: s, padBefore: crop, padAfter: k - s - crop)
    let counts = (0..<full).map { stampCount(at: $0, inputLength: n, stride: s, kernel: k) }   // per axis
    let maxCount = (counts.max() ?? 1) * (counts.max() ?? 1)
    let hi = (row: min(highlight.row, n - 1), column: min(highlight.column, n - 1))

    let cell = max(14, min(28, 240 / Double(full)))
    let margin = 20.0, top = margin + 64, gapBetween = 90.0
    let input = Point(margin + 10, top + (Double(full) - Double(n)) * cell / 2)
    let output = Point(input.x + Double(n) * cell + gapBetween, top)
    let keyX = output.x + Double(full) * cell + 30
    let width = keyX + 200, height = top + Double(full) * cell + 86

    let stampColor = RGB.series[1], cropColor = RGB.series[2], shade = RGB.series[0]
    @Sendable func shadeFor(_ c: Int) -> RGB { RGB.white.mixed(with: shade, c == 0 ? 0 : 0.15 + 0.6 * Double(c) / Double(maxCount)) }

    return Figure(width: width, height: height) { canvas in
        canvas.text("Transposed convolution: stride s = \(s), kernel k = \(k)\(k == 2 * s ? " (FCN's k = 2s)" : "")",
                    at: Point(margin, margin + 12), font: .bold(14))
        canvas.text("Each input cell adds a k×k copy of the kernel to the output, s cells after its neighbour's; overlaps add up.",
                    at: Point(margin, margin + 30), font: .regular(10), color: .grey)

        // Input grid, the highlighted cell filled.
        for r in 0..<n { for c in 0..<n {
            let rect = Rect(x: input.x + Double(c) * cell, y: input.y + Double(r) * cell, width: cell, height: cell)
            canvas.fill(rect, (r, c) == hi ? stampColor : RGB(0.93, 0.95, 0.98))
            canvas.stroke(rect, .ink, lineWidth: 0.8)
        } }
        canvas.text("input \(n)×\(n)", at: Point(input.x + Double(n) * cell / 2, input.y + Double(n) * cell + 8),
                    font: .regular(11), align: .center, baseline: .top)

        // Output grid: each cell shaded and labelled with how many stamps cover it.
        for r in 0..<full { for c in 0..<full {
            let count = counts[r] * counts[c]
            let rect = Rect(x: output.x + Double(c) * cell, y: output.y + Double(r) * cell, width: cell, height: cell)
            let fill = shadeFor(count)
            canvas.fill(rect, fill)
            canvas.stroke(rect, .grey, lineWidth: 0.5)
            canvas.text("\(count)", at: rect.center, font: .mono(cell * 0.38),
                        color: fill.luminance < 0.45 ? .white : .ink, align: .center, baseline: .middle)
        } }
        // The highlighted input cell's stamp, and an arrow to it.
        let stamp = Rect(x: output.x + Double(hi.column * s) * cell, y: output.y + Double(hi.row * s) * cell,
                         width: Double(k) * cell, height: Double(k) * cell)
        canvas.stroke(stamp, stampColor, lineWidth: 2.5)
        let from = Point(input.x + (Double(hi.column) + 1) * cell, input.y + (Double(hi.row) + 0.5) * cell)
        canvas.arrow(from: Point(from.x + 4, from.y), to: Point(output.x - 6, stamp.center.y), color: stampColor, lineWidth: 1.5)
        // The crop that realigns the output with the input.
        let kept = Rect(x: output.x + Double(crop) * cell, y: output.y + Double(crop) * cell,
                        width: Double(cropped) * cell, height: Double(cropped) * cell)
        canvas.stroke(kept, cropColor, lineWidth: 2, dash: [6, 4])

        let gridRight = output.x + Double(full) * cell, gridBottom = output.y + Double(full) * cell
        canvas.dimension(from: Point(output.x, output.y - 10), to: Point(gridRight, output.y - 10),
                         label: "s·(n−1)+k = \(s)·(\(n)−1)+\(k) = \(full)")
        canvas.dimension(from: Point(kept.minX, gridBottom + 12), to: Point(kept.maxX, gridBottom + 12),
                         label: "trimmed: \(cropped) = s·n", offset: Point(0, 4), color: cropColor)
        canvas.text("output \(full)×\(full), trimmed here by (k−s)/2 = \(crop) per side to \(cropped)×\(cropped)",
                    at: Point(output.x, gridBottom + 46), font: .regular(11))
        canvas.text("Deconvolution, padding 0 (§3.3). FCN's Crop: coordinate-map offset, input's size",
                    at: Point(output.x, gridBottom + 62), font: .regular(10), color: .grey)

        // Key.
        var y = top + 4
        canvas.text("stamps covering a cell", at: Point(keyX, y), font: .bold(10), baseline: .top)
        y += 18
        for c in Set(counts.flatMap { a in counts.map { a * $0 } }).sorted() {
            let sw = Rect(x: keyX, y: y, width: 14, height: 14)
            canvas.fill(sw, shadeFor(c)); canvas.stroke(sw, .grey, lineWidth: 0.5)
            canvas.text("\(c)", at: Point(sw.maxX + 6, sw.center.y), font: .regular(10), baseline: .middle)
            y += 18
        }
        y += 10
        canvas.stroke(Rect(x: keyX, y: y, width: 14, height: 14), stampColor, lineWidth: 2.5)
        canvas.text("input cell (\(hi.row),\(hi.column)) and its", at: Point(keyX + 20, y + 6), font: .regular(10), baseline: .middle)
        canvas.text("k×k stamp at (s·\(hi.row), s·\(hi.column))", at: Point(keyX + 20, y + 19), font: .regular(10), baseline: .middle)
        y += 36
        canvas.dashedLine(from: Point(keyX, y + 7), to: Point(keyX + 14, y + 7), color: cropColor, lineWidth: 2, on: 4, off: 2)
        canvas.text("trimmed here to s·n", at: Point(keyX + 20, y + 7), font: .regular(10), baseline: .middle)
    }
}

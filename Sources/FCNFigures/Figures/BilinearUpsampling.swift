// BilinearUpsampling.swift — the bilinear kernel, what it does to a map, and the checkerboard a
// badly sized kernel leaves.
//
// Paper §3.3 ("a deconvolution layer … initialized to bilinear interpolation") and §4.2 (CVPR 2015). The
// kernel is Berkeley's `upsample_filt` (FCN/Layers/TransposedConvolution/BilinearKernel.swift), k = 2f − f mod 2. With
// stride f each input pixel stamps a tent; neighbouring tents overlap so that every output pixel
// receives weights summing to 1 — a constant map stays constant. A kernel whose size is not a
// multiple of the stride (k = 3, s = 2, all ones) covers some output pixels twice and others
// once: a constant input comes out as a checkerboard. All outputs are computed with the
// library's `TransposedConvolution.referenceForward`.
//
// Dimension letters: f factor (= stride), k kernel size, n input size.
import FCN

/// The numbers behind the bilinear-upsampling figure.
public struct BilinearUpsamplingData: Sendable {
    /// (factor, the k×k kernel as a [1, 1, k, k] tensor).
    public var kernels: [(factor: Int, kernel: Tensor)]
    /// A small input map `[1, 1, n, n]` and its upsampling by each factor (cropped to f·n).
    public var input: Tensor
    /// The input upsampled by each factor.
    public var upsampled: [(factor: Int, output: Tensor)]
    /// A constant input, the good kernel's output, the bad kernel and its output.
    public var constant: Tensor
    /// The bilinear kernel's output on the constant input (constant inside).
    public var goodOnConstant: Tensor
    /// A kernel whose size is not a multiple of its stride.
    public var badKernel: Tensor
    /// The stride the bad kernel is used with.
    public var badStride: Int
    /// The bad kernel's output on the constant input: a checkerboard.
    public var badOnConstant: Tensor

    /// Computes everything for `factors` (default 2 and 4) on a seeded `n × n` map.
    public static func compute(factors: [Int] = [2, 4], inputSize n: Int = 4, seed: UInt64 = 3) -> BilinearUpsamplingData {
        var rng = SeededRandom(seed: seed)
        let x = Tensor(randomUniform: [1, 1, n, n], in: 0...1, using: &rng)                    // [1, 1, n, n]
        func up(_ f: Int, _ input: Tensor) -> Tensor {
            let k = bilinearKernelSize(factor: f), crop = (k - f) / 2
            // Padding (k − f)/2 on each side trims the overhang to f·n outputs, centred — a choice for
            // this picture. FCN's own crop is the coordinate-map offset and keeps the input's size
            // (19 for VGG16's FCN-32s; Chapter 4, the upsampling-sizes figure).
            let layer = TransposedConvolution(weight: bilinearUpsamplingWeight(channels: 1, factor: f), stride: Size2(f),
                                              padding: Padding(top: crop, left: crop, bottom: k - f - crop, right: k - f - crop))
            return layer.referenceForward(input)                                                 // [1, 1, f·n, f·n]
        }
        let kernels = factors.map { f in (f, bilinearUpsamplingWeight(channels: 1, factor: f)) }
        let constant = Tensor(repeating: 1, shape: [1, 1, 5, 5])
        let box = Tensor(repeating: 1, shape: [1, 1, 3, 3])                                        // k = 3, s = 2
        let bad = TransposedConvolution(weight: box, stride: 2).referenceForward(constant)        // uncropped: 11×11
        return BilinearUpsamplingData(kernels: kernels, input: x, upsampled: factors.map { ($0, up($0, x)) },
                                      constant: constant, goodOnConstant: up(2, constant), badKernel: box, badStride: 2,
                                      badOnConstant: bad)
    }
}

/// Draws a [.., h, w] tensor slice as cells with their values printed, inside `rect`.
func valueGrid(_ canvas: Canvas, _ t: Tensor, in rect: Rect, colormap: Colormap = .viridis, range: ValueRange? = nil,
               printValues: Bool = true, fontSize: Double = 9, significant: Int = 3) {
    let image = TensorImage(t, colormap: colormap, range: range)
    canvas.draw(image, in: rect)
    guard printValues else { return }
    let cw = rect.width / Double(image.width), ch = rect.height / Double(image.height)
    for i in 0..<image.height { for j in 0..<image.width {
        let v = image.values[i * image.width + j]
        let fill = image.colormap.color(at: image.range.fraction(Double(v)))
        canvas.text(formatNumber(Double(v), significant: significant), at: Point(rect.minX + (Double(j) + 0.5) * cw, rect.minY + (Double(i) + 0.5) * ch),
                    font: .mono(fontSize), color: fill.luminance < 0.45 ? .white : .ink, align: .center, baseline: .middle)
    } }
}

/// The bilinear-upsampling figure: kernels as numbers and heat, a map upsampled ×2 and ×4,
/// and a constant map through the bilinear kernel (flat) and a 3×3 box with stride 2 (checkerboard).
public func bilinearUpsamplingFigure(_ data: BilinearUpsamplingData) -> Figure {
    let margin = 20.0, width = 1000.0
    let row1 = margin + 50, row2 = row1 + 330, row3 = row2 + 230
    return Figure(width: width, height: row3 + 280) { canvas in
        canvas.text("Bilinear upsampling as a transposed convolution (§3.3)", at: Point(margin, margin + 12), font: .bold(14))
        canvas.text("Kernel k = 2f − f mod 2 (Berkeley's upsample_filt), stride f; each input pixel stamps the tent, overlapping stamps add.",
                    at: Point(margin, margin + 30), font: .regular(10), color: .grey)

        // Row 1: the kernels, values printed.
        canvas.text("1. The kernels", at: Point(margin, row1), font: .bold(12))
        var x = margin
        for (f, kernel) in data.kernels {
            let k = kernel.shape[2]
            let side = min(280.0, Double(k) * 50)
            let r = Rect(x: x, y: row1 + 30, width: side, height: side)
            valueGrid(canvas, kernel, in: r, range: ValueRange(0, 1), fontSize: k > 6 ? 8 : 11, significant: k > 6 ? 2 : 3)
            canvas.text("factor f = \(f): k = \(k), \(k)×\(k) weights", at: Point(x, row1 + 22), font: .regular(10))
            x = r.maxX + 40
        }
        canvas.colorBar(.viridis, range: ValueRange(0, 1), in: Rect(x: x - 28, y: row1 + 30, width: 10, height: 120))
        canvas.text("Each weight is tent(u)·tent(v); with stride f the stamps of", at: Point(x + 20, row1 + 40), font: .regular(10))
        canvas.text("neighbouring pixels overlap and their weights at any output", at: Point(x + 20, row1 + 54), font: .regular(10))
        canvas.text("pixel sum to 1: linear interpolation along each axis.", at: Point(x + 20, row1 + 68), font: .regular(10))

        // Row 2: a small map upsampled.
        canvas.text("2. Upsampling a \(data.input.shape[2])×\(data.input.shape[3]) map (padded here by (k − f)/2 per side to f·n; FCN crops at the coordinate-map offset)",
                    at: Point(margin, row2), font: .bold(12))
        let inputRect = Rect(x: margin, y: row2 + 30, width: 160, height: 160)
        let range = ValueRange(0, 1)
        valueGrid(canvas, data.input, in: inputRect, range: range, fontSize: 10)
        canvas.text("input \(data.input.shape[2])×\(data.input.shape[3])", at: Point(inputRect.minX, row2 + 22), font: .regular(10))
        x = inputRect.maxX + 50
        for (f, out) in data.upsampled {
            let r = Rect(x: x, y: row2 + 30, width: 160, height: 160)
            canvas.arrow(from: Point(x - 42, r.center.y), to: Point(x - 6, r.center.y))
            canvas.draw(TensorImage(out, range: range), in: r)
            canvas.text("×\(f): \(out.shape[2])×\(out.shape[3])", at: Point(x, row2 + 22), font: .regular(10))
            x = r.maxX + 50
        }
        canvas.colorBar(.viridis, range: range, in: Rect(x: x - 40, y: row2 + 30, width: 10, height: 160))

        // Row 3: a constant input: bilinear stays flat, a 3×3 box with stride 2 does not.
        canvas.text("3. A constant input of ones: kernel size and stride must agree", at: Point(margin, row3), font: .bold(12))
        let c = data.constant.shape[2]
        let cRect = Rect(x: margin, y: row3 + 30, width: Double(c) * 22, height: Double(c) * 22)
        valueGrid(canvas, data.constant, in: cRect, range: ValueRange(0, 2), fontSize: 9)
        canvas.text("input \(c)×\(c), all 1", at: Point(margin, row3 + 22), font: .regular(10))
        let goodRect = Rect(x: cRect.maxX + 50, y: row3 + 30, width: 230, height: 230)
        canvas.arrow(from: Point(goodRect.minX - 42, goodRect.center.y), to: Point(goodRect.minX - 6, goodRect.center.y))
        valueGrid(canvas, data.goodOnConstant, in: goodRect, range: ValueRange(0, 2), fontSize: 8, significant: 2)
        canvas.text("bilinear, k = 4, s = 2 (cropped): flat", at: Point(goodRect.minX, row3 + 22), font: .regular(10))
        let b = data.badOnConstant.shape[2]
        let badRect = Rect(x: goodRect.maxX + 60, y: row3 + 30, width: 230, height: 230)
        canvas.arrow(from: Point(badRect.minX - 52, badRect.center.y), to: Point(badRect.minX - 6, badRect.center.y))
        valueGrid(canvas, data.badOnConstant, in: badRect, range: ValueRange(0, 4), fontSize: 8)
        canvas.text("box k = 3, s = \(data.badStride) (\(b)×\(b), uncropped): checkerboard", at: Point(badRect.minX, row3 + 22), font: .regular(10))
        let k = data.badKernel.shape[2]
        let boxRect = Rect(x: badRect.maxX + 30, y: row3 + 30, width: Double(k) * 18, height: Double(k) * 18)
        valueGrid(canvas, data.badKernel, in: boxRect, range: ValueRange(0, 4), fontSize: 8)
        canvas.text("its kernel", at: Point(boxRect.minX, boxRect.maxY + 14), font: .regular(9), color: .grey)
        canvas.text("k = 3 is not a multiple of s = 2:", at: Point(boxRect.minX, boxRect.maxY + 40), font: .regular(9))
        canvas.text("odd rows/columns get 1 stamp,", at: Point(boxRect.minX, boxRect.maxY + 53), font: .regular(9))
        canvas.text("even ones 2 (inside): 1, 2, 4.", at: Point(boxRect.minX, boxRect.maxY + 66), font: .regular(9))
    }
}

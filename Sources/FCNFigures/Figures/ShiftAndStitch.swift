// ShiftAndStitch.swift — shift-and-stitch equals filter rarefaction (dilation), computed.
//
// Paper §3.2 ("Shift-and-stitch is filter rarefaction"). A net conv1 → pool (stride 2) → conv2
// gives an output at half resolution. Two ways to get it at full resolution:
//   (a) shift-and-stitch: run the net on the input shifted by (dy, dx) ∈ {0, 1}² and put the
//       output of shift (dy, dx) at positions (2i + dy, 2j + dx) — interleave the four outputs;
//   (b) rarefaction: pool with stride 1 instead of 2 and dilate conv2's filter by 2 (its taps
//       land 2 pixels apart, where (a)'s taps landed 1 coarse pixel apart).
// Every layer here is unpadded ("valid"), so the shifted runs see exactly the pixels the dense
// run sees and the two results agree everywhere, not only away from the borders:
//   shifted:  out_(dy)[i] = Σ_a w[a] · pool2(x1)[i + a] = Σ_a w[a] · pool1(x1)[2i + dy + 2a]
//   dense:    out[m]      = Σ_a w[a] · pool1(x1)[m + 2a],       so out[2i + dy] = out_(dy)[i].
// The numbers are computed with the library's Convolution and MaxPooling reference layers.
//
// Dimension letters: N batch (1), C channels, H×W spatial size.
import FCN

/// The computed pieces of the shift-and-stitch figure.
public struct ShiftAndStitchData: Sendable {
    /// The input, `[1, C, H, W]`.
    public var input: Tensor
    /// The four coarse outputs, `[1, 1, h, w]` each, with the shift (dy, dx) that made them.
    public var shifted: [(dy: Int, dx: Int, output: Tensor)]
    /// The four outputs interleaved, `[1, 1, OH, OW]`.
    public var stitched: Tensor
    /// Stride-1 pooling and conv2 dilated by 2 on the unshifted input, `[1, 1, OH, OW]`.
    public var dilated: Tensor
    /// For each stitched pixel (row-major), the index into `shifted` that filled it.
    public var source: [Int]
    /// max |stitched − dilated|.
    public var maxDifference: Float
    /// conv1's output channels.
    public var hiddenChannels: Int

    /// Runs both computations on a seeded random net and input.
    ///
    /// - Parameters:
    ///   - seed: the seed of the random weights and input.
    ///   - n: H = W of the input (≥ 8).
    ///   - channels: input channels C.
    ///   - hidden: conv1's output channels (conv2 has one).
    public static func compute(seed: UInt64 = 7, inputSize n: Int = 16, channels: Int = 3, hidden: Int = 4) -> ShiftAndStitchData {
        precondition(n >= 8, "ShiftAndStitchData: input size must be ≥ 8")
        var rng = SeededRandom(seed: seed)
        let x = Tensor(randomNormal: [1, channels, n, n], mean: 0, standardDeviation: 1, using: &rng)      // [1, C, H, W]
        let w1 = Tensor(randomNormal: [hidden, channels, 3, 3], mean: 0, standardDeviation: 0.4, using: &rng)
        let w2 = Tensor(randomNormal: [1, hidden, 3, 3], mean: 0, standardDeviation: 0.4, using: &rng)
        let conv1 = Convolution(weight: w1)                                    // 3×3, no padding
        let conv2 = Convolution(weight: w2)
        let coarsePool = MaxPooling(kernel: 2, stride: 2, rounding: .floor)
        let densePool = MaxPooling(kernel: 2, stride: 1, rounding: .floor)
        let rarefied = Convolution(weight: w2, dilation: 2)                    // the same taps, 2 apart

        func net(_ input: Tensor) -> Tensor {
            conv2.referenceForward(coarsePool.referenceForward(conv1.referenceForward(input)).output)
        }
        // (b) dense: [1, 1, OH, OW]
        let dense = rarefied.referenceForward(densePool.referenceForward(conv1.referenceForward(x)).output)
        let oh = dense.shape[2], ow = dense.shape[3]

        // (a) shift by cropping the first dy rows and dx columns, run, interleave.
        var shifted: [(dy: Int, dx: Int, output: Tensor)] = []
        var stitched = Tensor(repeating: .nan, shape: [1, 1, oh, ow])
        var source = [Int](repeating: -1, count: oh * ow)
        for dy in 0..<2 { for dx in 0..<2 {
            let cropped = Tensor(shape: [1, channels, n - dy, n - dx]) { i in x[0, i[1], i[2] + dy, i[3] + dx] }
            let y = net(cropped)                                               // [1, 1, h, w]
            for i in 0..<y.shape[2] { for j in 0..<y.shape[3] where 2 * i + dy < oh && 2 * j + dx < ow {
                stitched[0, 0, 2 * i + dy, 2 * j + dx] = y[0, 0, i, j]
                source[(2 * i + dy) * ow + 2 * j + dx] = shifted.count
            } }
            shifted.append((dy, dx, y))
        } }
        let difference = zip(stitched.scalars, dense.scalars).map { abs($0 - $1) }.max() ?? .nan
        return ShiftAndStitchData(input: x, shifted: shifted, stitched: stitched, dilated: dense, source: source,
                                  maxDifference: difference, hiddenChannels: hidden)
    }
}

/// The figure: input, the four shifted outputs, their interleaving, the dilated result, and
/// the measured difference between the last two.
public func shiftAndStitchFigure(_ data: ShiftAndStitchData) -> Figure {
    let margin = 20.0, cell = 18.0, gap = 36.0
    let oh = data.stitched.shape[2], ow = data.stitched.shape[3]
    let values = data.stitched.scalars + data.dilated.scalars + data.shifted.flatMap(\.output.scalars)
    let range = ValueRange(symmetricAbout: values)
    let colors = [RGB.series[0], RGB.series[1], RGB.series[2], RGB.series[4]]
    let small = 11.0                                              // cell size of the shifted outputs
    let top = margin + 56, gridTop = top + 26
    let shiftedWidth = 2 * (Double(data.shifted.map { $0.output.shape[3] }.max() ?? 1) * small) + 24
    let stitchedX = margin + shiftedWidth + gap
    let denseX = stitchedX + Double(ow) * cell + gap + 20
    let width = denseX + Double(ow) * cell + 70
    let gridBottom = gridTop + Double(oh) * cell
    let height = gridBottom + 110

    return Figure(width: width, height: height) { canvas in
        canvas.text("Shift-and-stitch is filter rarefaction (§3.2)", at: Point(margin, margin + 12), font: .bold(14))
        let c = data.input.shape[1], n = data.input.shape[2]
        canvas.text("Net: conv 3×3 (\(c)→\(data.hiddenChannels)) → max-pool 2×2 stride 2 → conv 3×3 (→1), no padding, random weights (seeded). Input \(c)×\(n)×\(n).",
                    at: Point(margin, margin + 30), font: .regular(10), color: .grey)

        // The four shifted runs, in a 2×2 arrangement.
        canvas.text("(a) run on 4 shifted inputs", at: Point(margin, top), font: .bold(11))
        var y = gridTop
        for row in 0..<2 {
            var x = margin
            var rowHeight = 0.0
            for col in 0..<2 {
                let k = row * 2 + col
                let s = data.shifted[k]
                let r = Rect(x: x, y: y + 14, width: Double(s.output.shape[3]) * small, height: Double(s.output.shape[2]) * small)
                canvas.draw(TensorImage(s.output, colormap: .blueWhiteRed, range: range), in: r, outline: false)
                canvas.stroke(r, colors[k], lineWidth: 2)
                canvas.text("shift (\(s.dy),\(s.dx)): \(s.output.shape[2])×\(s.output.shape[3])", at: Point(x, y + 10),
                            font: .regular(9), color: colors[k])
                x = r.maxX + 24
                rowHeight = max(rowHeight, r.height + 24)
            }
            y += rowHeight + 6
        }

        // The interleaving: each stitched cell framed in the colour of the shift that filled it.
        canvas.text("stitched \(oh)×\(ow)", at: Point(stitchedX, top), font: .bold(11))
        canvas.text("cell (2i+dy, 2j+dx) ← shift (dy,dx)", at: Point(stitchedX, top + 14), font: .regular(10))
        let stitchedRect = Rect(x: stitchedX, y: gridTop, width: Double(ow) * cell, height: Double(oh) * cell)
        canvas.draw(TensorImage(data.stitched, colormap: .blueWhiteRed, range: range), in: stitchedRect, outline: false)
        for i in 0..<oh { for j in 0..<ow {
            let k = data.source[i * ow + j]
            guard k >= 0 else { continue }
            let r = Rect(x: stitchedX + Double(j) * cell, y: gridTop + Double(i) * cell, width: cell, height: cell).inset(by: 1.5)
            canvas.stroke(r, colors[k], lineWidth: 2)
        } }
        canvas.arrow(from: Point(stitchedX - gap + 6, stitchedRect.center.y), to: Point(stitchedX - 6, stitchedRect.center.y))

        canvas.text("(b) one run, dense \(oh)×\(ow)", at: Point(denseX, top), font: .bold(11))
        canvas.text("pool stride 1, conv2 dilated ×2", at: Point(denseX, top + 14), font: .regular(10))
        let denseRect = Rect(x: denseX, y: gridTop, width: Double(ow) * cell, height: Double(oh) * cell)
        canvas.draw(TensorImage(data.dilated, colormap: .blueWhiteRed, range: range), in: denseRect)
        canvas.text("=", at: Point((stitchedRect.maxX + denseX) / 2, denseRect.center.y), font: .bold(22),
                    align: .center, baseline: .middle)
        canvas.colorBar(.blueWhiteRed, range: range, in: Rect(x: denseRect.maxX + 10, y: denseRect.minY, width: 10, height: denseRect.height))

        let verdict = "max |stitched − dilated| = \(formatNumber(Double(data.maxDifference)))  over \(oh * ow) pixels"
        canvas.text(verdict, at: Point(stitchedX, gridBottom + 26), font: .bold(12),
                    color: data.maxDifference <= 1e-5 ? RGB(0.15, 0.5, 0.2) : RGB.series[2])
        canvas.text("Why: out_(dy)[i] = Σₐ w[a]·pool₂(x)[i+a] = Σₐ w[a]·pool₁(x)[2i+dy+2a] = dense[2i+dy] (per axis)",
                    at: Point(margin, gridBottom + 50), font: .regular(10))
        canvas.text("Shift-and-stitch costs 4 runs (f² for stride f); rarefaction one run of a net with a sparser filter (à trous, dilated).",
                    at: Point(margin, gridBottom + 66), font: .regular(10), color: .grey)
        canvas.text("Cell size: (a) \(Int(small)) pt, stitched and dense \(Int(cell)) pt per output pixel; colour scale shared.",
                    at: Point(margin, gridBottom + 82), font: .regular(9), color: .grey)
    }
}

// Checkerboards.swift — Chapter 4: FCN's K×K bilinear weight, and why a learned kernel leaves
// checkerboards where bilinear and resize-then-convolve do not (paper §3.3 CVPR 2015; Odena,
// Dumoulin, Olah, "Deconvolution and Checkerboard Artifacts", Distill 2016).
//
// FCN's upsampling layer maps K score channels to K: its weight is [K, K, k, k] with the
// bilinear kernel on the diagonal and zeros elsewhere, so class c's scores are interpolated from
// class c's alone (Berkeley's `surgery.interp`). With stride s, output pixel (a, b) takes only the
// kernel taps ≡ (a, b) mod s — s² "phases". A constant input comes out constant exactly when
// every phase's taps sum to the same value: true for bilinear, false for almost any learned
// kernel, even one whose size is a multiple of s. Nearest-neighbour resizing followed by a
// stride-1 convolution has a single phase, so it cannot make the pattern at all.
import FCN
import FCNCourse
import FCNFigures

/// What the chapter prints of the checkerboards, for the tests.
struct Checkerboards {
    var offDiagonalNonzeros: Int           // in the K×K bilinear weight
    var diagonalMatchesSingleChannel: Bool // each class upsampled on its own
    var bilinearSpread: Float              // (max − min) / mean of the interior, constant input
    var learnedSpread: Float               // a random 4×4 stride-2 kernel
    var resizeConvolveSpread: Float        // nearest 2× resize, then the same kernel's 3×3 part at stride 1
    var phaseSums: [Float]                 // the random kernel's four phase sums
    var interiors: Tensor                  // [1, 3, 8, 8]: the three outputs' interiors ÷ their means
}

/// The three upsampled constants side by side on one colour scale (1 = flat).
func checkerboardFigure(_ b: Checkerboards) -> Figure {
    let grid = FeatureMapGrid(b.interiors, layer: "A constant through three 2× upsamplers (interior ÷ mean)", columns: 3)
    let size = grid.size(tileSize: 150)
    return Figure(width: size.width + 40, height: size.height + 40) { canvas in
        grid.draw(on: canvas, at: Point(20, 20), tileSize: 150, note: "Odena et al., Distill 2016",
                  tileLabels: ["bilinear, stride 2", "random 4×4, stride 2", "resize, then 3×3 conv"])
    }
}

/// The central 8×8 of a [1, 1, H, W] map, divided by its mean.
func normalizedCentre(_ t: Tensor) -> [Float] {
    let (h, w) = (t.shape[2], t.shape[3])
    let v = (0..<64).map { t[0, 0, (h - 8) / 2 + $0 / 8, (w - 8) / 2 + $0 % 8] }
    let mean = v.reduce(0, +) / 64
    return v.map { $0 / mean }
}

/// (max − min) / |mean| of a [1, 1, H, W] map away from a `margin`-wide border.
func interiorSpread(_ t: Tensor, margin: Int) -> Float {
    let v = interiorValues(t, margin: margin)
    let mean = v.reduce(0, +) / Float(v.count)
    return (v.max()! - v.min()!) / abs(mean)
}

func checkerboards(_ lesson: inout Lesson, classes k: Int = 3) -> Checkerboards {
    // The class-diagonal weight: K = 3 classes, factor 2.
    let weight = bilinearUpsamplingWeight(channels: k, factor: 2)                  // [K, K, 4, 4]
    var offDiagonal = 0
    for i in 0..<k { for j in 0..<k where i != j { for a in 0..<4 { for b in 0..<4 where weight[i, j, a, b] != 0 { offDiagonal += 1 } } } }
    var rng = SeededRandom(seed: 41)
    let scores = Tensor(randomNormal: [1, k, 5, 5], using: &rng)                    // [1, K, 5, 5]
    let upsampled = TransposedConvolution(weight: weight, stride: 2, padding: 1).forward(scores)
    let single = TransposedConvolution(weight: bilinearUpsamplingWeight(channels: 1, factor: 2), stride: 2, padding: 1)
    let matches = (0..<k).allSatisfy { c in
        let alone = single.forward(Tensor(shape: [1, 1, 5, 5]) { scores[0, c, $0[2], $0[3]] })
        return Tensor(shape: alone.shape) { upsampled[0, c, $0[2], $0[3]] }.relativeDifference(to: alone) < 1e-6
    }
    lesson.value("K×K bilinear weight, K = \(k)", "\(weight.shape), \(offDiagonal) nonzero entries off the diagonal")
    lesson.value("each class upsampled alone = its channel", matches ? "yes (no class leaks into another)" : "NO")

    // A constant input through three upsamplers.
    let ones = Tensor(repeating: 1, shape: [1, 1, 8, 8])
    let bilinear = TransposedConvolution(weight: bilinearUpsamplingWeight(channels: 1, factor: 2), stride: 2, padding: 1).forward(ones)
    let learnedKernel = Tensor(shape: [1, 1, 4, 4]) { _ in Float.random(in: 0.2...1, using: &rng) }        // a "learned" 4×4
    let learned = TransposedConvolution(weight: learnedKernel, stride: 2, padding: 1).forward(ones)
    let phases = [(0, 0), (0, 1), (1, 0), (1, 1)].map { (p, q) in
        stride(from: p, to: 4, by: 2).flatMap { a in stride(from: q, to: 4, by: 2).map { b in learnedKernel[0, 0, a, b] } }.reduce(0, +)
    }
    let resized = Tensor(shape: [1, 1, 16, 16]) { ones[0, 0, $0[2] / 2, $0[3] / 2] }                    // nearest 2×
    let smooth = Tensor(shape: [1, 1, 3, 3]) { learnedKernel[0, 0, $0[2], $0[3]] }
    let resizeConvolve = Convolution(weight: smooth, stride: 1, padding: 1).forward(resized)
    let result = Checkerboards(offDiagonalNonzeros: offDiagonal, diagonalMatchesSingleChannel: matches,
                               bilinearSpread: interiorSpread(bilinear, margin: 2), learnedSpread: interiorSpread(learned, margin: 2),
                               resizeConvolveSpread: interiorSpread(resizeConvolve, margin: 2), phaseSums: phases,
                               interiors: Tensor(shape: [1, 3, 8, 8], scalars: [bilinear, learned, resizeConvolve].flatMap(normalizedCentre)))
    lesson.value("constant in, (max − min)/mean of the interior:", "")
    lesson.value("  bilinear 4×4, stride 2", show(result.bilinearSpread))
    lesson.value("  random 4×4, stride 2 (a learned kernel)", "\(show(result.learnedSpread)) — phase sums \(phases.map { show($0, digits: 3) }.joined(separator: ", "))")
    lesson.value("  nearest 2× resize, then 3×3 conv, stride 1", show(result.resizeConvolveSpread))
    return result
}

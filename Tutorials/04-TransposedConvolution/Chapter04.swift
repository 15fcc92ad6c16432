// Chapter 4 — Upsampling by transposed convolution (paper §3.3, CVPR 2015 and PAMI 2016).
//
//   "Another way to connect coarse outputs to dense pixels is interpolation. … In a sense,
//    upsampling with factor f is convolution with a fractional input stride of 1/f. So long as
//    f is integral, a natural way to upsample is therefore backwards convolution (sometimes
//    called deconvolution) with an output stride of f."           — Long, Shelhamer, Darrell
//
// This chapter checks that sentence with numbers: (1) the sizes a transposed convolution
// produces, (2) that it is the adjoint ("backwards") of a strided convolution, (3) the bilinear
// kernel FCN initialises it with and what it does to a constant and a ramp, (4) the checkerboard
// a kernel that is not a multiple of the stride leaves, (5) fixed versus learned upsampling.
import FCNTraining
import FCN
import FCNCourse
import FCNFigures

/// What the chapter measured, for the tests.
struct Chapter04Result {
    var adjointRelativeGap: Double
    var bilinearConstantRange: ClosedRange<Float>
    var rampStepRange: ClosedRange<Float>
    var checkerboardValues: Set<Float>
    var fixedBilinearError: Double
    var learnedError: Double
    var learnedFromZeroError: Double
    var earlyFromBilinearError: Double
    var earlyFromZeroError: Double
    var crops: [UpsamplingCrop] = []
    var views: ThreeViews? = nil
    var boards: Checkerboards? = nil
}

/// The knobs of the chapter's learning experiment (§3.3's "can be learned").
struct Chapter04Setup {
    var steps = 150                           // SGD steps fitting the 4×4 kernel
    var earlyStep = 5                         // where the head start of bilinear initialisation is read
}

func chapter04(_ lesson: inout Lesson, setup: Chapter04Setup = Chapter04Setup()) throws -> Chapter04Result {
    lesson.section("Output size: s·(n − 1) + k, then a crop to the input (§3.3, §4.2 CVPR)")
    lesson.formula("out = s·(n − 1) + k − 2p")
    // cell: output size and crop
    let crops = try lesson.inThisCell { try showUpsamplingAndCrop(&$0) }                                     // CropToInput.swift
    // end cell
    try lesson.figure("transposed-convolution-arithmetic", convolutionArithmetic())

    lesson.section("\"Backwards convolution\": the adjoint of a strided convolution")
    // A convolution with stride 2 maps x (8×8) to y (3×3); the transposed convolution with the
    // *same* weight maps back. Adjoint means ⟨conv(x), y⟩ = ⟨x, convT(y)⟩ for every x and y.
    // cell: adjoint
    var rng = SeededRandom(seed: 4)
    let weight = Tensor(randomNormal: [2, 3, 4, 4], using: &rng)                    // [O, C, KH, KW]
    let conv = Convolution(weight: weight, stride: 2)
    let up = TransposedConvolution(weight: weight, stride: 2)                       // [C_in=2, O=3, 4, 4]
    let x = Tensor(randomNormal: [1, 3, 8, 8], using: &rng)
    let y = Tensor(randomNormal: [1, 2, 3, 3], using: &rng)
    let left = conv.forward(x).dot(y)
    let right = x.dot(up.forward(y))
    let gap = abs(left - right) / max(abs(left), abs(right))
    lesson.value("⟨conv(x), y⟩", show(left, digits: 8))
    lesson.value("⟨x, convT(y)⟩", show(right, digits: 8))
    lesson.value("relative gap", show(gap))
    lesson.value("convT(y) shape (back to x's size)", up.forward(y).shape)
    // end cell

    lesson.section("Three views of one layer: stamps, fractional stride 1/f, the matrix Wᵀ")
    lesson.say("  Zero insertion: s − 1 zeros between the cells, k − 1 around, then a stride-1 convolution")
    lesson.say("  with the kernel turned by 180° — a convolution whose input stride is 1/s of a cell (§3.3).")
    lesson.say("  The matrix: conv with stride s is a matrix W (outputs × inputs); convT is multiplication by Wᵀ.")
    // cell: three views
    let views = lesson.inThisCell { threeViews(&$0) }                                                    // ThreeViews.swift
    // end cell
    lesson.say("  All three agree to rounding. But Wᵀ is not W⁻¹: a transposed convolution undoes the SHAPE")
    lesson.say("  of a strided convolution, not its values — \"deconvolution\" is a misnomer (it is no inverse).")

    lesson.section("The bilinear kernel (factor 2, k = 4)")
    // cell: bilinear kernel
    let filter = bilinearFilter(size: 4)
    for row in filter { lesson.say("    " + row.map { show($0, digits: 4).padding(toLength: 8, withPad: " ", startingAt: 0) }.joined()) }
    // end cell
    lesson.say("  = the outer product of (1/4, 3/4, 3/4, 1/4) with itself: each output pixel mixes")
    lesson.say("  its two nearest input pixels with weights 3/4 and 1/4 — bilinear interpolation.")

    // Upsample by 2 with padding 1 (= crop 1 on each side): 6 → 12 pixels.
    // cell: bilinear upsampling
    let bilinear = TransposedConvolution(weight: bilinearUpsamplingWeight(channels: 1, factor: 2), stride: 2, padding: 1)
    let constant = bilinear.forward(Tensor(repeating: 1, shape: [1, 1, 6, 6]))
    let interior = interiorValues(constant, margin: 1)
    let ramp = bilinear.forward(Tensor(shape: [1, 1, 6, 6]) { Float($0[3]) })
    let steps = (2..<9).map { ramp[0, 0, 5, $0 + 1] - ramp[0, 0, 5, $0] }
    let constantRange = interior.min()!...interior.max()!
    let stepRange = steps.min()!...steps.max()!
    lesson.value("constant 1 → interior values in", "\(show(constantRange.lowerBound)) … \(show(constantRange.upperBound))")
    lesson.value("ramp 0,1,2,… → steps between pixels", "\(show(stepRange.lowerBound)) … \(show(stepRange.upperBound)) (half a unit: a ramp)")
    // end cell

    lesson.section("Checkerboard: a kernel that is not a multiple of the stride")
    // k = 3, s = 2: output pixels are covered by 1 or 2 stamps per axis, alternately.
    // cell: checkerboard
    let box = TransposedConvolution(weight: Tensor(repeating: 1, shape: [1, 1, 3, 3]), stride: 2)
    let board = box.forward(Tensor(repeating: 1, shape: [1, 1, 5, 5]))
    for i in 2..<8 { lesson.say("    " + (2..<8).map { show(board[0, 0, i, $0]).padding(toLength: 4, withPad: " ", startingAt: 0) }.joined()) }
    let boardValues = Set(interiorValues(board, margin: 2))
    // end cell
    lesson.say("  A constant input comes out as a pattern of \(boardValues.sorted().map { show($0) }.joined(separator: ", ")): the")
    lesson.say("  checkerboard artefact. With k = 2s every pixel gets the same total weight.")

    lesson.section("FCN's K×K weight, and learned kernels against resize-then-convolve (Distill 2016)")
    lesson.say("  FCN's upsampling maps K score maps to K; output pixel (a, b) takes only the kernel taps at")
    lesson.say("  (a, b) mod s — s² phases. A constant stays constant only if every phase sums the same:")
    // cell: checkerboards
    let boards = lesson.inThisCell { checkerboards(&$0) }                                                // Checkerboards.swift
    // end cell
    try lesson.figure("checkerboards", checkerboardFigure(boards))
    lesson.say("  Bilinear's phases are equal; a learned kernel's are not, even at k = 2s, and the pattern")
    lesson.say("  returns (Odena, Dumoulin, Olah, Distill 2016). Resizing first and then convolving at stride 1")
    lesson.say("  has one phase only and cannot make it — one reason FCN's fixed bilinear upsampling is safe.")

    lesson.section("Fixed or learned? (CVPR §3.3: \"the deconvolution filter … can be learned\")")
    lesson.say("  Reconstruct a smooth 24×24 signal from its 2×2 averages with a learned 4×4 kernel:")
    // cell: fixed or learned
    let fitted = fitUpsampling(steps: setup.steps, earlyStep: setup.earlyStep)
    lesson.value("mean squared error, fixed bilinear", show(fitted.fixed))
    lesson.value("after \(setup.earlyStep) SGD steps, from bilinear", show(fitted.earlyFromBilinear))
    lesson.value("after \(setup.earlyStep) SGD steps, from zero", show(fitted.earlyFromZero))
    lesson.value("after \(setup.steps) steps, from bilinear", show(fitted.learned))
    lesson.value("after \(setup.steps) steps, from zero", show(fitted.fromZero))
    // end cell
    lesson.say("  Bilinear is already a good upsampler; learning adapts it to the signal. Starting from")
    lesson.say("  bilinear is a head start (far lower error early), not a different end point here.")
    lesson.say("  What the paper and the reference code did: CVPR 2015 §4.3 fixes the FINAL upsampling to")
    lesson.say("  bilinear and initialises the intermediate 2× layers (FCN-16s/8s) to bilinear, then learns")
    lesson.say("  them (§4.2). Berkeley's reference nets (the PAMI 2016 models) fix every upsampling layer")
    lesson.say("  (lr_mult 0): their FAQ reports no significant difference in accuracy and a slight speed-up.")
    lesson.say("  This library's FCNs follow the reference code: all upsampling kernels are fixed bilinear.")

    lesson.section("Summary and exercises")
    let by4 = TransposedConvolution(weight: bilinearUpsamplingWeight(channels: 1, factor: 4), stride: 4, padding: 2)
    let flat4 = interiorValues(by4.forward(Tensor(repeating: 1, shape: [1, 1, 6, 6])), margin: 4)
    lesson.exercise("Upsample a constant 6×6 input by 4 with the bilinear kernel (k = 8, padding 2). What are the interior values?",
                    answer: "\(show(flat4.min()!)) … \(show(flat4.max()!)): with k = 2f every output pixel away from the border receives the stamps of exactly two input pixels per axis with weights summing to 1, so a constant stays constant.")
    let flatKernels = (2...7).filter { k in
        let t = TransposedConvolution(weight: Tensor(repeating: 1, shape: [1, 1, k, k]), stride: 2)
        return Set(interiorValues(t.forward(Tensor(repeating: 1, shape: [1, 1, 8, 8])), margin: k)).count == 1
    }
    lesson.exercise("With stride 2 and a box kernel of ones, which kernel sizes from 2 to 7 give a flat (checkerboard-free) interior?",
                    answer: "k = \(flatKernels.map(String.init).joined(separator: ", ")): the multiples of the stride. Then every output pixel is covered by k/s stamps per axis; for an odd k the count alternates between ⌊k/s⌋ and ⌈k/s⌉, the checkerboard above.")
    let longer = fitUpsampling(steps: 4 * setup.steps, earlyStep: setup.earlyStep)
    lesson.exercise("Fit four times longer (`--steps \(4 * setup.steps)`): does the kernel learned from zero catch up with the one learned from bilinear?",
                    answer: "After \(4 * setup.steps) steps the error is \(show(longer.fromZero)) from zero and \(show(longer.learned)) from bilinear (fixed bilinear: \(show(longer.fixed))). The loss is a convex quadratic in the 16 kernel weights, so both starts head for the same minimum; bilinear only starts closer.")

    return Chapter04Result(adjointRelativeGap: gap, bilinearConstantRange: constantRange, rampStepRange: stepRange,
                           checkerboardValues: boardValues, fixedBilinearError: fitted.fixed,
                           learnedError: fitted.learned, learnedFromZeroError: fitted.fromZero,
                           earlyFromBilinearError: fitted.earlyFromBilinear, earlyFromZeroError: fitted.earlyFromZero,
                           crops: crops, views: views, boards: boards)
}

/// Values of a [1, 1, H, W] map away from a `margin`-wide border.
func interiorValues(_ t: Tensor, margin: Int) -> [Float] {
    let d = t.nchw
    var values: [Float] = []
    for i in margin..<(d.h - margin) { for j in margin..<(d.w - margin) { values.append(t[0, 0, i, j]) } }
    return values
}

/// Learns a 4×4 stride-2 upsampling kernel that reconstructs a smooth 24×24 signal from its 2×
/// average-pooled version, by SGD on the squared error; returns the mean squared errors of the
/// fixed bilinear kernel and of kernels learned from bilinear and from zero, after `earlyStep`
/// and after `steps` updates.
func fitUpsampling(steps: Int, earlyStep: Int) -> (fixed: Double, earlyFromBilinear: Double, earlyFromZero: Double,
                                                   learned: Double, fromZero: Double) {
    // Target: a smooth pattern; input: its 2×2 averages (12×12).
    let target = Tensor(shape: [1, 1, 24, 24]) { i in
        Float(sin(Double(i[2]) / 3.0) * cos(Double(i[3]) / 4.0))
    }
    let small = Tensor(shape: [1, 1, 12, 12]) { i in
        (target[0, 0, 2 * i[2], 2 * i[3]] + target[0, 0, 2 * i[2] + 1, 2 * i[3]]
            + target[0, 0, 2 * i[2], 2 * i[3] + 1] + target[0, 0, 2 * i[2] + 1, 2 * i[3] + 1]) / 4
    }
    func error(_ w: Tensor) -> (Double, Tensor) {
        let layer = TransposedConvolution(weight: w, stride: 2, padding: 1)
        let out = layer.forward(small)
        let diff = out - target
        let g = layer.backward(input: small, outputGradient: (2 / Float(diff.count)) * diff).weight
        return (diff.dot(diff) / Double(diff.count), g)
    }
    func train(from start: Tensor) -> (early: Double, final: Double) {
        var sgd = SGD(learningRate: 0.5, momentum: 0.9, weightDecay: 0)
        var parameters = ["up.weight": start]
        var early = 0.0
        for step in 1...steps {
            let (_, g) = error(parameters["up.weight"]!)
            sgd.step(parameters: &parameters, gradients: ["up.weight": g])
            if step == earlyStep { early = error(parameters["up.weight"]!).0 }
        }
        return (early, error(parameters["up.weight"]!).0)
    }
    let bilinear = bilinearUpsamplingWeight(channels: 1, factor: 2)
    let a = train(from: bilinear), b = train(from: Tensor(zeros: [1, 1, 4, 4]))
    return (error(bilinear).0, a.early, b.early, a.final, b.final)
}

import Foundation

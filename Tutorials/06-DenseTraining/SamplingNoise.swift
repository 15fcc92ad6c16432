// SamplingNoise.swift — Chapter 6's loss-sampling experiment, measured over many draws
// (paper §3.4 "Patchwise training is loss sampling"; the sampling experiment is in §4.3 and
// Fig. 5 of CVPR 2015).
//
// Keeping each pixel in the loss with probability p (the others count as void) gives a gradient
// whose expectation is p times the whole image's, so g_p / p is an unbiased estimate. Its
// relative error is a random variable: one draw says little, so we draw many times per p, with
// ONE forward pass reused (only the choice of pixels varies; VGG-mini has no dropout, VGG16's
// would add noise of its own) and one
// backward pass per draw. For independent pixels the error would grow like √((1 − p)/p); the
// conclusion the chapter prints is computed from the measured means, not written in advance.
import FCN
import FCNCore
import FCNCourse
import FCNFigures

/// The sampling noise at one keep fraction: the mean and the spread over `draws` draws of
/// ‖g_p/p − g‖ / ‖g‖.
struct SamplingNoise: Equatable {
    var keep: Double
    var draws: Int
    var meanRelativeError: Double
    var standardDeviation: Double
}

/// Measures the sampling noise of score_fr's weight gradient on one scene for every `keeps`.
///
/// - Parameters:
///   - net: the FCN (its own weights; nothing is updated).
///   - x: the image `[1, 3, H, W]`; `t`: its labels `[1, 1, H, W]`.
///   - draws: draws per keep fraction.
func measureSamplingNoise(net: Network, image x: Tensor, labels t: Tensor, keeps: [Double], draws: Int,
                          seed: UInt64 = 6) throws -> [SamplingNoise] {
    var rng = SeededRandom(seed: seed)
    let loss = SoftmaxCrossEntropy(ignoreLabel: 255, normalization: .none)
    let trace = try net.trainingForward(["data": x], using: &rng)
    let scores = trace["score"]!                                                       // [1, K, H, W]
    let full = loss.backward(scores: scores, labels: t)                                // [1, K, H, W]
    let wanted: Set<String> = ["score_fr.weight"]
    let whole = net.backward(trace, outputGradients: ["score": full], parameters: wanted)["score_fr.weight"]!
    let d = full.nchw, plane = d.h * d.w
    return keeps.map { keep in
        let errors: [Double] = (0..<draws).map { _ in
            // The sampled loss's gradient is the whole one with unkept pixels zeroed (they are void).
            let kept = (0..<plane).map { _ in Double.random(in: 0..<1, using: &rng) < keep }
            let masked = Tensor(shape: full.shape) { i in kept[i[2] * d.w + i[3]] ? full[i[0], i[1], i[2], i[3]] : 0 }
            let g = net.backward(trace, outputGradients: ["score": masked], parameters: wanted)["score_fr.weight"]!
            return Double((Float(1 / keep) * g).relativeDifference(to: whole))
        }
        let mean = errors.reduce(0, +) / Double(draws)
        let variance = errors.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(1, draws - 1))
        return SamplingNoise(keep: keep, draws: draws, meanRelativeError: mean, standardDeviation: variance.squareRoot())
    }
}

/// Prints the measured noise per keep fraction, the conclusion the numbers support, and a chart.
func showSamplingNoise(_ lesson: inout Lesson, _ noise: [SamplingNoise]) throws {
    // For independent pixels the error scales like √((1 − p)/p): compare RATIOS to the largest p.
    let byKeep = noise.sorted { $0.keep > $1.keep }
    let law = { (p: Double) in ((1 - p) / p).squareRoot() }
    let base = byKeep.first
    for n in noise {
        let measuredRatio = base.map { n.meanRelativeError / $0.meanRelativeError } ?? 1
        let lawRatio = base.map { law(n.keep) / law($0.keep) } ?? 1
        lesson.value("  p = \(show(n.keep)): mean ‖g/p − g‖/‖g‖ over \(n.draws) draws",
                     "\(show(n.meanRelativeError)) ± \(show(n.standardDeviation))  (×\(show(measuredRatio, digits: 3)); independent pixels: ×\(show(lawRatio, digits: 3)))")
    }
    let growing = zip(byKeep, byKeep.dropFirst()).allSatisfy { $0.meanRelativeError < $1.meanRelativeError }
    if growing, let most = byKeep.first, let least = byKeep.last {
        lesson.say("  Measured: the error grows as p falls, from \(show(most.meanRelativeError)) at p = \(show(most.keep)) to")
        lesson.say("  \(show(least.meanRelativeError)) at p = \(show(least.keep)) — fewer sampled pixels, a noisier gradient.")
    } else {
        lesson.say("  Measured: the mean error does NOT grow steadily as p falls in this run (see the rows above):")
        lesson.say("  with \(byKeep.first?.draws ?? 0) draws per p the spread is too large to order them; raise the draws.")
    }
    lesson.say("  Either way every draw costs a whole-image forward and backward pass: sampling saves nothing.")
    try lesson.figure("sampling-noise", LineChart(title: "Loss sampling: gradient error vs kept fraction p",
        xLabel: "kept fraction p", yLabel: "‖g/p − g‖ / ‖g‖",
        series: [Series(name: "measured mean", points: byKeep.reversed().map { ($0.keep, $0.meanRelativeError) }, color: RGB.series[0]),
                 Series(name: "√((1−p)/p) law", points: byKeep.reversed().map { n in
                     (n.keep, (base?.meanRelativeError ?? 0) * law(n.keep) / law(base?.keep ?? 0.5)) }, color: RGB.series[1])]).figure(width: 560, height: 300))
}

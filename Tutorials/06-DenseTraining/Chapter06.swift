// Chapter 6 — Dense training: the per-pixel loss, loss sampling and a short training run
// (paper §3, §3.4 "Patchwise training is loss sampling", §4.3 "Optimization", §5 "Metrics"; CVPR 2015 numbering).
//
//   "… if the loss function is a sum over the spatial dimensions of the final layer,
//    ℓ(x; θ) = Σ_ij ℓ'(x_ij; θ), its gradient will be a sum over the gradients of each of its
//    spatial components. Thus stochastic gradient descent on ℓ computed on whole images will be
//    the same as stochastic gradient descent on ℓ', taking all of the final layer receptive
//    fields as a minibatch."                                                              (§3)
//   "If the kept patches still have significant overlap, fully convolutional computation will
//    still speed up training. … Sampling in patchwise training can correct class imbalance and
//    mitigate the spatial correlation of dense patches. In fully convolutional training, …
//    loss sampling can be used to address spatial correlation."                         (§3.4)
//   "We explore training with sampling in Section 4.3, and do not find that it yields faster or
//    better convergence for dense prediction. Whole image training is effective and efficient."
//                                                                  — Long, Shelhamer, Darrell
//
// (1) The loss on a 2×2 image with 3 classes, by hand and by `SoftmaxCrossEntropy`: void pixels
// (255) add nothing to it or its gradient. (2) Keeping a random fraction p of the pixels in the
// loss (patch sampling) gives, on average, p times the whole-image gradient — at the cost of a
// whole-image pass; how noisy it is at each p is measured over many draws (SamplingNoise.swift). (3) A short FCN-32s run from
// the trained classifier with `StageTrainer`, a live progress bar, and the four metrics of §5 on
// held-out scenes before and after (and for the shipped FCN-32s).
//
// Dimension letters: K classes, H×W the image.
import FCNTraining
import FCN
import FCNCourse
import FCNFigures
import Foundation

/// Sizes of the chapter: the release run and a smaller one for the test.
struct Chapter06Setup {
    var sceneSize = 96
    #if DEBUG
    var steps = 20                            // debug builds run unoptimised kernels
    var validationScenes = 6
    #else
    var steps = 40
    var validationScenes = 20
    #endif
    var keepFractions = [0.5, 0.1, 0.02]      // loss sampling: fraction of pixels kept
    var noiseDraws = 12                       // draws per fraction for the sampling-noise estimate
    /// Average the training loss over the counted pixels instead of summing it, at the same rate
    /// (the second exercise, `--average-loss`).
    var averagesLoss = false
    static let quick = Chapter06Setup(sceneSize: 64, steps: 8, validationScenes: 3, noiseDraws: 6)
}

/// What the chapter measured, for the tests.
struct Chapter06Result {
    var tinyLoss: Double, tinyLossByHand: Double
    var voidGradient: [Float]
    var samplingDifferences: [Double]             // relative difference to the whole-image gradient, per entry of `keepFractions`
    var samplingNoise: [SamplingNoise] = []       // mean over many draws, per entry of `keepFractions`
    var firstLossPerPixel: Double
    var losses: [Double]
    var before: SegmentationScores, after: SegmentationScores
    /// Per-class IU (nil: class neither present nor predicted) before, after, and of the shipped FCN-32s.
    var classIU: (before: [Double?], after: [Double?], shipped: [Double?]) = ([], [], [])
}

func chapter06(_ lesson: inout Lesson, setup: Chapter06Setup = Chapter06Setup()) throws -> Chapter06Result {
    lesson.say("  \"… stochastic gradient descent on ℓ computed on whole images will be the same as stochastic")
    lesson.say("   gradient descent on ℓ', taking all of the final layer receptive fields as a minibatch.\" (§3)")

    lesson.section("The per-pixel loss, and the void label 255 (§3, §4.3)")
    lesson.formula("ℓ(x; θ) = Σ_ij ℓ'(x_ij; θ),   ℓ'(x_ij; θ) = −log p_ij(t_ij)")
    // K = 3 classes on a 2×2 image: scores [1, 3, 2, 2], labels [1, 1, 2, 2].
    // cell: per-pixel loss
    let scores = Tensor(shape: [1, 3, 2, 2], scalars: [2, 0, 1, 0,   1, 3, 0, 0,   0, 1, 1, 2])
    let labels = Tensor(shape: [1, 1, 2, 2], scalars: [0, 1, 255, 2])
    var byHand = 0.0
    for p in 0..<4 {
        let s = (0..<3).map { Double(scores.scalars[$0 * 4 + p]) }
        let label = Int(labels.scalars[p])
        let z = s.map(exp).reduce(0, +)
        let text = "scores \(s.map { show($0) }), label \(label)"
        if label == 255 { lesson.value("  pixel \(p): \(text)", "void: skipped"); continue }
        let term = -log(exp(s[label]) / z)
        byHand += term
        lesson.value("  pixel \(p): \(text)", "−log p = \(show(term))")
    }
    let summed = SoftmaxCrossEntropy(ignoreLabel: 255, normalization: .none)
    let loss = summed.forward(scores: scores, labels: labels)
    let gradient = summed.backward(scores: scores, labels: labels)                        // [1, 3, 2, 2]
    let voidGradient = (0..<3).map { gradient.scalars[$0 * 4 + 2] }
    lesson.value("sum by hand", show(byHand))
    lesson.value("SoftmaxCrossEntropy, summed (FCN's nets)", show(loss))
    lesson.value("… averaged over the 3 counted pixels", show(SoftmaxCrossEntropy(normalization: .validPixels).forward(scores: scores, labels: labels)))
    lesson.value("gradient at pixel 0 (softmax − one-hot)", (0..<3).map { show(gradient.scalars[$0 * 4]) }.joined(separator: ", "))
    lesson.value("gradient at the void pixel 2", voidGradient.map { show($0) }.joined(separator: ", "))
    // end cell
    lesson.say("  Void pixels (VOC's object borders; our scenes' 1-px band) neither count nor teach.")

    lesson.section("Patchwise training is loss sampling (§3.4)")
    // cell: loss sampling
    let mini = VGGMini.standard
    let fcn32s = try Network(ModelSpec.vggMini(.fcn32s, mini).description(), parameters: EmbeddedModels.parameters(.fcn32s))
    let scene = SyntheticData.validationWorld(sceneSize: setup.sceneSize).scene(0)
    let x = SyntheticData.input(scene), t = SyntheticData.labels(scene)                   // [1, 3, H, W], [1, 1, H, W]
    let field = try ModelSpec.vggMini(.fcn32s, mini).description().receptiveFields()["score_fr"]!!.vertical
    lesson.value("receptive field of one score_fr cell", "\(field.size) px, cells \(field.jump) px apart")
    lesson.say("  Each pixel's loss trains on the patch it sees; neighbouring patches overlap almost fully,")
    lesson.say("  and one whole-image pass computes all \(scene.width * scene.height) of them at once.")
    var rng = SeededRandom(seed: 6)
    /// The gradient of score_fr's weights for labels `t` (one forward, one backward pass).
    func scoreGradient(_ labels: Tensor) throws -> Tensor {
        let trace = try fcn32s.trainingForward(["data": x], using: &rng)
        let s = trace["score"]!                                                             // [1, K, H, W]
        return fcn32s.backward(trace, outputGradients: ["score": summed.backward(scores: s, labels: labels)])["score_fr.weight"]!
    }
    let whole = try scoreGradient(t)
    lesson.say("  Keep each pixel in the loss with probability p (the others become 255): the expected")
    lesson.say("  gradient is p times the whole image's, so gradient/p estimates it. How well, per draw?")
    var differences: [Double] = []
    for keep in setup.keepFractions {
        let masked = Tensor(shape: t.shape, scalars: t.scalars.map { Double.random(in: 0..<1, using: &rng) < keep ? $0 : 255 })
        let estimate = Float(1 / keep) * (try scoreGradient(masked))                       // unbiased: E = whole
        differences.append(Double(estimate.relativeDifference(to: whole)))
        lesson.value("  one draw, p = \(show(keep)): ~\(Int(keep * Double(t.count))) pixels, ‖g/p − g_whole‖ / ‖g_whole‖", show(differences.last!))
    }
    // end cell
    lesson.say("  One draw per p is one sample of a random error: a single row can go either way.")
    lesson.say("  Over many draws (one forward pass reused; only the choice of pixels varies):")
    // cell: sampling noise over many draws
    let noise = try measureSamplingNoise(net: fcn32s, image: x, labels: t, keeps: setup.keepFractions, draws: setup.noiseDraws)
    try lesson.inThisCell { try showSamplingNoise(&$0, noise) }                           // SamplingNoise.swift
    // end cell
    lesson.say("  The paper found no faster convergence with sampling (CVPR §4.3, Fig. 5) and trains on")
    lesson.say("  whole images.")

    lesson.section("A short training run: FCN-32s from the trained classifier (§4.1, §4.3)")
    // cell: training run
    var hyper = StageHyperparameters.defaults(for: .fcn32s, sceneSize: setup.sceneSize)
    hyper.averagesLoss = setup.averagesLoss                                                // --average-loss: same rate
    var trainer = try StageTrainer(stage: .fcn32s, model: mini, seed: 6, sceneSize: setup.sceneSize, steps: setup.steps,
                                   hyperparameters: hyper, datasetSize: 200, parent: EmbeddedModels.parameters(.classifier))
    lesson.value("learning rate (per-pixel 0.01 ÷ pixels)", show(Double(hyper.learningRate)))
    lesson.value("momentum, weight decay, images per step", "\(hyper.momentum), \(hyper.weightDecay), \(hyper.batchSize)")
    lesson.value("loss", hyper.averagesLoss ? "AVERAGED over counted pixels (--average-loss), same rate" : "summed over pixels (FCN's nets)")
    let world = SyntheticData.validationWorld(sceneSize: setup.sceneSize)
    var shown: [LabelMap] = []                                                            // scene 0's predictions, for the figure
    func evaluate(_ net: Network) throws -> ConfusionMatrix {
        try SegmentationEvaluation.evaluate(net, classes: ShapeClass.count, count: setup.validationScenes,
                                            inspect: { i, _, predicted in if i == 0 { shown.append(predicted) } }) { world.scene($0) }
    }
    let beforeMatrix = try evaluate(trainer.network), before = beforeMatrix.scores
    let startScores = try trainer.network.forward(x)                                      // [1, K, H, W]
    let firstLoss = summed.forward(scores: startScores, labels: t) / Double(countedPixels(t))
    var bar = ProgressBar(total: setup.steps, label: "FCN-32s", unit: "step")
    let pixels = Double(setup.sceneSize * setup.sceneSize)
    while trainer.step < trainer.steps {
        let r = try trainer.advance()
        bar.update(step: r.step, figures: [("loss/pixel", hyper.averagesLoss ? r.loss : r.loss / pixels), ("pixel acc", r.pixelAccuracy)])
    }
    bar.finish()
    let afterMatrix = try evaluate(trainer.network), after = afterMatrix.scores
    let shippedMatrix = try evaluate(fcn32s), shipped = shippedMatrix.scores
    let losses = trainer.history.map { hyper.averagesLoss ? $0.loss : $0.loss / pixels }   // an averaged loss is per pixel already
    let quarter = max(1, losses.count / 4)
    lesson.value("loss per counted pixel before step 1", "\(show(firstLoss)) (ln 7 = \(show(log(7.0))): score_fr starts at 0)")
    lesson.value("mean loss per pixel, first \(quarter) steps", show(losses.prefix(quarter).reduce(0, +) / Double(quarter)))
    lesson.value("mean loss per pixel, last \(quarter) steps", show(losses.suffix(quarter).reduce(0, +) / Double(quarter)))
    // end cell

    lesson.section("The four metrics (§5), \(setup.validationScenes) held-out scenes")
    lesson.say("  With n_ij the pixels of class i predicted as j, t_i = Σ_j n_ij and n_cl classes (CVPR §5):")
    lesson.formula("pixel acc. = Σ_i n_ii / Σ_i t_i,   mean acc. = (1/n_cl) Σ_i n_ii / t_i")
    lesson.formula("mean IU = (1/n_cl) Σ_i n_ii / (t_i + Σ_j n_ji − n_ii)")
    // cell: metrics
    lesson.say("  " + column("", 24) + column("pixel acc.", 12) + column("mean acc.", 12) + column("mean IU", 12) + "f.w. IU")
    for (name, s) in [("before (score_fr = 0)", before), ("after \(setup.steps) steps", after), ("shipped FCN-32s", shipped)] {
        lesson.say("  " + column(name, 24) + [s.pixelAccuracy, s.meanAccuracy, s.meanIU].map { column(percent($0), 12) }.joined()
                   + percent(s.frequencyWeightedIU))
    }
    // end cell
    lesson.say("  Before: every score is 0, every pixel is 'background' (ties go to class 0) — pixel")
    lesson.say("  accuracy is the background's share, mean IU its IU ÷ 7. The first steps mostly learn that")
    lesson.say("  prior (the loss falls, the arg-max may not move); telling shapes apart takes hundreds of")
    lesson.say("  steps: the shipped FCN-32s, trained by `fcn train` on 128-px scenes, is the last row.")
    // cell: per-class IU
    try lesson.inThisCell { try showPerClassIU(&$0, [("before", beforeMatrix), ("after \(setup.steps) steps", afterMatrix), ("shipped FCN-32s", shippedMatrix)]) }
    try lesson.figure("predictions-before-after", segmentationResultsFigure(                // PerClassIU.swift
        title: "Held-out scene 0: before and after \(setup.steps) steps, and the shipped FCN-32s",
        rows: [SegmentationRow(image: world.scene(0).image, panels: [("before", shown[0]), ("after \(setup.steps) steps", shown[1]),
                                                                     ("shipped FCN-32s", shown[2]), ("ground truth", groundTruth(world.scene(0)))])],
        classNames: ShapeClass.allCases.map(\.name), panelSize: 150, legendLabels: ShapeClass.allCases.map(\.rawValue)))
    // end cell
    try lesson.figure("training-loss", LineChart(title: "FCN-32s, first \(setup.steps) steps", xLabel: "step", yLabel: "loss per pixel",
        series: [Series(name: "loss", points: losses.enumerated().map { (Double($0.offset + 1), $0.element) }, color: RGB.series[0])]).figure())

    lesson.section("Summary and exercises")
    lesson.say("  The loss is a sum over pixels; its gradient, a sum of per-pixel gradients, trains every")
    lesson.say("  receptive field of the image at once. Sampling pixels is sampling patches, at full cost.")
    let spread = setup.keepFractions.indices.map { "p = \(show(setup.keepFractions[$0])): \(show(differences[$0]))" }
    lesson.exercise("Average several draws at p = 0.1: how many match one draw at p = 0.5? What does each cost?",
                    answer: "The error of one draw shrinks roughly as 1/√(pixels kept) (this run: \(spread.joined(separator: ", "))), and averaging m independent draws divides it by √m: about 5 draws at p = 0.1 keep as many pixels as one at p = 0.5. Each draw is a whole-image forward and backward pass, so those 5 cost 5× one draw at p = 0.5, which itself costs as much as the whole image — whose gradient is exact.")
    lesson.exercise("Set the loss to average over pixels and keep the rate (`--average-loss`): what happens?",
                    answer: "\(setup.averagesLoss ? "This run averaged: the loss per pixel went from \(show(firstLoss)) to \(show(losses.suffix(quarter).reduce(0, +) / Double(quarter))) over the last \(quarter) steps. " : "")The gradient is divided by the number of counted pixels, about \(Int(pixels)) here, while the rate \(show(Double(hyper.learningRate))) was already set for a summed loss (0.01 per pixel ÷ pixels). Each step is then ~\(Int(pixels))× too small and in \(setup.steps) steps the loss hardly moves; to average, multiply the rate by the pixel count.")
    lesson.exercise("Train FCN-32s-fixed instead (only score_fr learns): compare the loss after as many steps.",
                    answer: "Only the 1×1 score layer adapts, recombining fc7's features learned for whole-window classification, so the loss falls less and stops higher than when every layer is fine-tuned. The paper's Table 2 (CVPR §4.2) reports the same: FCN-32s-fixed 45.4 mean IU against 59.4 for FCN-32s.")
    return Chapter06Result(tinyLoss: loss, tinyLossByHand: byHand, voidGradient: voidGradient, samplingDifferences: differences, samplingNoise: noise,
                           firstLossPerPixel: firstLoss, losses: losses, before: before, after: after,
                           classIU: (beforeMatrix.intersectionOverUnion, afterMatrix.intersectionOverUnion, shippedMatrix.intersectionOverUnion))
}

/// Pixels of `labels` that are not void.
func countedPixels(_ labels: Tensor) -> Int { labels.scalars.filter { $0 != 255 }.count }

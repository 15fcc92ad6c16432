// Chapter 7 — Skip fusion: FCN-32s → FCN-16s → FCN-8s (paper §4.2, Fig. 3, Table 2, Fig. 4 of CVPR
// 2015; §4.3 of PAMI 2016, which adds the at-once net).
//
//   "We address this by adding links that combine the final prediction layer with lower layers
//    with finer strides. … Combining fine layers and coarse layers lets the model make local
//    predictions that respect global structure."
//   "We first divide the output stride in half by predicting from a 16 pixel stride layer. We
//    add a 1×1 convolution layer on top of pool4 to produce additional class predictions. We
//    fuse this output with the predictions computed on top of conv7 (convolutionalized fc7) at
//    stride 32 by adding a 2× upsampling layer and summing both predictions."  — §4.2
//
// Everything is measured on the course's trained VGG-mini nets (`EmbeddedModels`): (1) the
// three heads and the stride of every score blob, read off the coordinate maps; (2) each skip's
// crop offset derived from those maps, as Caffe's `coord_map.crop` does; (3) why the at-once
// net scales pool4 by 0.01 and pool3 by 0.0001, from the activations' sizes; (4) the miniature
// Table 2 on held-out synthetic scenes and (5) Fig. 4 (image, 32s, 16s, 8s, truth).
//
// Dimension letters: K classes, H×W the image.
import FCNTraining
import FCN
import FCNCourse
import FCNFigures
import Foundation

/// Sizes of the chapter: the release run and a smaller one for the test.
struct Chapter07Setup {
    /// 50 scenes take ~10 s in a release build and minutes in a debug one (unoptimised kernels):
    /// debug builds evaluate 10 unless `--scenes N` says otherwise.
    #if DEBUG
    var validationScenes = 10
    #else
    var validationScenes = 50
    #endif
    var sceneSize = 128                       // the size the shipped nets were trained on
    var figureScenes = [3, 7, 11]
    static let quick = Chapter07Setup(validationScenes: 2, sceneSize: 64, figureScenes: [0])
}

/// What the chapter measured, for the tests.
struct Chapter07Result {
    var strides: [String: Rational]                      // FCN-8s score blobs → stride in pixels
    var cropOffsets: [String: Size2]                     // FCN-8s crops
    var table: [(stage: TrainingStage, scores: SegmentationScores)]
    var pixelsScored: Int
    var fcn4s: (cropOffsets: [String: Size2], runsAtSceneSize: Bool, fittingSides: [Int])
}

func chapter07(_ lesson: inout Lesson, setup: Chapter07Setup = Chapter07Setup()) throws -> Chapter07Result {
    lesson.say("  \"Combining fine layers and coarse layers lets the model make local predictions that")
    lesson.say("   respect global structure.\" (§4.2)")
    let mini = VGGMini.standard
    let fcn8s = try ModelSpec.vggMini(.fcn8s, mini).description()
    let maps = try fcn8s.coordinateMaps()

    lesson.section("Three heads on one trunk, and the stride of each prediction (Fig. 3)")
    // cell: strides
    var strides: [String: Rational] = [:]
    for blob in ["score_fr", "upscore2", "score_pool4", "fuse_pool4", "upscore_pool4", "score_pool3", "fuse_pool3", "upscore8", "score"] {
        let m = maps.layerMaps[blob]!!.vertical
        strides[blob] = m.scale
        lesson.value("  \(blob)", "stride \(m.scale) px, pixel 0 at image position \(m.shift)")
    }
    // end cell
    lesson.say("  FCN-32s upsamples score_fr (stride 32) in one 32× step. FCN-16s adds 1×1 scores of pool4")
    lesson.say("  (stride 16) to a 2× upsampling of score_fr; FCN-8s does it again with pool3 (stride 8).")
    // cell: Fig. 3
    let heads = try [ModelSpec.Head.fcn32s, .fcn16s, .fcn8s].map { try ModelSpec.vggMini($0, mini).description() }
    let dag = try SkipArchitecture.from(fcn8s, inputShape: [1, 3, setup.sceneSize, setup.sceneSize], variants: heads)
    try lesson.figure("fig3-skip-architecture", skipArchitectureFigure(dag))        // walked from the descriptions
    // end cell
    lesson.say("  Fig. 3 drawn by walking these nets' descriptions: the trunk's pools (strides 2 … 32) on the")
    lesson.say("  right, the skips' 1×1 score layers, crops and sums on the left, and the blob each of FCN-32s,")
    lesson.say("  16s and 8s upsamples to the image — the paper's figure for VGG16, here for VGG-mini.")

    lesson.section("Crop offsets, derived from the coordinate maps (§4.1, Caffe's coord_map)")
    lesson.say("  A crop keeps from[o + y] for to[y]; both must sit at the same image position:")
    lesson.say("  a·(o + y) + b_from = a·y + b_to  ⇒  o = (b_to − b_from) / a.")
    // cell: crop offsets
    for layer in fcn8s.layers {
        guard case .crop = layer.kind else { continue }
        let from = maps.layerMaps[producer(of: layer.bottoms[0], in: fcn8s)]!!.vertical
        let to = layer.bottoms[1] == "data" ? AxisMap.identity : maps.layerMaps[producer(of: layer.bottoms[1], in: fcn8s)]!!.vertical
        lesson.value("  \(layer.name): \(layer.bottoms[0]) → \(layer.bottoms[1])",
                     "(\(to.shift) − \(from.shift)) / \(to.scale) = \(maps.cropOffsets[layer.name]!.height)")
    }
    // end cell
    lesson.say("  VGG16's are 5, 9 and 31 (Chapter 3): other widths of pad and kernels, same rule.")

    lesson.section("At once: pool4 × 0.01 and pool3 × 0.0001")
    lesson.say("  The staged nets add one zero-initialised skip at a time to a trained coarser net. The at-once")
    lesson.say("  net trains all three streams together from the classifier, with the skips scaled by s.")
    lesson.say("  A score layer w reading s·x outputs w·s·x; its gradient is s·x·g, so one SGD step moves")
    lesson.say("  the output by lr·s²·|x|²·g: the pool4 skip learns 10⁴ and the pool3 skip 10⁸ times more")
    lesson.say("  slowly than an unscaled one — the coarse stream leads, the fine ones join late.")
    lesson.say("  What the scales are for (PAMI 2016 §4.3, Berkeley's voc-fcn8s-atonce): in VGG16, pool3 and")
    lesson.say("  pool4 activations are far larger than fc7's, so unscaled skips would dominate the fused")
    lesson.say("  scores and the step sizes at the start; scaling them conditions the optimisation. Whether the")
    lesson.say("  same constants fit this net is a question of ITS activation sizes, printed here:")
    // cell: stream sizes
    let scene = SyntheticData.validationWorld(sceneSize: setup.sceneSize).scene(0)
    let x = SyntheticData.input(scene)                                                     // [1, 3, H, W]
    let fcn32s = try EmbeddedModels.network(.fcn32s).forward(["data": x], keeping: ["pool3", "pool4", "fc7"])
    lesson.value("  RMS of pool3 | pool4 | fc7 (FCN-32s)", ["pool3", "pool4", "fc7"].map { show(rms(fcn32s[$0]!)) }.joined(separator: " | "))
    lesson.say("  What each stream adds to the fused scores in the trained nets; 'spread' is the RMS of")
    lesson.say("  a stream's variation over the pixels (a constant map, however large, draws no boundary):")
    for stage in [TrainingStage.fcn8s, .fcn8sAtOnce] {
        let b = try EmbeddedModels.network(stage).forward(["data": x], keeping: ["upscore2", "score_pool4c", "upscore_pool4", "score_pool3c"])
        for (coarse, skip) in [("upscore2", "score_pool4c"), ("upscore_pool4", "score_pool3c")] {
            lesson.value("  \(stage.displayName): \(coarse) | \(skip)",
                         "RMS \(show(rms(b[coarse]!))) | \(show(rms(b[skip]!))), spread \(show(spread(b[coarse]!))) | \(show(spread(b[skip]!)))")
        }
    }
    // end cell
    lesson.say("  A skip whose spread is near 0 adds a per-class constant: it moves no boundary, and that net")
    lesson.say("  segments like an FCN-32s. Compare the at-once row of Table 2 below with the staged FCN-8s.")

    lesson.section("Miniature Table 2: \(setup.validationScenes) held-out scenes of \(setup.sceneSize)×\(setup.sceneSize)")
    // cell: Table 2
    let world = SyntheticData.validationWorld(sceneSize: setup.sceneSize)
    let stages: [TrainingStage] = [.fcn32sFixed, .fcn32s, .fcn16s, .fcn8s, .fcn8sAtOnce]
    var table: [(stage: TrainingStage, scores: SegmentationScores)] = []
    var pixelsScored = 0
    var classIU: [TrainingStage: [Double?]] = [:]                                          // per class, for the exercises
    let clock = ContinuousClock(), start = clock.now
    var bar = ProgressBar(total: stages.count * setup.validationScenes, label: "Table 2", unit: "img")
    for (k, stage) in stages.enumerated() {
        let net = try EmbeddedModels.network(stage)
        let m = try SegmentationEvaluation.evaluate(net, classes: ShapeClass.count, count: setup.validationScenes,
                                                   progress: { bar.update(step: k * setup.validationScenes + $0) }) { world.scene($0) }
        table.append((stage, m.scores))
        classIU[stage] = m.intersectionOverUnion
        pixelsScored = m.truthTotals.reduce(0, +)
    }
    bar.finish()
    lesson.say("  " + column("", 18) + column("pixel acc.", 12) + column("mean acc.", 12) + column("mean IU", 10) + "f.w. IU")
    for row in table {
        let s = row.scores
        lesson.say("  " + column(row.stage.displayName, 18) + [s.pixelAccuracy, s.meanAccuracy].map { column(percent($0), 12) }.joined()
                   + column(percent(s.meanIU), 10) + percent(s.frequencyWeightedIU))
    }
    lesson.value("pixels scored per net (void excluded)", pixelsScored)
    lesson.value("evaluation time", "\(show((clock.now - start).inSeconds)) s")
    // end cell
    lesson.say("  CVPR 2015 Table 2 (VGG16, on seg11valid — the 736 images of PASCAL VOC 2011 val that are not in")
    lesson.say("  SBD train, footnote 7): FCN-32s-fixed 45.4, FCN-32s 59.4, FCN-16s 62.4, FCN-8s 62.7 mean IU.")
    lesson.say("  The Berkeley reference models of PAMI 2016 (heavy learning, same subset): FCN-32s 63.6, FCN-16s")
    lesson.say("  65.0, FCN-8s 65.5, FCN-8s at once 65.4. Compare the ORDER of our rows, not the values: a")
    lesson.say("  0.3 M-parameter net on synthetic shapes, trained minutes, not days.")
    try lesson.figure("table2", TableRenderer(header: ["net", "pixel acc.", "mean acc.", "mean IU", "f.w. IU"],
        rows: table.map { [$0.stage.displayName] + [$0.scores.pixelAccuracy, $0.scores.meanAccuracy, $0.scores.meanIU,
                                                    $0.scores.frequencyWeightedIU].map { percent($0) } },
        title: "Miniature Table 2 — \(setup.validationScenes) synthetic scenes").figure())

    lesson.section("Fig. 4: refining the output, 32s → 16s → 8s")
    // cell: Fig. 4
    let nets = try [TrainingStage.fcn32s, .fcn16s, .fcn8s].map { ($0, try EmbeddedModels.network($0)) }
    var rows: [SegmentationRow] = []
    for index in setup.figureScenes {
        let s = world.scene(index)
        var panels: [(title: String, labels: LabelMap)] = []
        for (stage, net) in nets {
            panels.append((stage.displayName, try Segmentation.segment(s.image, with: net).labels))
        }
        panels.append(("ground truth", LabelMap(width: s.width, height: s.height, labels: s.labels)))
        rows.append(SegmentationRow(image: s.image, panels: panels))
    }
    // end cell
    try lesson.figure("fig4-refinement", segmentationResultsFigure(title: "Refining fully convolutional nets by fusing information from layers with different strides (Fig. 4)",
        rows: rows, classNames: ShapeClass.allCases.map(\.name), panelSize: 150))

    lesson.section("Summary and exercises")
    lesson.say("  Each skip halves the output stride: score the finer pool, crop it onto the 2× upsampled")
    lesson.say("  coarse scores, add. The crops follow from the coordinate maps; nothing is hand-tuned.")
    let four = fcn4s(from: fcn8s, classes: ShapeClass.count), fourOffsets = try four.coordinateMaps().cropOffsets   // FCN4s.swift
    let miniProblem = try fcn4sProblem(from: fcn8s, classes: ShapeClass.count, side: setup.sceneSize)
    let sides = Array(setup.sceneSize - 16..<setup.sceneSize + 16)
    let fitting = try sides.filter { try fcn4sProblem(from: fcn8s, classes: ShapeClass.count, side: $0) == nil }
    let vggRuns = try fcn4sProblem(from: ModelSpec.fcn8s.description(), classes: 21, side: 500) == nil
    let here = miniProblem.map { "At \(setup.sceneSize)² it does not run: pool2 is \($0.pool2) cells wide and upscore_pool3 \($0.upsampled), so the crop needs \(fourOffsets["score_pool2c"]!.width) + \($0.upsampled) = \(fourOffsets["score_pool2c"]!.width + $0.upsampled) cells (\($0.problem))." }
        ?? "At \(setup.sceneSize)² it runs."
    lesson.exercise("Add an FCN-4s head on pool2 (FCN4s.swift): what are its crop offsets? Does it run at every image size?",
                    answer: "Same recipe one level finer: score_pool2 (a 1×1 convolution on pool2, stride 4), upscore_pool3 (a 4×4 transposed convolution of fuse_pool3, stride 2), a crop of score_pool2 onto upscore_pool3, the sum, then a ×4 upsampling cropped onto the data. The coordinate maps give the offsets (b_to − b_from) / a: " + fourOffsets.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.height)" }.joined(separator: ", ") + ". " + here + " Of the sides \(sides.first!)…\(sides.last!) it runs at \(fitting.count) of \(sides.count): each ceil pool rounds differently, and where the upsampled scores come out one cell longer than pool2's margin allows, the crop fails\(vggRuns ? "; VGG16 at 500² runs" : "; VGG16 at 500² does not run either"). FCN-8s's crops fit at every size (Chapter 3), because pool3 and pool4 keep more of conv1_1's 100-px margin. So FCN-4s needs scenes of a fitting side (or a crop that pads) before it can be trained; the paper stopped at 8s anyway: fusion \"met diminishing returns\" (CVPR 2015 §4.2).")
    let gains = (1..<ShapeClass.count).compactMap { c -> (String, Double)? in
        guard let a = classIU[.fcn32s]?[c], let b = classIU[.fcn8s]?[c] else { return nil }
        return (ShapeClass(rawValue: c)!.name, b - a)
    }.sorted { $0.1 > $1.1 }
    lesson.exercise("Which classes gain most IU from 32s to 8s? (ConfusionMatrix.intersectionOverUnion.)",
                    answer: "On these \(setup.validationScenes) scenes, IU of FCN-8s minus FCN-32s: " + gains.map { "\($0.0) \(percent($0.1))" }.joined(separator: ", ")
                        + " points. Shapes with much boundary for their area gain most: a stride-32 prediction cannot follow their edges, the pool3 skip can.")
    let larger = setup.sceneSize * 3 / 2, largerWorld = SyntheticData.validationWorld(sceneSize: larger)
    let largerIU = try [TrainingStage.fcn32s, .fcn8s].map { stage in
        try SegmentationEvaluation.evaluate(EmbeddedModels.network(stage), classes: ShapeClass.count,
                                            count: min(10, setup.validationScenes)) { largerWorld.scene($0) }.scores.meanIU
    }
    lesson.exercise("Evaluate at \(larger)×\(larger) instead of \(setup.sceneSize) (`--scene-size \(larger)`): does the order of the rows hold?",
                    answer: "The nets are fully convolutional, so they take the larger scenes unchanged. On \(min(10, setup.validationScenes)) scenes of \(larger)×\(larger) this run measured mean IU \(percent(largerIU[0])) for FCN-32s and \(percent(largerIU[1])) for FCN-8s (at \(setup.sceneSize): \(percent(table[1].scores.meanIU)) and \(percent(table[3].scores.meanIU))); run with `--scene-size \(larger)` for the whole table.")
    return Chapter07Result(strides: strides, cropOffsets: maps.cropOffsets, table: table, pixelsScored: pixelsScored,
                           fcn4s: (fourOffsets, miniProblem == nil, fitting))
}

/// The layer whose top is `blob` (the last one, for in-place layers).
func producer(of blob: String, in description: NetworkDescription) -> String {
    description.layers.last { $0.top == blob }!.name
}

/// The RMS over channels of each channel's standard deviation over pixels, for `[1, C, H, W]`.
func spread(_ t: Tensor) -> Double {
    let d = t.nchw, plane = d.h * d.w
    var total = 0.0
    for c in 0..<d.c {
        let values = t.scalars[(c * plane)..<((c + 1) * plane)].map(Double.init)
        let mean = values.reduce(0, +) / Double(plane)
        total += values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(plane)
    }
    return (total / Double(d.c)).squareRoot()
}

/// Root mean square of a tensor's values.
func rms(_ t: Tensor) -> Double {
    (t.scalars.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(max(1, t.count))).squareRoot()
}

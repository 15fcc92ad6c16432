// Chapter 10 — The paper's real results (paper §5 of CVPR 2015 and PAMI 2016), and how to check
// the published voc-fcn8s yourself.
//
//   "Our fully convolutional network achieves state-of-the-art segmentation of PASCAL VOC (20%
//    relative improvement to 62.2% mean IU on 2012), NYUDv2, and SIFT Flow, while inference
//    takes less than one fifth of a second for a typical image."      — CVPR 2015, abstract
//   "… (30% relative improvement to 67.2% mean IU on 2012) …, while inference takes one tenth
//    of a second for a typical image."                                 — PAMI 2016, abstract
//
// (1) Tables 3–5 of CVPR 2015 and PAMI 2016's PASCAL-Context result, quoted (PublishedResults.swift)
// and read: what each experiment shows. The abstract's summary numbers are recomputed from the
// tables. (2) The Berkeley reference models' scores on seg11valid. (3) The runnable path: with
// `--weights` and `--voc` the chapter scores the published net with the code `fcn evaluate --voc`
// uses; without them it prints the commands and exits 0 — it downloads nothing.
import FCNTraining
import FCN
import FCNCourse
import FCNFigures
import Foundation

/// What the chapter is given: the published weights and a VOC folder, if the reader has them.
struct Chapter10Setup {
    var weights: URL?
    var voc: URL?
    var split = "seg11valid"
}

/// What the chapter measured or quoted, for the tests.
struct Chapter10Result {
    var relativeImprovement2012: Double       // FCN-8s over SDS, VOC2012 test (CVPR Table 3)
    var relativeImprovementPAMI: Double       // voc-fcn8s 67.2 over SDS 51.6
    var speedUp: Double                       // SDS time / FCN-8s time (CVPR Table 3)
    var lateFusionGain: Double                // RGB-HHA over RGB, FCN-32s mean IU (CVPR Table 4)
    var earlyFusionGain: Double               // RGBD over RGB
    var commands: [String]
    var scores: SegmentationScores?           // only when --weights and --voc were given
    var parameterBytes: Int                   // float32 bytes of VGG16 FCN-8s (21 classes)
}

func chapter10(_ lesson: inout Lesson, setup: Chapter10Setup = Chapter10Setup()) throws -> Chapter10Result {
    lesson.section("The tables, quoted (not computed here)")
    for table in PublishedResults.all {
        lesson.say("  \(table.title) — \(table.source)")
        lesson.say("    " + column("", 30) + table.columns.map { column($0, 14) }.joined())
        for row in table.rows {
            lesson.say("    " + column(row.method, 30) + row.values.map { column($0.map { show($0, digits: 4) } ?? "–", 14) }.joined())
        }
    }
    try lesson.figure("published-results", TableRenderer(header: ["table", "method"] + ["value 1", "value 2", "value 3", "value 4", "value 5"],
        rows: PublishedResults.all.flatMap { t in t.rows.map { r in
            [t.source, r.method] + (0..<5).map { i in i < r.values.count ? (r.values[i].map { "\(t.columns[i]) \(show($0, digits: 4))" } ?? "–") : "" } } },
        title: "The paper's results, quoted with their sources (not computed here)").figure())

    lesson.section("What each table shows")
    let t3 = PublishedResults.table3, t4 = PublishedResults.table4
    let fcn = t3.row("FCN-8s")!.values, sds = t3.row("SDS")!.values
    let improvement = fcn[1]! / sds[1]! - 1
    let pami = PublishedResults.reference.row("voc-fcn8s")!.values[1]! / sds[1]! - 1
    let speedUp = sds[2]! / fcn[2]!
    lesson.value("Table 3: FCN-8s over SDS, VOC2012 test", "\(percent(improvement))% relative (the CVPR abstract says 20%)")
    lesson.value("         SDS time ÷ FCN-8s time", "\(show(speedUp, digits: 3))× (CVPR §5: 286× overall, 114× for the convnet alone)")
    lesson.value("PAMI 2016: voc-fcn8s 67.2 over SDS", "\(percent(pami))% relative (the PAMI abstract says 30%)")
    lesson.say("  Better optimisation on the same data: PAMI 2016's 'heavy' models (online learning, batch 1,")
    lesson.say("  momentum 0.99; trained like CVPR's on the 8,498 SBD images, CVPR §4.3) gain ~5 points of")
    lesson.say("  mean IU with the same nets (the Berkeley README's \"~5 point boost\").")
    let rgb = t4.row("FCN-32s RGB")!.values[2]!, rgbd = t4.row("FCN-32s RGBD")!.values[2]!
    let late = t4.row("FCN-32s RGB-HHA")!.values[2]!
    lesson.value("Table 4: early fusion (RGBD input) over RGB", "+\(show(rgbd - rgb, digits: 3)) mean IU")
    lesson.value("         late fusion (RGB net + HHA net) over RGB", "+\(show(late - rgb, digits: 3)) mean IU")
    lesson.say("  Depth helps little as a fourth input channel (CVPR §5: meaningful gradients are hard to")
    lesson.say("  propagate through the pretrained net) and more as a second net on the HHA encoding")
    lesson.say("  (disparity, height, angle) whose scores are SUMMED at the end: late fusion.")
    lesson.say("  Table 5: SIFT Flow has two label sets per pixel, 33 semantic and 3 geometric classes; ONE")
    lesson.say("  FCN-16s with two score heads learns both, each as well as a net trained alone (CVPR §5).")
    lesson.say("  PASCAL-Context (PAMI 2016): whole-scene labels, 59 classes of objects and stuff — the")
    lesson.say("  same nets, only the class count changed.")

    lesson.section("Checking voc-fcn8s yourself: what it takes")
    let net = try ModelSpec(backbone: .vgg16, head: .fcn8s, classes: 21).description()
    let bytes = try net.parameterShapes(inputChannels: 3).map(\.count).reduce(0, +) * 4
    lesson.value("VGG16 FCN-8s, 21 classes: float32 parameters", "\(show(Double(bytes) / 1_048_576, digits: 4)) MiB — the caffemodel is about this size")
    // cell: the commands
    let commands = [
        "curl -LO http://dl.caffe.berkeleyvision.org/fcn8s-heavy-pascal.caffemodel",
        "curl -LO http://host.robots.ox.ac.uk/pascal/VOC/voc2011/VOCtrainval_25-May-2011.tar && tar xf VOCtrainval_25-May-2011.tar",
        "curl -L -o <VOC2011>/ImageSets/Segmentation/seg11valid.txt https://raw.githubusercontent.com/shelhamer/fcn.berkeleyvision.org/master/data/pascal/seg11valid.txt",
        "fcn convert fcn8s-heavy-pascal.caffemodel fcn8s.safetensors",
        "fcn segment --weights fcn8s.safetensors --input <VOC2011>/JPEGImages/<an id of seg11valid.txt>.jpg --overlay overlay.png --legend",
        "fcn evaluate --weights fcn8s.safetensors --voc <VOC2011> --split seg11valid --json voc-fcn8s.json",
        "swift run -c release Chapter10 --weights fcn8s.safetensors --voc <VOC2011>",
    ]
    lesson.say("  <VOC2011> is the folder holding JPEGImages/ and SegmentationClass/ (…/VOCdevkit/VOC2011).")
    for (i, c) in commands.enumerated() { lesson.say("  \(i + 1). \(c)") }
    // end cell
    let expected = PublishedResults.reference.row("voc-fcn8s")!.values[0]!
    lesson.value("expected mean IU on seg11valid (736 images)", "≈ \(show(expected, digits: 3)) (Berkeley README; not run in this repository)")

    var scores: SegmentationScores? = nil
    if let weights = setup.weights, let voc = setup.voc {
        lesson.section("Scoring \(weights.lastPathComponent) on \(voc.path) (\(setup.split))")
        let loaded = try LoadedModel.load(from: weights)
        guard let classes = loaded.network.parameters["score_fr.weight"]?.shape[0] else {
            throw Chapter10Error.notASegmentationNet(weights.path)
        }
        let dataset = VOCDataset(root: voc)
        let ids = try dataset.ids(split: setup.split)
        var bar = ProgressBar(total: ids.count, label: "evaluate")
        let matrix = try SegmentationEvaluation.evaluate(loaded.network, classes: classes, count: ids.count,
            name: { dataset.root.appending(path: "SegmentationClass/\(ids[$0]).png").path },
            progress: { bar.update(step: $0) }) { try dataset.scene(ids[$0]) }
        bar.finish()
        scores = matrix.scores
        lesson.value("images", ids.count)
        lesson.value("pixel acc. | mean acc. | mean IU | f.w. IU", [matrix.scores.pixelAccuracy, matrix.scores.meanAccuracy,
            matrix.scores.meanIU, matrix.scores.frequencyWeightedIU].map { percent($0) }.joined(separator: " | "))
        lesson.value("mean IU − the published \(show(expected, digits: 3))", show(100 * matrix.scores.meanIU - expected, digits: 3))
    } else {
        lesson.say("  Without --weights and --voc the chapter stops here: it downloads nothing. With them it")
        lesson.say("  scores the net with the code `fcn evaluate --voc` runs (LoadedModel, VOCDataset,")
        lesson.say("  SegmentationEvaluation) and prints the difference to the published number.")
        if setup.weights != nil { lesson.say("  (--weights given: add --voc.)") }
        if setup.voc != nil { lesson.say("  (--voc given: add --weights.)") }
    }

    lesson.section("Summary and exercises")
    lesson.say("  The paper's claims rest on PASCAL VOC, NYUDv2, SIFT Flow and PASCAL-Context; the course's")
    lesson.say("  synthetic world reproduces their ORDER (Table 2, Chapter 7), not their values.")
    lesson.exercise("Score voc-fcn32s and voc-fcn16s the same way (--weights, --voc): is Table 2's order kept on seg11valid?",
                    answer: "Not run in this repository (no published weights or VOC here). Berkeley's README gives 63.6 (fcn32s), 65.0 (fcn16s) and 65.5 (fcn8s) mean IU on seg11valid for the PAMI 2016 models, so the order 8s ≥ 16s ≥ 32s should hold, with gaps of about 1.4 and 0.5 points — the CVPR 2015 Table 2 gaps were 3.0 and 0.3. A difference to the published numbers larger than a few tenths points at preprocessing (BGR order, mean subtraction) or at the crop offsets.")
    lesson.exercise("Time `fcn segment --repeat 5` on a 500×375 VOC image: compare with Table 3's ~175 ms (CVPR 2015, a Tesla K40c GPU).",
                    answer: "The time is the arithmetic divided by the sustained rate: Chapter 3 computes FCN-8s's multiply-adds at 500×500 and the rate the paper's 175 ms implies (about 2 TFLOP/s on the K40c). A 500×375 image has 3/4 of the pixels, so about 3/4 of the work; a CPU sustaining tens to a few hundred GFLOP/s takes seconds, roughly (its rate ÷ the K40c's) times 175 ms × 3/4.")
    lesson.exercise("Why must seg11valid exclude SBD train images (CVPR footnote 7)? What would happen otherwise?",
                    answer: "The 8,498 SBD training images include some of VOC 2011's val images. A net trained on them and scored on the full val set would be scored partly on images it learned, so its mean IU would be inflated by memorisation, not generalisation — and the comparison with methods trained on VOC train alone would be unfair. seg11valid keeps the 736 val images that are not in SBD train.")
    return Chapter10Result(relativeImprovement2012: improvement, relativeImprovementPAMI: pami, speedUp: speedUp,
                           lateFusionGain: late - rgb, earlyFusionGain: rgbd - rgb, commands: commands,
                           scores: scores, parameterBytes: bytes)
}

/// A problem with the files the reader gave.
enum Chapter10Error: Error, CustomStringConvertible {
    /// The weights hold no score layer.
    case notASegmentationNet(String)
    var description: String {
        switch self {
        case .notASegmentationNet(let f): "\(f): the weights hold no score_fr layer — not a segmentation net"
        }
    }
}

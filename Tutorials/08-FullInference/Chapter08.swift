// Chapter 8 — FCN-8s end to end: an image in, a label per pixel out (paper §3, §4.2, Fig. 1).
//
//   "Fully convolutional networks … take input of arbitrary size and produce correspondingly-
//    sized output with efficient inference and learning."                        — Abstract
//   "We then define a novel architecture that combines semantic information from a deep, coarse
//    layer with appearance information from a shallow, fine layer to produce accurate and
//    detailed segmentations."                                                     — Abstract
//
// The library's in-memory `Segmentation.segment` does what `fcn segment` does around its file
// reading and writing: Caffe-preprocess the image (BGR minus the mean pixel), check the memory
// the pass needs, run the net, take the per-pixel arg-max (a `ScoreMap` → a `LabelMap`); the
// chapter then writes the label map and an overlay. With `--weights FILE`
// (.safetensors or .caffemodel) it runs the real FCN-8s; without, the embedded model when the
// course ships one, else a narrow VGG-shaped FCN-8s with seeded random weights: its labels are
// meaningless, but every shape, crop, byte and millisecond is real.
//
// Dimension letters: K classes, H×W the image.
import FCNTraining
import FCN
import FCNCourse
import FCNFigures
import Foundation

/// The course's trained VGG-mini net that `overrides` choose (default FCN-8s) when the library
/// ships it, else `nil`.
func embeddedModel(_ overrides: ModelSpec.Overrides) -> LoadedModel? {
    guard let stage = EmbeddedModels.stage(for: overrides.spec(base: .vggMini(.fcn8s))), EmbeddedModels.available.contains(stage)
    else { return nil }
    return try? EmbeddedModels.model(stage)
}

/// Where the chapter's net and image come from.
struct Chapter08Setup {
    var weights: URL?
    /// `--arch`: which head (for `weights`, a correction of what the file says).
    var overrides = ModelSpec.Overrides()
    var input: URL?
    var sceneSize = (width: 500, height: 375)             // a VOC-like landscape image
    var fallbackWidths = [16, 32, 64, 128, 128]           // VGG16's widths / 4
    var fallbackFullyConnected = 256
    /// Without `weights`: run the shipped VGG-mini net when there is one (else the random fallback).
    var useEmbeddedModel = true
    static let quick = Chapter08Setup(sceneSize: (64, 48), fallbackWidths: [2, 2, 3, 3, 3], fallbackFullyConnected: 4,
                                      useEmbeddedModel: false)
}

/// What the chapter measured, for the tests.
struct Chapter08Result {
    var inputSize: (height: Int, width: Int)
    var scoreShape: [Int]
    var histogram: [Int]
    var randomWeights: Bool
    var fullSizeScoreShape: [Int]
}

func chapter08(_ lesson: inout Lesson, setup: Chapter08Setup = Chapter08Setup()) throws -> Chapter08Result {
    lesson.say("  Fully convolutional networks \"take input of arbitrary size and produce correspondingly-")
    lesson.say("  sized output with efficient inference and learning.\" (Abstract)")
    lesson.section("The network")
    // cell: the network
    let clock = ContinuousClock(), start = clock.now
    let network: Network
    var random = false, embedded = false
    if let url = setup.weights {
        let model = try LoadedModel.load(from: url, overriding: setup.overrides)
        network = model.network
        lesson.value("weights", "\(url.path) (\(model.spec.classes) classes)")
    } else if setup.useEmbeddedModel, let shipped = embeddedModel(setup.overrides) {
        network = shipped.network
        embedded = true
        lesson.value("weights", "the course's embedded VGG-mini \(shipped.spec.head.rawValue), trained on synthetic shapes")
    } else {
        random = true
        let backbone = VGG.backbone(widths: setup.fallbackWidths, fullyConnected: setup.fallbackFullyConnected)
        let description = try FCN.description(.fcn8s, backbone: backbone, classes: ShapeClass.count)
        var rng = SeededRandom(seed: 8)
        var parameters = try Network.initialParameters(for: description, using: &rng)
        // Score layers start at zero (§4.2); random values let every path show in the output.
        for name in parameters.keys.sorted() where name.hasPrefix("score") {   // sorted: a fixed order, so a fixed result
            parameters[name] = Tensor(randomNormal: parameters[name]!.shape, standardDeviation: 0.05, using: &rng)
        }
        network = try Network(description, parameters: parameters)
        lesson.say("  No --weights and no embedded model yet: a NARROW VGG16-shaped FCN-8s (widths")
        lesson.say("  \(setup.fallbackWidths), fc \(setup.fallbackFullyConnected)) with SEEDED RANDOM WEIGHTS. The labels below are")
        lesson.say("  meaningless; every shape, crop offset, memory figure and timing is real.")
    }
    let loadSeconds = (clock.now - start).inSeconds
    let description = network.description
    let parameterCount = network.parameters.values.map(\.count).reduce(0, +)
    lesson.value("architecture", "\(description.name), \(description.layers.count) layers, \(showCount(parameterCount)) parameters")
    lesson.value("load time", "\(show(loadSeconds * 1000)) ms")
    // end cell

    lesson.section("The image")
    // cell: the image
    let input: Segmentation.Input
    var truth: LabelMap?
    if let url = setup.input {
        input = try Segmentation.readInput(url)
        lesson.value("file", url.path)
    } else {
        let (w, h) = setup.sceneSize
        var world = SceneGenerator(seed: 1, width: w, height: h)
        if embedded {
            // The shipped nets learned objects 10–28 px in radius (128-px scenes): draw objects of
            // that size, and as many per area as there, rather than VOC-sized ones they never saw.
            let scale = 128 / Double(min(w, h)), area = Double(w * h) / (128 * 128)
            world.radiusFraction = 0.08 * scale...0.22 * scale
            world.objectCount = Int(2 * area)...Int(5 * area)
            lesson.say("  Objects drawn at the scale the embedded net was trained on (10–28 px radius).")
        }
        let scene = world.scene(8)
        input = Segmentation.Input(tensor: scene.image.caffeInput(), image: scene.image)   // in memory, no file
        lesson.value("image", "synthetic scene 8, \(w)×\(h), in memory")
        truth = LabelMap(width: w, height: h, labels: scene.labels.map { $0 == ShapeClass.void ? 0 : $0 })   // void band drawn as background
    }
    let (h, w) = (input.tensor.shape[2], input.tensor.shape[3])
    lesson.value("network input (Caffe: BGR − mean)", input.tensor.shape)
    let estimate = try MemoryEstimate(description, inputShape: input.tensor.shape)
    lesson.value("memory estimate: weights", "\(show(Double(estimate.parameterBytes) / 1_048_576)) MiB")
    lesson.value("memory estimate: peak activations", "\(show(Double(estimate.activationBytes) / 1_048_576)) MiB")
    // end cell

    lesson.section("Forward pass and per-pixel argmax")
    // cell: forward pass
    let result = try Segmentation.segment(preprocessed: input, with: network, repeats: 1, availableBytes: MemoryEstimate.availableBytes())
    let k = result.scores.classCount
    lesson.value("score", "\(result.scores.shape) — exactly the input's \(h)×\(w)")
    lesson.value("forward (after a warm-up pass)", "\(show(result.forwardSeconds[0] * 1000)) ms")
    lesson.value("peak resident memory so far", "\(show(peakResidentMiB())) MiB")
    try lesson.figure("labels") { try result.labels.write(to: $0) }             // palette PNG, VOC colours
    try lesson.figure("overlay") { try result.overlay().write(to: $0) }         // labels at α = 0.5 over the image
    let names = k == ShapeClass.count ? ShapeClass.allCases.map(\.name)
        : k == 21 ? LabelPalette.pascalVOCClassNames : (0..<k).map { "class \($0)" }
    let labels = result.labels.labels
    var histogram = [Int](repeating: 0, count: k)
    for l in labels { histogram[Int(l)] += 1 }
    lesson.say("  class histogram\(random ? " (random weights: meaningless)" : ""):")
    for (c, count) in histogram.enumerated() where count > 0 {
        lesson.value("    \(names[c])", "\(show(100 * Double(count) / Double(labels.count), digits: 3)) %")
    }
    // end cell
    var panels = [(title: random ? "prediction (random weights)" : "prediction", labels: result.labels)]
    if let truth { panels.append((title: "ground truth", labels: truth)) }
    try lesson.figure("segmentation", segmentationResultsFigure(
        title: "\(description.name) on a \(w)×\(h) image", rows: [SegmentationRow(image: input.image, panels: panels)],
        classNames: names, panelSize: 240))
    // cell: Fig. 1
    // The paper's Fig. 1 for THIS run: the blobs the image went through, with their shapes for
    // this input (pools shrink to stride 32, channels grow, one score channel per class, the
    // skips and upsamplings return to the image's size), and the prediction just computed.
    let runShapes = try description.inferShapes(input: input.tensor.shape)
    let drawn = description.layers.filter { layer in
        if case .maxPooling = layer.kind { return true }
        return ["fc6", "fc7", "score_fr", "fuse_pool4", "fuse_pool3", "score"].contains(layer.name)
    }
    let blocks = drawn.map { LayerBlock.from(runShapes, layer: $0.name, operation: $0.summary(in: runShapes)) }
    try lesson.figure("fig1-dense-prediction", densePredictionFigure(
        image: input.image, imageCaption: "input 3×\(h)×\(w)", blocks: blocks, labels: result.labels,
        labelsTitle: random ? "prediction (random weights)" : "prediction of \(description.name)", classNames: names))
    // end cell

    lesson.section("The full-size VGG16 FCN-8s, shape by shape, on 500×500")
    // cell: VGG16 FCN-8s
    let full = try ModelSpec.fcn8s.description()
    let shapes = try full.inferShapes(input: [1, 3, 500, 500])
    for layer in full.layers where !["ReLU", "Dropout"].contains(layer.kind.caffeType) {
        let crop = shapes.cropOffsets[layer.name].map { "   (crop offset \($0))" } ?? ""
        lesson.value("  \(layer.name) (\(layer.kind.caffeType))", "\(shapes.layerOutputs[layer.name]!)\(crop)")
    }
    let fullEstimate = try MemoryEstimate(full, inputShape: [1, 3, 500, 500])
    lesson.value("memory estimate (weights + activations)", "\(show(Double(fullEstimate.parameterBytes) / 1_048_576)) + \(show(Double(fullEstimate.activationBytes) / 1_048_576)) MiB")
    // end cell

    lesson.section("Summary and exercises")
    lesson.say("  One forward pass gives K scores per pixel at the input's own size; the crops undo the")
    lesson.say("  100-pixel pad and the deconvolutions' overhang, the skips add pool4's and pool3's detail.")
    let odd = try full.inferShapes(input: [1, 3, 211, 333])
    lesson.exercise("Run on a 333×211 image (`--scene-width 333 --scene-height 211`): which blob sizes change, and do the crop offsets?",
                    answer: "Every blob's height and width change (pool5 \(odd.layerOutputs["pool5"]!) against \(shapes.layerOutputs["pool5"]!) at 500×500) and the score is again the input's size, \(odd.layerOutputs["score"]!). The crop offsets are \(odd.cropOffsets == shapes.cropOffsets ? "the same" : "DIFFERENT") — they come from the coordinate maps, which depend on the layers, not on the input size.")
    let doubled = try MemoryEstimate(description, inputShape: [1, 3, 2 * h, 2 * w])
    lesson.exercise("Double the image side: how do the forward time and the activation memory scale?",
                    answer: "Both with the number of pixels, about 4×: every layer's work and blob size is proportional to its H×W. The estimate for \(2 * w)×\(2 * h) is \(show(Double(doubled.activationBytes) / 1_048_576)) MiB of peak activations against \(show(Double(estimate.activationBytes) / 1_048_576)) MiB here (\(show(Double(doubled.activationBytes) / Double(estimate.activationBytes), digits: 3))×; less than 4 where fixed-size padding and crops weigh). Time it with `--scene-width \(2 * w) --scene-height \(2 * h)`.")
    lesson.exercise("With real weights (`--weights fcn8s-heavy-pascal.caffemodel`), compare the histogram with what you see in the overlay.",
                    answer: "On a photograph most pixels go to background, the rest to the one or two VOC classes in the picture; the histogram's shares should match the coloured areas of overlay.png. On this synthetic scene the VOC net has never seen such shapes, so expect mostly background and scattered guesses — the labels are only as meaningful as the weights and the data they were trained on.")
    return Chapter08Result(inputSize: (h, w), scoreShape: result.scores.shape, histogram: histogram, randomWeights: random,
                           fullSizeScoreShape: shapes.layerOutputs["score"]!)
}

/// The process's peak resident set so far, in MiB (`ru_maxrss` is in KiB on Linux).
func peakResidentMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

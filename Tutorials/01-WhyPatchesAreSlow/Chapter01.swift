// Chapter 1 — Why classifying patches is slow, and what a fully convolutional net shares
// (paper §3.1, "Adapting classifiers for dense prediction").
//
//   "Furthermore, while the resulting maps are equivalent to the evaluation of the original net
//    on particular input patches, the computation is highly amortized over the overlapping
//    regions of those patches. For example, while AlexNet takes 1.2 ms (on a typical GPU) to
//    infer the classification scores of a 227×227 image, the fully convolutional net takes
//    22 ms to produce a 10×10 grid of outputs from a 500×500 image, which is more than 5 times
//    faster than the naïve approach."                               — Long, Shelhamer, Darrell
//
// We redo that experiment on a synthetic scene: classify every classifier-size window at stride
// 32 (112×112 for the course's trained VGG-mini, 224×224 for VGG16's layout) with a VGG-shaped
// classifier (one forward pass per window), then run the convolutionalized
// classifier (`NetSurgery`, Fig. 2) once on the whole image. We check that the two agree, time
// both, and count the multiply-adds to see where the speed-up comes from.
//
// Dimension letters: K classes, H×W the image, G×G the grid of windows.
import FCNTraining
import FCN
import FCNCourse
import FCNFigures
import Foundation

/// The classifier the chapter slides: the course's trained VGG-mini classifier (112×112 input)
/// when the library ships it, else `nil`.
func trainedClassifier() -> (description: NetworkDescription, parameters: [String: Tensor], inputSize: Int)? {
    guard EmbeddedModels.available.contains(.classifier), let parameters = try? EmbeddedModels.parameters(.classifier) else { return nil }
    return (VGGMini.standard.classifier(), parameters, VGGMini.standard.classifierInputSize)
}

/// Sizes of the experiment: the release run and a tiny one for the test.
struct Chapter01Setup {
    var imageSize = 416                       // 416 = 224 + 6·32: a 7×7 grid of 224² windows (10×10 of 112²)
    var widths = [16, 32, 64, 128, 128]       // VGG16's widths / 4 (VGG16: 64 … 512)
    var fullyConnected = 256
    var classes = ShapeClass.count
    /// Slide the shipped trained classifier when there is one (else the seeded random one above).
    var useShippedClassifier = true
    /// Pixels between neighbouring windows: 32 (the net's output stride), 16 or 8. Below 32 the
    /// convolutional net needs (32/stride)² passes on shifted images, stitched (§3.2).
    var windowStride = 32
    /// Also run the paper's own experiment shape (AlexNet, 227² windows, 500² image, random
    /// weights): seconds in a release build, minutes unoptimised, so off in a debug one.
    #if DEBUG
    var paperExperiment = false
    #else
    var paperExperiment = true
    #endif
    static let quick = Chapter01Setup(imageSize: 288, widths: [2, 2, 3, 3, 3], fullyConnected: 4, useShippedClassifier: false,
                                      paperExperiment: false)
}

/// What the chapter measured, for the tests.
struct Chapter01Result {
    var gridSize: Int
    var denseShape: [Int]
    var validMaxRelativeDifference: Float
    var paddedRelativeDifferences: [Float]
    var multiplyAddRatio: Double
    var patchSeconds: Double, denseSeconds: Double
    var argmaxAgreement: Double = 0
    var paper: PaperExperiment? = nil
}

func chapter01(_ lesson: inout Lesson, setup: Chapter01Setup = Chapter01Setup()) throws -> Chapter01Result {
    let n = setup.imageSize, stride = setup.windowStride, netStride = 32
    let shifts = netStride / stride                                          // passes per axis (shift-and-stitch)
    let scene = SceneGenerator(seed: 1, width: n, height: n).scene(2)
    let image = scene.image.caffeInput()                                    // [1, 3, H, W]

    lesson.say("  \"… the computation is highly amortized over the overlapping regions of those patches.\" (§3.1)")
    lesson.section("The classifier and its convolutionalized twin (§3.1, Fig. 2)")
    try lesson.figure("net-surgery", FigureCatalog.all["net-surgery"]!())
    // cell: convolutionalize
    var rng = SeededRandom(seed: 1)
    let classifier: NetworkDescription, parameters: [String: Tensor]
    let window: Int
    if setup.useShippedClassifier, let trained = trainedClassifier() {
        (classifier, parameters, window) = trained
        lesson.say("  Using the trained VGG-mini classifier shipped with the course (\(window)×\(window) input).")
    } else {
        window = 224
        classifier = VGG.description(widths: setup.widths, fullyConnected: setup.fullyConnected, classes: setup.classes)
        parameters = try Network.initialParameters(for: classifier, inputShape: [1, 3, window, window], using: &rng)
        lesson.say("  No trained classifier yet: VGG16's layout with widths \(setup.widths), fc \(setup.fullyConnected),")
        lesson.say("  seeded random weights. The scores mean nothing; every shape and timing is real.")
    }
    let grid = (n - window) / stride + 1
    let fc = try Network(classifier, parameters: parameters)
    let convolutional = try NetSurgery.convolutionalized(classifier, inputShape: [1, 3, window, window])
    let dense = try Network(convolutional, parameters: NetSurgery.convolutionalParameters(parameters, convolutionalized: convolutional))
    lesson.value("fc6 weight, classifier", parameters["fc6.weight"]!.shape)
    lesson.value("fc6 weight, convolutionalized", dense.parameters["fc6.weight"]!.shape)
    // end cell

    lesson.section("Naïve: one forward pass per \(window)×\(window) window")
    // cell: naive
    let clock = ContinuousClock()
    // One untimed pass of each first: it loads OpenBLAS and warms caches and allocator.
    _ = try fc.forward(crop(image, top: 0, left: 0, size: window))
    _ = try dense.forward(image)
    var patchScores: [[Float]] = []                                       // G·G vectors of K scores
    let patchTime = try clock.measure {
        for i in 0..<grid { for j in 0..<grid {
            patchScores.append(try fc.forward(crop(image, top: stride * i, left: stride * j, size: window)).scalars)
        } }
    }
    lesson.value("image", "\(n)×\(n), windows every \(stride) px → \(grid)×\(grid) = \(grid * grid) passes")
    lesson.value("time (after a warm-up pass)", "\(show(patchTime.inSeconds * 1000)) ms (\(show(patchTime.inSeconds * 1000 / Double(grid * grid))) ms per window)")
    // end cell

    lesson.section(shifts == 1 ? "Fully convolutional: one forward pass on the whole image"
                                : "Fully convolutional: \(shifts * shifts) passes on shifted images, stitched (§3.2)")
    // cell: one pass
    var map = Tensor(zeros: [0])
    let denseTime = try clock.measure {                                                  // ShiftedPasses.swift
        map = try stitchedScores(dense, image: image, windowStride: stride, grid: grid)  // [1, K, G, G]
    }
    var denseMultiplyAdds = 0
    for shift in passShifts(windowStride: stride) {
        denseMultiplyAdds += try convolutional.multiplyAdds(inputShape: [1, 3, n - shift.top, n - shift.left]).map(\.multiplyAdds).reduce(0, +)
    }
    lesson.value("output", "\(map.shape) — one score vector per window, from \(shifts * shifts) pass\(shifts == 1 ? "" : "es")")
    lesson.value("time (after a warm-up pass)", "\(show(denseTime.inSeconds * 1000)) ms")
    lesson.value("measured speed-up", "\(show(patchTime.inSeconds / denseTime.inSeconds, digits: 3))×")
    // end cell

    // cell: cells against windows
    // Cell (i, j) against the window at (32i, 32j).
    var padded: [Float] = []
    for i in 0..<grid { for j in 0..<grid {
        let cell = Tensor(shape: [1, map.shape[1]]) { map[0, $0[1], i, j] }
        padded.append(cell.relativeDifference(to: Tensor(shape: [1, map.shape[1]], scalars: patchScores[i * grid + j])))
    } }
    lesson.value("relative difference, cells vs windows", "\(show(padded.min()!)) … \(show(padded.max()!))")
    let agreement = argmaxAgreement(map: map, patchScores: patchScores, grid: grid)      // ArgmaxAgreement.swift
    lesson.value("cells whose arg-max class is the window's", "\(percent(agreement))% of \(grid * grid)")
    if agreement < 1 { lesson.say("  The border differences below change some ANSWERS, not only the numbers.") }
    // end cell
    lesson.say("  Not zero: VGG pads every 3×3 convolution by 1. A window classified alone sees zeros")
    lesson.say("  beyond its border; inside the big image the same pixel's neighbours are real pixels.")
    lesson.say("  Every padded convolution carries that border difference deeper into the cells.")
    if window % netStride != 0 {
        lesson.say("  And \(window) is not a multiple of \(netStride): alone, a window's last pool5 cell pools a partial")
        lesson.say("  block (ceil pooling); inside the image the same cell pools a whole one.")
    }

    lesson.section("Exact equality with unpadded convolutions")
    // cell: unpadded
    let validWindow = 224, validGrid = (n - validWindow) / stride + 1                   // the unpadded classifier's input
    let valid = validClassifier(classes: setup.classes)
    let validParameters = try Network.initialParameters(for: valid, inputShape: [1, 3, validWindow, validWindow], using: &rng)
    let validFC = try Network(valid, parameters: validParameters)
    let validConvolutional = try NetSurgery.convolutionalized(valid, inputShape: [1, 3, validWindow, validWindow])
    let validDense = try Network(validConvolutional, parameters: NetSurgery.convolutionalParameters(validParameters, convolutionalized: validConvolutional))
    let validMap = try stitchedScores(validDense, image: image, windowStride: stride, grid: validGrid)   // [1, K, G, G]
    var worst: Float = 0
    for i in 0..<validGrid { for j in 0..<validGrid {
        let expected = try validFC.forward(crop(image, top: stride * i, left: stride * j, size: validWindow))   // [1, K]
        let cell = Tensor(shape: [1, validMap.shape[1]]) { validMap[0, $0[1], i, j] }
        worst = max(worst, cell.relativeDifference(to: expected))
    } }
    lesson.say("  Same experiment, every convolution unpadded (224 → 220 → 110 → … → 6×6 at fc6):")
    lesson.value("output", validMap.shape)
    lesson.value("worst relative difference over \(validGrid * validGrid) cells", show(worst))
    // end cell
    lesson.say("  Equal to rounding: each cell computes exactly its window's classification.")

    lesson.section("Where the speed-up comes from: shared computation")
    // cell: multiply-adds
    let perWindow = try classifier.multiplyAdds(inputShape: [1, 3, window, window]).map(\.multiplyAdds).reduce(0, +)
    let whole = denseMultiplyAdds                                                         // all the shifted passes
    let ratio = Double(perWindow * grid * grid) / Double(whole)
    lesson.value("multiply-adds, one window", showCount(perWindow))
    lesson.value("multiply-adds, \(grid * grid) windows", showCount(perWindow * grid * grid))
    lesson.value(shifts == 1 ? "multiply-adds, whole image once" : "multiply-adds, \(shifts * shifts) shifted passes", showCount(whole))
    lesson.value("ratio (the speed-up arithmetic allows)", "\(show(ratio, digits: 3))×")
    // end cell
    let pixelsSeen = Double(grid * grid * window * window) / Double(n * n)
    lesson.say("  Neighbouring windows overlap by \(window - stride) of \(window) pixels: the \(grid * grid) windows read")
    lesson.say("  \(show(pixelsSeen, digits: 3)) pixels per image pixel, and each conv layer recomputes the features of the")
    lesson.say("  overlap. The fully convolutional net computes each feature once and every window reuses it.")
    lesson.say("  The paper (CVPR 2015 §3.1, a typical GPU): 100 AlexNet windows of 227² × 1.2 ms = 120 ms vs")
    lesson.say("  22 ms for the 10×10 grid of a 500×500 image, \(show(120.0 / 22, digits: 3))× (\"more than 5 times faster\").")

    lesson.section("The paper's experiment: AlexNet, 227² windows, a 500×500 image (§3.1)")
    // cell: paper experiment
    var paper: PaperExperiment?
    if setup.paperExperiment {
        paper = try lesson.inThisCell { try paperExperiment(&$0) }                     // PaperExperiment.swift
    } else {
        lesson.say("  (not run: --no-paper-experiment, the default in a debug build, where it takes minutes)")
    }
    // end cell
    if let paper {
        lesson.say("  The same shape as the paper's, seeded random weights. The paper's 5.45× is below the")
        lesson.say("  multiply-add ratio: the dense pass also computes border features no window needs.")
        if paper.speedUp > paper.multiplyAddRatio {
            lesson.say("  Here the speed-up EXCEEDS the ratio: each of the 100 small passes pays fixed costs (blobs,")
            lesson.say("  im2col, every layer's setup) that the one large pass pays once — the arithmetic is not all.")
        } else {
            lesson.say("  Here too it is below the ratio, for the same reason.")
        }
    }

    lesson.section("Summary and exercises")
    lesson.say("  A classifier's fully connected layers are convolutions covering their whole input; as")
    lesson.say("  convolutions they slide, and one pass over a large image scores every window at stride 32.")
    let grid16 = (n - window) / 16 + 1
    lesson.exercise("Change the stride between windows to 16 (`--window-stride 16`): how many passes does the naïve way need, and can the convolutional net produce that grid in one pass? (Hint: §3.2.)",
                    answer: "(\(n) − \(window))/16 + 1 = \(grid16), so \(grid16)×\(grid16) = \(grid16 * grid16) passes. One pass cannot: the net's output stride is fixed at \(netStride) by its five pools. Shift-and-stitch (CVPR §3.2, Chapter 5) gets the stride-16 grid from 2×2 = 4 passes on inputs shifted by 0 or 16 px, interleaved — what this chapter does with `--window-stride 16` (this run: \(shifts * shifts) pass\(shifts == 1 ? "" : "es") for windows every \(stride) px) — or from one pass with the last pool's stride set to 1 and the later filters dilated. The multiply-add ratio falls: four passes share less than one.")
    let grid608 = (608 - window) / netStride + 1
    let whole608 = try convolutional.multiplyAdds(inputShape: [1, 3, 608, 608]).map(\.multiplyAdds).reduce(0, +)
    lesson.exercise("Make the image 608×608 (`--image-size 608`). Predict the grid size and the multiply-add ratio, then measure.",
                    answer: "Grid (608 − \(window))/\(netStride) + 1 = \(grid608), so \(grid608 * grid608) windows of \(showCount(perWindow)) multiply-adds against \(showCount(whole608)) for the whole image once: ratio \(show(Double(perWindow * grid608 * grid608) / Double(whole608), digits: 3))× (here, at \(n)×\(n): \(show(ratio, digits: 3))×). The ratio grows with the image because more windows overlap each pixel.")
    lesson.exercise("Why does the measured speed-up differ from the multiply-add ratio?",
                    answer: "The ratio counts arithmetic only. The \(grid * grid) small passes also pay a fixed cost each (allocating blobs, running every layer, im2col), and their small matrix products keep the cores less busy than the one large pass; the dense pass in turn computes the features of the image's border that no window needs. This run measured \(show(patchTime.inSeconds / denseTime.inSeconds, digits: 3))× against a ratio of \(show(ratio, digits: 3))×.")
    return Chapter01Result(gridSize: grid, denseShape: map.shape, validMaxRelativeDifference: worst,
                           paddedRelativeDifferences: padded, multiplyAddRatio: ratio,
                           patchSeconds: patchTime.inSeconds, denseSeconds: denseTime.inSeconds,
                           argmaxAgreement: agreement, paper: paper)
}

/// The `size`×`size` window of `x` `[1, C, H, W]` at (`top`, `left`).
func crop(_ x: Tensor, top: Int, left: Int, size: Int) -> Tensor {
    crop(x, top: top, left: left, height: size, width: size)
}

/// A classifier of unpadded ("valid") convolutions and 2×2 pools that always see even sizes,
/// ending in fc6 over a 6×6 grid: 224 → 220 → 110 → 108 → 54 → 52 → 26 → 24 → 12 → 6. With no
/// padding, a cell of its convolutionalized output sees exactly the pixels of its window.
func validClassifier(classes: Int) -> NetworkDescription {
    func conv(_ name: String, _ outputs: Int, _ bottom: String) -> [LayerDescription] {
        [LayerDescription(name, .convolution(.init(outputs: outputs, kernel: 3)), bottom: bottom),
         LayerDescription("relu" + name.dropFirst(4), .relu, bottom: name, top: name)]
    }
    func pool(_ name: String, _ bottom: String) -> LayerDescription {
        LayerDescription(name, .maxPooling(.init(kernel: 2, stride: 2)), bottom: bottom)
    }
    let layers = conv("conv1_1", 4, "data") + conv("conv1_2", 4, "conv1_1") + [pool("pool1", "conv1_2")]
        + conv("conv2", 6, "pool1") + [pool("pool2", "conv2")] + conv("conv3", 6, "pool2") + [pool("pool3", "conv3")]
        + conv("conv4", 8, "pool3") + [pool("pool4", "conv4"), pool("pool5", "pool4"),
           LayerDescription("fc6", .linear(.init(outputs: 16)), bottom: "pool5"),
           LayerDescription("relu6", .relu, bottom: "fc6", top: "fc6"),
           LayerDescription("fc7", .linear(.init(outputs: 16)), bottom: "fc6"),
           LayerDescription("relu7", .relu, bottom: "fc7", top: "fc7"),
           LayerDescription("fc8", .linear(.init(outputs: classes)), bottom: "fc7")]
    return NetworkDescription(name: "valid-classifier", layers: layers)
}

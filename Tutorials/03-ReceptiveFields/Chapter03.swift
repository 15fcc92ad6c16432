// Chapter 3 — Receptive fields, output stride, and why conv1_1 pads by 100 (paper §3.1, Table 1).
//
//   "Locations in higher layers correspond to the locations in the image they are
//    path-connected to, which are called their receptive fields."               — §3
//   "We detail the architecture of the adapted nets as regards dense prediction: number of
//    parameter layers, receptive field size of output units, and the coarsest stride within
//    the net."                                                     — Table 1's caption, §4.1
// Table 1 gives FCN-AlexNet and FCN-VGG16 receptive fields of 355 and 404 pixels, max stride
// 32 for both, 57M and 134M parameters, 8 and 16 conv. layers.
//
// Everything below is derived from the network descriptions by the library
// (`receptiveFields()`, `ArchitectureAnalysis`, `inferShapes`), nothing is typed in: (1) the
// per-layer table of the VGG16 FCN on a 500×500 image, (2) Table 1, (3) the 100 pixels of
// padding on conv1_1 that let any input size through, and the crop offsets they cost.
//
// Dimension letters: C channels, H×W spatial size.
import FCN
import FCNCourse
import FCNFigures

/// The chapter's knobs (`--input-size`, `--padding`).
struct Chapter03Setup {
    /// The square image the per-layer table and the crop offsets are computed for (the paper's 500).
    var inputSize = 500
    /// A conv1_1 padding to set beside FCN's 100 in the last exercise.
    var padding = 96
    /// Time one forward pass of the full VGG16 FCN-8s on 500×500 (seconds in release; minutes unoptimised).
    #if DEBUG
    var timesForward = false
    #else
    var timesForward = true
    #endif
}

/// What the chapter measured, for the tests.
struct Chapter03Result {
    var vggField: Int, vggStride: Int, vggParameters: Int, vggConvolutionLayers: Int
    var alexField: Int, alexParameters: Int, alexConvolutionLayers: Int
    var fc6OutputAt500: [Int]                  // at the default --input-size 500
    var unpaddedError: NetworkError?
    var unpaddedCropError: NetworkError?
    var smallestUnpaddedInput: Int
    var paddedFc6Sizes: [Int: Int]
    var cropOffsets: [String: Int]
    /// The crop offsets with conv1_1 padded by `setup.padding` (nil for a head that cannot align).
    var paddedCropOffsets: [String: [String: Int]?] = [:]
    var multiplyAdds: (alexNet: Int, vgg16: Int, fcn8s: Int) = (0, 0, 0)
}

func chapter03(_ lesson: inout Lesson, setup: Chapter03Setup = Chapter03Setup()) throws -> Chapter03Result {
    let n = setup.inputSize
    lesson.say("  \"Locations in higher layers correspond to the locations in the image they are")
    lesson.say("   path-connected to, which are called their receptive fields.\" (§3)")
    lesson.section("Per layer: VGG16 FCN-32s on a \(n)×\(n) image")
    // cell: per-layer table
    let fcn32 = try ModelSpec.fcn32s.description()
    let vgg = try ArchitectureAnalysis(fcn32, inputShape: [1, 3, n, n])
    lesson.say("  layer        output (C×H×W)    stride   receptive field   parameters")
    for row in vgg.layers where !["ReLU", "Dropout"].contains(row.type) {
        let shape = row.outputShape.dropFirst().map(String.init).joined(separator: "×")
        let field = row.receptiveField
        lesson.say("  " + [column(row.name, 12), column(shape, 17), column(field.map { "\($0.vertical.jump)" } ?? "—", 8),
                           column(field?.sizeDescription ?? "—", 17), showCount(row.learnableParameters)].joined(separator: " "))
    }
    let fc6 = vgg.layers.first { $0.name == "fc6" }!
    // end cell
    lesson.say("  Each 3×3 convolution adds 2 × stride to the field, each pool doubles the stride; fc6's")
    lesson.say("  7×7 window at stride 32 adds 6·32 = 192. A score_fr pixel sees \(vgg.receptiveField) pixels, one every \(vgg.outputStride).")
    try lesson.figure("receptive-fields", FigureCatalog.all["receptive-fields"]!())

    lesson.section("Table 1: FCN-AlexNet and FCN-VGG16")
    // cell: Table 1
    let alex = try ArchitectureAnalysis(ModelSpec.fcnAlexNet.description(), inputShape: [1, 3, n, n])
    let q = QuotedTable1.self                                                             // Table1.swift
    lesson.say("                       FCN-AlexNet   FCN-VGG16     FCN-GoogLeNet   (computed here; * quoted, \(q.source))")
    lesson.say("  mean IU *            \(column(show(q.meanIU.alexNet), 13)) \(column(show(q.meanIU.vgg16), 13)) \(show(q.meanIU.googLeNet))")
    lesson.say("  forward time *       \(column("\(show(q.forwardMilliseconds.alexNet)) ms", 13)) \(column("\(show(q.forwardMilliseconds.vgg16)) ms", 13)) \(show(q.forwardMilliseconds.googLeNet)) ms")
    lesson.say("  conv. layers         \(column("\(alex.convolutionLayers)", 13)) \(column("\(vgg.convolutionLayers)", 13)) \(q.googLeNet.convolutionLayers) *")
    lesson.say("  parameters           \(column(showCount(alex.learnableParameters), 13)) \(column(showCount(vgg.learnableParameters), 13)) \(q.googLeNet.parameters) *")
    lesson.say("  rf size              \(column("\(alex.receptiveField)", 13)) \(column("\(vgg.receptiveField)", 13)) \(q.googLeNet.receptiveField) *")
    lesson.say("  max stride           \(column("\(alex.outputStride)", 13)) \(column("\(vgg.outputStride)", 13)) \(q.googLeNet.stride) *")
    let alexMACs = try multiplyAdds(ModelSpec.fcnAlexNet.description(), size: 500), vggMACs = try multiplyAdds(fcn32, size: 500)
    lesson.say("  multiply-adds, 500²  \(column(showCount(alexMACs), 13)) \(showCount(vggMACs))")
    // end cell
    lesson.say("  (CVPR 2015 Table 1: 355 / 404 / 907 rf, 32 / 32 / 32 stride, 57M / 134M / 6M parameters,")
    lesson.say("  8 / 16 / 22 conv. layers; times for a 500×500 input in Caffe on a Tesla K40c.)")
    lesson.say("  Time tracks arithmetic, not parameters: VGG16 does \(show(Double(vggMACs) / Double(alexMACs), digits: 2))× AlexNet's multiply-adds and took")
    lesson.say("  \(show(q.forwardMilliseconds.vgg16 / q.forwardMilliseconds.alexNet, digits: 2))× its time (the small net keeps a GPU less busy per multiply-add); GoogLeNet has")
    lesson.say("  22× fewer parameters than VGG16 yet took \(percent(q.forwardMilliseconds.googLeNet / q.forwardMilliseconds.vgg16))% of its time, not 1/22.")
    try lesson.figure("architecture-table", FigureCatalog.all["architecture-table"]!())

    lesson.section("Why conv1_1 pads by 100")
    // cell: pad 1
    // The FCN trunk (conv1_1 … fc7) with VGG's own padding, 1, on conv1_1.
    let unpaddedTrunk = NetworkDescription(name: "VGG16 trunk, pad 1", layers: VGG.backbone(firstPadding: 1).layers)
    var failure: NetworkError?
    do { _ = try unpaddedTrunk.inferShapes(input: [1, 3, 100, 100]) } catch { failure = error }
    lesson.say("  With padding 1, a 100×100 image shrinks to \(try poolSize(unpaddedTrunk, 100))×\(try poolSize(unpaddedTrunk, 100)) at pool5, and fc6's 7×7")
    lesson.say("  window no longer fits. The library refuses it with a typed error:")
    lesson.say("    \(failure.map { "\($0)" } ?? "(no error)")")
    var smallest = 1
    while (try? unpaddedTrunk.inferShapes(input: [1, 3, smallest, smallest])) == nil, smallest < 1000 { smallest += 1 }
    lesson.value("smallest square input that works, pad 1", "\(smallest)×\(smallest)")
    // And the whole FCN-32s with pad 1: the unpadded 7×7 fc6 eats 3 cells (96 px) on each side,
    // so the upsampled scores start inside the image and no crop can cover it.
    let unpaddedFCN = try FCN.description(.fcn32s, backbone: VGG.backbone(firstPadding: 1))
    var cropFailure: NetworkError?
    do { _ = try unpaddedFCN.inferShapes(input: [1, 3, 500, 500]) } catch { cropFailure = error }
    lesson.say("  Even where fc6 fits, FCN-32s with pad 1 cannot align its output with the image:")
    lesson.say("    \(cropFailure.map { "\($0)" } ?? "(no error)")")
    // end cell
    // cell: pad 100
    var paddedSizes: [Int: Int] = [:]
    for n in [1, 32, 100, 224, 500] {
        let shapes = try fcn32.inferShapes(input: [1, 3, n, n])
        paddedSizes[n] = shapes.layerOutputs["fc6"]![2]
        lesson.value("pad 100, input \(n)×\(n)", "pool5 \(shapes.layerOutputs["pool5"]![2])², fc6 \(paddedSizes[n]!)², score \(shapes.layerOutputs["score"]![2])²")
    }
    // end cell
    lesson.say("  With 100 extra pixels on each side every input ≥ 1 pixel reaches fc6 with room for")
    lesson.say("  its window: the net accepts \"input of any size\" (§3) as the paper promises.")

    lesson.section("The cost: outputs that no longer line up, and the crops that realign them")
    lesson.say("  Padding shifts every blob's grid relative to the image. The skips of FCN-16s/8s and the")
    lesson.say("  final score must be cut back into register; the offsets are derived from coordinate maps:")
    // cell: crop offsets
    var offsets: [String: Int] = [:]
    for spec in [ModelSpec.fcn32s, .fcn16s, .fcn8s] {
        let net = try spec.description()
        let shapes = try net.inferShapes(input: [1, 3, n, n])
        for (layer, offset) in shapes.cropOffsets.sorted(by: { $0.key < $1.key }) {
            offsets["\(net.name) \(layer)"] = offset.height
            lesson.value("\(net.name): crop \(layer)", "offset \(offset)")
        }
    }
    // end cell
    lesson.say("  19 for FCN-32s's score, 5 and 9 for the pool4 and pool3 skips, 31 for FCN-8s's score:")
    lesson.say("  the same numbers as Berkeley's prototxts (crop offsets are independent of the input size).")
    try lesson.figure("crop-offsets", FigureCatalog.all["crop-offsets"]!())

    lesson.section("The speed claims (CVPR 2015 abstract, §5), beside this engine")
    let fcn8sMACs = try multiplyAdds(ModelSpec.fcn8s.description(), size: 500)
    lesson.value("VGG16 FCN-8s, 500×500: multiply-adds", showCount(fcn8sMACs))
    let paperRate = 2 * Double(fcn8sMACs) / (QuotedTable1.fcn8sMilliseconds / 1000) / 1e12
    lesson.value("paper: ~\(show(QuotedTable1.fcn8sMilliseconds)) ms per image (K40c)", "\(show(paperRate, digits: 3)) TFLOP/s sustained (2 FLOP per multiply-add)")
    lesson.value("K40c peak, float32: 2880 cores × 2 FLOP × clock", "\(show(TeslaK40c.peakTFLOPs(), digits: 3)) TFLOP/s at 745 MHz (\(show(TeslaK40c.peakTFLOPs(clockGHz: TeslaK40c.boostClockGHz), digits: 3)) at the 875 MHz boost)")
    lesson.say("  \"less than one fifth of a second for a typical image\" (CVPR 2015 abstract), 286× SDS overall,")
    lesson.say("  114× for the convnet alone (CVPR 2015 §5, Table 3). So Caffe's im2col + cuBLAS kept the GPU")
    lesson.say("  \(percent(paperRate / TeslaK40c.peakTFLOPs(clockGHz: TeslaK40c.boostClockGHz)))–\(percent(paperRate / TeslaK40c.peakTFLOPs()))% busy: the time is the arithmetic ÷ the rate.")
    // cell: time FCN-8s
    if setup.timesForward {
        let timed = try timeVGG16FCN8s(size: 500)                                        // Table1.swift
        lesson.value("this engine, this CPU: one forward pass", "\(show(timed.seconds * 1000)) ms (random weights, after a warm-up)")
        lesson.value("sustained", "\(show(2 * Double(timed.multiplyAdds) / timed.seconds / 1e9, digits: 3)) GFLOP/s, \(show(timed.seconds * 1000 / QuotedTable1.fcn8sMilliseconds, digits: 3))× the paper's GPU time")
    } else {
        lesson.say("  (not timed: --no-time, the default in a debug build, where one pass takes minutes)")
    }
    // end cell

    lesson.section("Summary and exercises")
    lesson.say("  A pixel of score_fr sees 404×404 image pixels and neighbours are 32 pixels apart. The")
    lesson.say("  100-pixel pad buys arbitrary input sizes at the price of crops that realign the outputs.")
    let pool2 = vgg.layers.first { $0.name == "pool2" }?.receptiveField?.sizeDescription ?? "?"
    lesson.exercise("Compute by hand the receptive field of pool2 (stride 4), and check it in the table.",
                    answer: "Each 3×3 convolution adds 2 × (its input's stride), each 2×2 pool adds 1 × stride and doubles it: conv1_1 3, conv1_2 5, pool1 6 (stride 2), conv2_1 10, conv2_2 14, pool2 16 (stride 4). The table's pool2 row says \(pool2).")
    lesson.exercise("With pad 1, why does \(smallest - 1) fail and \(smallest) work? Follow the sizes through the ceil pools.",
                    answer: "fc6 is a 7×7 window, so pool5 must be at least 7×7. With pad 1 the convolutions keep the size and each ceil pool maps n to ⌈n/2⌉: \(smallest - 1) reaches pool5 at \(try poolSize(unpaddedTrunk, smallest - 1))×\(try poolSize(unpaddedTrunk, smallest - 1)), \(smallest) at \(try poolSize(unpaddedTrunk, smallest))×\(try poolSize(unpaddedTrunk, smallest)).")
    // cell: another padding
    let p = setup.padding
    var paddedOffsets: [String: [String: Int]?] = [:]
    for head in [ModelSpec.Head.fcn32s, .fcn16s, .fcn8s] {
        let shapes = try? FCN.description(head, backbone: VGG.backbone(firstPadding: p)).inferShapes(input: [1, 3, n, n])
        paddedOffsets["\(head)"] = shapes.map { $0.cropOffsets.mapValues(\.height) }
    }
    // end cell
    let shownOffsets = paddedOffsets.sorted { $0.key < $1.key }.map { head, o in
        "\(head): " + (o.map { $0.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") } ?? "no alignment")
    }
    lesson.exercise("Change conv1_1's padding to 96 (`--padding 96`): which crop offsets change, and are they still whole pixels?",
                    answer: "With pad \(p) the run computes \(shownOffsets.joined(separator: "; ")), against \(offsets.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")) with pad 100. Padding \(100 - p) pixels less moves every blob of the trunk by the same \(100 - p) image pixels, so the skip crops, between two such blobs, keep their offsets; the final crops onto the image change by \(100 - p). All are whole pixels, since the shift is whole; a head whose final offset would be negative cannot align at all (\"no alignment\").")
    return Chapter03Result(
        vggField: vgg.receptiveField.integerValue ?? -1, vggStride: vgg.outputStride.integerValue ?? -1,
        vggParameters: vgg.learnableParameters, vggConvolutionLayers: vgg.convolutionLayers,
        alexField: alex.receptiveField.integerValue ?? -1, alexParameters: alex.learnableParameters,
        alexConvolutionLayers: alex.convolutionLayers, fc6OutputAt500: fc6.outputShape, unpaddedError: failure,
        unpaddedCropError: cropFailure,
        smallestUnpaddedInput: smallest, paddedFc6Sizes: paddedSizes, cropOffsets: offsets, paddedCropOffsets: paddedOffsets,
        multiplyAdds: (alexMACs, vggMACs, fcn8sMACs))
}

/// pool5's height for an n×n input (the part of the net before fc6 accepts any size).
func poolSize(_ net: NetworkDescription, _ n: Int) throws -> Int {
    let trunk = NetworkDescription(name: "trunk", layers: Array(net.layers.prefix { $0.name != "fc6" }))
    return try trunk.inferShapes(input: [1, 3, n, n]).layerOutputs["pool5"]![2]
}

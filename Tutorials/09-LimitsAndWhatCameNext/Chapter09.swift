// Chapter 9 — Limits, and what came next: coarse boundaries, dilated convolutions, decoders
// (paper §4.2 CVPR 2015 = §4.3 PAMI 2016; DeepLab, Chen et al. 2015; U-Net, Ronneberger et al. 2015; SegNet,
// Badrinarayanan et al. 2015).
//
//   "While fully convolutionalized classifiers can be fine-tuned to segmentation …, and even
//    score highly on the standard metric, their output is dissatisfyingly coarse."     — §4.2
//   "Decreasing the stride of pooling layers is the most straightforward way to obtain finer
//    predictions. However, doing so is problematic for our VGG16-based net. Setting the pool5
//    layer to have stride 1 requires our convolutionalized fc6 to have a kernel size of 14 × 14
//    in order to maintain its receptive field size."                                  — §4.2
//
// (1) Where the errors are: pixel accuracy by distance to the nearest object boundary, for
// FCN-32s, -16s and -8s (output strides 32, 16, 8). (2) The answer DeepLab gave to §4.2's
// "problematic" remark: keep the trained weights, drop a pool's stride and dilate every later
// filter (the rarefaction of Chapter 5 — "atrous" convolution). Output stride 16 this way is
// exact and needs no retraining; output stride 8 needs a stride-1 pool5 over a dilated grid,
// which our pooling lacks, so we approximate it and measure what that costs. (3) Decoders and
// attention, multi-scale context, CRFs and instance segmentation, in words: we do not run them here.
//
// Dimension letters: K classes, H×W the image.
import FCNTraining
import FCN
import FCNCourse
import FCNFigures
import Foundation

/// Sizes of the chapter: the release run and a smaller one for the test.
struct Chapter09Setup {
    #if DEBUG
    var validationScenes = 6                  // debug builds run unoptimised kernels
    #else
    var validationScenes = 30
    #endif
    var sceneSize = 128
    /// Upper ends of the distance bands, in pixels (the last band is everything farther).
    var bands = [2, 4, 8, 16]
    #if DEBUG
    var decoderSteps = 20                     // enough to see the loss fall; the release run trains properly
    #else
    var decoderSteps = 1000                   // not timed in release yet; debug: about 0.6 s per step per head, loaded
    #endif
    /// Channels of every decoder step (D in TinyDecoder.swift).
    var decoderWidth = 16
    /// Steps of each arm of the fine-tuning exercise (FineTuningDepth.swift); 0: the shipped models.
    var fineTuneSteps = 0
    static let quick = Chapter09Setup(validationScenes: 1, sceneSize: 64, decoderSteps: 12)
}

/// What the chapter measured, for the tests.
struct Chapter09Result {
    var names: [String]
    var outputStrides: [Int]
    var bandAccuracy: [[Double]]                  // [net][band]
    var bandPixels: [Int]
    var countedPixels: Int
    var receptiveFields: [String: Int]            // score_fr's, per net name
    var dilatedExactDifference: Float             // OS16 dilated vs FCN-32s at the coarse positions
    var decoder: DecoderRun                       // TinyDecoder.swift
    var decoderBandAccuracy: [[Double]]           // [FCN-32s, FCN-8s, retrained 8s head, decoder][band]
    var concatenationDifference: Float            // the identity, on random tensors
    var fineTuning: (all: Double, last: Double)   // mean IU, FineTuningDepth.swift
}

func chapter09(_ lesson: inout Lesson, setup: Chapter09Setup = Chapter09Setup()) throws -> Chapter09Result {
    lesson.say("  \"… their output is dissatisfyingly coarse.\" (§4.2)")
    // cell: nets
    let mini = VGGMini.standard
    let fcn32 = try ModelSpec.vggMini(.fcn32s, mini).description()
    let parameters32 = try EmbeddedModels.parameters(.fcn32s)
    let os16 = try dilated(fcn32, outputStride: 16), os8 = try dilated(fcn32, outputStride: 8)
    var nets: [(name: String, net: Network)] = try [TrainingStage.fcn32s, .fcn16s, .fcn8s].map { ($0.displayName, try EmbeddedModels.network($0)) }
    for (name, d, f) in [("FCN-32s dilated, OS 16", os16, 16), ("FCN-32s dilated, OS 8", os8, 8)] {
        var p = parameters32
        p["upscore.weight"] = bilinearUpsamplingWeight(channels: VGGMini.segmentationClasses, factor: f)   // [K, K, 2f, 2f]
        nets.append((name, try Network(d, parameters: p)))
    }
    let strides = try nets.map { try outputStride($0.net.description) }
    // end cell

    lesson.section("Where the errors are: accuracy by distance to the nearest boundary")
    // cell: accuracy by distance
    let world = SyntheticData.validationWorld(sceneSize: setup.sceneSize)
    let bandNames = setup.bands.enumerated().map { "\($0.offset == 0 ? 1 : setup.bands[$0.offset - 1] + 1)–\($0.element) px" }
        + ["> \(setup.bands.last!) px"]
    let (accuracy, total) = try accuracyByBand(nets.map(\.net), world: world, setup: setup)
    lesson.say("  \(setup.validationScenes) held-out scenes of \(setup.sceneSize)×\(setup.sceneSize); distance to the void band (the 1-px")
    lesson.say("  border the labels mark between regions), counted pixels only. Pixel accuracy in %:")
    lesson.say("  " + column("", 26) + column("stride", 8) + bandNames.map { column($0, 10) }.joined())
    for (k, entry) in nets.enumerated() {
        lesson.say("  " + column(entry.name, 26) + column("\(strides[k])", 8) + accuracy[k].map { column(percent($0), 10) }.joined())
    }
    lesson.say("  " + column("pixels in the band", 34) + total.map { column("\($0)", 10) }.joined())
    let nearest = nets.indices.sorted { accuracy[$0][0] > accuracy[$1][0] }.map { nets[$0].name }
    lesson.value("nearest band, best to worst", nearest.joined(separator: " > "))
    let gaps = accuracy.map { $0.last! - $0[0] }
    lesson.value("accuracy lost from far to nearest band", "\(percent(gaps.min()!)) … \(percent(gaps.max()!)) points")
    // end cell
    lesson.say("  Far from edges every net is judged on what it recognises; near edges, on where it puts")
    lesson.say("  the boundary, which a score map of stride s can only interpolate between cells s px apart.")
    let bandEnds = setup.bands.map(Double.init) + [2 * Double(setup.bands.last!)]          // "> 16 px" drawn at 32
    try lesson.figure("boundary-accuracy", LineChart(title: "Pixel accuracy by distance to a boundary",
        xLabel: "distance to the nearest boundary (px, band's upper end; last: farther)", yLabel: "pixel accuracy",
        series: nets.enumerated().map { k, entry in
            Series(name: entry.name, points: zip(bandEnds, accuracy[k]).map { ($0, $1) }, color: RGB.series[k % RGB.series.count])
        }).figure(width: 560, height: 300))

    lesson.section("What came next (1): dilated — \"atrous\" — convolutions (DeepLab)")
    lesson.say("  §4.2: a stride-1 pool5 would need a 14×14 fc6 to keep its receptive field. Chapter 5's")
    lesson.say("  rarefaction needs no new weights: dilate fc6 by 2 and it reads exactly what it read before.")
    // cell: dilated nets
    let fields = try [("FCN-32s", fcn32), ("dilated, OS 16", os16), ("dilated, OS 8", os8)].map { name, d in
        (name, try d.receptiveFields()["score_fr"]!!.vertical.size.integerValue!)
    }
    let input = [1, 3, setup.sceneSize, setup.sceneSize]
    for (name, d) in [("FCN-32s", fcn32), ("dilated, OS 16", os16), ("dilated, OS 8", os8)] {
        let changed = d.layers.compactMap { layer -> String? in
            switch layer.kind {
            case .convolution(let p) where p.dilation.height > 1: return "\(layer.name) ×\(p.dilation.height)"
            case .maxPooling(let p) where p.stride.height == 1: return "\(layer.name) stride 1 (k\(p.kernel.height))"
            default: return nil
            }
        }
        let field = fields.first { $0.0 == name }!.1
        let cost = try d.multiplyAdds(inputShape: input).map(\.multiplyAdds).reduce(0, +)
        lesson.value("  \(name)", "\(changed.isEmpty ? "as trained" : changed.joined(separator: ", "))")
        lesson.value("    score_fr shape, its field; whole net at \(setup.sceneSize)²", "\(try d.inferShapes(input: input).layerOutputs["score_fr"]!), \(field) px; \(showCount(cost)) mult-adds")
    }
    // end cell
    // OS 16 is exact: its score_fr at even positions is FCN-32s's score_fr.
    // cell: OS 16 is exact
    let x = SyntheticData.input(world.scene(0))                                            // [1, 3, H, W]
    let coarse = try nets[0].net.forward(["data": x], keeping: ["score_fr"])["score_fr"]!   // [1, K, h, w]
    let dense = try nets[3].net.forward(["data": x], keeping: ["score_fr"])["score_fr"]!    // [1, K, ~2h, ~2w]
    var worst: Float = 0
    for c in 0..<coarse.shape[1] { for i in 0..<min(coarse.shape[2], (dense.shape[2] + 1) / 2) { for j in 0..<min(coarse.shape[3], (dense.shape[3] + 1) / 2) {
        worst = max(worst, abs(coarse[0, c, i, j] - dense[0, c, 2 * i, 2 * j]))
    } } }
    lesson.value("max |dilated OS16[2i, 2j] − FCN-32s[i, j]|", show(worst))
    // end cell
    lesson.say("  Same weights, twice the resolution of scores, the same receptive field: the OS 16 net is")
    lesson.say("  FCN-32s evaluated by shift-and-stitch (Chapter 5). OS 8 also drops pool4's stride; pool5")
    lesson.say("  then needs a 2×2 window with gaps (dilated pooling), which the library does not have, so we")
    lesson.say("  use a 3×3 stride-1 window — a different net, untrained as such. DeepLab fine-tunes after the")
    lesson.say("  change (and adds a CRF); the accuracy rows above show what each costs us without training.")

    let decoder = try showTinyDecoder(&lesson, setup: setup, world: world, references: [nets[0].net, nets[2].net],
                                      bandNames: bandNames)                                          // below
    lesson.section("What came next (3): other decoders and attention — in words, not run here")
    lesson.say("  SegNet (Badrinarayanan et al., 2015) decodes like U-Net but upsamples with the max-pooling")
    lesson.say("  switches (argmax positions) the encoder recorded, instead of bilinear kernels. Attention")
    lesson.say("  (non-local blocks, 2018; transformer segmenters such as SETR, 2021, and Mask2Former, 2022)")
    lesson.say("  gives every position the whole image as context instead of a fixed receptive field.")
    lesson.say("  The per-pixel nets (U-Net, SegNet, DeepLab, SETR) keep FCN's core: one dense pass, a")
    lesson.say("  per-pixel loss, any input size. Mask classification does NOT: MaskFormer (2021) and")
    lesson.say("  Mask2Former (2022) predict a set of N masks each with one class, matched to the ground-truth")
    lesson.say("  segments by bipartite matching and trained with a per-mask classification loss plus a mask")
    lesson.say("  loss — the label of a pixel is read off the masks afterwards.")
    lesson.say("  Why the dilated head above is no better near edges: it evaluates the SAME trained features")
    lesson.say("  on a finer grid. More score positions are not more evidence — each still sees what the")
    lesson.say("  coarse net saw, and the OS 8 variant even changes pool5 without retraining. Skips add new")
    lesson.say("  evidence (pool4's and pool3's finer features); dilation only adds resolution.")
    try showWhatCameNext(&lesson)                                                         // WhatCameNext.swift

    lesson.section("Summary and exercises")
    lesson.say("  Coarse strides cost accuracy where boundaries are; skips, dilation and decoders each buy")
    lesson.say("  resolution back at a price in computation or parameters.")
    let fcn8Near = accuracy[2][0], os8Near = accuracy[4][0]
    lesson.exercise("Fine-tune the OS 8 net for 100 steps (StageTrainer on its description): does its near-boundary accuracy overtake FCN-8s's?",
                    answer: "Not run here (it takes a training run). Untrained, the OS 8 net scores \(percent(os8Near)) % in the nearest band against FCN-8s's \(percent(fcn8Near)) %: its 3×3 stride-1 pool5 is a different net from the one the weights were learned for. Fine-tuning lets the filters adapt to that window, which is what DeepLab does; whether 100 steps suffice is the experiment — compare the nearest-band column before and after.")
    lesson.exercise("Why does dilating fc6 by 2 keep its receptive field, when a 4×4 kernel on a stride-16 grid would halve it?",
                    answer: "On the stride-16 grid, taps 2 cells apart are 32 px apart — where fc6's taps were on the stride-32 grid — so the dilated fc6 reads the same pixels as before: score_fr's field is \(fields[0].1) px for FCN-32s and \(fields[1].1) px dilated (the run above). A dense kernel of half the extent on the finer grid covers half the image distance, so the field would shrink by about half of fc6's contribution.")
    let depth = try fineTuningDepth(steps: setup.fineTuneSteps, setup: setup, world: world)   // FineTuningDepth.swift
    let q = QuotedFineTuning.self
    lesson.exercise("Fine-tune all layers or only the last (`--fine-tune-steps N`): what share of the full fine-tuning's mean IU does score_fr alone reach? The paper says 70 %.",
                    answer: (setup.fineTuneSteps == 0 ? "With the shipped models (FCN-32s-fixed trained like FCN-32s but with only score_fr learning)" : "Trained \(setup.fineTuneSteps) steps each from the shipped classifier")
                        + ", on \(setup.validationScenes) scenes: FCN-32s \(percent(depth.all)), FCN-32s-fixed \(percent(depth.last)) mean IU — \(percent(depth.last / max(depth.all, 1e-9))) % of it. The paper's sentence says 70 % (CVPR 2015 §4.3); its own Table 2 gives \(show(q.table2.fixed)) / \(show(q.table2.full)) = \(percent(q.table2.fixed / q.table2.full)) %. The fixed net can only recombine fc7's features, learned for classifying whole windows; fine-tuning every layer lets the trunk learn features for pixels.")
    let big = [1, 3, 500, 500]
    let costs = try [fcn32, os16, os8].map { try $0.multiplyAdds(inputShape: big).map(\.multiplyAdds).reduce(0, +) }
    lesson.exercise("Measure the OS 4 dilated net's cost at 500×500 with multiplyAdds: is it affordable?",
                    answer: "At 500×500 this VGG-mini costs \(showCount(costs[0])) multiply-adds as FCN-32s, \(showCount(costs[1])) at OS 16 and \(showCount(costs[2])) at OS 8 (×\(show(Double(costs[1]) / Double(costs[0]), digits: 3)), ×\(show(Double(costs[2]) / Double(costs[0]), digits: 3))). Each pool undone multiplies the work of every later layer by about 4, so OS 4 (pool3 too) multiplies conv4 onwards again by ~4: affordable for this small net, but for VGG16 it is why DeepLab stops at OS 8 and interpolates.")
    return Chapter09Result(names: nets.map(\.name), outputStrides: strides, bandAccuracy: accuracy, bandPixels: total,
                           countedPixels: total.reduce(0, +), receptiveFields: Dictionary(uniqueKeysWithValues: fields),
                           dilatedExactDifference: worst, decoder: decoder.run, decoderBandAccuracy: decoder.accuracy,
                           concatenationDifference: decoder.identity, fineTuning: depth)
}

/// Pixel accuracy of each net in each distance band over the chapter's validation scenes, and
/// the counted pixels per band.
func accuracyByBand(_ nets: [Network], world: SceneGenerator, setup: Chapter09Setup) throws -> (accuracy: [[Double]], total: [Int]) {
    var correct = [[Int]](repeating: [Int](repeating: 0, count: setup.bands.count + 1), count: nets.count)
    var total = [Int](repeating: 0, count: setup.bands.count + 1)
    for index in 0..<setup.validationScenes {
        let scene = world.scene(index)
        let distance = boundaryDistance(scene.labels, width: scene.width, height: scene.height)
        let bandOf = distance.map { d in setup.bands.firstIndex { d <= $0 } ?? setup.bands.count }
        for (p, label) in scene.labels.enumerated() where Int(label) < ShapeClass.count { total[bandOf[p]] += 1 }
        for (k, net) in nets.enumerated() {
            let predicted = try Segmentation.segment(scene.image, with: net).labels.labels             // [H·W]
            for (p, label) in scene.labels.enumerated() where Int(label) < ShapeClass.count && predicted[p] == label {
                correct[k][bandOf[p]] += 1
            }
        }
    }
    return (correct.map { row in row.indices.map { total[$0] == 0 ? 0 : Double(row[$0]) / Double(total[$0]) } }, total)
}

/// FCN-32s `d` with its last pools at stride 1 and every later filter dilated, so that score_fr
/// comes out at `outputStride` 16 (pool5) or 8 (pool4 and pool5), and an upscore to match.
/// For 8, pool5 becomes 3×3 stride 1 (see the chapter) — not an exact rarefaction.
func dilated(_ d: NetworkDescription, outputStride: Int) throws -> NetworkDescription {
    precondition(outputStride == 16 || outputStride == 8, "dilated: output stride 16 or 8")
    var result = d
    var dilation = 1                          // how much the grid after the last changed pool is refined
    for (i, layer) in d.layers.enumerated() {
        switch layer.kind {
        case .maxPooling(var p) where layer.name == "pool5" || (layer.name == "pool4" && outputStride == 8):
            if dilation > 1 { p.kernel = Size2(3) }       // the gapped 2×2 window, approximated (see above)
            p.stride = Size2(1)
            result.layers[i].kind = .maxPooling(p)
            dilation *= 2
        case .convolution(var p) where dilation > 1 && p.kernel.height > 1:   // 1×1 filters have no taps to spread
            p.dilation = Size2(dilation)
            // 'same' 3×3 convolutions keep their centre: pad grows with the dilation.
            if p.padding.top > 0 { p.padding = Padding(p.padding.top * dilation) }
            result.layers[i].kind = .convolution(p)
        case .transposedConvolution(var p) where layer.name == "upscore":
            p.kernel = Size2(2 * outputStride); p.stride = Size2(outputStride)
            result.layers[i].kind = .transposedConvolution(p)
        default: break
        }
    }
    result.name = d.name + " dilated OS\(outputStride)"
    return result
}

/// The stride in image pixels of the coarsest score map a net upsamples last.
func outputStride(_ d: NetworkDescription) throws -> Int {
    let maps = try d.coordinateMaps()
    let last = d.layers.last { if case .transposedConvolution = $0.kind { true } else { false } }!
    let bottom = d.layers.last { $0.top == last.bottoms[0] }!.name
    return maps.layerMaps[bottom]!!.vertical.scale.integerValue!
}

/// Each pixel's city-block distance to the nearest void (boundary) pixel of a row-major `w`×`h`
/// label map, by breadth-first search from all void pixels at once (`Int.max` if there is none).
func boundaryDistance(_ labels: [UInt8], width w: Int, height h: Int) -> [Int] {
    var distance = [Int](repeating: .max, count: w * h)
    var queue: [Int] = []
    for (p, l) in labels.enumerated() where l == ShapeClass.void { distance[p] = 0; queue.append(p) }
    var head = 0
    while head < queue.count {
        let p = queue[head]; head += 1
        let (y, x) = (p / w, p % w)
        for (dy, dx) in [(-1, 0), (1, 0), (0, -1), (0, 1)] {
            let (yy, xx) = (y + dy, x + dx)
            guard yy >= 0, yy < h, xx >= 0, xx < w, distance[yy * w + xx] == .max else { continue }
            distance[yy * w + xx] = distance[p] + 1
            queue.append(yy * w + xx)
        }
    }
    return distance
}

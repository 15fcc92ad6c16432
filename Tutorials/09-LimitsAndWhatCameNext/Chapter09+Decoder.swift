// Chapter09+Decoder.swift — Chapter 9's section on the U-Net-style decoder: the identity that
// lets FCN's layers build it, the net, a short training run of it and of FCN-8s's own head on
// the same frozen trunk, and both measured in the chapter's boundary bands (TinyDecoder.swift
// has the net and the training).
import FCN
import FCNCourse
import FCNFigures
import FCNTraining

/// Prints and draws the decoder section; returns the run, the band accuracy of
/// [FCN-32s, FCN-8s, retrained FCN-8s head, decoder] and the identity's difference.
func showTinyDecoder(_ lesson: inout Lesson, setup: Chapter09Setup, world: SceneGenerator, references: [Network],
                     bandNames: [String]) throws -> (run: DecoderRun, accuracy: [[Double]], identity: Float) {
    lesson.section("What came next (2): a U-Net-style decoder, built here from FCN's own layers")
    lesson.say("  U-Net (Ronneberger et al., 2015) replaces FCN's 1×1 score skips with a decoder: at each")
    lesson.say("  stride it upsamples the coarse features 2×, crops the encoder's features to them, stacks the")
    lesson.say("  two along channels and applies a 3×3 convolution and a ReLU. The engine has no layer that")
    lesson.say("  stacks channels, and needs none: a convolution is linear in its input channels, so with the")
    lesson.say("  weight split along them, W = [W_skip | W_up],")
    lesson.formula("conv(concat(skip, up); W, b) = conv(skip; W_skip, b) + conv(up; W_up, 0)")
    // cell: concatenation is a sum
    let identity = concatenationIdentity()                                               // TinyDecoder.swift
    lesson.value("max |conv(concat(a, b)) − conv(a) − conv(b)|", "\(show(identity.difference)) (outputs up to \(show(identity.scale)); random a, b, W)")
    // end cell
    lesson.say("  So one decoder step is Convolution + Convolution + Sum + ReLU, with a fixed bilinear")
    lesson.say("  TransposedConvolution for the 2× upsampling and a Crop for U-Net's \"copy and crop\".")

    // cell: the decoder
    let decoder = tinyDecoder(width: setup.decoderWidth)
    let fcn8s = try VGGMini.standard.fcn(.fcn8s)
    let input = [1, 3, setup.sceneSize, setup.sceneSize]
    let shapes = try decoder.inferShapes(input: input).layerOutputs
    for blob in ["dec5", "dec4", "dec3", "score"] { lesson.value("  \(blob)", "\(shapes[blob]!)") }
    let maps = try decoder.coordinateMaps()
    lesson.value("  strides of dec5, dec4, dec3", ["dec5", "dec4", "dec3"].map { "\(maps.layerMaps[$0]!!.vertical.scale)" }.joined(separator: ", "))
    let headCost = try [fcn8s, decoder].map { try $0.multiplyAdds(inputShape: input).map(\.multiplyAdds).reduce(0, +) }
    lesson.value("  whole net at \(setup.sceneSize)², FCN-8s vs decoder", "\(showCount(headCost[0])) vs \(showCount(headCost[1])) mult-adds")
    // end cell

    lesson.say("  Both heads are trained the same way: FCN-8s's trained trunk (conv1_1 … fc7) frozen, the")
    lesson.say("  same scenes, steps and rate; the decoder's layers start fresh (He), FCN-8s's three score")
    lesson.say("  layers from zero as the paper initialises them (§4.2).")
    // cell: training both heads
    let run = try trainHeads(steps: setup.decoderSteps, width: setup.decoderWidth, sceneSize: setup.sceneSize)
    for (k, name) in run.names.enumerated() {
        lesson.value("  \(name): \(showCount(run.learnedParameters[k])) learned", "loss \(show(run.firstLoss[k])) → \(show(run.lastLoss[k])) (first → last tenth of \(setup.decoderSteps) steps)")
    }
    // end cell

    // cell: decoder in the bands
    let names = ["FCN-32s (shipped)", "FCN-8s (shipped)"] + run.names
    let (accuracy, total) = try accuracyByBand(references + run.networks, world: world, setup: setup)
    lesson.say("  " + column("pixel accuracy in %", 26) + bandNames.map { column($0, 10) }.joined() + "all")
    for (k, name) in names.enumerated() {
        let all = zip(accuracy[k], total).map { $0 * Double($1) }.reduce(0, +) / Double(max(1, total.reduce(0, +)))
        lesson.say("  " + column(name, 26) + accuracy[k].map { column(percent($0), 10) }.joined() + percent(all))
    }
    let near = accuracy[3][0] - accuracy[2][0], far = accuracy[3].last! - accuracy[2].last!
    lesson.value("decoder − retrained 8s head, nearest band", "\(near >= 0 ? "+" : "")\(percent(near)) points")
    lesson.value("decoder − retrained 8s head, farthest band", "\(far >= 0 ? "+" : "")\(percent(far)) points")
    // Accuracy alone can flatter a net that answers "background" everywhere; mean IU and the
    // share of shape pixels it calls some shape cannot.
    let learned = try shapesFound(run.networks, world: world, setup: setup)
    for (k, name) in run.names.enumerated() {
        lesson.value("  \(name): mean IU, shape pixels called a shape", "\(percent(learned[k].meanIU)), \(percent(learned[k].shapeShare))%")
    }
    // end cell
    try lesson.figure("decoder-boundary-accuracy", LineChart(title: "A decoder beside FCN's skips, by distance to a boundary",
        xLabel: "distance to the nearest boundary (px, band's upper end; last: farther)", yLabel: "pixel accuracy",
        series: names.enumerated().map { k, name in
            Series(name: name, points: zip(setup.bands.map(Double.init) + [2 * Double(setup.bands.last!)], accuracy[k]).map { ($0, $1) },
                   color: RGB.series[k % RGB.series.count])
        }).figure(width: 560, height: 300))
    let untrained = run.names.indices.filter { learned[$0].shapeShare < 0.05 }.map { run.names[$0] }
    if !untrained.isEmpty {
        lesson.say("  In this run \(untrained.joined(separator: " and ")) still calls fewer than 5 % of the shape pixels a shape:")
        lesson.say("  it answers background almost everywhere, so its band accuracy is background's, not a skill")
        lesson.say("  at edges. \(setup.decoderSteps) steps are too few to compare the heads — raise --decoder-steps.")
    } else {
        let better = learned[1].meanIU > learned[0].meanIU
        lesson.say("  Here the decoder is " + (near > 0 ? "more" : "NOT more") + " accurate near boundaries than FCN-8s's head trained the same way,")
        lesson.say("  and its mean IU is " + (better ? "higher" : "not higher") + ": " + (near > 0 && better
            ? "3×3 mixing of pool3's and pool4's features can move an edge, where a 1×1 score skip can only add K class scores per cell."
            : "its fresh layers may be under-trained after \(setup.decoderSteps) steps; try more (--decoder-steps) or a wider D (--decoder-width)."))
    }
    lesson.say("  The shipped FCN-8s row is not a fair rival of either: its head was trained WITH its trunk,")
    lesson.say("  over three stages. U-Net itself trains everything from scratch, with many more channels.")
    return (run, accuracy, identity.difference)
}

/// Mean IU of each net on the chapter's scenes, and the share of shape (non-background,
/// counted) pixels it labels with some shape — near 0 for a net that answers background everywhere.
func shapesFound(_ nets: [Network], world: SceneGenerator, setup: Chapter09Setup) throws -> [(meanIU: Double, shapeShare: Double)] {
    try nets.map { net in
        var matrix = ConfusionMatrix(classCount: ShapeClass.count)
        var shapes = 0, found = 0
        for index in 0..<setup.validationScenes {
            let scene = world.scene(index)
            let predicted = try Segmentation.segment(scene.image, with: net).labels.labels              // [H·W]
            matrix.accumulate(groundTruth: scene.labels.map(Int.init), prediction: predicted.map(Int.init))
            for (p, label) in scene.labels.enumerated() where label != 0 && Int(label) < ShapeClass.count {
                shapes += 1
                if predicted[p] != 0 { found += 1 }
            }
        }
        return (matrix.scores.meanIU, Double(found) / Double(max(1, shapes)))
    }
}

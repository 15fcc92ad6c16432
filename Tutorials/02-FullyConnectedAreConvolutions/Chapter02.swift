// Chapter 2 — Fully connected layers are convolutions: net surgery on the trained classifier
// (paper §3.1, "Adapting classifiers for dense prediction", Fig. 2).
//
//   "However, these fully connected layers can also be viewed as convolutions with kernels that
//    cover their entire input regions. Doing so casts them into fully convolutional networks
//    that take input of any size and output classification maps."
//   "… the spatial output maps of these convolutionalized models make them a natural choice for
//    dense problems like semantic segmentation."                  — Long, Shelhamer, Darrell
//
// Step by step on the course's trained VGG-mini classifier (112×112 input, six shape classes):
// (1) fc6 reads pool5 (64×4×4) flattened to 1024 numbers; its weight [128, 1024] reshaped to
// [128, 64, 4, 4] is a 4×4 convolution, fc7 and fc8 become 1×1 convolutions — no number moves;
// (2) on a 112×112 input both nets give the same six scores; (3) on a large scene the
// convolutionalized net returns a map of scores, one classifier output every 32 pixels — the
// heatmap of Fig. 2, where our "tabby cat" is one of the shapes.
//
// Dimension letters: K classes, H×W the scene, G_H×G_W the score grid.
import FCNTraining
import FCN
import FCNCourse
import FCNFigures
import Foundation

/// Sizes of the chapter: the release run and a smaller one for the test.
struct Chapter02Setup {
    var sceneSize = 320                       // 320 = 112 + 6·32 + 16: a 7×7 grid of windows
    var sceneSeed: UInt64 = 4
    var checkedExamples = 8                   // classifier-size inputs compared FC vs conv
    /// The class whose heatmap is shown (nil: the shape covering most of the scene).
    var shownClass: ShapeClass? = nil
    static let quick = Chapter02Setup(sceneSize: 176, checkedExamples: 2)
}

/// What the chapter measured, for the tests.
struct Chapter02Result {
    var maxScoreDifference: Float
    var parameterCountBefore: Int, parameterCountAfter: Int
    var heatmapShape: [Int]
    var heatmapClass: ShapeClass
    /// Mean probability of the class in cells whose centre is on that class vs elsewhere.
    var probabilityOnClass: Double, probabilityElsewhere: Double
    /// The same for every class (EveryClassHeatmap.swift).
    var perClass: [ClassHeat] = []
}

func chapter02(_ lesson: inout Lesson, setup: Chapter02Setup = Chapter02Setup()) throws -> Chapter02Result {
    lesson.say("  \"… fully connected layers can also be viewed as convolutions with kernels that cover their")
    lesson.say("   entire input regions.\" (§3.1)")
    let mini = VGGMini.standard, s = mini.classifierInputSize
    let classifier = mini.classifier()
    let parameters = try EmbeddedModels.parameters(.classifier)
    let fcNet = try Network(classifier, parameters: parameters)

    lesson.section("The classifier as trained: fully connected fc6, fc7, fc8")
    // cell: classifier shapes
    let shapes = try classifier.inferShapes(input: [1, 3, s, s])
    for name in ["pool5", "fc6", "fc7", "fc8"] { lesson.value("\(name) output at \(s)×\(s)", shapes.layerOutputs[name]!) }
    for name in ["fc6", "fc7", "fc8"] { lesson.value("\(name).weight", parameters["\(name).weight"]!.shape) }
    lesson.say("  fc6 flattens pool5 row-major: input f = (c·4 + h)·4 + w, column f of its weight.")
    // end cell

    lesson.section("Surgery: the same numbers, reshaped into convolution kernels")
    // cell: surgery
    let surgery = try NetSurgery.convolutionalized(classifier, inputShape: [1, 3, s, s])
    let convParameters = try NetSurgery.convolutionalParameters(parameters, convolutionalized: surgery)
    let convNet = try Network(surgery, parameters: convParameters)
    for layer in surgery.layers where ["fc6", "fc7", "fc8"].contains(layer.name) {
        guard case .convolution(let p) = layer.kind else { continue }
        lesson.value("\(layer.name): convolution", "kernel \(p.kernel.height)×\(p.kernel.width), weight \(convParameters["\(layer.name).weight"]!.shape)")
    }
    let w6 = parameters["fc6.weight"]!, c6 = convParameters["fc6.weight"]!
    lesson.value("fc6 weights moved by the reshape", w6.scalars == c6.scalars ? "none (identical arrays)" : "SOME — a bug")
    let before = parameters.values.map(\.count).reduce(0, +), after = convParameters.values.map(\.count).reduce(0, +)
    lesson.value("parameters, classifier", before)
    lesson.value("parameters, convolutionalized", after)
    // end cell

    lesson.section("Same scores on classifier-size inputs (\(s)×\(s))")
    // cell: same scores
    let data = SyntheticData(seed: 7, sceneSize: s, exampleSize: mini.exampleSize)
    var worst: Float = 0, agree = 0
    for i in 0..<setup.checkedExamples {
        let (x, t) = data.classificationBatch([i], inputSize: s)                       // [1, 3, S, S], [1, 1, 1, 1]
        let a = try fcNet.forward(x)                                                    // [1, K]
        let b = try convNet.forward(x)                                                  // [1, K, 1, 1]
        worst = max(worst, a.maxAbsoluteDifference(b.reshaped(a.shape)))
        // The classifier's K scores read as a 1×1 score map: its one label is the arg-max class.
        if try ScoreMap(a.reshaped([1, a.count, 1, 1])).labels().labels[0] == UInt8(t.scalars[0]) { agree += 1 }
        if i < 3 {
            lesson.value("  example \(i): FC scores", a.scalars.map { show($0, digits: 3) }.joined(separator: " "))
            lesson.value("  example \(i): conv scores", b.scalars.map { show($0, digits: 3) }.joined(separator: " "))
        }
    }
    lesson.value("max |FC − conv| over \(setup.checkedExamples) examples", show(worst))
    lesson.value("examples classified correctly", "\(agree)/\(setup.checkedExamples)")
    // end cell

    lesson.section("A large scene: one pass, a map of classifications (Fig. 2)")
    // cell: a large scene
    var world = SceneGenerator(seed: setup.sceneSeed, width: setup.sceneSize, height: setup.sceneSize)
    world.objectCount = 4...6
    world.radiusFraction = 36.0 / Double(setup.sceneSize)...56.0 / Double(setup.sceneSize)   // classifier-sized objects
    let scene = world.scene(0)
    let scores = try ScoreMap(convNet.forward(scene.image.caffeInput()))              // [1, K, G_H, G_W]
    let (k, gh, gw) = (scores.classCount, scores.height, scores.width)
    let map = try surgery.coordinateMaps().layerMaps["fc8"]!!                           // cell → image position
    let stride = map.horizontal.scale.doubleValue, offset = map.horizontal.shift.doubleValue
    lesson.value("scene", "\(scene.width)×\(scene.height), input \(SyntheticData.input(scene).shape)")
    lesson.value("score map", "\(scores.shape) — one classifier output per cell")
    lesson.value("cell (i, j) is centred on image pixel", "(\(show(offset)) + \(show(stride))·i, \(show(offset)) + \(show(stride))·j)")
    // end cell

    // The class to show: the shape covering most of the scene — our "tabby cat".
    // cell: heatmap
    var area = [Int](repeating: 0, count: ShapeClass.count)
    for l in scene.labels where Int(l) < ShapeClass.count { area[Int(l)] += 1 }
    let shown = setup.shownClass ?? ShapeClass(rawValue: (1..<ShapeClass.count).max { area[$0] < area[$1] }!)!
    let probabilities = scores.probabilities()                                          // softmax over K: [1, K, G_H, G_W]
    let heat = (0..<gh * gw).map { probabilities.tensor.scalars[(shown.rawValue - 1) * gh * gw + $0] }
    lesson.say("  P(\(shown.name)) per cell, in % (the classifier's class \(shown.rawValue - 1) of \(k)):")
    for i in 0..<gh { lesson.say("    " + (0..<gw).map { String(format: "%4.0f", 100 * heat[i * gw + $0]) }.joined()) }
    // Is the map high where the class is? Look up the label under each cell's centre.
    var on: [Double] = [], off: [Double] = []
    for i in 0..<gh { for j in 0..<gw {
        let y = Int((offset + stride * Double(i)).rounded()), x = Int((offset + stride * Double(j)).rounded())
        guard (0..<scene.height).contains(y), (0..<scene.width).contains(x) else { continue }
        if scene.labels[y * scene.width + x] == UInt8(shown.rawValue) { on.append(Double(heat[i * gw + j])) } else { off.append(Double(heat[i * gw + j])) }
    } }
    let meanOn = on.isEmpty ? 0 : on.reduce(0, +) / Double(on.count), meanOff = off.isEmpty ? 0 : off.reduce(0, +) / Double(off.count)
    lesson.value("mean P(\(shown.name)), cells centred on a \(shown.name)", "\(show(100 * meanOn, digits: 3)) % (\(on.count) cells)")
    lesson.value("mean P(\(shown.name)), all other cells", "\(show(100 * meanOff, digits: 3)) % (\(off.count) cells)")
    // end cell
    lesson.say("  The classifier never saw a scene: each cell answers \"which shape dominates my \(s)×\(s) window?\".")
    lesson.say("  Cells between objects, or over two of them, have no good answer — the map is coarse and")
    lesson.say("  every cell must name a shape (no background class): FCN's new score layer fixes both.")
    try lesson.figure("heatmap", heatmapFigure(scene, heat: heat, gridHeight: gh, gridWidth: gw, stride: stride,
                                               offset: offset, shown: shown))
    let perClass = try showEveryClassHeatmap(&lesson, scene: scene, probabilities: probabilities.tensor,
                                             stride: stride, offset: offset)   // EveryClassHeatmap.swift

    lesson.section("Summary and exercises")
    lesson.say("  Reshaping fc weights into kernels changes no number and no score; the net now slides.")
    lesson.exercise("Where is the first cell centred, and why is it not at pixel \(s / 2)? (Hint: the padded convolutions and the ceil pools; Chapter 3.)",
                    answer: "The coordinate map of fc8 puts cell (0, 0) at pixel \(show(offset)), and cells \(show(stride)) pixels apart. A \(s)×\(s) window alone would be centred at \(show(Double(s - 1) / 2)); in the scene, the padded 3×3 convolutions and the ceil pools shift each layer's grid relative to the image, so the first cell's centre is where the composed maps put it, not the middle of a window.")
    let grid336 = try surgery.inferShapes(input: [1, 3, 336, 336]).layerOutputs["fc8"]!
    lesson.exercise("Make the scene 336 px (`--scene-size 336`): predict the grid size, then run it.",
                    answer: "Each pool halves (rounding up), and fc6's \(shapes.layerOutputs["pool5"]![2])×\(shapes.layerOutputs["pool5"]![2]) kernel takes \(shapes.layerOutputs["pool5"]![2] - 1) cells off: shape inference gives \(grid336[2])×\(grid336[3]) cells for 336×336 (this run: \(gh)×\(gw) for \(setup.sceneSize)×\(setup.sceneSize)).")
    lesson.exercise("Show the heatmap of another class (`--class ring`, say): which cells light up wrongly, and why?",
                    answer: "Cells between objects and cells whose window holds parts of two shapes: the classifier was trained on windows holding one shape and has no background class, so every cell must name some shape and a softmax spreads its probability over the shapes it partly sees. Compare the two means the run prints: on the class \(show(100 * meanOn, digits: 3)) %, elsewhere \(show(100 * meanOff, digits: 3)) % for \(shown.name).")
    return Chapter02Result(maxScoreDifference: worst, parameterCountBefore: before, parameterCountAfter: after,
                           heatmapShape: scores.shape, heatmapClass: shown, probabilityOnClass: meanOn, probabilityElsewhere: meanOff,
                           perClass: perClass)
}

/// Fig. 2, right half: the scene, the score grid of one class, and the grid laid over the scene
/// (each cell painted over the `stride`² square around its centre).
func heatmapFigure(_ scene: LabeledScene, heat: [Float], gridHeight gh: Int, gridWidth gw: Int,
                   stride: Double, offset: Double, shown: ShapeClass) -> Figure {
    let image = scene.image
    var upsampled = [Float](repeating: 0, count: scene.width * scene.height)
    for y in 0..<scene.height { for x in 0..<scene.width {
        let i = min(gh - 1, max(0, Int(((Double(y) - offset) / stride).rounded())))
        let j = min(gw - 1, max(0, Int(((Double(x) - offset) / stride).rounded())))
        upsampled[y * scene.width + x] = heat[i * gw + j]
    } }
    let truth = scene.labels.map { $0 == UInt8(shown.rawValue) ? Float(1) : 0 }
    let range = ValueRange(0, 1), panel = 220.0, margin = 20.0
    let panels: [(String, RGBImage)] = [
        ("scene \(scene.width)×\(scene.height)", image),
        ("P(\(shown.name)), \(gh)×\(gw) cells", TensorImage(values: heat, height: gh, width: gw, range: range).pixels),
        ("laid over the scene", Overlay.heatmap(upsampled, on: image, range: range, alpha: 0.6)),
        ("where the \(shown.name)s are", TensorImage(values: truth, height: scene.height, width: scene.width, colormap: .greys, range: range).pixels),
    ]
    return Figure(width: 2 * margin + Double(panels.count) * (panel + 10), height: panel + 80) { canvas in
        canvas.text("The convolutionalized classifier outputs a heatmap (Fig. 2)", at: Point(margin, margin + 12), font: .bold(14))
        for (n, (title, pixels)) in panels.enumerated() {
            let rect = Rect(x: margin + Double(n) * (panel + 10), y: 60, width: panel, height: panel)
            canvas.text(title, at: Point(rect.center.x, 54), font: .regular(10), align: .center, baseline: .bottom)
            canvas.image(pixels, in: rect, smooth: n != 1)
            canvas.stroke(rect, .grey, lineWidth: 0.5)
        }
    }
}

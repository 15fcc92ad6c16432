// Chapter 0 — The task and the data (paper §1, §5 of CVPR 2015; PASCAL VOC).
//
//   "The natural next step in the progression from coarse to fine inference is to make a
//    prediction at every pixel. … semantic segmentation, in which each pixel is labeled with the
//    class of its enclosing object or region."                   — Long, Shelhamer, Darrell, §1
//
// (1) The task: a class for every pixel. (2) PASCAL VOC's 21 labels (background and 20 object
// classes) and the void label 255, which is neither trained on nor scored. (3) The synthetic
// world this course trains on instead (`SceneGenerator`): what it draws, and the same void band
// at every object boundary. (4) Why colour does not give the class away — measured: a classifier
// that sees only a pixel's colour, fitted on training scenes, against the shipped FCN-8s on the
// same held-out scenes (ColourOnly.swift). (5) How often each class occurs, counted.
//
// Dimension letters: K classes, H×W the image.
import FCNTraining
import FCN
import FCNCourse
import FCNFigures

/// Sizes of the chapter: the release run and a smaller one for the test.
struct Chapter00Setup {
    var sceneSize = 128                       // the size the shipped models were trained at
    #if DEBUG
    var trainingScenes = 20                   // debug builds run unoptimised kernels
    var validationScenes = 6
    #else
    var trainingScenes = 100
    var validationScenes = 30
    #endif
    var figureScenes = [0, 1, 2, 3]
    static let quick = Chapter00Setup(sceneSize: 96, trainingScenes: 12, validationScenes: 3, figureScenes: [0])
}

/// What the chapter measured, for the tests.
struct Chapter00Result {
    var vocClasses: [String]
    var classFrequencies: [Double]            // per ShapeClass, over counted (non-void) pixels
    var voidFraction: Double                  // of all pixels
    var colourOnly: PixelAccuracies           // colour → any class
    var shapesByColour: PixelAccuracies       // colour → which shape, fitted on object pixels
    var majorityShapeShare: Double            // object pixels of the most frequent shape
    var fcn8s: PixelAccuracies
}

func chapter00(_ lesson: inout Lesson, setup: Chapter00Setup = Chapter00Setup()) throws -> Chapter00Result {
    lesson.section("The task: a class for every pixel (§1)")
    lesson.say("  Image classification gives one label per image; detection a box per object; semantic")
    lesson.say("  segmentation a label per PIXEL: the class of the object or region it belongs to. Two")
    lesson.say("  touching people are one 'person' region — separating them is instance segmentation")
    lesson.say("  (Chapter 9). The output has the input's height and width: an H×W map of class indices.")

    lesson.section("PASCAL VOC: 21 labels and the void label 255 (§5)")
    let voc = LabelPalette.pascalVOCClassNames
    lesson.value("labels 0…\(voc.count - 1)", voc.enumerated().map { "\($0.offset) \($0.element)" }.joined(separator: ", "))
    lesson.say("  Label 0 is background; 255 marks VOC's object borders and ambiguous regions: \"void\",")
    lesson.say("  excluded from the loss and from every metric. The paper trains on 8,498 SBD images (CVPR §4.3) and")
    lesson.say("  validates on seg11valid, the 736 images of VOC 2011 val not in SBD train (CVPR footnote 7);")
    lesson.say("  Chapter 10 quotes its results. VOC itself cannot ship with a course, so we make a world.")

    lesson.section("The synthetic world (SceneGenerator, FCNTraining)")
    let generator = SyntheticData.validationWorld(sceneSize: setup.sceneSize)
    lesson.value("classes", ShapeClass.allCases.map { "\($0.rawValue) \($0.name)" }.joined(separator: ", ") + ", \(ShapeClass.void) void")
    lesson.value("objects per scene", "\(generator.objectCount.lowerBound)…\(generator.objectCount.upperBound), occluding one another")
    lesson.value("object radius", "\(percent(generator.radiusFraction.lowerBound))–\(percent(generator.radiusFraction.upperBound))% of the shorter side, any rotation")
    lesson.value("void band", "\(generator.voidBand) px on each side of every object boundary (label 255)")
    lesson.say("  Each object's colour and texture are drawn independently of its class, on cluttered")
    lesson.say("  backgrounds; every scene is a pure function of (seed, index), the same on every machine.")
    lesson.say("  Training scenes and held-out scenes come from different seeds.")
    var rows: [SegmentationRow] = []
    for index in setup.figureScenes {
        let s = generator.scene(index)
        rows.append(SegmentationRow(image: s.image, panels: [("labels (void 255 light)", LabelMap(width: s.width, height: s.height, labels: s.labels))]))
    }
    try lesson.figure("sample-scenes", segmentationResultsFigure(title: "Synthetic scenes and their label maps",
        rows: rows, classNames: ShapeClass.allCases.map(\.name), panelSize: 150,
        legendLabels: ShapeClass.allCases.map(\.rawValue) + [Int(ShapeClass.void)]))      // every class, present or not

    lesson.section("Class frequencies, counted on \(setup.validationScenes) held-out scenes")
    let held = (0..<setup.validationScenes).map { generator.scene($0) }
    var counts = [Int](repeating: 0, count: ShapeClass.count), void = 0
    for s in held { for l in s.labels { if l == ShapeClass.void { void += 1 } else { counts[Int(l)] += 1 } } }
    let counted = counts.reduce(0, +)
    let frequencies = counts.map { Double($0) / Double(max(1, counted)) }
    for c in ShapeClass.allCases { lesson.value("  \(c.name)", "\(percent(frequencies[c.rawValue]))% of counted pixels") }
    let voidFraction = Double(void) / Double(counted + void)
    lesson.value("  void (not counted)", "\(percent(voidFraction))% of all pixels")
    lesson.say("  Background dominates, as it does in VOC: a net that answers 'background' everywhere already")
    lesson.say("  scores its share as pixel accuracy — which is why §5 also reports mean accuracy and mean IU,")
    lesson.say("  averaged over classes.")
    try lesson.figure("class-frequencies", BarChart(title: "Class frequencies (counted pixels)", yLabel: "share of pixels",
        groups: ShapeClass.allCases.map(\.name), seriesNames: ["held-out scenes"], values: frequencies.map { [$0] },
        colors: [RGB.series[0]]).figure())

    lesson.section("Does colour give the class away? Measured")
    let train = SceneGenerator(seed: 1, width: setup.sceneSize, height: setup.sceneSize)
    let trainScenes = (0..<setup.trainingScenes).map { train.scene($0) }
    let colour = ColourOnlyClassifier(fittedOn: trainScenes)
    let colourScores = colour.accuracies(on: held)
    let shapesByColour = ColourOnlyClassifier(fittedOn: trainScenes, shapesOnly: true).accuracies(on: held)
    let net = try EmbeddedModels.network(.fcn8s)
    let fcnScores = try PixelAccuracies(held.map { ($0, try Segmentation.segment($0.image, with: net).labels.labels) })
    let shapeCounts = counts.dropFirst()
    let majorityShare = Double(shapeCounts.max() ?? 0) / Double(max(1, shapeCounts.reduce(0, +)))
    lesson.say("  Classifiers that see ONLY a pixel's colour (RGB in \(ColourOnlyClassifier.levels)³ bins, each bin answering the")
    lesson.say("  class most frequent in it on \(setup.trainingScenes) training scenes), against the shipped FCN-8s:")
    lesson.say("  " + column("", 34) + column("all pixels", 12) + column("object pixels", 15) + "mean acc.")
    for (name, a) in [("colour only, all classes", colourScores), ("colour only, which shape?", shapesByColour),
                      ("FCN-8s (sees shape)", fcnScores)] {
        lesson.say("  " + column(name, 34) + column(percent(a.pixelAccuracy), 12) + column(percent(a.objectAccuracy), 15) + percent(a.meanAccuracy))
    }
    lesson.value("object pixels: always the most frequent shape", "\(percent(majorityShare))%")
    lesson.say("  Fitted on all pixels, colour finds few object pixels and mislabels background: it is no")
    lesson.say("  guide to the class. Asked only \"which shape?\" on object pixels, colour does about as well as always")
    lesson.say("  answering the most frequent shape — a red disc and a red star look alike pixel by pixel.")
    lesson.say("  The class is in the SHAPE, a pattern over a neighbourhood, which convolutions with large")
    lesson.say("  receptive fields (Chapter 3) can see and a per-pixel lookup cannot.")

    lesson.section("Summary and exercises")
    lesson.say("  The task: an H×W map of class indices, void pixels ignored. The data: scenes where only")
    lesson.say("  shape tells the class. The metrics (Chapter 6, §5) average over pixels and over classes.")
    lesson.exercise("Raise ColourOnlyClassifier.levels to 16 (ColourOnly.swift): does object-pixel accuracy rise? Why not much?",
                    answer: "Finer bins separate more colours, but colour and texture are drawn independently of the class, so a bin still holds every shape in about the proportions the world draws them: the best answer per bin stays close to 'the most frequent shape' (\(percent(majorityShare))% here). 16³ = 4096 bins also see fewer training pixels each, so the fit gets noisier; the shape is simply not in one pixel's colour.")
    let background = [64, 256].map { size -> Double in                                       // the answer's numbers
        let scenes = (0..<8).map { SyntheticData.validationWorld(sceneSize: size).scene($0) }
        let labels = scenes.flatMap(\.labels).filter { $0 != ShapeClass.void }
        return Double(labels.filter { $0 == 0 }.count) / Double(max(1, labels.count))
    }
    lesson.exercise("Count the class frequencies at scene sides 64 and 256: do they change? (SceneGenerator.radiusFraction.)",
                    answer: "Hardly: object radii are fractions of the shorter side (\(percent(generator.radiusFraction.lowerBound))–\(percent(generator.radiusFraction.upperBound))%), so the world scales with the image. Counted on 8 scenes each, background is \(percent(background[0]))% of the counted pixels at 64² and \(percent(background[1]))% at 256². What changes is the void share: the band is \(generator.voidBand) px wide at every size, so it is a larger part of a small scene.")
    lesson.exercise("Set voidBand to 0 in SceneGenerator: what happens to the pixel accuracy at boundaries?",
                    answer: "The pixels on each boundary, whose true class is ambiguous after anti-aliasing, are then counted in the loss and the metrics. Every net loses accuracy right at the edges (Chapter 9 measures accuracy by distance to the boundary: the nearest band is already the worst), and training spends gradient on pixels no stride could place exactly. VOC marks such pixels 255 for the same reason.")
    return Chapter00Result(vocClasses: voc, classFrequencies: frequencies, voidFraction: voidFraction,
                           colourOnly: colourScores, shapesByColour: shapesByColour, majorityShapeShare: majorityShare,
                           fcn8s: fcnScores)
}

// Evaluate.swift — `fcn evaluate`: the paper's four metrics (§5 "Metrics", Table 2) of a
// segmentation net on the synthetic validation scenes or on a VOC-layout folder; also exports
// the synthetic validation set in VOC's layout. The work is in the library.
import FCNTraining
import FCNFigures
import ArgumentParser
import FCNKernels
import FCN
import Foundation

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score a segmentation net: pixel accuracy, mean accuracy, mean IU, frequency weighted IU.",
        discussion: """
        Which net: --stage (the shipped VGG-mini models, or those of a `fcn train` folder with --out),
        --weights (.safetensors or .caffemodel; the network is read from the file, --arch, --backbone
        and --classes correct it), or --arch alone (the shipped model of that head).
        Which images: the synthetic validation scenes (--val-count), or a PASCAL VOC-layout folder
        (--voc, split --split).
        Reports: the four metrics, then IU and accuracy per class (named by the model); --json writes
        them for scripts, --confusion draws the confusion matrix, --show-dir paints each image's
        prediction beside its ground truth. A ground-truth label that is neither a class of the model
        nor void (255) is an error naming the file and the pixel.

        Examples:
          fcn evaluate --stage fcn8s
          fcn evaluate --stage fcn32s --out runs/seed1 --val-count 500
          fcn evaluate --stage fcn8s --held-out --per-cell 4
          fcn evaluate --weights fcn8s.safetensors --arch fcn8s --voc VOCdevkit/VOC2012
          fcn evaluate --weights fcn8s-atonce.caffemodel --voc VOCdevkit/VOC2012
          fcn evaluate --export-voc synthetic-voc --val-count 200
          fcn evaluate --stage fcn8s --val-count 10 --json scores.json \\
              --confusion confusion.png --show-dir shown
        """
    )

    @Option(help: "A trained stage: fcn32s-fixed, fcn32s, fcn16s, fcn8s, fcn8s-atonce.")
    var stage: String?

    @OptionGroup var runFolder: RunFolderOptions

    @OptionGroup(title: "Model")
    var model: ModelOptions

    @OptionGroup var threads: ThreadOptions

    @OptionGroup var precision: PrecisionOptions

    @Option(help: "Synthetic validation scenes to score (or to export).")
    var valCount = 200

    @Option(help: "Side of the synthetic validation scenes.")
    var sceneSize = 128

    @Option(help: "How the synthetic validation scenes are drawn: classic or varied (see fcn train --drawing).")
    var drawing: String = SceneGenerator.Drawing.classic.rawValue

    @Option(help: "A folder in PASCAL VOC's layout to score instead of the synthetic scenes.")
    var voc: String?

    @Option(help: "The split of --voc.")
    var split = "val"

    @Flag(help: "Score on the independently drawn held-out world instead: image sizes 128² to 512² and two aspect ratios × object radii 8–100 px, plain/gradient/textured/noisy backgrounds, flat/textured shapes (a table of mean IU per size and scale).")
    var heldOut = false

    @Option(help: "With --held-out: scenes per (image size, object scale) cell.")
    var perCell = 8

    @Option(help: "Write the synthetic validation set in VOC's layout to this folder, then stop.")
    var exportVoc: String?

    @Option(help: ArgumentHelp("Write the four metrics and the per-class IU and accuracy as JSON.", valueName: "file"))
    var json: String?

    @Option(help: ArgumentHelp("Draw the confusion matrix (rows normalised) to this .png, .pdf or .svg.", valueName: "file"))
    var confusion: String?

    @Option(help: ArgumentHelp("Write <image>.png per image: photo, ground truth, prediction (created if missing).", valueName: "folder"))
    var showDir: String?

    /// Larger scenes than any photo are a typo (and would not fit in memory).
    static let maximumSceneSize = 4096
    /// More scenes than a run can score in a day.
    static let maximumValCount = 1_000_000

    func validate() throws {
        if let stage {
            guard let s = TrainingStage(rawValue: stage), s != .classifier else {
                throw ValidationError("--stage: unknown segmentation stage '\(stage)'; choose one of \(TrainingStage.segmentationStages.map(\.rawValue).joined(separator: ", "))")
            }
            if model.weights != nil { throw ValidationError("--stage and --weights each choose the net; give one") }
        } else if runFolder.out != nil {
            throw ValidationError("--out names a training run, whose stage --stage chooses")
        }
        if valCount < 0 { throw ValidationError("--val-count must be 0 or more (got \(valCount))") }
        if valCount > Self.maximumValCount { throw ValidationError("--val-count must be at most \(Self.maximumValCount) (got \(valCount))") }
        if sceneSize < 1 || sceneSize > Self.maximumSceneSize {
            throw ValidationError("--scene-size must be at least 1 and at most \(Self.maximumSceneSize) (got \(sceneSize))")
        }
        if heldOut {
            if voc != nil || exportVoc != nil { throw ValidationError("--held-out chooses the images; leave out --voc and --export-voc") }
            if confusion != nil { throw ValidationError("--held-out reports a table per size and scale; leave out --confusion") }
        }
        if perCell < 1 || perCell > 10_000 { throw ValidationError("--per-cell must be 1…10000 (got \(perCell))") }
        if SceneGenerator.Drawing(rawValue: drawing) == nil { throw ValidationError("--drawing must be classic or varied (got '\(drawing)')") }
        if split.isEmpty || split.contains("/") { throw ValidationError("--split must be a split name such as val (got '\(split)')") }
        for (name, path) in [("--json", json), ("--confusion", confusion), ("--show-dir", showDir), ("--voc", voc), ("--export-voc", exportVoc)]
        where path?.isEmpty == true {
            throw ValidationError("\(name): an empty path")
        }
        if let confusion, !["png", "pdf", "svg"].contains(URL(filePath: confusion).pathExtension.lowercased()) {
            throw ValidationError("--confusion \(confusion): the figure must be a .png, .pdf or .svg")
        }
        if exportVoc != nil, json != nil || confusion != nil || showDir != nil {
            throw ValidationError("--export-voc writes a data set and scores nothing; leave out --json, --confusion and --show-dir")
        }
    }

    func run() throws {
        // `--threads` and `--precision` are in force for every pass of the command (the engine
        // reads them per call).
        try threads.configuration(precision: precision).apply { try runWithConfiguration() }
    }

    private func runWithConfiguration() throws {
        if let exportVoc {
            let world = SyntheticData.validationWorld(sceneSize: sceneSize, drawing: SceneGenerator.Drawing(rawValue: drawing)!)
            let scenes = (0..<valCount).map { (id: String(format: "%06d", $0), scene: world.scene($0)) }
            try VOCDataset.write(scenes, split: split, to: URL(filePath: exportVoc))
            print("\(valCount) validation scenes → \(exportVoc) (PNGImages, SegmentationClass, ImageSets/Segmentation/\(split).txt)")
            return
        }
        let outputs = [json, confusion].compactMap { $0.map { URL(filePath: $0) } }
        try OutputFiles.check(outputs, inputs: [model.weights].compactMap { $0.map { URL(filePath: $0) } })
        for url in outputs where !FileManager.default.fileExists(atPath: url.deletingLastPathComponent().path) {
            throw ValidationError("cannot write \(url.path): folder \(url.deletingLastPathComponent().path) does not exist")
        }
        let (network, spec, name) = try loadNetwork()
        guard let classes = network.parameters["score_fr.weight"]?.shape[0] else { throw ValidationError("the net has no score_fr layer") }
        guard classes <= 256 else { throw SegmentationError.tooManyClasses(classes: classes) }
        let show = try showDir.map { folder in
            try FileManager.default.createDirectory(at: URL(filePath: folder), withIntermediateDirectories: true)
            return ShowFolder(folder: URL(filePath: folder), palette: spec.palette)
        }
        if heldOut {
            guard classes == VGGMini.segmentationClasses else {
                throw ValidationError("--held-out scores a net of the shapes world (\(VGGMini.segmentationClasses) classes); this one has \(classes)")
            }
            var bar = ProgressBar(total: 1, label: "held-out")
            let report = try GeneralizationReport.evaluate(network, scenesPerCell: perCell, progress: { done, total in
                if done == 1 { bar = ProgressBar(total: total, label: "held-out") }
                bar.update(step: done)
            }, inspect: { name, scene, predicted in try show?.write(name: name, scene: scene, prediction: predicted) })
            bar.finish()
            let worst = report.worstScene
            print("\(name) on \(report.scenes.count) held-out scenes (IndependentScenes, seed \(report.seed)): mean IU per image size × object radius")
            print(report.table)
            print(String(format: "worst scene: %.1f mean IU (%@, %@ objects, %@ background, %@ shapes, scene %d)", 100 * worst.meanIU,
                         worst.size.name, worst.scale, worst.background, worst.fill, worst.index))
            print("by background: " + report.meanIUByBackground.sorted { $0.key < $1.key }.map { String(format: "%@ %.1f", $0.key, 100 * $0.value) }.joined(separator: ", ")
                  + "; by fill: " + report.meanIUByFill.sorted { $0.key < $1.key }.map { String(format: "%@ %.1f", $0.key, 100 * $0.value) }.joined(separator: ", "))
            print("IU by class: " + ShapeClass.allCases.compactMap { c in report.iuByClass[c.name].map { String(format: "%@ %.1f", c.name, 100 * $0) } }.joined(separator: ", "))
            if let json {
                let encoder = JSONEncoder(); encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                try AtomicFile.write(try encoder.encode(report), to: URL(filePath: json))
            }
            return
        }
        var bar = ProgressBar(total: 1, label: "evaluate")
        let matrix: ConfusionMatrix
        let source: String
        if let voc {
            let dataset = VOCDataset(root: URL(filePath: voc))
            let ids = try dataset.ids(split: split)
            bar = ProgressBar(total: ids.count, label: "evaluate")
            matrix = try SegmentationEvaluation.evaluate(
                network, classes: classes, count: ids.count,
                name: { dataset.root.appending(path: "SegmentationClass/\(ids[$0]).png").path },
                progress: { bar.update(step: $0) },
                inspect: { i, scene, predicted in try show?.write(name: ids[i], scene: scene, prediction: predicted) }
            ) { try dataset.scene(ids[$0]) }
            source = "\(ids.count) images of \(voc) (\(split))"
        } else {
            let world = SyntheticData.validationWorld(sceneSize: sceneSize, drawing: SceneGenerator.Drawing(rawValue: drawing)!)
            bar = ProgressBar(total: valCount, label: "evaluate")
            matrix = try SegmentationEvaluation.evaluate(
                network, classes: classes, count: valCount,
                name: { "synthetic validation scene \($0)" },
                progress: { bar.update(step: $0) },
                inspect: { i, scene, predicted in try show?.write(name: String(format: "%06d", i), scene: scene, prediction: predicted) }
            ) { world.scene($0) }
            source = "\(valCount) synthetic validation scenes"
        }
        bar.finish()
        print("\(name) on \(source)")
        print(matrix.scores)
        let report = EvaluationReport(matrix, classNames: spec.classNames, model: name, images: source)
        print(report.table)
        if let json { try AtomicFile.write(try report.json(), to: URL(filePath: json)) }
        if let confusion {
            try confusionMatrixFigure(matrix, classNames: spec.classNames, title: "Confusion matrix: \(name) on \(source)")
                .write(to: URL(filePath: confusion))
        }
    }

    /// The net, its specification (class names, palette) and how to name it in the report.
    func loadNetwork() throws -> (Network, ModelSpec, String) {
        if let stage, let s = TrainingStage(rawValue: stage) {
            if let out = runFolder.out {
                let pipeline = TrainingPipeline(folder: URL(filePath: out), seed: 1)
                let loaded = try LoadedModel.load(from: pipeline.weightsURL(s))        // the run's own sizes, from its metadata
                return (loaded.network, loaded.spec, "\(s.displayName) (\(pipeline.weightsURL(s).path))")
            }
            let shipped = try EmbeddedModels.model(s)
            return (shipped.network, shipped.spec, "\(s.displayName) (shipped)")
        }
        let overrides = try model.overrides.overrides
        guard let loaded = try model.loadWeights() else {
            guard overrides.head != nil || overrides.backbone != nil else { throw ValidationError("give --stage, --weights or --arch") }
            let shipped = try shippedModel(overrides)
            return (shipped.network, shipped.spec, "\(shipped.network.description.name) (shipped)")
        }
        try requireSegmentation(loaded)
        return (loaded.network, loaded.spec, "\(loaded.network.description.name) (\(loaded.file.path))")
    }
}

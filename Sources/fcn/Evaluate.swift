// Evaluate.swift — `fcn evaluate`: the paper's four metrics (§4 "Metrics", Table 2) of a
// segmentation net on the synthetic validation scenes or on a VOC-layout folder; also exports
// the synthetic validation set in VOC's layout. The work is in the library.
import FCNTraining
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

        Examples:
          fcn evaluate --stage fcn8s
          fcn evaluate --stage fcn32s --out runs/seed1 --val-count 500
          fcn evaluate --weights fcn8s.safetensors --arch fcn8s --voc VOCdevkit/VOC2012
          fcn evaluate --weights fcn8s-atonce.caffemodel --val-count 50
          fcn evaluate --export-voc synthetic-voc --val-count 200
        """
    )

    @Option(help: "A trained stage: fcn32s-fixed, fcn32s, fcn16s, fcn8s, fcn8s-atonce.")
    var stage: String?

    @OptionGroup var runFolder: RunFolderOptions

    @OptionGroup(title: "Model")
    var model: ModelOptions

    @OptionGroup var threads: ThreadOptions

    @Option(help: "Synthetic validation scenes to score (or to export).")
    var valCount = 200

    @Option(help: "Side of the synthetic validation scenes.")
    var sceneSize = 128

    @Option(help: "A folder in PASCAL VOC's layout to score instead of the synthetic scenes.")
    var voc: String?

    @Option(help: "The split of --voc.")
    var split = "val"

    @Option(help: "Write the synthetic validation set in VOC's layout to this folder, then stop.")
    var exportVoc: String?

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
    }

    func run() throws {
        // `--threads` is in force for every pass of the command (the engine reads it per call).
        try threads.configuration.apply { try runWithConfiguration() }
    }

    private func runWithConfiguration() throws {
        if let exportVoc {
            let world = SyntheticData.validationWorld(sceneSize: sceneSize)
            let scenes = (0..<valCount).map { (id: String(format: "%06d", $0), scene: world.scene($0)) }
            try VOCDataset.write(scenes, split: split, to: URL(filePath: exportVoc))
            print("\(valCount) validation scenes → \(exportVoc) (PNGImages, SegmentationClass, ImageSets/Segmentation/\(split).txt)")
            return
        }
        let (network, name) = try loadNetwork()
        guard let classes = network.parameters["score_fr.weight"]?.shape[0] else { throw ValidationError("the net has no score_fr layer") }
        var bar = ProgressBar(total: 1, label: "evaluate")
        let matrix: ConfusionMatrix
        let source: String
        if let voc {
            let dataset = VOCDataset(root: URL(filePath: voc))
            let ids = try dataset.ids(split: split)
            bar = ProgressBar(total: ids.count, label: "evaluate")
            matrix = try SegmentationEvaluation.evaluate(network, classes: classes, count: ids.count, progress: { bar.update(step: $0) }) {
                try dataset.scene(ids[$0])
            }
            source = "\(ids.count) images of \(voc) (\(split))"
        } else {
            let world = SyntheticData.validationWorld(sceneSize: sceneSize)
            bar = ProgressBar(total: valCount, label: "evaluate")
            matrix = try SegmentationEvaluation.evaluate(network, classes: classes, count: valCount, progress: { bar.update(step: $0) }) {
                world.scene($0)
            }
            source = "\(valCount) synthetic validation scenes"
        }
        bar.finish()
        print("\(name) on \(source)")
        print(matrix.scores)
    }

    func loadNetwork() throws -> (Network, String) {
        if let stage, let s = TrainingStage(rawValue: stage) {
            if let out = runFolder.out {
                let pipeline = TrainingPipeline(folder: URL(filePath: out), seed: 1)
                let loaded = try LoadedModel.load(from: pipeline.weightsURL(s))        // the run's own sizes, from its metadata
                return (loaded.network, "\(s.displayName) (\(pipeline.weightsURL(s).path))")
            }
            return (try EmbeddedModels.network(s), "\(s.displayName) (shipped)")
        }
        let overrides = try model.overrides.overrides
        guard let loaded = try model.loadWeights() else {
            guard overrides.head != nil || overrides.backbone != nil else { throw ValidationError("give --stage, --weights or --arch") }
            let shipped = try shippedModel(overrides)
            return (shipped.network, "\(shipped.network.description.name) (shipped)")
        }
        try requireSegmentation(loaded)
        return (loaded.network, "\(loaded.network.description.name) (\(loaded.file.path))")
    }
}

// TrainingPipeline.swift — the paper's whole training story as files on disk (§4.1–4.2,
// Table 2): classifier → net surgery → FCN-32s-fixed / FCN-32s → FCN-16s → FCN-8s, and
// FCN-8s at once, each stage starting from its parent's weights file.
//
// The output folder holds, per stage:
//   <stage>.safetensors             the trained weights (what `fcn evaluate` and the shipped
//                                   models are), with the stage's ModelSpec, the seed and
//                                   sizes in the metadata, so `fcn segment --weights` runs it;
//   <stage>.checkpoint.safetensors  the last checkpoint (parameters, momentum, step, history),
//                                   written every `checkpointEvery` steps, on a stop request
//                                   and at the end;
//   <stage>.history.csv             step, loss, pixel accuracy (the loss curve);
//   <stage>.validation.csv          with `validateEvery` > 0: the metrics on held-out scenes
//                                   every that many steps, and <stage>.best.safetensors, the
//                                   weights of the best mean IU (TrainingPipeline+Validation).
// All files are written atomically.

import FCN
import FCNCore
import Foundation

/// Why a stage could not start.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
    /// The stage's parent stage has no weights file in the folder yet.
    case missingParent(stage: String, parentFile: String)
    /// The loss became NaN or infinite: the learning rate is too high for the stage.
    case diverged(stage: String, step: Int)
    /// A sentence naming the stage and the problem.
    public var description: String {
        switch self {
        case let .missingParent(stage, file): "\(stage) starts from \(file), which does not exist: train that stage first (or use --stage all)"
        case let .diverged(stage, step): "\(stage): the loss is not a number at step \(step); lower the learning rate"
        }
    }
}

/// How a stage run ended.
public enum StageOutcome: Equatable, Sendable {
    /// The stage ran all its steps; its weights file was written.
    case finished
    /// A stop was requested; a checkpoint at this step was written.
    case interrupted(step: Int)
    /// The weights file was already there (resume of a finished stage).
    case alreadyDone
}

/// Runs training stages into a folder, with checkpoints and resumption.
///
/// ```swift
/// var pipeline = TrainingPipeline(folder: URL(filePath: "runs/seed1"), seed: 1)
/// for stage in TrainingStage.allCases { _ = try pipeline.run(stage, resume: true) }
/// ```
public struct TrainingPipeline: Sendable {
    /// Where weights, checkpoints and histories are written.
    public var folder: URL
    /// The seed of the run.
    public var seed: UInt64
    /// The model sizes.
    public var model: VGGMini = .standard
    /// The side of a training scene, in pixels.
    public var sceneSize = 128
    /// Steps per stage (images for the segmentation stages, batches of 8 for the classifier).
    ///
    /// Chosen to fit the whole schedule in under 30 minutes on two cores. The staged FCN-8s
    /// has seen 3000 + 1500 + 1500 images by the end; the at-once net, which starts from the
    /// classifier as FCN-32s does, gets 2400: one run shorter than the staged chain's
    /// total, which is the point of training at once.
    public var steps: [TrainingStage: Int] = [.classifier: 3600, .fcn32sFixed: 600, .fcn32s: 3000, .fcn16s: 1500, .fcn8s: 1500, .fcn8sAtOnce: 2400]
    /// Hyper-parameters per stage (defaults: ``StageHyperparameters/defaults(for:sceneSize:)``).
    public var hyperparameters: [TrainingStage: StageHyperparameters] = [:]
    /// Training scenes per epoch; classification examples per epoch.
    public var trainingScenes = 2000
    /// Classification examples per epoch.
    public var classificationExamples = 20000
    /// Steps between checkpoints.
    public var checkpointEvery = 200
    /// Show a progress bar on standard error.
    public var showsProgress = true
    /// Steps between validations of a segmentation stage (0: none, the default). Validation
    /// never changes the training (`TrainingPipeline+Validation.swift`).
    public var validateEvery = 0
    /// Validation scenes scored at each validation.
    public var validationCount = 20
    /// How the training and validation scenes are drawn (``SceneGenerator/Drawing``). Recorded
    /// in every weights file; a checkpoint is continued with the pipeline's setting.
    public var drawing: SceneGenerator.Drawing = .classic

    /// The data a stage of this pipeline trains on.
    func data(for model: VGGMini) -> SyntheticData {
        var d = SyntheticData(seed: seed, sceneSize: sceneSize, exampleSize: model.exampleSize)
        d.drawing = drawing
        return d
    }

    /// A pipeline writing into `folder`.
    public init(folder: URL, seed: UInt64) { self.folder = folder; self.seed = seed }

    /// The stage's trained weights: `<folder>/<stage>.safetensors`.
    public func weightsURL(_ stage: TrainingStage) -> URL { folder.appending(path: "\(stage.rawValue).safetensors") }
    /// The stage's checkpoint: `<folder>/<stage>.checkpoint.safetensors`.
    public func checkpointURL(_ stage: TrainingStage) -> URL { folder.appending(path: "\(stage.rawValue).checkpoint.safetensors") }
    /// The stage's per-step history: `<folder>/<stage>.history.csv`.
    public func historyURL(_ stage: TrainingStage) -> URL { folder.appending(path: "\(stage.rawValue).history.csv") }

    /// The stage's hyper-parameters: those set, else the defaults.
    public func hyperparameters(for stage: TrainingStage) -> StageHyperparameters {
        hyperparameters[stage] ?? .defaults(for: stage, sceneSize: sceneSize)
    }

    func datasetSize(_ stage: TrainingStage) -> Int { stage == .classifier ? classificationExamples : trainingScenes }

    /// Trains `stage`. With `resume`, a finished stage is skipped and a checkpoint is continued;
    /// without, the stage starts from its parent's weights file.
    ///
    /// - Parameters:
    ///   - stage: the stage to train.
    ///   - resume: continue from the stage's checkpoint or skip it when finished.
    ///   - shouldStop: polled between steps; when it returns `true` a checkpoint is
    ///     written and the run returns ``StageOutcome/interrupted(step:)``.
    public func run(_ stage: TrainingStage, resume: Bool, shouldStop: () -> Bool = { StopRequest.isRequested }) throws -> StageOutcome {
        try AtomicFile.createFolder(folder)
        if resume && FileManager.default.fileExists(atPath: weightsURL(stage).path) { return .alreadyDone }
        var trainer: StageTrainer
        if resume, FileManager.default.fileExists(atPath: checkpointURL(stage).path) {
            let checkpoint = try Checkpoint(contentsOf: checkpointURL(stage))
            try check(checkpoint, stage)
            try checkpoint.validate(sceneSize: sceneSize, file: checkpointURL(stage).path)
            trainer = try StageTrainer(resuming: checkpoint, sceneSize: sceneSize, datasetSize: datasetSize(stage), data: data(for: checkpoint.model))
        } else {
            var parent: [String: Tensor]? = nil
            if let p = stage.parent {
                guard FileManager.default.fileExists(atPath: weightsURL(p).path) else {
                    throw TrainingError.missingParent(stage: stage.rawValue, parentFile: weightsURL(p).path)
                }
                parent = try PretrainedWeights.readTensors(weightsURL(p))
            }
            trainer = try StageTrainer(stage: stage, model: model, seed: seed, sceneSize: sceneSize, steps: steps[stage] ?? 0,
                                       hyperparameters: hyperparameters(for: stage), datasetSize: datasetSize(stage), parent: parent,
                                       data: data(for: model))
        }

        var bar = showsProgress ? ProgressBar(total: trainer.steps - trainer.step, label: stage.displayName,
                                              unit: stage == .classifier ? "batch" : "img") : nil
        let firstStep = trainer.step
        var window: [TrainingRecord] = []
        var validation = try StageValidation(self, stage: stage, resumedAt: trainer.step)
        while trainer.step < trainer.steps {
            if shouldStop() {
                try trainer.checkpoint.write(to: checkpointURL(stage))
                bar?.stop()                                          // "stopped", not "done"
                return .interrupted(step: trainer.step)
            }
            let record = try trainer.advance()
            window.append(record)
            if window.count > 50 { window.removeFirst() }
            bar?.update(step: trainer.step - firstStep, figures: [
                ("loss", window.map(\.loss).reduce(0, +) / Double(window.count)),
                ("acc", window.map(\.pixelAccuracy).reduce(0, +) / Double(window.count)),
            ])
            if trainer.step % checkpointEvery == 0 && trainer.step < trainer.steps {
                try trainer.checkpoint.write(to: checkpointURL(stage))
            }
            if validation?.isDue(step: trainer.step, of: trainer.steps) == true {
                let (r, improved) = try validation!.validate(trainer, metadata: weightsMetadata(trainer))
                func pct(_ x: Double) -> String { String(format: "%.1f%%", 100 * x) }
                let line = "\(stage.displayName) step \(r.step): validation mean IU \(pct(r.meanIU)), pixel acc. \(pct(r.pixelAccuracy))"
                    + (improved ? " (best so far → \(bestWeightsURL(stage).lastPathComponent))" : "")
                if bar != nil { bar!.note(line) } else { FileHandle.standardError.write(Data((line + "\n").utf8)) }
            }
        }
        bar?.finish()
        try trainer.checkpoint.write(to: checkpointURL(stage))
        try writeHistory(trainer.history, to: historyURL(stage))
        try Safetensors.write(trainer.network.parameters, metadata: weightsMetadata(trainer), to: weightsURL(stage))
        return .finished
    }

    /// Refuses a checkpoint made with other settings (its continuation would not be this run).
    func check(_ c: Checkpoint, _ stage: TrainingStage) throws {
        let file = checkpointURL(stage).path
        if c.stage != stage { throw CheckpointError.mismatch(file: file, field: "stage", found: c.stage.rawValue, expected: stage.rawValue) }
        if c.seed != seed { throw CheckpointError.mismatch(file: file, field: "seed", found: String(c.seed), expected: String(seed)) }
        if c.model != model { throw CheckpointError.mismatch(file: file, field: "model sizes", found: "\(c.model)", expected: "\(model)") }
        let h = hyperparameters(for: stage)
        if c.hyperparameters != h { throw CheckpointError.mismatch(file: file, field: "hyper-parameters", found: "\(c.hyperparameters)", expected: "\(h)") }
        if let s = steps[stage], s != c.steps { throw CheckpointError.mismatch(file: file, field: "steps", found: String(c.steps), expected: String(s)) }
    }

    /// The metadata of a weights file: the stage's ``ModelSpec`` under ``ModelSpec/metadataKey``
    /// (what `fcn segment`, `evaluate`, `info` and `convert` read), and the run's settings.
    func weightsMetadata(_ t: StageTrainer) -> [String: String] {
        let m = t.model
        let spec = t.stage.spec(m)
        return [ModelSpec.metadataKey: spec.metadataJSON,
                "stage": t.stage.rawValue, "architecture": t.network.description.name, "seed": String(t.seed),
                "steps": String(t.steps), "scene_size": String(sceneSize), "classes": String(spec.classes),
                "widths": m.widths.map(String.init).joined(separator: ","),
                "convolutions_per_block": m.convolutionsPerBlock.map(String.init).joined(separator: ","),
                "fully_connected": String(m.fullyConnected), "classifier_input_size": String(m.classifierInputSize),
                "dropout": String(m.dropout), "drawing": drawing.rawValue,
                "trained_by": "swift-fcn TrainingPipeline (fcn train)"]
    }

    func writeHistory(_ history: [TrainingRecord], to url: URL) throws {
        var text = "step,loss,pixel_accuracy\n"
        for r in history { text += "\(r.step),\(r.loss),\(r.pixelAccuracy)\n" }
        try AtomicFile.write(Data(text.utf8), to: url)
    }
}

// TrainingPipeline+Validation.swift — validation during a stage (`fcn train --validate-every N
// --val-count K`): every N steps the stage's network, as it stands, segments K held-out scenes
// and is scored with the paper's metrics (§5 "Metrics"); the scores go to
// `<stage>.validation.csv`, and whenever mean IU improves the weights are saved as
// `<stage>.best.safetensors` (atomically, with the same ModelSpec metadata as
// `<stage>.safetensors`, so `fcn segment --weights …best.safetensors` runs it as is).
//
// Why it cannot change the training: the scenes come from the validation world (its own seed),
// the network only runs forward (no dropout, no generator), and nothing of the trainer is
// touched — the training steps, checkpoints and final weights are the same bits with or
// without validation (a test holds them equal).

import FCN
import FCNCore
import Foundation

extension TrainingPipeline {
    /// The stage's validation scores: `<folder>/<stage>.validation.csv`.
    public func validationURL(_ stage: TrainingStage) -> URL { folder.appending(path: "\(stage.rawValue).validation.csv") }
    /// The stage's best-validated weights: `<folder>/<stage>.best.safetensors`.
    public func bestWeightsURL(_ stage: TrainingStage) -> URL { folder.appending(path: "\(stage.rawValue).best.safetensors") }
}

/// The validation of one stage run: the scenes, the scores so far, the best one.
struct StageValidation {
    let stage: TrainingStage
    let every: Int
    let scenes: [LabeledScene]
    let csv: URL, best: URL
    private(set) var records: [ValidationRecord]
    /// The record with the highest mean IU (the earliest among equals).
    private(set) var bestRecord: ValidationRecord?

    /// `nil` when validation is off (`validateEvery` 0) or the stage is the classifier (no
    /// segmentation to score). Resuming at `step` > 0 keeps the scores written up to `step`.
    init?(_ pipeline: TrainingPipeline, stage: TrainingStage, resumedAt step: Int) throws {
        guard pipeline.validateEvery > 0, pipeline.validationCount > 0, stage != .classifier else { return nil }
        self.stage = stage
        every = pipeline.validateEvery
        let world = SyntheticData.validationWorld(sceneSize: pipeline.sceneSize, drawing: pipeline.drawing)
        scenes = (0..<pipeline.validationCount).map { world.scene($0) }
        csv = pipeline.validationURL(stage)
        best = pipeline.bestWeightsURL(stage)
        let earlier = step > 0 && FileManager.default.fileExists(atPath: csv.path) ? try ValidationRecord.read(from: csv) : []
        records = earlier.filter { $0.step <= step }
        bestRecord = records.reduce(nil) { b, r in Self.improves(r, on: b) ? r : b }
    }

    /// Whether step `step` of `steps` is scored: every `every` steps, and the last step.
    func isDue(step: Int, of steps: Int) -> Bool { step % every == 0 || step == steps }

    /// A NaN mean IU (no class present) never improves.
    static func improves(_ r: ValidationRecord, on best: ValidationRecord?) -> Bool {
        guard !r.meanIU.isNaN else { return false }
        guard let best, !best.meanIU.isNaN else { return true }
        return r.meanIU > best.meanIU
    }

    /// Scores the trainer's network, rewrites the CSV, and saves the weights when they are the
    /// best so far. Returns the record and whether it improved.
    mutating func validate(_ trainer: StageTrainer, metadata: [String: String]) throws -> (record: ValidationRecord, improved: Bool) {
        let record = try ValidationRecord.score(trainer.network, on: scenes, classes: VGGMini.segmentationClasses, step: trainer.step)
        records.append(record)
        try AtomicFile.write(Data(ValidationRecord.csv(records).utf8), to: csv)
        let improved = Self.improves(record, on: bestRecord)
        if improved {
            bestRecord = record
            var m = metadata
            m["best_step"] = String(record.step)
            m["best_mean_iu"] = String(record.meanIU)
            m["validation_count"] = String(scenes.count)
            try Safetensors.write(trainer.network.parameters, metadata: m, to: best)
        }
        return (record, improved)
    }
}

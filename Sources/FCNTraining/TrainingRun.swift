// TrainingRun.swift — a run folder of `fcn train --out DIR` read back for its curves: per
// stage, the training history (loss and pixel accuracy per step, §4.3) and the validation
// scores (§5 "Metrics") if the run validated. `fcn figures --run DIR` draws them.
//
// A stage still running or stopped by Ctrl-C has no `<stage>.history.csv` yet; its history is
// then read from its checkpoint's metadata, so a run can be watched while it trains.

import FCN
import FCNCore
import Foundation

/// The records of a training run's folder.
///
/// ```swift
/// let run = try TrainingRun(folder: URL(filePath: "runs/seed1"))
/// for s in run.stages { print(s.stage.displayName, s.history.count, s.validation.last?.meanIU ?? .nan) }
/// ```
public struct TrainingRun: Sendable {
    /// One stage's records.
    public struct Stage: Sendable {
        /// Which stage.
        public var stage: TrainingStage
        /// One record per step done.
        public var history: [TrainingRecord]
        /// The validations, oldest first (empty if the run did not validate).
        public var validation: [ValidationRecord]
    }

    /// The folder read.
    public var folder: URL
    /// The stages with a history, in schedule order.
    public var stages: [Stage]
    /// The side of the training scenes, from a weights file's metadata (`nil`: no stage finished).
    public var sceneSize: Int?

    /// Reads `folder`.
    ///
    /// - Throws: ``TrainingFileError`` naming the file when a history or validation file is
    ///   malformed, or the folder when it holds no stage at all; ``CheckpointError`` for a
    ///   checkpoint that is not one.
    public init(folder: URL) throws {
        self.folder = folder
        let pipeline = TrainingPipeline(folder: folder, seed: 0)          // only for its file names
        func exists(_ url: URL) -> Bool { FileManager.default.fileExists(atPath: url.path) }
        stages = []
        for stage in TrainingStage.allCases {
            let history: [TrainingRecord]
            if exists(pipeline.historyURL(stage)) {
                history = try TrainingRecord.readHistory(from: pipeline.historyURL(stage))
            } else if exists(pipeline.checkpointURL(stage)) {
                history = try Self.checkpointHistory(pipeline.checkpointURL(stage))
            } else { continue }
            let validation = exists(pipeline.validationURL(stage)) ? try ValidationRecord.read(from: pipeline.validationURL(stage)) : []
            stages.append(Stage(stage: stage, history: history, validation: validation))
            for weights in [pipeline.weightsURL(stage), pipeline.bestWeightsURL(stage)] where sceneSize == nil && exists(weights) {
                sceneSize = (try? SafetensorsFile(contentsOf: weights))?.metadata["scene_size"].flatMap { Int($0) }
            }
        }
        guard !stages.isEmpty else {
            throw TrainingFileError.missing(path: folder.path + "/<stage>.history.csv",
                                            hint: "no stage history or checkpoint in \(folder.path); is it a folder written by `fcn train --out`?")
        }
    }

    /// The history stored in a checkpoint's metadata (the tensors are not read).
    static func checkpointHistory(_ url: URL) throws -> [TrainingRecord] {
        let metadata = try SafetensorsFile(contentsOf: url).metadata
        guard let json = metadata["history"], let history = try? JSONDecoder().decode([TrainingRecord].self, from: Data(json.utf8)) else {
            throw CheckpointError.notACheckpoint(file: url.path, problem: "no readable 'history' in the metadata")
        }
        return history
    }
}

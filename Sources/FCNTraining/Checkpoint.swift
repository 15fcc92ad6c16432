// Checkpoint.swift — everything a training run needs to continue exactly where it stopped
// (the solver state Caffe writes as `.solverstate`, paper §4.3 training setup).
//
// One safetensors file per stage, written atomically (a crash leaves the previous checkpoint):
//   tensors   "parameters/<name>"  the network's parameters
//             "momentum/<name>"    SGD's momentum buffers v (absent until a parameter moved)
//   metadata  format, stage, step, steps, seed, the hyper-parameters and model sizes (JSON),
//             and the per-step history of loss and pixel accuracy (JSON) for the curves.
// There is no random-generator state to save: every random draw of step k comes from a
// generator seeded by (seed, stage, k) and the data order from (seed, stage, epoch) — see
// `StageTrainer.stepRandom` — so the step counter *is* the generator state.

import FCN
import FCNCore
import Foundation

/// A problem with a checkpoint file.
public enum CheckpointError: Error, CustomStringConvertible, Equatable {
    /// The file is not a checkpoint of this format.
    case notACheckpoint(file: String, problem: String)
    /// The checkpoint was written for another stage, seed, model or schedule.
    case mismatch(file: String, field: String, found: String, expected: String)

    /// A sentence naming the file and the problem.
    public var description: String {
        switch self {
        case let .notACheckpoint(file, problem): "\(file): not a swift-fcn training checkpoint: \(problem)"
        case let .mismatch(file, field, found, expected):
            "\(file): the checkpoint was made with \(field) \(found), this run uses \(expected); start a new output folder or pass the same settings"
        }
    }
}

/// The saved state of one stage's training.
public struct Checkpoint: Sendable {
    /// The format tag written into every checkpoint's metadata.
    public static let format = "swift-fcn-checkpoint-1"

    /// The stage being trained.
    public var stage: TrainingStage
    /// Steps done.
    public var step: Int
    /// Steps planned for the stage.
    public var steps: Int
    /// The seed of the run.
    public var seed: UInt64
    /// The stage's hyper-parameters.
    public var hyperparameters: StageHyperparameters
    /// The model sizes.
    public var model: VGGMini
    /// The network's parameters at `step`.
    public var parameters: [String: Tensor]
    /// SGD's momentum buffers at `step`, by parameter name.
    public var momentum: [String: Tensor]
    /// Loss and pixel accuracy of every step done.
    public var history: [TrainingRecord]

    /// Writes the checkpoint to `url` atomically.
    public func write(to url: URL) throws {
        var tensors: [(String, Tensor)] = parameters.map { ("parameters/\($0.key)", $0.value) }
        tensors += momentum.map { ("momentum/\($0.key)", $0.value) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let metadata = [
            "format": Self.format, "stage": stage.rawValue, "step": String(step), "steps": String(steps),
            "seed": String(seed),
            "hyperparameters": String(decoding: try encoder.encode(hyperparameters), as: UTF8.self),
            "model": String(decoding: try encoder.encode(ModelSizes(model)), as: UTF8.self),
            "history": String(decoding: try encoder.encode(history), as: UTF8.self),
        ]
        try Safetensors.write(tensors, metadata: metadata, to: url)
    }

    /// Reads a checkpoint written by ``write(to:)``.
    public init(contentsOf url: URL) throws {
        let file = try SafetensorsFile(contentsOf: url)
        func field(_ key: String) throws -> String {
            guard let value = file.metadata[key] else { throw CheckpointError.notACheckpoint(file: url.path, problem: "no '\(key)' in the metadata") }
            return value
        }
        guard try field("format") == Self.format else {
            throw CheckpointError.notACheckpoint(file: url.path, problem: "format is '\(file.metadata["format"] ?? "")', expected '\(Self.format)'")
        }
        guard let stage = TrainingStage(rawValue: try field("stage")), let step = Int(try field("step")),
              let steps = Int(try field("steps")), let seed = UInt64(try field("seed")) else {
            throw CheckpointError.notACheckpoint(file: url.path, problem: "stage, step, steps or seed is not readable")
        }
        let decoder = JSONDecoder()
        do {
            hyperparameters = try decoder.decode(StageHyperparameters.self, from: Data(try field("hyperparameters").utf8))
            model = try decoder.decode(ModelSizes.self, from: Data(try field("model").utf8)).model
            history = try decoder.decode([TrainingRecord].self, from: Data(try field("history").utf8))
        } catch let error as CheckpointError { throw error } catch {
            throw CheckpointError.notACheckpoint(file: url.path, problem: "unreadable JSON in the metadata (\(error))")
        }
        self.stage = stage; self.step = step; self.steps = steps; self.seed = seed
        parameters = [:]; momentum = [:]
        for name in file.tensorNames {
            if name.hasPrefix("parameters/") { parameters[String(name.dropFirst(11))] = try file.tensor(named: name) }
            else if name.hasPrefix("momentum/") { momentum[String(name.dropFirst(9))] = try file.tensor(named: name) }
        }
    }

    /// A checkpoint from its fields.
    public init(stage: TrainingStage, step: Int, steps: Int, seed: UInt64, hyperparameters: StageHyperparameters, model: VGGMini,
                parameters: [String: Tensor], momentum: [String: Tensor], history: [TrainingRecord]) {
        self.stage = stage; self.step = step; self.steps = steps; self.seed = seed; self.hyperparameters = hyperparameters
        self.model = model; self.parameters = parameters; self.momentum = momentum; self.history = history
    }
}

/// One step's figures.
public struct TrainingRecord: Hashable, Sendable, Codable {
    /// The step (1-based).
    public var step: Int
    /// The loss as the stage defines it (summed or averaged over pixels).
    public var loss: Double
    /// The fraction of counted pixels (or examples) whose arg-max class was right.
    public var pixelAccuracy: Double
}

/// `VGGMini` as JSON (kept out of the model type, which need not know about files).
struct ModelSizes: Codable {
    var widths: [Int], convolutionsPerBlock: [Int], fullyConnected: Int, classifierInputSize: Int, exampleSize: Int
    /// Absent in checkpoints written before VGG-mini had a dropout setting (they used 0.5).
    var dropout: Float?
    init(_ m: VGGMini) {
        widths = m.widths; convolutionsPerBlock = m.convolutionsPerBlock; fullyConnected = m.fullyConnected
        classifierInputSize = m.classifierInputSize; exampleSize = m.exampleSize; dropout = m.dropout
    }
    var model: VGGMini {
        VGGMini(widths: widths, convolutionsPerBlock: convolutionsPerBlock, fullyConnected: fullyConnected,
                classifierInputSize: classifierInputSize, exampleSize: exampleSize, dropout: dropout ?? 0.5)
    }
}

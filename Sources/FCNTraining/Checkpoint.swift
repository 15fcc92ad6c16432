// Checkpoint.swift — everything a training run needs to continue exactly where it stopped
// (the solver state Caffe writes as `.solverstate`, paper §4.3 training setup).
//
// One safetensors file per stage, written atomically (a crash leaves the previous checkpoint):
//   tensors   "parameters/<name>"  the network's parameters
//             "momentum/<name>"    SGD's momentum buffers v (absent until a parameter moved)
//   metadata  format, stage, step, steps, seed, the hyper-parameters and model sizes (JSON),
//             the per-step history of loss and pixel accuracy (JSON) for the curves, and
//             "checksum": the CRC-32 of everything else (below).
// There is no random-generator state to save: every random draw of step k comes from a
// generator seeded by (seed, stage, k) and the data order from (seed, stage, epoch) — see
// `StageTrainer.stepRandom` — so the step counter *is* the generator state.
//
// Trusting a checkpoint (issue #18). A resumed run continues from whatever the file says, so a
// damaged or hand-edited file would silently train on from wrong weights, or trap (a negative
// step, a momentum buffer of another size). Reading therefore checks, before anything is used:
//   - the checksum: CRC-32 (`CRC32.swift`) over the metadata except "checksum" (keys sorted,
//     each key and value followed by a zero byte), then every tensor in name order (name, zero,
//     shape as "d0,d1,…", zero, the little-endian float32 values). It does not depend on the
//     order safetensors lays the file out in, only on what the checkpoint holds;
//   - that the step is within 0…steps, and the history has one record per step done;
//   - that every momentum buffer belongs to a parameter and has its shape;
// and ``Checkpoint/validate(sceneSize:file:)`` checks, once the run knows the checkpoint is for
// its stage and model, that the parameters are exactly those the stage's net needs, shapes and all.
//
// Checkpoints written before the checksum existed are refused, not trusted: they cannot be
// told from damaged ones, and a checkpoint only saves time — deleting it restarts the stage
// from its start (its parent's weights, or fresh ones), which ends in the same weights
// (training is a function of the seed).

import FCN
@_spi(Fuzzing) import FCN
import FCNCore
import Foundation

/// A problem with a checkpoint file.
public enum CheckpointError: Error, CustomStringConvertible, Equatable {
    /// The file is not a checkpoint of this format.
    case notACheckpoint(file: String, problem: String)
    /// The checkpoint was written for another stage, seed, model or schedule.
    case mismatch(file: String, field: String, found: String, expected: String)
    /// The file is a checkpoint, but damaged or inconsistent: continuing from it would trap or
    /// train on from wrong values.
    case damaged(file: String, problem: String)

    /// A sentence naming the file and the problem.
    public var description: String {
        switch self {
        case let .notACheckpoint(file, problem): "\(file): not a swift-fcn training checkpoint: \(problem)"
        case let .mismatch(file, field, found, expected):
            "\(file): the checkpoint was made with \(field) \(found), this run uses \(expected); start a new output folder or pass the same settings"
        case let .damaged(file, problem):
            "\(file): the checkpoint cannot be resumed: \(problem); delete it to train the stage again from its start"
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
        var metadata = [
            "format": Self.format, "stage": stage.rawValue, "step": String(step), "steps": String(steps),
            "seed": String(seed),
            "hyperparameters": String(decoding: try encoder.encode(hyperparameters), as: UTF8.self),
            "model": String(decoding: try encoder.encode(ModelSizes(model)), as: UTF8.self),
            "history": String(decoding: try encoder.encode(history), as: UTF8.self),
        ]
        metadata[Self.checksumKey] = Self.checksum(metadata: metadata, tensors: tensors)
        try Safetensors.write(tensors, metadata: metadata, to: url)
    }

    /// Reads a checkpoint written by ``write(to:)`` and checks it (checksum, step, momentum shapes).
    ///
    /// - Throws: ``CheckpointError`` or `SafetensorsError`, naming the file and the problem.
    public init(contentsOf url: URL) throws {
        try self.init(file: SafetensorsFile(contentsOf: url), path: url.path)
    }

    /// Parses `bytes` (copied) as if they were the checkpoint `name`: the entry point of the fuzzer.
    ///
    /// With `requiringChecksum: false` a wrong checksum is computed but not refused, so that a
    /// fuzzer mutating a valid checkpoint reaches the checks behind it (it cannot fix a CRC).
    @_spi(Fuzzing) public init(bytes: some Collection<UInt8>, name: String, requiringChecksum: Bool = true) throws {
        try self.init(file: SafetensorsFile(bytes: bytes, name: name), path: name, requiringChecksum: requiringChecksum)
    }

    init(file: SafetensorsFile, path: String, requiringChecksum: Bool = true) throws {
        func damaged(_ problem: String) -> CheckpointError { .damaged(file: path, problem: problem) }
        func field(_ key: String) throws -> String {
            guard let value = file.metadata[key] else { throw CheckpointError.notACheckpoint(file: path, problem: "no '\(key)' in the metadata") }
            return value
        }
        guard try field("format") == Self.format else {
            throw CheckpointError.notACheckpoint(file: path, problem: "format is '\(file.metadata["format"] ?? "")', expected '\(Self.format)'")
        }
        guard let written = file.metadata[Self.checksumKey] else {
            throw damaged("it has no checksum (written by a swift-fcn from before checkpoints carried one), so it cannot be told from a damaged file")
        }
        var tensors: [(String, Tensor)] = []
        for name in file.tensorNames { tensors.append((name, try file.tensor(named: name))) }
        let computed = Self.checksum(metadata: file.metadata, tensors: tensors)
        guard computed == written || !requiringChecksum else {
            throw damaged("its checksum is \(computed), the file says \(written): the file changed after it was written")
        }

        guard let stage = TrainingStage(rawValue: try field("stage")), let step = Int(try field("step")),
              let steps = Int(try field("steps")), let seed = UInt64(try field("seed")) else {
            throw CheckpointError.notACheckpoint(file: path, problem: "stage, step, steps or seed is not readable")
        }
        func decode<T: Decodable>(_ type: T.Type, _ key: String) throws -> T {
            do { return try JSONDecoder().decode(type, from: Data(try field(key).utf8)) } catch let error as CheckpointError { throw error } catch {
                throw CheckpointError.notACheckpoint(file: path, problem: "the metadata's '\(key)' is not the JSON a checkpoint writes")
            }
        }
        hyperparameters = try decode(StageHyperparameters.self, "hyperparameters")
        model = try decode(ModelSizes.self, "model").model(file: path)
        history = try decode([TrainingRecord].self, "history")
        self.stage = stage; self.step = step; self.steps = steps; self.seed = seed
        parameters = [:]; momentum = [:]
        for (name, tensor) in tensors {
            if name.hasPrefix("parameters/") { parameters[String(name.dropFirst(11))] = tensor }
            else if name.hasPrefix("momentum/") { momentum[String(name.dropFirst(9))] = tensor }
            else { throw damaged("tensor '\(name)' is neither 'parameters/…' nor 'momentum/…'") }
        }

        // What the file must agree with by itself, whatever run resumes it.
        guard steps >= 0 else { throw damaged("the stage's step count is \(steps)") }
        guard (0...steps).contains(step) else { throw damaged("step \(step) is outside the stage's 0…\(steps)") }
        guard history.count == step else { throw damaged("step \(step) but the history has \(history.count) records") }
        for (name, v) in momentum.sorted(by: { $0.key < $1.key }) {
            guard let p = parameters[name] else { throw damaged("momentum/\(name) has no parameter '\(name)'") }
            guard v.shape == p.shape else { throw damaged("momentum/\(name) has shape \(v.shape), its parameter \(p.shape)") }
        }
    }

    /// A checkpoint from its fields.
    public init(stage: TrainingStage, step: Int, steps: Int, seed: UInt64, hyperparameters: StageHyperparameters, model: VGGMini,
                parameters: [String: Tensor], momentum: [String: Tensor], history: [TrainingRecord]) {
        self.stage = stage; self.step = step; self.steps = steps; self.seed = seed; self.hyperparameters = hyperparameters
        self.model = model; self.parameters = parameters; self.momentum = momentum; self.history = history
    }

    /// Checks that the parameters are exactly those `stage`'s net needs, with their shapes.
    /// Call it once the checkpoint is known to be for this run's stage and model (so the net
    /// described is the run's own); `file` is named in the error.
    ///
    /// - Throws: ``CheckpointError/damaged(file:problem:)`` naming the first parameter that is
    ///   missing, extra or of another shape.
    public func validate(sceneSize: Int, file: String) throws {
        let description = try stage.description(model)
        let needed = try description.parameterShapes(inputShape: StageTrainer.inputShape(stage, model, sceneSize))
        for p in needed {
            guard let t = parameters[p.name] else { throw CheckpointError.damaged(file: file, problem: "parameter '\(p.name)' is missing") }
            guard t.shape == p.shape else {
                throw CheckpointError.damaged(file: file, problem: "parameter '\(p.name)' has shape \(t.shape), the \(stage.rawValue) net needs \(p.shape)")
            }
        }
        let known = Set(needed.map(\.name))
        if let extra = parameters.keys.sorted().first(where: { !known.contains($0) }) {
            throw CheckpointError.damaged(file: file, problem: "parameter '\(extra)' is not one of the \(stage.rawValue) net's")
        }
    }

    /// The metadata key of the checksum.
    static let checksumKey = "checksum"

    /// `"crc32:xxxxxxxx"` over the metadata (all but the checksum) and the tensors, in the
    /// canonical order described at the top of this file.
    static func checksum(metadata: [String: String], tensors: [(String, Tensor)]) -> String {
        var crc = CRC32()
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) where key != checksumKey {
            crc.update(key.utf8); crc.update([0]); crc.update(value.utf8); crc.update([0])
        }
        for (name, tensor) in tensors.sorted(by: { $0.0 < $1.0 }) {
            crc.update(name.utf8); crc.update([0])
            crc.update(tensor.shape.map(String.init).joined(separator: ",").utf8); crc.update([0])
            tensor.scalars.withUnsafeBytes { crc.update($0) }    // float32, little-endian on every platform we run on
        }
        let hex = String(crc.value, radix: 16)
        return "crc32:" + String(repeating: "0", count: 8 - hex.count) + hex
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
    /// The model these sizes describe, after checking them: they come from a file, and
    /// `VGGMini`'s initialiser traps on sizes no writer produces (found by `FuzzCheckpoint`: a
    /// checkpoint whose widths list had four entries).
    func model(file: String) throws(CheckpointError) -> VGGMini {
        func damaged(_ problem: String) -> CheckpointError { .damaged(file: file, problem: "the metadata's 'model' \(problem)") }
        guard widths.count == 5, convolutionsPerBlock.count == 5 else {
            throw damaged("needs five blocks (got \(widths.count) widths and \(convolutionsPerBlock.count) depths)")
        }
        guard widths.allSatisfy({ (1...4096).contains($0) }), convolutionsPerBlock.allSatisfy({ (1...16).contains($0) }),
              (1...65536).contains(fullyConnected), (1...4096).contains(classifierInputSize),
              (1...classifierInputSize).contains(exampleSize) else {
            throw damaged("has sizes out of range (widths \(widths), depths \(convolutionsPerBlock), fc \(fullyConnected), classifier input \(classifierInputSize), example \(exampleSize))")
        }
        let ratio = dropout ?? 0.5
        guard ratio.isFinite, ratio >= 0, ratio < 1 else { throw damaged("has dropout \(ratio), not in [0, 1)") }
        return VGGMini(widths: widths, convolutionsPerBlock: convolutionsPerBlock, fullyConnected: fullyConnected,
                       classifierInputSize: classifierInputSize, exampleSize: exampleSize, dropout: ratio)
    }
}

// CheckpointValidationTests.swift — a resumed run trusts nothing in its checkpoint (issue #18):
// crafted checkpoints with a step out of range, momentum of the wrong shape, parameters missing,
// extra or misshapen, flipped bytes, edited metadata or no checksum are refused with an error
// naming the file and the problem, and nothing in the output folder is written.
//
// Two ways of crafting: "hand-edited" files are rewritten through `Checkpoint.write`, so their
// checksum is right and only the validation can catch them; "damaged" files are changed byte by
// byte after writing, so the checksum must catch them.
import FCNTraining
import Foundation
import Testing
@testable import FCN

@Suite struct CheckpointValidationTests {
    /// A tiny classifier run stopped after two steps: a checkpoint with parameters and momentum.
    static func stoppedRun(_ folder: ScratchFolder) throws -> (TrainingPipeline, Checkpoint) {
        let p = TrainingTests.tinyPipeline(folder)
        var polls = 0
        #expect(try p.run(.classifier, resume: false, shouldStop: { polls += 1; return polls > 2 }) == .interrupted(step: 2))
        let c = try Checkpoint(contentsOf: p.checkpointURL(.classifier))
        #expect(c.step == 2 && !c.momentum.isEmpty)
        return (p, c)
    }

    /// Resuming must throw an error that names the checkpoint and contains `problem`, leave the
    /// checkpoint's bytes as they were and write no weights.
    static func expectRefused(_ p: TrainingPipeline, _ problem: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = p.checkpointURL(.classifier)
        let before = try Data(contentsOf: url)
        do {
            _ = try p.run(.classifier, resume: true, shouldStop: { false })
            Issue.record("resumed from a bad checkpoint (expected '\(problem)')", sourceLocation: sourceLocation)
        } catch {
            let message = "\(error)"
            #expect(message.contains(url.path), "message does not name the file: \(message)", sourceLocation: sourceLocation)
            #expect(message.contains(problem), "expected '\(problem)' in: \(message)", sourceLocation: sourceLocation)
        }
        #expect(try Data(contentsOf: url) == before, "the checkpoint was changed", sourceLocation: sourceLocation)
        #expect(!FileManager.default.fileExists(atPath: p.weightsURL(.classifier).path), "weights were written", sourceLocation: sourceLocation)
    }

    @Test(arguments: [-1, -1000, Int.min, 5, 1000, Int.max])
    func stepOutOfRangeIsRefused(step: Int) throws {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        let (p, written) = try Self.stoppedRun(folder)
        var c = written
        c.step = step
        try c.write(to: p.checkpointURL(.classifier))
        try Self.expectRefused(p, "step \(step) is outside the stage's 0…4")
    }

    @Test func historyThatDisagreesWithTheStepIsRefused() throws {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        let (p, written) = try Self.stoppedRun(folder)
        var c = written
        c.step = 1
        try c.write(to: p.checkpointURL(.classifier))
        try Self.expectRefused(p, "step 1 but the history has 2 records")
    }

    @Test(arguments: ["one more element", "another rank", "empty", "no such parameter"])
    func wrongMomentumIsRefused(kind: String) throws {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        let (p, written) = try Self.stoppedRun(folder)
        var c = written
        let name = c.momentum.keys.sorted().first!
        let v = c.momentum[name]!
        switch kind {
        case "one more element": c.momentum[name] = Tensor(shape: [v.count + 1], scalars: v.scalars + [0])
        case "another rank": c.momentum[name] = v.reshaped([1] + v.shape)
        case "empty": c.momentum[name] = Tensor(shape: [0], scalars: [])
        default: c.momentum["nowhere.weight"] = v
        }
        try c.write(to: p.checkpointURL(.classifier))
        try Self.expectRefused(p, kind == "no such parameter" ? "momentum/nowhere.weight has no parameter" : "momentum/\(name) has shape")
    }

    @Test(arguments: ["missing", "misshapen", "extra"])
    func parametersTheNetDoesNotNeedAreRefused(kind: String) throws {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        let (p, written) = try Self.stoppedRun(folder)
        var c = written
        // A parameter without momentum, so that only the parameter check can catch it.
        let name = c.parameters.keys.sorted().first { c.momentum[$0] == nil } ?? c.parameters.keys.sorted().first!
        c.momentum[name] = nil
        let w = c.parameters[name]!
        switch kind {
        case "missing": c.parameters[name] = nil
        case "misshapen": c.parameters[name] = Tensor(shape: [w.count, 1], scalars: w.scalars)
        default: c.parameters["fc9.weight"] = w
        }
        try c.write(to: p.checkpointURL(.classifier))
        let expected = switch kind {
        case "missing": "parameter '\(name)' is missing"
        case "misshapen": "parameter '\(name)' has shape [\(w.count), 1], the classifier net needs \(w.shape)"
        default: "parameter 'fc9.weight' is not one of the classifier net's"
        }
        try Self.expectRefused(p, expected)
    }

    /// Flips the lowest mantissa bit of several floats of the data (finite values stay finite,
    /// so only the checksum can tell).
    @Test(arguments: [0, 1, 17, -1])
    func flippedWeightBytesAreRefused(float: Int) throws {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        let (p, _) = try Self.stoppedRun(folder)
        let url = p.checkpointURL(.classifier)
        var bytes = [UInt8](try Data(contentsOf: url))
        let headerLength = bytes[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let dataStart = 8 + headerLength, floats = (bytes.count - dataStart) / 4
        let index = float >= 0 ? float : floats - 1
        bytes[dataStart + 4 * index] ^= 1
        try Data(bytes).write(to: url)
        try Self.expectRefused(p, "checksum")
    }

    /// Metadata changed without the checksum (a hand edit of the header): refused by the checksum.
    @Test(arguments: [("step", "1"), ("step", "-1"), ("steps", "3"), ("history", "[]")])
    func metadataEditedAfterWritingIsRefused(key: String, value: String) throws {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        let (p, _) = try Self.stoppedRun(folder)
        let url = p.checkpointURL(.classifier)
        let file = try SafetensorsFile(contentsOf: url)
        var metadata = file.metadata
        metadata[key] = value
        let tensors = try file.tensorNames.map { ($0, try file.tensor(named: $0)) }
        try Safetensors.write(tensors, metadata: metadata, to: url)
        try Self.expectRefused(p, "checksum is crc32:")
    }

    /// A checkpoint written before checkpoints carried a checksum is refused (and says why).
    @Test func checkpointWithoutChecksumIsRefused() throws {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        let (p, _) = try Self.stoppedRun(folder)
        let url = p.checkpointURL(.classifier)
        let file = try SafetensorsFile(contentsOf: url)
        var metadata = file.metadata
        metadata["checksum"] = nil
        try Safetensors.write(try file.tensorNames.map { ($0, try file.tensor(named: $0)) }, metadata: metadata, to: url)
        try Self.expectRefused(p, "it has no checksum")
    }

    /// The checksum is CRC-32 as zlib computes it.
    @Test func crc32CheckValue() {
        var crc = CRC32()
        crc.update(Array("123456789".utf8))
        #expect(crc.value == 0xCBF4_3926)
        #expect(CRC32().value == 0)
    }

    /// `fcn train --resume` on a damaged checkpoint: non-zero exit, the file named, nothing written.
    @Test(arguments: ["flipped byte", "negative step"])
    func commandLineRefusesADamagedCheckpoint(kind: String) throws {
        guard let fcn = builtExecutable("fcn") else {
            Issue.record("the fcn binary was not built next to the tests; run `swift build --build-tests` first")
            return
        }
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        let arguments = ["train", "--stage", "classifier", "--tiny", "--steps", "3", "--checkpoint-every", "1", "--seed", "5",
                         "--out", folder.url.path]
        #expect(try runToCompletion(fcn, arguments).status == 0)
        let weights = folder.file("classifier.safetensors"), checkpoint = folder.file("classifier.checkpoint.safetensors")
        try FileManager.default.removeItem(at: weights)     // as if killed between the checkpoint and the weights
        if kind == "flipped byte" {
            var bytes = [UInt8](try Data(contentsOf: checkpoint))
            bytes[bytes.count - 3] ^= 0x01
            try Data(bytes).write(to: checkpoint)
        } else {
            var c = try Checkpoint(contentsOf: checkpoint)
            c.step = -1
            try c.write(to: checkpoint)
        }
        let before = try Data(contentsOf: checkpoint)
        let run = try runToCompletion(fcn, arguments + ["--resume"])
        #expect(run.status != 0)
        #expect(run.stderr.contains(checkpoint.path), "stderr: \(run.stderr)")
        #expect(run.stderr.contains(kind == "flipped byte" ? "checksum" : "step -1 is outside"), "stderr: \(run.stderr)")
        #expect(try Data(contentsOf: checkpoint) == before)
        #expect(!FileManager.default.fileExists(atPath: weights.path))
    }
}

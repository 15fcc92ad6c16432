// ValidationDuringTrainingTests.swift — `fcn train --validate-every N`: validation scores every
// N steps, the best weights kept, and the training itself unchanged to the bit (the shipped
// models are reproduced by scripts/train-embedded-models, which does not validate). Tiny model,
// 16×16 scenes, a few steps.
import FCNTraining
import Foundation
import Testing
@testable import FCN

@Suite struct ValidationDuringTrainingTests {
    static func pipeline(_ folder: ScratchFolder, validateEvery: Int) -> TrainingPipeline {
        var p = TrainingTests.tinyPipeline(folder, steps: 5)
        p.validateEvery = validateEvery
        p.validationCount = 3
        return p
    }

    @Test func validationDoesNotChangeTheTraining() throws {
        let plain = ScratchFolder(), watched = ScratchFolder()
        defer { plain.cleanUp(); watched.cleanUp() }
        let a = Self.pipeline(plain, validateEvery: 0), b = Self.pipeline(watched, validateEvery: 2)
        for stage in [TrainingStage.classifier, .fcn32s] {
            #expect(try a.run(stage, resume: false, shouldStop: { false }) == .finished)
            #expect(try b.run(stage, resume: false, shouldStop: { false }) == .finished)
            #expect(try Data(contentsOf: a.weightsURL(stage)) == Data(contentsOf: b.weightsURL(stage)), "\(stage.rawValue)")
            #expect(try Data(contentsOf: a.historyURL(stage)) == Data(contentsOf: b.historyURL(stage)), "\(stage.rawValue)")
            #expect(try Data(contentsOf: a.checkpointURL(stage)) == Data(contentsOf: b.checkpointURL(stage)), "\(stage.rawValue)")
        }
        // No validation files without the option; the classifier (no segmentation) never validates.
        #expect(!plain.contents.contains { $0.contains("validation") || $0.contains("best") })
        #expect(!FileManager.default.fileExists(atPath: b.validationURL(.classifier).path))

        // Steps 2, 4 and the last, 5; the best one's weights saved with the stage's spec.
        let records = try ValidationRecord.read(from: b.validationURL(.fcn32s))
        #expect(records.map(\.step) == [2, 4, 5])
        #expect(records.allSatisfy { (0...1).contains($0.pixelAccuracy) })
        let best = try SafetensorsFile(contentsOf: b.bestWeightsURL(.fcn32s))
        let finalWeights = try SafetensorsFile(contentsOf: b.weightsURL(.fcn32s))
        #expect(best.metadata[ModelSpec.metadataKey] == finalWeights.metadata[ModelSpec.metadataKey])
        let bestStep = try #require(best.metadata["best_step"].flatMap(Int.init))
        let top = records.filter { !$0.meanIU.isNaN }.max { $0.meanIU < $1.meanIU }
        #expect(bestStep == top?.step)
        // It loads as any weights file does.
        #expect(try LoadedModel.load(from: b.bestWeightsURL(.fcn32s)).spec == (try LoadedModel.load(from: b.weightsURL(.fcn32s))).spec)
    }

    @Test func resumeKeepsTheScoresUpToTheCheckpoint() throws {
        let straight = ScratchFolder(), resumed = ScratchFolder()
        defer { straight.cleanUp(); resumed.cleanUp() }
        let a = Self.pipeline(straight, validateEvery: 2), b = Self.pipeline(resumed, validateEvery: 2)
        for p in [a, b] { #expect(try p.run(.classifier, resume: false, shouldStop: { false }) == .finished) }
        #expect(try a.run(.fcn32s, resume: false, shouldStop: { false }) == .finished)
        var polls = 0
        #expect(try b.run(.fcn32s, resume: false, shouldStop: { polls += 1; return polls > 3 }) == .interrupted(step: 3))
        #expect(try ValidationRecord.read(from: b.validationURL(.fcn32s)).map(\.step) == [2])
        #expect(try b.run(.fcn32s, resume: true, shouldStop: { false }) == .finished)
        #expect(try Data(contentsOf: a.validationURL(.fcn32s)) == Data(contentsOf: b.validationURL(.fcn32s)))
        #expect(try Data(contentsOf: a.bestWeightsURL(.fcn32s)) == Data(contentsOf: b.bestWeightsURL(.fcn32s)))
    }

    @Test func validationFilesRoundTripAndBadLinesAreNamed() throws {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        let records = [ValidationRecord(step: 10, pixelAccuracy: 0.5, meanAccuracy: 0.25, meanIU: 0.125, frequencyWeightedIU: 0.375),
                       ValidationRecord(step: 20, pixelAccuracy: 0.75, meanAccuracy: .nan, meanIU: 0.5, frequencyWeightedIU: 0.625)]
        let url = folder.write(Array(ValidationRecord.csv(records).utf8), to: "s.validation.csv")
        let back = try ValidationRecord.read(from: url)
        #expect(back.map(\.step) == [10, 20] && back[1].meanIU == 0.5 && back[1].meanAccuracy.isNaN)
        let bad = folder.write(Array("\(ValidationRecord.header)\n10,0.5,x,0.1,0.2\n".utf8), to: "bad.csv")
        #expect(throws: TrainingFileError.malformed(path: bad.path, line: 2, reason: "'x' is not a number")) { try ValidationRecord.read(from: bad) }
    }
}

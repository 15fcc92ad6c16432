// TrainingRunTests.swift — a run folder read back for `fcn figures --run DIR`: finished stages
// from their history files, a stopped stage from its checkpoint, the validation scores, the
// scene size; a folder with no stage is an error naming it.
import FCNTraining
import Foundation
import Testing
@testable import FCN

@Suite struct TrainingRunTests {
    @Test func runFolderReadsHistoriesCheckpointsAndScores() throws {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        let p = ValidationDuringTrainingTests.pipeline(folder, validateEvery: 2)
        #expect(try p.run(.classifier, resume: false, shouldStop: { false }) == .finished)
        var polls = 0
        _ = try p.run(.fcn32s, resume: false, shouldStop: { polls += 1; return polls > 3 })   // stopped: a checkpoint, no history.csv
        let run = try TrainingRun(folder: folder.url)
        #expect(run.stages.map(\.stage) == [.classifier, .fcn32s])
        #expect(run.stages[1].history.map(\.step) == [1, 2, 3])
        #expect(run.stages[1].validation.map(\.step) == [2])
        #expect(run.sceneSize == 16)
        let empty = ScratchFolder()
        defer { empty.cleanUp() }
        #expect(throws: TrainingFileError.self) { try TrainingRun(folder: empty.url) }
    }
}

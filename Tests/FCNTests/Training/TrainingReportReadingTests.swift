// TrainingReportReadingTests.swift — reading back Table 2 (`table2.json`) and training curves
// (`<stage>.history.csv`): round trips through the writers, and clear errors for broken files.
// Fixtures are small files written to a scratch folder.
@testable import FCNTraining
import Foundation
import Testing
@testable import FCN

@Suite struct TrainingReportReadingTests {
    static let report = TrainingReport(seed: 7, sceneSize: 64, validationSeed: SyntheticData.validationSeed, validationCount: 12, rows: [
        TableRow(stage: "fcn32s", name: "FCN-32s", steps: 100, pixelAccuracy: 0.875, meanAccuracy: 0.5, meanIU: 0.375, frequencyWeightedIU: 0.75),
        TableRow(stage: "fcn8s", name: "FCN-8s", steps: 50, pixelAccuracy: 0.9, meanAccuracy: 0.625, meanIU: 0.5, frequencyWeightedIU: 0.8125),
    ])

    @Test func reportRoundTripsThroughItsWriter() throws {
        let folder = ScratchFolder(); defer { folder.cleanUp() }
        try Self.report.write(to: folder.url)
        let read = try TrainingReport.read(from: folder.file("table2.json"))
        #expect(read.rows == Self.report.rows)
        #expect(read.seed == 7 && read.sceneSize == 64 && read.validationCount == 12)
    }

    @Test func reportErrorsNameTheFileAndTheProblem() {
        let folder = ScratchFolder(); defer { folder.cleanUp() }
        let missing = errorMessage { _ = try TrainingReport.read(from: folder.file("table2.json")) }
        #expect(missing?.contains("table2.json: no such file") == true, "\(missing ?? "no error")")

        let garbage = folder.write(Array("{\"seed\": 1,".utf8), to: "broken.json")
        let truncated = errorMessage { _ = try TrainingReport.read(from: garbage) }
        #expect(truncated?.contains("broken.json") == true && truncated?.contains("not a training report") == true, "\(truncated ?? "no error")")

        // A row without its mean IU: the message names the field.
        let noIU = #"{"seed":1,"sceneSize":64,"validationSeed":1,"validationCount":1,"rows":[{"stage":"fcn8s","name":"FCN-8s","steps":1,"pixelAccuracy":1,"meanAccuracy":1,"frequencyWeightedIU":1}]}"#
        let incomplete = errorMessage { _ = try TrainingReport.read(from: folder.write(Array(noIU.utf8), to: "row.json")) }
        #expect(incomplete?.contains("meanIU") == true, "\(incomplete ?? "no error")")
    }

    @Test func historyRoundTripsThroughThePipelineWriter() throws {
        let folder = ScratchFolder(); defer { folder.cleanUp() }
        let records = [TrainingRecord(step: 1, loss: 1.7917594692280547, pixelAccuracy: 0.25),
                       TrainingRecord(step: 2, loss: 8412.230060392338, pixelAccuracy: 0.8885983263598326)]
        let pipeline = TrainingPipeline(folder: folder.url, seed: 1)
        try pipeline.writeHistory(records, to: folder.file("fcn8s.history.csv"))
        #expect(try TrainingRecord.readHistory(from: folder.file("fcn8s.history.csv")) == records)
    }

    @Test func historyAcceptsWindowsLineEndsAndBlankLines() throws {
        let folder = ScratchFolder(); defer { folder.cleanUp() }
        let url = folder.write(Array("step,loss,pixel_accuracy\r\n1,2.5,0.5\r\n\r\n2,1.25,0.75\r\n".utf8), to: "h.csv")
        let records = try TrainingRecord.readHistory(from: url)
        #expect(records == [TrainingRecord(step: 1, loss: 2.5, pixelAccuracy: 0.5), TrainingRecord(step: 2, loss: 1.25, pixelAccuracy: 0.75)])
    }

    @Test(arguments: [
        ("loss,step\n1,2\n", "line 1: expected the header"),
        ("step,loss,pixel_accuracy\n1,2.5\n", "line 2: expected 3 fields"),
        ("step,loss,pixel_accuracy\n1,2.5,0.5\nx,1,0.5\n", "line 3: step 'x' is not an integer"),
        ("step,loss,pixel_accuracy\n1,nan?,0.5\n", "line 2: loss 'nan?' is not a number"),
        ("step,loss,pixel_accuracy\n1,2,half\n", "line 2: pixel_accuracy 'half' is not a number"),
        ("step,loss,pixel_accuracy\n", "no records after the header"),
        ("", "line 1: expected the header"),
    ])
    func malformedHistoriesAreReportedByLine(text: String, expected: String) {
        let folder = ScratchFolder(); defer { folder.cleanUp() }
        let url = folder.write(Array(text.utf8), to: "bad.history.csv")
        let message = errorMessage { _ = try TrainingRecord.readHistory(from: url) }
        #expect(message?.hasPrefix(url.path) == true && message?.contains(expected) == true, "\(message ?? "no error")")
    }

    @Test func missingHistoryIsReported() {
        let folder = ScratchFolder(); defer { folder.cleanUp() }
        let message = errorMessage { _ = try TrainingRecord.readHistory(from: folder.file("fcn16s.history.csv")) }
        #expect(message == "\(folder.file("fcn16s.history.csv").path): no such file")
    }

    @Test func shippedFilesAreReadOrReportedAsMissing() {
        // Either the bundle holds the files and they parse, or the error says where they belong.
        for stage in TrainingStage.allCases {
            do {
                let curve = try EmbeddedModels.history(stage)
                #expect(!curve.isEmpty && curve.allSatisfy { $0.loss.isFinite })
            } catch let error as TrainingFileError {
                #expect(error.description.contains("Resources/Models/\(stage.rawValue).history.csv"), "\(error)")
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
        do {
            let table = try EmbeddedModels.trainingReport()
            #expect(table.rows.allSatisfy { (0...1).contains($0.pixelAccuracy) })
        } catch let error as TrainingFileError {
            #expect(error.description.contains("Resources/Models/table2.json"), "\(error)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}

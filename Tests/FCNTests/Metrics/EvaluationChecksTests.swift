// EvaluationChecksTests.swift — the evaluation refuses what would make its numbers silently
// wrong: ground-truth labels that are neither a class nor void (named by file and pixel), and
// nets whose classes do not fit 8-bit labels (refused with an error, not a trap).
import Foundation
import Testing
@testable import FCN

@Suite struct EvaluationChecksTests {
    @Test func aLabelBeyondTheClassesNamesTheFileAndThePixel() throws {
        var m = ConfusionMatrix(classCount: 7)
        let truth: [UInt8] = [0, 1, 255, 2, 0, 9, 0, 0]         // 4 wide: the 9 is at x 1, y 1
        #expect(throws: LabelMapError.labelOutOfRange(file: "gt/a.png", x: 1, y: 1, label: 9, classCount: 7)) {
            try m.accumulate(checking: truth, prediction: [UInt8](repeating: 0, count: 8), width: 4, source: "gt/a.png")
        }
        #expect(m.countedCount == 0, "nothing is counted from a refused image")
    }

    @Test func voidIsSkippedAndClassesAreCounted() throws {
        var m = ConfusionMatrix(classCount: 3)
        try m.accumulate(checking: [0, 255, 2, 1], prediction: [0, 1, 2, 2], width: 2, source: "a")
        #expect(m.countedCount == 3)
        #expect(m[truth: 1, predicted: 2] == 1)
    }

    @Test func with256ClassesLabel255IsAClass() throws {
        var m = ConfusionMatrix(classCount: 256)
        try m.accumulate(checking: [255], prediction: [255], width: 1, source: "a")
        #expect(m[truth: 255, predicted: 255] == 1)
    }

    @Test func moreThan256ClassesIsAnErrorNotATrap() throws {
        let net = try EmbeddedModels.network(.fcn32s)
        #expect(throws: SegmentationError.tooManyClasses(classes: 300)) {
            _ = try SegmentationEvaluation.evaluate(net, classes: 300, count: 1) { _ in
                LabeledScene(image: RGBImage(width: 1, height: 1, pixels: [0, 0, 0]), labels: [0])
            }
        }
    }
}

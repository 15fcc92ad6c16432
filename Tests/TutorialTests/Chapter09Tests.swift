// Chapter09Tests.swift — boundary distances, output strides, and the exact dilated (OS 16) head.
import FCNTraining
import Testing
import FCN
import FCNCourse
@testable import Chapter09

@Suite struct Chapter09Tests {
    @Test(.enabled(if: Set(EmbeddedModels.available).isSuperset(of: [.fcn32s, .fcn16s, .fcn8s]), "needs the shipped models"))
    func limits() throws {
        var lesson = Lesson(chapter: 9, title: "test", outputFolder: nil, echo: false)
        let setup = Chapter09Setup.quick
        let r = try chapter09(&lesson, setup: setup)
        #expect(r.outputStrides == [32, 16, 8, 16, 8])
        // Rarefaction: the OS 16 net's even cells are FCN-32s's cells, with the same receptive field.
        #expect(r.dilatedExactDifference < 1e-4)
        #expect(r.receptiveFields["dilated, OS 16"] == r.receptiveFields["FCN-32s"])
        let scene = SyntheticData.validationWorld(sceneSize: setup.sceneSize).scene(0)
        #expect(r.countedPixels == scene.labels.filter { Int($0) < ShapeClass.count }.count)
        #expect(r.bandAccuracy.count == 5 && r.bandAccuracy.allSatisfy { $0.allSatisfy { (0...1).contains($0) } })
    }

    @Test func boundaryDistanceCountsSteps() {
        // One row: two regions split by a void pixel, and a second row below.
        let labels: [UInt8] = [0, 0, 255, 1, 1,
                               0, 0, 0, 1, 1]
        #expect(boundaryDistance(labels, width: 5, height: 2) == [2, 1, 0, 1, 2,
                                            3, 2, 1, 2, 3])
    }

    @Test func dilatedHeadsKeepTheCropsIntegral() throws {
        let fcn32 = try VGGMini.standard.fcn(.fcn32s)
        for stride in [16, 8] {
            let d = try dilated(fcn32, outputStride: stride)
            #expect(try outputStride(d) == stride)
            #expect(try d.inferShapes(input: [1, 3, 70, 90]).layerOutputs["score"] == [1, 7, 70, 90])
        }
    }
}

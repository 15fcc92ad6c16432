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
        #expect(r.bandAccuracy.count == 5 && r.bandAccuracy.allSatisfy { $0.count == setup.bands.count + 1 })
    }

    /// The chapter's claim: a finer output stride is more accurate near object boundaries —
    /// FCN-8s beats FCN-32s in the nearest band (≤ 2 px from the void band) by at least 5 points,
    /// and FCN-32s itself is less accurate near boundaries than far from them.
    @Test(.enabled(if: Set(EmbeddedModels.available).isSuperset(of: [.fcn32s, .fcn16s, .fcn8s]), "needs the shipped models"))
    func finerStrideIsBetterNearEdges() throws {
        var lesson = Lesson(chapter: 9, title: "test", outputFolder: nil, echo: false)
        let r = try chapter09(&lesson, setup: Chapter09Setup(validationScenes: 3, sceneSize: 128))
        print("Chapter09 bands: \(zip(r.names, r.bandAccuracy).map { "\($0) \($1)" })")
        let fcn32 = r.bandAccuracy[r.names.firstIndex(of: "FCN-32s")!], fcn8 = r.bandAccuracy[r.names.firstIndex(of: "FCN-8s")!]
        #expect(fcn8[0] > fcn32[0] + 0.05, "near-edge accuracy FCN-8s \(fcn8[0]) vs FCN-32s \(fcn32[0])")
        #expect(fcn32[0] < fcn32.last!, "FCN-32s near \(fcn32[0]) vs far \(fcn32.last!)")
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

// Chapter00Tests.swift — the task and the data: VOC's labels, the class frequencies as counted,
// and the chapter's claim that colour alone does not give the class away while shape does.
import Testing
import FCN
import FCNTraining
import FCNCourse
@testable import Chapter00

@Suite struct Chapter00Tests {
    @Test(.enabled(if: EmbeddedModels.available.contains(.fcn8s), "needs the shipped FCN-8s"))
    func colourDoesNotGiveTheClassAway() throws {
        var lesson = Lesson(chapter: 0, title: "test", outputFolder: nil, echo: false)
        let setup = Chapter00Setup.quick
        let r = try chapter00(&lesson, setup: setup)
        #expect(r.vocClasses.count == 21 && r.vocClasses.first == "background" && r.vocClasses.last == "tvmonitor")
        // The frequencies are the counted pixels' shares, recounted here independently.
        let world = SyntheticData.validationWorld(sceneSize: setup.sceneSize)
        let labels = (0..<setup.validationScenes).flatMap { world.scene($0).labels }
        let counted = labels.filter { $0 != ShapeClass.void }
        for c in ShapeClass.allCases {
            let share = Double(counted.filter { Int($0) == c.rawValue }.count) / Double(counted.count)
            #expect(abs(r.classFrequencies[c.rawValue] - share) < 1e-12)
        }
        #expect(r.classFrequencies[0] == r.classFrequencies.max(), "background is the most frequent class")
        #expect(r.voidFraction > 0, "every object boundary has a void band")
        // The claim: asked "which shape?" on object pixels, colour does no better than always
        // answering the most frequent shape (+ 10 points), and the shipped FCN-8s, which sees
        // shape, beats colour there by at least 10 points.
        #expect(r.shapesByColour.objectAccuracy < r.majorityShapeShare + 0.10,
                "colour \(r.shapesByColour.objectAccuracy) vs majority \(r.majorityShapeShare)")
        #expect(r.fcn8s.objectAccuracy > r.shapesByColour.objectAccuracy + 0.10,
                "FCN-8s \(r.fcn8s.objectAccuracy) vs colour \(r.shapesByColour.objectAccuracy)")
        #expect(r.fcn8s.meanAccuracy > r.colourOnly.meanAccuracy + 0.2)
        print("Chapter00: colour→shape \(r.shapesByColour.objectAccuracy), majority \(r.majorityShapeShare), FCN-8s \(r.fcn8s.objectAccuracy)")
    }

    /// The colour classifier answers each bin's majority class: on its own training scene it is
    /// at least as accurate as always answering background.
    @Test func colourClassifierFitsItsBins() {
        let scene = SceneGenerator(seed: 3, width: 48, height: 48).scene(0)
        let classifier = ColourOnlyClassifier(fittedOn: [scene])
        let fitted = classifier.accuracies(on: [scene])
        let background = PixelAccuracies([(scene, [UInt8](repeating: 0, count: scene.labels.count))])
        #expect(fitted.pixelAccuracy >= background.pixelAccuracy)
        #expect(background.objectAccuracy == 0)
    }
}

// QuickStartTests.swift — the README's and the DocC landing page's library quick start, as
// printed there (with the shipped model and scratch files in place of fcn8s.safetensors and
// cat.jpg), so that the five lines a newcomer copies compile and run.
import Foundation
import Testing
import FCN
import FCNTraining

@Suite struct QuickStartTests {
    @Test func theFiveLinesRun() throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "fcn-quickstart-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let scene = SyntheticData.validationWorld(sceneSize: 48).scene(0)
        try scene.image.write(to: folder.appending(path: "cat.jpg.png"))
        try FileManager.default.copyItem(at: EmbeddedModels.url(.fcn8s)!, to: folder.appending(path: "fcn8s.safetensors"))

        let model = try LoadedModel.load(from: folder.appending(path: "fcn8s.safetensors"))
        let photo = try RGBImage.decode(contentsOf: folder.appending(path: "cat.jpg.png"))
        let result = try Segmentation.segment(photo, with: model.network)
        try result.labels.write(to: folder.appending(path: "labels.png"))
        try result.overlay(alpha: 0.5, leavingBackground: true).write(to: folder.appending(path: "overlay.png"))

        #expect(result.scores.shape == [1, 7, 48, 48])
        #expect(model.spec.classNames[Int(result.labels.label(x: 0, y: 0))] == "background")
        #expect(try LabelMap.read(contentsOf: folder.appending(path: "labels.png"), classCount: 7) == result.labels)
        // Background pixels are the photograph in the overlay.
        let overlay = try RGBImage.decode(contentsOf: folder.appending(path: "overlay.png"))
        let p = result.labels.labels.firstIndex(of: 0)!
        #expect(Array(overlay.pixels[3 * p..<3 * p + 3]) == Array(photo.pixels[3 * p..<3 * p + 3]))
    }
}

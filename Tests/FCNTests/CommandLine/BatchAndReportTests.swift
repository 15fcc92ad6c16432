// BatchAndReportTests.swift — `fcn segment --out-dir` (many images, one model load, a failed
// image reported while the others are written) and `fcn evaluate`'s reports (the per-class
// table, --json, --confusion, --show-dir), run through the real executable on small inputs.
import FCNTraining
import Foundation
import Testing
@testable import FCN

@Suite(.serialized) struct BatchAndReportTests {
    /// A scratch folder with a VOC-layout set of three 32×32 synthetic scenes, a text file among
    /// the images and a broken PNG.
    static func scratch() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appending(path: "fcn-batch-\(UUID().uuidString)")
        let world = SyntheticData.validationWorld(sceneSize: 32)
        try VOCDataset.write((0..<3).map { (id: String(format: "%06d", $0), scene: world.scene($0)) }, split: "val",
                             to: folder.appending(path: "voc"))
        try Data("notes".utf8).write(to: folder.appending(path: "voc/PNGImages/README.txt"))
        try Data("not a png".utf8).write(to: folder.appending(path: "broken.png"))
        return folder
    }

    @Test func segmentsAFolderAndGoesOnAfterAFailure() throws {
        guard let fcn = builtExecutable("fcn") else { Issue.record("fcn not built"); return }
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try HelpExamplesTests.run(fcn, ["segment", "--input", "voc/PNGImages", "--input", "broken.png",
                                                     "--out-dir", "out", "--write", "labels,overlay,logits"], in: folder)
        #expect(result.status == 1, "one image failed: \(result.stderr)")
        #expect(result.stderr.contains("skipping") && result.stderr.contains("README.txt: not a PNG or JPEG"))
        #expect(result.stderr.contains("broken.png"))
        #expect(result.stderr.contains("3 of 4 image(s) segmented"))
        for stem in ["000000", "000001", "000002"] {
            for suffix in [".labels.png", ".overlay.png", ".logits.npy"] {
                #expect(FileManager.default.fileExists(atPath: folder.appending(path: "out/\(stem)\(suffix)").path), "\(stem)\(suffix)")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appending(path: "out/broken.labels.png").path))
        // The batch labels are the single-image labels.
        let single = try HelpExamplesTests.run(fcn, ["segment", "--input", "voc/PNGImages/000001.png", "--labels", "one.png"], in: folder)
        #expect(single.status == 0, "\(single.stderr)")
        #expect(try Data(contentsOf: folder.appending(path: "one.png")) == Data(contentsOf: folder.appending(path: "out/000001.labels.png")))
    }

    @Test func evaluateWritesTheReports() throws {
        guard let fcn = builtExecutable("fcn") else { Issue.record("fcn not built"); return }
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try HelpExamplesTests.run(fcn, ["evaluate", "--stage", "fcn8s", "--voc", "voc", "--json", "s.json",
                                                     "--confusion", "c.png", "--show-dir", "shown"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("background") && result.stdout.contains("IU (%)"), "\(result.stdout)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appending(path: "s.json"))) as? [String: Any]
        for key in ["pixelAccuracy", "meanAccuracy", "meanIU", "frequencyWeightedIU", "classes"] {
            #expect(json?[key] != nil, "\(key) missing from the JSON")
        }
        #expect((json?["classes"] as? [[String: Any]])?.count == 7)
        #expect(try RGBImage.decode(contentsOf: folder.appending(path: "c.png")).width > 100)
        let panel = try RGBImage.decode(contentsOf: folder.appending(path: "shown/000000.png"))
        #expect(panel.width == 3 * 32 + 2 * 4 && panel.height == 32)
    }

    @Test func evaluateRefusesALabelBeyondTheClasses() throws {
        guard let fcn = builtExecutable("fcn") else { Issue.record("fcn not built"); return }
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let labels = folder.appending(path: "voc/SegmentationClass/000001.png")
        var map = LabelMap(try IndexedImage.decode(contentsOf: labels))
        map.labels[2 * map.width + 5] = 9                                   // x 5, y 2; the model has 7 classes
        try map.write(to: labels)
        let result = try HelpExamplesTests.run(fcn, ["evaluate", "--stage", "fcn8s", "--voc", "voc"], in: folder)
        #expect(result.status == 1)
        #expect(result.stderr.contains("000001.png: pixel (x 5, y 2) has label 9"), "\(result.stderr)")
    }
}

// DocCImageTests.swift — no image of the DocC catalog is stale (issue #14): each is what its
// FigureCatalog figure draws now. Regenerate with `bash scripts/docc-images`.
//
// The figures are drawn by the real `fcn figures` in a process of its own, as the script draws
// them: drawn inside the test process, beside other suites rendering text with Cairo at the same
// time, 1–4 % of the text pixels came out differently in some full-suite runs (Cairo 1.16's
// shared glyph caches), while every image was byte-identical when drawn alone.
import Foundation
import Testing
import FCNCourse

@Suite struct DocCImageTests {
    static let resources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Sources/FCN/FCN.docc/Resources").standardized

    @Test func everyDocCImageIsWhatTheCodeDrawsNow() throws {
        let images = try FileManager.default.contentsOfDirectory(atPath: Self.resources.path).filter { $0.hasSuffix(".png") }.sorted()
        #expect(images.count >= 10)
        let fcn = try #require(builtChapter("fcn"), "the fcn executable is not built")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("docc-images-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let names = images.map { String($0.dropLast(4)) }
        let run = try runChapterBinary(fcn, ["figures", "--format", "png", "--scale", "2", "--out", folder.path, "--only"] + names)
        #expect(run.status == 0, "fcn figures failed: \(run.stderr)")
        for image in images {
            let drawn = try? Data(contentsOf: folder.appendingPathComponent(image))
            let shipped = try Data(contentsOf: Self.resources.appendingPathComponent(image))
            if drawn != shipped {
                Issue.record("Sources/FCN/FCN.docc/Resources/\(image) is stale: it differs from what `fcn figures` draws now — run bash scripts/docc-images")
            }
        }
    }
}

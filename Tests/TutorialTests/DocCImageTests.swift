// DocCImageTests.swift — no image of the DocC catalog is stale (issue #14): each is what its
// FigureCatalog figure draws now. Regenerate with `bash scripts/docc-images`.
import Foundation
import Testing
import FCNCourse

@Suite struct DocCImageTests {
    static let resources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Sources/FCN/FCN.docc/Resources").standardized

    @Test func everyDocCImageIsWhatTheCodeDrawsNow() throws {
        let images = try FileManager.default.contentsOfDirectory(atPath: Self.resources.path).filter { $0.hasSuffix(".png") }
        #expect(images.count >= 10)
        for (image, problem) in try DocCFigures.stale(in: Self.resources) {
            Issue.record("Sources/FCN/FCN.docc/Resources/\(image) is stale: \(problem) — run bash scripts/docc-images")
        }
    }
}

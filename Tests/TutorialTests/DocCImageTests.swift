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
        let images = try FileManager.default.contentsOfDirectory(atPath: Self.resources.path)
            .filter { $0.hasSuffix(".png") && Self.chapterOf($0) == nil }.sorted()
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

    /// `ChapterNN-name.png` → "ChapterNN" (a chapter's own figure, copied by DocCArticle.copyFigures), else nil.
    static func chapterOf(_ image: String) -> String? {
        image.range(of: #"^Chapter[0-9][0-9]-"#, options: .regularExpression).map { String(image[$0].dropLast()) }
    }

    /// The chapters' own figures in the catalog are what each chapter draws now: every chapter
    /// with such images is run as `scripts/docc-chapters` runs it (the debug build, default
    /// options) and its PNGs are compared byte for byte; an image the chapter no longer draws is
    /// stale too. Regenerate with `bash scripts/docc-chapters`.
    @Test func everyChapterImageIsWhatTheChapterDrawsNow() throws {
        let images = try FileManager.default.contentsOfDirectory(atPath: Self.resources.path).filter { $0.hasSuffix(".png") }.sorted()
        let byChapter = Dictionary(grouping: images.filter { Self.chapterOf($0) != nil }) { Self.chapterOf($0)! }
        #expect(byChapter.values.map(\.count).reduce(0, +) >= 15, "the chapter articles show fewer figures than they draw")
        for (chapter, files) in byChapter.sorted(by: { $0.key < $1.key }) {
            let binary = try #require(builtChapter(chapter), "\(chapter) is not built")
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("docc-chapter-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let run = try runChapterBinary(binary, ["--out", folder.path])
            #expect(run.status == 0, "\(chapter) failed: \(run.stderr)")
            for file in files {
                let name = String(file.dropFirst(chapter.count + 1))
                let drawn = try? Data(contentsOf: folder.appendingPathComponent(chapter).appendingPathComponent(name))
                if drawn != (try Data(contentsOf: Self.resources.appendingPathComponent(file))) {
                    Issue.record("Sources/FCN/FCN.docc/Resources/\(file) is stale: \(drawn == nil ? "\(chapter) no longer draws \(name)" : "it differs from what \(chapter) draws now") — run bash scripts/docc-chapters \(chapter.dropFirst(7))")
                }
            }
        }
    }
}

// NotebookPageTests.swift — a chapter's notebook page shows the chapter's compiled source as
// code cells, the numbers the run printed under the cell that printed them, and its figures
// (issue #14). Chapter 3 is the chapter run end to end: cheap (shape inference) and with cells.
import Foundation
import Testing
import FCNCourse
@testable import Chapter03

@Suite struct NotebookPageTests {
    static let tutorials = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Tutorials").standardized

    /// The lines between `// cell: name` and `// end cell` in `file`, read here without the library.
    func region(_ name: String, in file: URL) throws -> [String] {
        let lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
        let start = try #require(lines.firstIndex { $0.trimmingCharacters(in: .whitespaces) == "// cell: \(name)" })
        let end = try #require(lines[(start + 1)...].firstIndex { $0.trimmingCharacters(in: .whitespaces) == "// end cell" })
        return Array(lines[(start + 1)..<end])
    }

    func scratch() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("notebook-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func chapter03PageShowsItsSourceItsOutputAndItsFigures() throws {
        let out = try scratch()
        defer { try? FileManager.default.removeItem(at: out) }
        var lesson = Lesson(chapter: 3, title: "Receptive fields", outputFolder: out, echo: false)
        let result = try chapter03(&lesson)
        let page = try #require(try CoursePages.write(lesson, tutorials: Self.tutorials))
        #expect(page.path == out.appendingPathComponent("Chapter03/index.html").path)
        let html = try String(contentsOf: page, encoding: .utf8)

        // The cell on the page is the region of the source file, verbatim.
        let source = Self.tutorials.appendingPathComponent("03-ReceptiveFields/Chapter03.swift")
        let table1 = try region("Table 1", in: source)
        #expect(table1.contains { $0.contains("ArchitectureAnalysis") })
        let code = "<pre class=\"code\"><code>" + NotebookPage.escape(table1.joined(separator: "\n")) + "</code></pre>"
        let codeRange = try #require(html.range(of: code), "the Table 1 cell is not the source region")

        // The output right under it is what the run printed: Table 1's receptive fields.
        let after = html[codeRange.upperBound...]
        let output = try #require(after.range(of: "<pre class=\"out\">").flatMap { o in after.range(of: "</pre>", range: o.upperBound..<after.endIndex).map { after[o.upperBound..<$0.lowerBound] } })
        #expect(output.contains("rf size") && output.contains("\(result.vggField)") && output.contains("\(result.alexField)"))
        #expect(!html[..<codeRange.lowerBound].contains("rf size"), "Table 1's output appears before its cell")

        // Every cell marked in the source is on the page.
        let markers = try String(contentsOf: source, encoding: .utf8).components(separatedBy: "\n")
            .filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("// cell:") }
        #expect(markers.count >= 5)
        #expect(html.components(separatedBy: "<pre class=\"code\">").count - 1 == markers.count)

        // Figures inline, and the files they name exist beside the page.
        let images = html.components(separatedBy: "<img src=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        #expect(images.count == 3)
        for image in images {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("Chapter03/\(image)").path), "\(image) is missing")
        }
        // Previous/next from the Tutorials folder, the index and the glossary beside it.
        #expect(html.contains("href=\"../Chapter02/index.html\"") && html.contains("href=\"../Chapter04/index.html\""))
        let index = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(index.contains("href=\"Chapter03/index.html\"") && index.contains("Receptive fields"))
        #expect(index.contains("href=\"glossary.html\""))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("glossary.html").path))
        // Exercises with collapsed worked answers.
        #expect(html.components(separatedBy: "<details>").count - 1 == 3)
    }

    @Test func docCArticleComesFromTheSameRun() throws {
        let catalog = try scratch()
        defer { try? FileManager.default.removeItem(at: catalog) }
        try FileManager.default.createDirectory(at: catalog.appendingPathComponent("Resources"), withIntermediateDirectories: true)
        for name in ["Chapter02-Before.md", "Chapter04-After.md", "Resources/crop-offsets.png"] {
            FileManager.default.createFile(atPath: catalog.appendingPathComponent(name).path, contents: Data())
        }
        let out = try scratch()
        defer { try? FileManager.default.removeItem(at: out) }
        var lesson = Lesson(chapter: 3, title: "Receptive fields", outputFolder: out, echo: false)
        let result = try chapter03(&lesson)
        let article = DocCArticle.markdown(lesson, catalog: catalog, command: "Chapter03")
        let source = Self.tutorials.appendingPathComponent("03-ReceptiveFields/Chapter03.swift")
        let region = try region("Table 1", in: source).map { String($0.dropFirst(4)) }        // the function body's indent
        let listing = try #require(article.range(of: "```swift\n" + region.joined(separator: "\n") + "\n```\n\n```\n"))
        #expect(article[listing.upperBound...].prefix(400).contains("rf size              \(result.alexField)"))
        #expect(article.contains("![crop-offsets](crop-offsets.png)"), "a catalog image is shown")
        #expect(article.contains("The run draws `receptive-fields.png` here"), "an image the catalog lacks is not linked")
        #expect(article.contains("Previous: <doc:Chapter02-Before> · Next: <doc:Chapter04-After>"))
        #expect(article.contains("### Worked answers") && article.hasPrefix("# Chapter 3 — Receptive fields\n"))
    }

    @Test func answersOnTheTerminalOnlyWhenAsked() throws {
        var quiet = Lesson(chapter: 3, title: "t", outputFolder: nil, echo: false)
        _ = try chapter03(&quiet)
        var asked = Lesson(chapter: 3, title: "t", outputFolder: nil, echo: false)
        asked.showsAnswers = true
        let s = try chapter03(&asked).smallestUnpaddedInput
        #expect(!quiet.transcript.contains { $0.contains("Answer:") })
        #expect(asked.transcript.filter { $0.contains("Answer:") }.count == 3)
        // The second exercise's answer follows the sizes the run computed.
        let second = try #require(asked.transcript.first { $0.contains("Answer: fc6 is a 7×7 window") })
        #expect(second.contains("\(s - 1) reaches pool5 at 6×6, \(s) at 7×7"), "\(second)")
    }

    @Test func aMissingSourceFileIsSaidNotFatal() {
        var lesson = Lesson(chapter: 1, title: "t", outputFolder: nil, echo: false)
        lesson.say("  answer = 42")
        let html = NotebookPage.html(lesson, neighbours: .init(previous: nil, next: nil), cells: { _ in nil })
        #expect(html.contains("is not on this machine"))
        #expect(html.contains("answer = 42"))
    }

    @Test func everythingIsEscaped() {
        var lesson = Lesson(chapter: 1, title: "<T & 'q'>", outputFolder: nil, echo: false)
        lesson.say("<script>alert(1)</script> & \"x\"")
        let html = NotebookPage.html(lesson, neighbours: .init(previous: nil, next: nil), cells: { _ in [] })
        #expect(!html.contains("<script>") && html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;"))
        #expect(html.contains("<title>Chapter 1 — &lt;T &amp; &#39;q&#39;&gt;</title>"))
    }

    @Test func cellsParseWithTheirLineNumbers() {
        let text = "a\n// cell: one\nb\nc\n  // end cell\nd\n    // cell: two\ne"
        let cells = CodeCells.parse(text, file: "f.swift")
        #expect(cells.map(\.name) == ["one", "two"])
        #expect(cells[0].code == ["b", "c"] && cells[0].lines == 3...4)
        #expect(cells[1].code == ["e"] && cells[1].lines == 8...8)
        #expect(cells[0].contains(SourceLocation(file: "f.swift", line: 4)) && !cells[0].contains(SourceLocation(file: "f.swift", line: 5)))
    }
}

@Suite struct LessonWalkTests {
    /// The page and the article are two renderings of one walk: the same code cells, in the same
    /// order, each followed by the same printed lines.
    @Test func pageAndArticleShowTheSameCellsInTheSameOrder() throws {
        var lesson = Lesson(chapter: 3, title: "Receptive fields", outputFolder: nil, echo: false)
        _ = try chapter03(&lesson)
        let blocks = LessonWalk.blocks(lesson)
        let cells = blocks.compactMap { if case let .code(c) = $0 { c.name } else { nil } }
        #expect(cells.count >= 5 && Set(cells).count == cells.count, "\(cells)")
        let html = NotebookPage.html(lesson, neighbours: .init(previous: nil, next: nil))
        let article = DocCArticle.markdown(lesson, catalog: FileManager.default.temporaryDirectory, command: "Chapter03")
        let pageNames = html.components(separatedBy: "<div class=\"cell-name\">").dropFirst().map { String($0.prefix { $0 != " " }) }
        #expect(pageNames == cells.map { String($0.prefix { $0 != " " }) })
        #expect(article.components(separatedBy: "```swift\n").count - 1 == cells.count)
        // Every output block of the walk is on both, verbatim.
        for case let .output(lines) in blocks {
            #expect(html.contains(NotebookPage.escape(lines.joined(separator: "\n"))))
            #expect(article.contains("```\n" + lines.joined(separator: "\n") + "\n```"))
        }
    }

    @Test func aFormulaIsMathMLOnThePageAndTextInTheArticle() throws {
        var lesson = Lesson(chapter: 4, title: "t", outputFolder: nil, echo: false)
        lesson.formula("out = s·(n − 1) + k")
        let html = NotebookPage.html(lesson, neighbours: .init(previous: nil, next: nil), cells: { _ in [] })
        #expect(html.contains("<math display=\"block\"><mrow><mi>out</mi><mo>=</mo><mi>s</mi><mo>·</mo><mo>(</mo><mi>n</mi><mo>−</mo><mn>1</mn><mo>)</mo><mo>+</mo><mi>k</mi></mrow></math>"))
        let article = DocCArticle.markdown(lesson, catalog: FileManager.default.temporaryDirectory, command: "t", cells: { _ in [] })
        #expect(article.contains("```\nout = s·(n − 1) + k\n```"))
        #expect(lesson.transcript.contains("      out = s·(n − 1) + k"))
    }

    @Test func mathTextSetsSubscriptsPowersAndSums() {
        #expect(MathText.mathML("x_ij^2") == "<math display=\"block\"><mrow><msup><msub><mi>x</mi><mi>ij</mi></msub><mn>2</mn></msup></mrow></math>")
        #expect(MathText.mathML("Σ_i n_ii").contains("<msub><mo>Σ</mo><mi>i</mi></msub><msub><mi>n</mi><mi>ii</mi></msub>"))
        #expect(MathText.mathML("mean IU = a,  b = c").contains("<mi>mean</mi><mspace width=\"0.3em\"/><mi>IU</mi><mo>=</mo><mi>a</mi><mo>,</mo><mspace width=\"2em\"/><mi>b</mi>"))
        #expect(MathText.mathML("ℓ'(a<b)").contains("<msup><mi>ℓ</mi><mo>′</mo></msup><mo>(</mo><mi>a</mi><mo>&lt;</mo>"))
    }

    /// Long printed lines wrap on the page instead of running off its right edge.
    @Test func longOutputLinesWrap() {
        let html = NotebookPage.html(Lesson(chapter: 1, title: "t", outputFolder: nil, echo: false), neighbours: .init(previous: nil, next: nil))
        #expect(html.contains(".out,.text{white-space:pre-wrap"))
    }
}

@Suite struct InThisCellTests {
    /// A helper in another file that prints for a cell: inside `inThisCell` its lines are the
    /// cell's output, under the cell's code; without it they would be text before the cell.
    @Test func aHelpersLinesAreTheCallingCellsOutput() {
        let chapter = "/t/Tutorials/04-X/Chapter04.swift", helper = "/t/Tutorials/04-X/Helper.swift"
        let cells = CodeCells.parse("a\n// cell: views\nlet v = lesson.inThisCell { helper(&$0) }\n// end cell\nz\n", file: chapter)
        var lesson = Lesson(chapter: 4, title: "t", outputFolder: nil, echo: false)
        lesson.inThisCell(file: chapter, line: 3) { $0.say("  row from the helper", file: helper, line: 10) }
        lesson.say("after", file: chapter, line: 5)
        let blocks = LessonWalk.blocks(lesson) { $0 == chapter ? cells : [] }
        #expect(blocks == [.code(cells[0]), .output(["  row from the helper"]), .paragraph(["after"])], "\(blocks)")
        var plain = Lesson(chapter: 4, title: "t", outputFolder: nil, echo: false)
        plain.say("  row from the helper", file: helper, line: 10)
        #expect(LessonWalk.blocks(plain) { $0 == chapter ? cells : [] }.first == .paragraph(["  row from the helper"]))
    }
}

// DocCArticle.swift — a chapter's run as a DocC article, from the same lesson events as the page.
//
// `scripts/docc-chapters` runs each chapter with `--docc-article FILE` and the article is written
// from what the run said and drew, laid out by `LessonWalk` exactly as the notebook page is: sections as headings, text as paragraphs, each marked code
// cell as a `swift` listing cut from the compiled source with the printed lines under it, every
// figure the run drew — the catalog's own (`name.png`, by `scripts/docc-images`) or the chapter's
// copy (`ChapterNN-name.png`, by `copyFigures`), both kept current by `DocCImageTests` — exercises with
// their worked answers, and previous/next links to the neighbouring chapter articles. The prose is
// the chapter's own, so fixing a chapter's text and regenerating fixes its article.
import FCN
import Foundation

public enum DocCArticle {
    /// The article's Markdown. `catalog` is the `.docc` folder (for the neighbouring articles and
    /// the images in `Resources/`); `command` is how the run was started, printed for provenance.
    public static func markdown(_ lesson: Lesson, catalog: URL, command: String,
                                cells: (String) -> [CodeCell]? = CodeCells.read) -> String {
        var articles = ((try? FileManager.default.contentsOfDirectory(atPath: catalog.path)) ?? [])
            .filter { $0.range(of: #"^Chapter[0-9][0-9]-.*\.md$"#, options: .regularExpression) != nil }.sorted()
        let images = Set(((try? FileManager.default.contentsOfDirectory(atPath: catalog.appendingPathComponent("Resources").path)) ?? []))
        let me = String(format: "Chapter%02d-", lesson.chapter)
        if !articles.contains(where: { $0.hasPrefix(me) }) { articles = (articles + [me]).sorted() }   // a new chapter's first article
        let index = articles.firstIndex { $0.hasPrefix(me) }
        func link(_ i: Int) -> String? { articles.indices.contains(i) ? "<doc:\(articles[i].dropLast(3))>" : nil }

        var out = "# Chapter \(lesson.chapter) — \(text(lesson.title))\n\n"
        out += "This article is generated from a run of the chapter (`\(command)`, by `scripts/docc-chapters`): the text, the code cells from `Tutorials/` as compiled, the printed numbers and the figures are the run's. The notebook page of the same run is `course-output/Chapter\(String(format: "%02d", lesson.chapter))/index.html`.\n\n"
        var answers: [(Int, String)] = []
        for block in LessonWalk.blocks(lesson, cells: cells) {                // LessonWalk.swift: the layout
            switch block {
            case let .section(number, heading):
                out += "## \(number) \(text(heading))\n\n"
            case let .code(cell):
                out += "```swift\n" + dedent(cell.code).joined(separator: "\n") + "\n```\n\n"
            case let .output(lines), let .table(lines):
                out += "```\n" + lines.joined(separator: "\n") + "\n```\n\n"
            case let .paragraph(lines):
                out += lines.map { text($0.trimmingCharacters(in: .whitespaces)) }.joined(separator: " ") + "\n\n"
            case let .figure(name, _):
                let own = chapterImage(lesson.chapter, name)
                out += images.contains("\(name).png") ? "![\(text(name))](\(name).png)\n\n"
                     : images.contains(own) ? "![\(text(name))](\(own))\n\n"
                     : "The run draws `\(name).png` here; see the chapter's notebook page.\n\n"
            case let .formula(formula, _):
                out += "```\n" + formula + "\n```\n\n"
            case let .exercise(number, question, answer):
                out += "\(number). \(text(question))\n"
                answers.append((number, answer))
            case let .missingSource(file):
                out += "The source file `\((file as NSString).lastPathComponent)` was not found, so its code cells are not shown.\n\n"
            }
        }
        if !answers.isEmpty {
            out += "\n### Worked answers\n\n" + answers.map { "\($0.0). \(text($0.1))" }.joined(separator: "\n") + "\n\n"
        }
        let navigation = [index.flatMap { link($0 - 1) }.map { "Previous: \($0)" }, index.flatMap { link($0 + 1) }.map { "Next: \($0)" }]
            .compactMap { $0 }
        if !navigation.isEmpty { out += "## Previous and next\n\n" + navigation.joined(separator: " · ") + "\n" }
        return out
    }

    /// The catalog's copy of a figure a chapter draws itself (not a `FigureCatalog` figure):
    /// `ChapterNN-name.png` in `Resources/`, so that two chapters' figures never share a name.
    public static func chapterImage(_ chapter: Int, _ name: String) -> String {
        String(format: "Chapter%02d-", chapter) + name + ".png"
    }

    /// Copies the PNG of every figure `lesson` drew into `catalog/Resources/` as
    /// ``chapterImage(_:_:)``, except the catalog's own figures (`name.png` already there, drawn by
    /// `scripts/docc-images`). Returns the files written. `DocCImageTests` reruns the chapters and
    /// fails when a copy differs from what the chapter draws now.
    @discardableResult
    public static func copyFigures(_ lesson: Lesson, catalog: URL) throws -> [String] {
        guard let folder = lesson.figureFolder else { return [] }
        let resources = catalog.appendingPathComponent("Resources")
        let present = Set((try? FileManager.default.contentsOfDirectory(atPath: resources.path)) ?? [])
        var written: [String] = []
        for case let .figure(name, files, _) in lesson.events where files.contains("\(name).png") && !present.contains("\(name).png") {
            let data = try Data(contentsOf: folder.appendingPathComponent("\(name).png"))
            try AtomicFile.write(data, to: resources.appendingPathComponent(chapterImage(lesson.chapter, name)))
            written.append(chapterImage(lesson.chapter, name))
        }
        return written
    }

    /// Markdown-safe text: characters that would start emphasis, HTML or a link are escaped.
    static func text(_ s: String) -> String {
        var out = ""
        for c in s {
            if "*_<>[]#\\".contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }

    /// `lines` without the indentation they all share.
    static func dedent(_ lines: [String]) -> [String] {
        let indent = lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            .map { $0.prefix { $0 == " " }.count }.min() ?? 0
        return lines.map { $0.count >= indent ? String($0.dropFirst(indent)) : $0 }
    }
}

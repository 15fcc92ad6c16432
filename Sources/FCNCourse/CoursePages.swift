// CoursePages.swift — writing a chapter's notebook page, the course's table of contents and the
// glossary page into the output folder.
//
// `DIR/ChapterNN/index.html` is the chapter's page (`NotebookPage`), `DIR/index.html` lists every
// chapter page present in DIR, `DIR/glossary.html` the course's Korean ↔ English terms. Chapters
// are discovered, not listed: from the `NN-Name` folders under `Tutorials/` (found from the
// chapter's own `#filePath`) for the previous/next links, from the pages present for the index,
// so a chapter added to `Tutorials/` joins both without an edit here. Every file is written
// atomically, so a reader never opens half a page.
import FCN
import Foundation

public enum CoursePages {
    /// "ChapterNN" for every `NN-Name` folder in `tutorials`, sorted; empty when it is not there.
    public static func chapterNames(tutorials: URL) -> [String] {
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: tutorials.path)) ?? []
        return folders.filter { $0.range(of: #"^[0-9][0-9]-"#, options: .regularExpression) != nil }
            .map { "Chapter" + $0.prefix(2) }.sorted()
    }

    /// Writes `lesson`'s page, then refreshes the index and the glossary; returns the page's URL.
    /// `tutorials` is the `Tutorials/` folder of the sources (nil or missing: links from the pages present).
    @discardableResult
    public static func write(_ lesson: Lesson, tutorials: URL?) throws -> URL? {
        guard let folder = lesson.figureFolder else { return nil }
        let root = folder.deletingLastPathComponent()
        let me = folder.lastPathComponent
        var chapters = tutorials.map { chapterNames(tutorials: $0) } ?? []
        if !chapters.contains(me) { chapters = (pagesPresent(root).map(\.folder) + [me]).sorted() }
        chapters = Array(Set(chapters)).sorted()
        let index = chapters.firstIndex(of: me)!
        let neighbours = NotebookPage.Neighbours(previous: index > 0 ? chapters[index - 1] : nil,
                                                 next: index + 1 < chapters.count ? chapters[index + 1] : nil)
        try AtomicFile.createFolder(folder)
        let page = folder.appendingPathComponent("index.html")
        try AtomicFile.write(Data(NotebookPage.html(lesson, neighbours: neighbours).utf8), to: page)
        try writeIndex(root)
        try AtomicFile.write(Data(glossaryHTML().utf8), to: root.appendingPathComponent("glossary.html"))
        return page
    }

    /// The chapter pages in `root`: folder name and the page's title.
    public static func pagesPresent(_ root: URL) -> [(folder: String, title: String)] {
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return folders.filter { $0.range(of: #"^Chapter[0-9][0-9]$"#, options: .regularExpression) != nil }.sorted()
            .compactMap { folder in
                let page = root.appendingPathComponent(folder).appendingPathComponent("index.html")
                guard let html = try? String(contentsOf: page, encoding: .utf8) else { return nil }
                return (folder, title(of: html) ?? folder)
            }
    }

    /// Rewrites `root/index.html`: the course's table of contents.
    public static func writeIndex(_ root: URL) throws {
        let items = pagesPresent(root).map { "<li><a href=\"\($0.folder)/index.html\">\(NotebookPage.escape($0.title))</a></li>" }
        let html = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>FCN course — contents</title>
        <style>\(NotebookPage.css)</style></head><body>
        <h1>Fully Convolutional Networks for Semantic Segmentation — the course</h1>
        <p>One page per chapter: the paper's idea, the chapter's Swift code as compiled, the numbers the run printed under the code that printed them, and its figures. Long, Shelhamer, Darrell, CVPR 2015 (section numbers are CVPR's unless marked PAMI).</p>
        <ol class="contents">
        \(items.joined(separator: "\n"))
        </ol>
        <p><a href="glossary.html">Glossary (Korean ↔ English)</a></p>
        </body></html>

        """
        try AtomicFile.write(Data(html.utf8), to: root.appendingPathComponent("index.html"))
    }

    /// The glossary page, from `Glossary.entries`.
    public static func glossaryHTML() -> String {
        let e = NotebookPage.escape
        let rows = Glossary.entries.map { g in
            let chapters = g.chapters.map { String(format: "<a href=\"Chapter%02d/index.html\">%d</a>", $0, $0) }.joined(separator: ", ")
            return "<tr><td>\(e(g.korean))</td><td>\(e(g.english))</td><td>\(e(g.meaning))</td><td>\(e(g.paper))</td><td>\(chapters)</td></tr>"
        }
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>FCN course — glossary</title>
        <style>\(NotebookPage.css)</style></head><body>
        <nav><a href="index.html">Contents</a></nav>
        <h1>Glossary</h1>
        <table><tr><th>한국어</th><th>English</th><th>Meaning</th><th>Paper</th><th>Chapters</th></tr>
        \(rows.joined(separator: "\n"))
        </table></body></html>

        """
    }

    static func title(of html: String) -> String? {
        guard let start = html.range(of: "<title>"), let end = html.range(of: "</title>", range: start.upperBound..<html.endIndex) else { return nil }
        return String(html[start.upperBound..<end.lowerBound])
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}

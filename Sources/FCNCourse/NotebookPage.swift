// NotebookPage.swift — a chapter's run as one HTML page: text, code cells, their output, figures.
//
// The page is drawn from the lesson's events (what the run said and drew, with the source line
// that did it) and the chapter's marked code cells (`CodeCells`): a line said from inside a cell
// is that cell's output and sits under its code; a line said outside every cell is the chapter's
// text; a figure appears inline where it was drawn. This is the form of d2l and the Annotated
// Transformer — idea, code, output, plot under one another — with the code the package compiled.
//
// Self-contained and offline: inline CSS, no scripts, no fonts fetched; figures are the PNGs the
// run wrote beside the page, with the SVG/PDF linked; every string is HTML-escaped.
import Foundation

/// The HTML of a chapter's notebook page.
public enum NotebookPage {
    /// Neighbouring pages for the previous/next links (folder names such as "Chapter02").
    public struct Neighbours: Sendable, Equatable {
        public var previous: String?
        public var next: String?
        public init(previous: String?, next: String?) { self.previous = previous; self.next = next }
    }

    /// The page for `lesson`. `cells` maps a source file to its cells (nil: the file is missing).
    public static func html(_ lesson: Lesson, neighbours: Neighbours,
                            cells: (String) -> [CodeCell]? = CodeCells.read) -> String {
        var body = ""
        var fileCells: [String: [CodeCell]?] = [:]
        var shown: Set<String> = []                 // "file#name" of cells already drawn
        var current: CodeCell?
        var prose: [String] = [], output: [String] = []
        var missingNoted: Set<String> = []

        func flush() {
            if !output.isEmpty { body += "<pre class=\"out\">\(escape(output.joined(separator: "\n")))</pre>\n"; output = [] }
            if !prose.isEmpty { body += proseHTML(prose); prose = [] }
        }
        func show(_ cell: CodeCell) {
            body += "<div class=\"cell\"><div class=\"cell-name\">\(escape(cell.name)) — \(escape((cell.file as NSString).lastPathComponent)):\(cell.lines.lowerBound)</div>"
            body += "<pre class=\"code\"><code>\(escape(cell.code.joined(separator: "\n")))</code></pre></div>\n"
            shown.insert(cell.file + "#" + cell.name)
        }
        /// The cell containing `location`; on entering it, first draws the cells before it that printed nothing.
        func enter(_ location: SourceLocation) {
            if fileCells[location.file] == nil { fileCells[location.file] = .some(cells(location.file)) }
            guard let list = fileCells[location.file]! else {
                if !missingNoted.contains(location.file) {
                    flush()
                    body += "<p class=\"missing\">The source file \(escape(location.file)) is not on this machine, so this page cannot show its code cells.</p>\n"
                    missingNoted.insert(location.file)
                }
                current = nil
                return
            }
            let cell = list.first { $0.contains(location) }
            if cell == current { return }
            flush()
            current = cell
            guard let cell else { return }
            if !shown.contains(cell.file + "#" + cell.name) {
                for earlier in list where earlier.lines.lowerBound < cell.lines.lowerBound && !shown.contains(earlier.file + "#" + earlier.name) {
                    show(earlier)
                }
                show(cell)
            }
        }

        var exercisesOpen = false
        for event in lesson.events {
            if case .exercise = event {} else if exercisesOpen { body += "</ol>\n"; exercisesOpen = false }
            switch event {
            case let .section(number, heading):
                flush(); current = nil
                body += "<h2 id=\"s\(escape(number))\">\(escape(number))&nbsp; \(escape(heading))</h2>\n"
            case let .said(text, location):
                enter(location)
                if current != nil { output.append(text) } else { prose.append(text) }
            case let .figure(name, files, location):
                enter(location)
                flush()
                body += figureHTML(name: name, files: files)
            case let .exercise(number, question, answer):
                flush(); current = nil
                if !exercisesOpen { body += "<ol class=\"exercises\">\n"; exercisesOpen = true }
                body += "<li value=\"\(number)\"><p>\(escape(question))</p><details><summary>Worked answer</summary><p>\(escape(answer))</p></details></li>\n"
            }
        }
        flush()
        if exercisesOpen { body += "</ol>\n" }
        let title = "Chapter \(lesson.chapter) — \(lesson.title)"
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>
        <style>\(css)</style></head><body>
        \(navigation(neighbours))
        <h1>\(escape(title))</h1>
        \(body)\(navigation(neighbours))
        </body></html>

        """
    }

    static func navigation(_ n: Neighbours) -> String {
        var links = ["<a href=\"../index.html\">Contents</a>"]
        if let p = n.previous { links.insert("<a rel=\"prev\" href=\"../\(escape(p))/index.html\">← \(escape(p))</a>", at: 0) }
        if let x = n.next { links.append("<a rel=\"next\" href=\"../\(escape(x))/index.html\">\(escape(x)) →</a>") }
        return "<nav>" + links.joined(separator: " · ") + "</nav>"
    }

    /// Text lines said outside a cell: a paragraph, or preformatted when they are a table
    /// (a run of three spaces inside a line) so that columns stay aligned.
    static func proseHTML(_ lines: [String]) -> String {
        var html = ""
        var block: [String] = []
        func end() {
            guard !block.isEmpty else { return }
            let tabular = block.contains { $0.trimmingCharacters(in: .whitespaces).contains("   ") }
            html += tabular ? "<pre class=\"text\">\(escape(block.joined(separator: "\n")))</pre>\n"
                            : "<p>\(escape(block.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")))</p>\n"
            block = []
        }
        for line in lines {
            if line.trimmingCharacters(in: .whitespaces).isEmpty { end() } else { block.append(line) }
        }
        end()
        return html
    }

    static func figureHTML(name: String, files: [String]) -> String {
        let image = files.first { $0.hasSuffix(".png") } ?? files.first { $0.hasSuffix(".svg") }
        var html = "<figure>"
        if let image { html += "<img src=\"\(escape(image))\" alt=\"figure \(escape(name))\">" }
        let others = files.filter { $0 != image }.map { "<a href=\"\($0)\">\(escape(String($0.split(separator: ".").last ?? "")))</a>" }
        html += "<figcaption>\(escape(name))\(others.isEmpty ? "" : " — also as " + others.joined(separator: ", "))</figcaption></figure>\n"
        return html
    }

    /// `s` with `& < > " '` replaced by entities, safe in text and in quoted attributes.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    static let css = """
    body{max-width:60rem;margin:2rem auto;padding:0 1rem;font:16px/1.5 Georgia,serif;color:#222;background:#fff}
    h1{font-size:1.7rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ddd}
    pre{overflow-x:auto;padding:.6rem .8rem;font:13px/1.4 Menlo,Consolas,monospace;margin:.3rem 0}
    .code{background:#f4f6fa;border-left:3px solid #4a6fa5}.out{background:#fbfbf4;border-left:3px solid #b9a84a}
    .text{background:none;padding-left:0}.cell-name{font:12px monospace;color:#777;margin-top:1rem}
    figure{margin:1rem 0}figure img{max-width:100%;border:1px solid #eee}figcaption{font-size:.85rem;color:#555}
    nav{font-size:.9rem;margin:1rem 0}details{margin:.3rem 0 1rem}summary{cursor:pointer;color:#4a6fa5}
    .missing{color:#a33}table{border-collapse:collapse}td,th{padding:.2rem .6rem;border-bottom:1px solid #eee;text-align:left}
    """
}

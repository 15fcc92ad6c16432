// NotebookPage.swift — a chapter's run as one HTML page: text, code cells, their output, figures.
//
// The page is drawn from the lesson's events (what the run said and drew, with the source line
// that did it) laid out against the chapter's marked code cells by `LessonWalk` — the same walk
// the DocC article renders: a line said from inside a cell is that cell's output and sits under
// its code; a line said outside every cell is the chapter's text; a figure appears inline where
// it was drawn; a formula is MathML. This is the form of d2l and the Annotated
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
        var exercisesOpen = false
        for block in LessonWalk.blocks(lesson, cells: cells) {                // LessonWalk.swift: the layout
            if case .exercise = block {} else if exercisesOpen { body += "</ol>\n"; exercisesOpen = false }
            switch block {
            case let .section(number, heading):
                body += "<h2 id=\"s\(escape(number))\">\(escape(number))&nbsp; \(escape(heading))</h2>\n"
            case let .code(cell):
                body += "<div class=\"cell\"><div class=\"cell-name\">\(escape(cell.name)) — \(escape((cell.file as NSString).lastPathComponent)):\(cell.lines.lowerBound)</div>"
                body += "<pre class=\"code\"><code>\(escape(cell.code.joined(separator: "\n")))</code></pre></div>\n"
            case let .output(lines):
                body += "<pre class=\"out\">\(escape(lines.joined(separator: "\n")))</pre>\n"
            case let .paragraph(lines):
                body += "<p>\(escape(lines.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")))</p>\n"
            case let .table(lines):
                body += "<pre class=\"text\">\(escape(lines.joined(separator: "\n")))</pre>\n"
            case let .figure(name, files):
                body += figureHTML(name: name, files: files)
            case let .formula(text, mathML):
                body += "<div class=\"formula\" title=\"\(escape(text))\">\(mathML)</div>\n"
            case let .exercise(number, question, answer):
                if !exercisesOpen { body += "<ol class=\"exercises\">\n"; exercisesOpen = true }
                body += "<li value=\"\(number)\"><p>\(escape(question))</p><details><summary>Worked answer</summary><p>\(escape(answer))</p></details></li>\n"
            case let .missingSource(file):
                body += "<p class=\"missing\">The source file \(escape(file)) is not on this machine, so this page cannot show its code cells.</p>\n"
            }
        }
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
    .out,.text{white-space:pre-wrap;overflow-wrap:anywhere}.formula{margin:.6rem 0 .6rem 1.5rem;font-size:1.1rem}
    .code{background:#f4f6fa;border-left:3px solid #4a6fa5}.out{background:#fbfbf4;border-left:3px solid #b9a84a}
    .text{background:none;padding-left:0}.cell-name{font:12px monospace;color:#777;margin-top:1rem}
    figure{margin:1rem 0}figure img{max-width:100%;border:1px solid #eee}figcaption{font-size:.85rem;color:#555}
    nav{font-size:.9rem;margin:1rem 0}details{margin:.3rem 0 1rem}summary{cursor:pointer;color:#4a6fa5}
    .missing{color:#a33}table{border-collapse:collapse}td,th{padding:.2rem .6rem;border-bottom:1px solid #eee;text-align:left}
    """
}

// LessonWalk.swift — a lesson's events laid out against the chapter's code cells: the one walk
// that the notebook page (`NotebookPage`) and the DocC article (`DocCArticle`) both render.
//
// The rules of the layout live here and nowhere else:
// - a line said from inside a marked code cell is that cell's output and comes right under the
//   cell's code; the cell is shown the first time something inside it is said or drawn, and
//   the cells before it in the same file that printed nothing are shown just before it, so that
//   every marked cell appears, in source order;
// - a line said outside every cell is the chapter's text: runs separated by blank lines are
//   paragraphs, or tables when a line holds a run of three spaces (columns kept aligned);
// - a figure sits where it was drawn; sections and exercises close the current cell, and show
//   the cells before them in the file that printed nothing and were not shown yet.
// A renderer only turns each `LessonBlock` into its own markup.
import Foundation

/// One thing a rendering shows, in order.
public enum LessonBlock: Sendable, Equatable {
    /// A numbered section heading.
    case section(number: String, heading: String)
    /// A marked code cell of the chapter's source, verbatim.
    case code(CodeCell)
    /// The lines the cell above printed.
    case output([String])
    /// Text said outside every cell: one paragraph (lines as said, to be joined).
    case paragraph([String])
    /// Text said outside every cell whose columns must stay aligned.
    case table([String])
    /// A figure drawn into `files` (inside the chapter's folder, first format first).
    case figure(name: String, files: [String])
    /// A formula: its plain-text form (terminal, article) and its MathML (page).
    case formula(text: String, mathML: String)
    /// An exercise and its worked answer.
    case exercise(number: Int, question: String, answer: String)
    /// The source file named is not on this machine, so its cells cannot be shown.
    case missingSource(file: String)
}

public enum LessonWalk {
    /// The blocks of `lesson`, its said lines placed against the cells that `cells` gives for
    /// each source file (nil: the file is missing).
    public static func blocks(_ lesson: Lesson, cells: (String) -> [CodeCell]? = CodeCells.read) -> [LessonBlock] {
        var blocks: [LessonBlock] = []
        var fileCells: [String: [CodeCell]?] = [:]
        var shown: Set<String> = []                 // "file#name" of the cells already shown
        var current: CodeCell?
        var prose: [String] = [], output: [String] = []
        var missingNoted: Set<String> = []

        func flush() {
            if !output.isEmpty { blocks.append(.output(output)); output = [] }
            if !prose.isEmpty { blocks += textBlocks(prose); prose = [] }
        }
        func show(_ cell: CodeCell) {
            blocks.append(.code(cell))
            shown.insert(cell.file + "#" + cell.name)
        }
        /// The cells of `file`, loaded once; nil (noted once on the page) when the file is missing.
        func cellList(_ file: String) -> [CodeCell]? {
            if fileCells[file] == nil { fileCells[file] = .some(cells(file)) }
            return fileCells[file]!
        }
        /// Shows, in source order, the cells of `location`'s file that end before it and were
        /// never shown (they printed nothing): a section or an exercise is where the chapter's
        /// flow has passed them.
        func catchUp(_ location: SourceLocation) {
            for c in cellList(location.file) ?? [] where c.lines.upperBound < location.line && !shown.contains(c.file + "#" + c.name) {
                flush()
                show(c)
            }
        }
        /// Makes the cell containing `location` current; entering it first shows it, and before
        /// it the file's earlier cells that printed nothing.
        func enter(_ location: SourceLocation) {
            guard let list = cellList(location.file) else {
                if !missingNoted.contains(location.file) {
                    flush()
                    blocks.append(.missingSource(file: location.file))
                    missingNoted.insert(location.file)
                }
                current = nil
                return
            }
            let cell = list.first { $0.contains(location) }
            if cell == current { return }
            flush()
            current = cell
            guard let cell, !shown.contains(cell.file + "#" + cell.name) else { return }
            for earlier in list where earlier.lines.lowerBound < cell.lines.lowerBound && !shown.contains(earlier.file + "#" + earlier.name) {
                show(earlier)
            }
            show(cell)
        }

        for event in lesson.events {
            switch event {
            case let .section(number, heading, location):
                flush(); current = nil
                catchUp(location)
                blocks.append(.section(number: number, heading: heading))
            case let .said(text, location):
                enter(location)
                if current != nil { output.append(text) } else { prose.append(text) }
            case let .figure(name, files, location):
                enter(location)
                flush()
                blocks.append(.figure(name: name, files: files))
            case let .formula(text, mathML, location):
                enter(location)
                flush()
                blocks.append(.formula(text: text, mathML: mathML))
            case let .exercise(number, question, answer, location):
                flush(); current = nil
                catchUp(location)
                blocks.append(.exercise(number: number, question: question, answer: answer))
            }
        }
        flush()
        return blocks
    }

    /// Text lines said outside a cell, split at blank lines into paragraphs and tables.
    static func textBlocks(_ lines: [String]) -> [LessonBlock] {
        lines.split(whereSeparator: { $0.trimmingCharacters(in: .whitespaces).isEmpty }).map { run in
            let block = Array(run)
            return block.contains { $0.trimmingCharacters(in: .whitespaces).contains("   ") } ? .table(block) : .paragraph(block)
        }
    }
}

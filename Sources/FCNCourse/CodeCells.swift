// CodeCells.swift — the code cells of a notebook page, cut from the chapter's own source.
//
// A chapter marks a region of its Swift file with two ordinary comment lines,
//
//     // cell: per-layer
//     let vgg = try ArchitectureAnalysis(fcn32, inputShape: [1, 3, 500, 500])
//     …
//     // end cell
//
// and the page shows the lines between them verbatim. The file read is the one the compiler
// compiled (its path is `#filePath` at every `Lesson` call), so a cell cannot drift from the code
// that ran: edit the chapter and the next run's page shows the edit. Lines the region prints
// (`lesson.say`, `value`, `figure` called from inside it) appear under the cell as its output.
import Foundation

/// One marked region of a chapter's source.
public struct CodeCell: Sendable, Equatable {
    /// The name after `// cell:`.
    public var name: String
    /// The source file it was cut from.
    public var file: String
    /// Line numbers (1-based) of the first and last code line, between the two markers.
    public var lines: ClosedRange<Int>
    /// The code lines, verbatim.
    public var code: [String]

    /// Whether `location` (a call site) lies inside this cell.
    public func contains(_ location: SourceLocation) -> Bool { location.file == file && lines.contains(location.line) }
}

/// Reading the marked cells of a source file.
public enum CodeCells {
    /// The cells marked in `text` (the contents of `file`), in source order.
    ///
    /// A `// cell:` without its `// end cell` runs to the end of the file; markers do not nest.
    public static func parse(_ text: String, file: String) -> [CodeCell] {
        var cells: [CodeCell] = []
        var open: (name: String, start: Int, code: [String])?
        for (index, line) in text.components(separatedBy: "\n").enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("// cell:") {
                if let o = open { cells.append(CodeCell(name: o.name, file: file, lines: o.start...max(o.start, index), code: o.code)) }
                open = (String(trimmed.dropFirst("// cell:".count)).trimmingCharacters(in: .whitespaces), index + 2, [])
            } else if trimmed == "// end cell", let o = open {
                cells.append(CodeCell(name: o.name, file: file, lines: o.start...max(o.start, index), code: o.code))
                open = nil
            } else if open != nil {
                open!.code.append(line)
            }
        }
        if let o = open { cells.append(CodeCell(name: o.name, file: file, lines: o.start...(o.start + max(0, o.code.count - 1)), code: o.code)) }
        return cells
    }

    /// The cells of the source file at `path`, or nil when the file is not there (a chapter binary
    /// copied away from its sources): the page then says so instead of showing code.
    public static func read(_ path: String) -> [CodeCell]? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return parse(text, file: path)
    }
}

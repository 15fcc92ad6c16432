// Lesson.swift — what every chapter of the course shares: printing and writing figures.
//
// A chapter is a program that computes something from the paper and shows it. `Lesson` keeps
// the showing uniform — numbered sections, aligned "name = value" lines, figures written as PNG
// (and PDF/SVG when asked) into one folder per chapter — so that each chapter's own file is
// only the idea and the computation.
//
// Every line said and every figure written is also kept as a `LessonEvent` with the source line
// that said it. That record is the one source of truth the three renderings share: the terminal
// transcript (printed as it happens), the notebook page (`NotebookPage`, which puts each line
// under the marked code cell of the chapter's source that printed it) and the DocC article.
import FCN
import FCNFigures
import Foundation

/// The printer and figure writer a chapter runs with.
///
/// ```swift
/// var lesson = Lesson(chapter: 4, title: "Upsampling by transposed convolution")
/// lesson.section("Output size")
/// lesson.value("3 cells, stride 2, kernel 4", 8)
/// try lesson.figure("bilinear-kernel", bilinearKernelFigure())
/// ```
public struct Lesson {
    public let chapter: Int
    public let title: String
    /// Where figures go (`<out>/ChapterNN/`), or nil to skip writing them (tests).
    public var figureFolder: URL?
    /// Formats written for each figure.
    public var formats: [String] = ["png"]
    /// Every line printed, kept so tests can read what a chapter said.
    public private(set) var transcript: [String] = []
    /// Whether to echo to standard output (off in tests).
    public var echo: Bool
    /// Whether `exercise(_:answer:)` prints the worked answer on the terminal (`--answers`).
    public var showsAnswers = false
    /// Everything the lesson showed, in order, with the source line that showed it (for the page).
    public private(set) var events: [LessonEvent] = []
    private var sectionNumber = 0

    public init(chapter: Int, title: String, outputFolder: URL? = URL(fileURLWithPath: "course-output"), echo: Bool = true) {
        self.chapter = chapter
        self.title = title
        self.echo = echo
        figureFolder = outputFolder?.appendingPathComponent(String(format: "Chapter%02d", chapter), isDirectory: true)
        print("Chapter \(chapter) — \(title)")
        print(String(repeating: "═", count: min(78, title.count + 13)))
    }

    /// Prints a line. Said from inside a marked code cell it is that cell's output on the page;
    /// said elsewhere it is the chapter's text.
    public mutating func say(_ line: String = "", file: String = #filePath, line sourceLine: Int = #line) {
        record(.said(line, at(file, sourceLine)))
        print(line)
    }

    /// Starts a numbered section.
    public mutating func section(_ heading: String, file: String = #filePath, line: Int = #line) {
        sectionNumber += 1
        events.append(.section(number: "\(chapter).\(sectionNumber)", heading: heading, at(file, line)))
        print()
        print("\(chapter).\(sectionNumber)  \(heading)")
        print(String(repeating: "─", count: min(78, heading.count + 6)))
    }

    /// Prints `name = value`, names padded so values line up.
    public mutating func value(_ name: String, _ value: Any, file: String = #filePath, line: Int = #line) {
        let padded = name.count < 44 ? name + String(repeating: " ", count: 44 - name.count) : name
        say("  \(padded) \(value)", file: file, line: line)
    }

    /// Writes a figure (if figures are on) and says where; the page shows it inline.
    public mutating func figure(_ name: String, _ figure: @autoclosure () throws -> Figure,
                                file: String = #filePath, line: Int = #line) throws {
        guard let folder = figureFolder else { return }
        try AtomicFile.createFolder(folder)
        let f = try figure()
        var written: [String] = []
        for ext in formats {
            let url = folder.appendingPathComponent("\(name).\(ext)")
            try f.write(to: url)
            written.append(url.lastPathComponent)
            transcript.append("  figure → \(url.path)")
            if echo { Swift.print("  figure → \(url.path)") }
        }
        events.append(.figure(name: name, files: written, at(file, line)))
    }

    /// Shows an image file the chapter writes itself (a palette label map, an overlay: the very
    /// files `fcn segment` would write) as a figure of the page: `write` is given the PNG's URL
    /// in the chapter's folder. Skipped, like every figure, when figures are off.
    public mutating func figure(_ name: String, writingPNG write: (URL) throws -> Void,
                                file: String = #filePath, line: Int = #line) throws {
        guard let folder = figureFolder else { return }
        try AtomicFile.createFolder(folder)
        let url = folder.appendingPathComponent("\(name).png")
        try write(url)
        transcript.append("  figure → \(url.path)")
        if echo { Swift.print("  figure → \(url.path)") }
        events.append(.figure(name: name, files: [url.lastPathComponent], at(file, line)))
    }

    /// A formula the chapter states, in plain text as the terminal shows it ("out = s·(n − 1) + k",
    /// "x_ij" for a subscript, "n^2" for a power); the page shows it as MathML (`MathText`).
    public mutating func formula(_ text: String, file: String = #filePath, line: Int = #line) {
        events.append(.formula(text, mathML: MathText.mathML(text), at(file, line)))
        print("      \(text)")
    }

    /// An exercise and its worked answer: the terminal prints the answer only with `--answers`;
    /// the page shows it collapsed (`<details>`), for the student to open after trying.
    public mutating func exercise(_ question: String, answer: String, file: String = #filePath, line: Int = #line) {
        exerciseNumber += 1
        events.append(.exercise(number: exerciseNumber, question: question, answer: answer, at(file, line)))
        print("  \(exerciseNumber). \(question)")
        if showsAnswers { print("     Answer: \(answer)") }
    }
    private var exerciseNumber = 0

    /// A line for the transcript and the terminal that is not part of the page's events (the
    /// page draws headings and exercises itself).
    private mutating func print(_ line: String = "") {
        transcript.append(line)
        if echo { Swift.print(line) }
    }

    private mutating func record(_ event: LessonEvent) { events.append(event) }

    /// Runs `body` — a helper in another file that says and draws for the calling code cell — so
    /// that what it records is placed at this call site: the page shows its lines as the cell's
    /// output and its figures under the cell, not as text before it.
    ///
    /// ```swift
    /// // cell: three views
    /// let views = lesson.inThisCell { threeViews(&$0) }        // ThreeViews.swift prints the rows
    /// // end cell
    /// ```
    public mutating func inThisCell<T>(file: String = #filePath, line: Int = #line, _ body: (inout Lesson) throws -> T) rethrows -> T {
        let outer = callSite
        callSite = outer ?? SourceLocation(file: file, line: line)          // the outermost call site wins
        defer { callSite = outer }
        return try body(&self)
    }
    private var callSite: SourceLocation?

    /// Where an event said at `file:line` is placed: there, or at the enclosing `inThisCell` call.
    private func at(_ file: String, _ line: Int) -> SourceLocation { callSite ?? SourceLocation(file: file, line: line) }

    /// The course's `Tutorials/` folder, found from the chapter's own sources: the parent of the
    /// `NN-Name` folder (NN this chapter's number) of the first line or figure recorded from
    /// there; nil when nothing was (a lesson built in a test from elsewhere).
    public var tutorialsFolder: URL? {
        let prefix = String(format: "%02d-", chapter)
        for event in events {
            let folder = URL(fileURLWithPath: event.location.file).deletingLastPathComponent()
            if folder.lastPathComponent.hasPrefix(prefix) { return folder.deletingLastPathComponent() }
        }
        return nil
    }
}

/// Where in a chapter's source something was said: the file (`#filePath`) and line (`#line`).
public struct SourceLocation: Sendable, Equatable {
    public var file: String
    public var line: Int
    public init(file: String, line: Int) { self.file = file; self.line = line }
}

/// One thing a lesson showed, in order: what the terminal printed, and what the page draws.
public enum LessonEvent: Sendable, Equatable {
    /// A numbered section heading ("3.2", "Table 1 …") and the line that started it.
    case section(number: String, heading: String, SourceLocation)
    /// A printed line and the source line that printed it.
    case said(String, SourceLocation)
    /// A figure written in `files` (file names inside the chapter's folder, first format first).
    case figure(name: String, files: [String], SourceLocation)
    /// An exercise with its worked answer, and the line that set it.
    case exercise(number: Int, question: String, answer: String, SourceLocation)
    /// A formula as plain text (the terminal's and the article's), with its MathML (the page's).
    case formula(String, mathML: String, SourceLocation)

    /// The source line that recorded the event.
    public var location: SourceLocation {
        switch self {
        case let .said(_, location), let .figure(_, _, location), let .formula(_, _, location),
             let .section(_, _, location), let .exercise(_, _, _, location): location
        }
    }
}

/// Formats a number for a chapter's output: up to `digits` significant digits.
public func show(_ x: Double, digits: Int = 4) -> String {
    if x == 0 { return "0" }
    let magnitude = abs(x)
    if magnitude >= 1e5 || magnitude < 1e-3 { return String(format: "%.\(max(1, digits - 1))e", x) }
    return String(format: "%.\(digits)g", x)
}

/// Formats a number for a chapter's output (Float overload).
public func show(_ x: Float, digits: Int = 4) -> String { show(Double(x), digits: digits) }

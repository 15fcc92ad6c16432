// Lesson.swift — what every chapter of the course shares: printing and writing figures.
//
// A chapter is a program that computes something from the paper and shows it. `Lesson` keeps
// the showing uniform — numbered sections, aligned "name = value" lines, figures written as PNG
// (and PDF/SVG when asked) into one folder per chapter — so that each chapter's own file is
// only the idea and the computation.
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
    private var sectionNumber = 0

    public init(chapter: Int, title: String, outputFolder: URL? = URL(fileURLWithPath: "course-output"), echo: Bool = true) {
        self.chapter = chapter
        self.title = title
        self.echo = echo
        figureFolder = outputFolder?.appendingPathComponent(String(format: "Chapter%02d", chapter), isDirectory: true)
        say("Chapter \(chapter) — \(title)")
        say(String(repeating: "═", count: min(78, title.count + 13)))
    }

    /// Prints a line.
    public mutating func say(_ line: String = "") {
        transcript.append(line)
        if echo { print(line) }
    }

    /// Starts a numbered section.
    public mutating func section(_ heading: String) {
        sectionNumber += 1
        say()
        say("\(chapter).\(sectionNumber)  \(heading)")
        say(String(repeating: "─", count: min(78, heading.count + 6)))
    }

    /// Prints `name = value`, names padded so values line up.
    public mutating func value(_ name: String, _ value: Any) {
        let padded = name.count < 44 ? name + String(repeating: " ", count: 44 - name.count) : name
        say("  \(padded) \(value)")
    }

    /// Writes a figure (if figures are on) and says where.
    public mutating func figure(_ name: String, _ figure: @autoclosure () throws -> Figure) throws {
        guard let folder = figureFolder else { return }
        try AtomicFile.createFolder(folder)
        let f = try figure()
        for ext in formats {
            let url = folder.appendingPathComponent("\(name).\(ext)")
            try f.write(to: url)
            say("  figure → \(url.path)")
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

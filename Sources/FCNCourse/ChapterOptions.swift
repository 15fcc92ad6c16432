// ChapterOptions.swift — the few command-line options every chapter accepts, and how a
// chapter's lesson is begun and finished (`ChapterCommand` calls both).
//
// Every chapter is a swift-argument-parser `ParsableCommand` that takes these options with
// `@OptionGroup` and adds its own (Chapter07's `--scenes`, Chapter08's `--weights`, …). The parser,
// not the chapter, then refuses an option it does not know and a value it cannot read, and each
// option group's `validate()` refuses a value out of range, all before the chapter computes
// anything: a mistyped option used to be ignored silently and the chapter ran with its defaults.
import ArgumentParser
import FCN
import Foundation

/// Options common to all chapters: where figures go and in which formats.
///
/// ```swift
/// struct Chapter04Command: ChapterCommand {
///     static let chapter = 4, title = "Upsampling by transposed convolution"
///     @OptionGroup var options: ChapterOptions
///     func teach(_ lesson: inout Lesson) throws { _ = try chapter04(&lesson) }
/// }
/// runChapter(Chapter04Command.self)
/// ```
///
///     swift run Chapter04                     figures as PNG in course-output/Chapter04/
///     swift run Chapter04 --out /tmp/course --formats png,pdf,svg
///     swift run Chapter04 --no-figures
///     swift run Chapter04 --answers           also print the exercises' worked answers
public struct ChapterOptions: ParsableArguments {
    /// The figure formats a chapter can write (what `Figure.write(to:)` knows by extension).
    public static let knownFormats = ["png", "pdf", "svg"]

    @Option(name: .customLong("out"), help: ArgumentHelp("Where figures go (one folder per chapter inside).", valueName: "dir"))
    var out = "course-output"

    @Option(name: .customLong("formats"), help: ArgumentHelp("Figure formats, comma-separated: png, pdf, svg.", valueName: "list"))
    var formatList = "png"

    @Flag(name: .customLong("no-figures"), help: "Print only; write no figures and no notebook page.")
    var noFigures = false

    @Option(name: .customLong("docc-article"), help: ArgumentHelp("Also write the run as a DocC article to this .md file (scripts/docc-chapters).", valueName: "file"))
    var doccArticle: String?

    @Flag(name: .customLong("answers"), help: "Print each exercise's worked answer (the page always has them, collapsed).")
    var answers = false

    public init() {}

    /// Where figures go; `nil` with `--no-figures`.
    public var outputFolder: URL? { noFigures ? nil : URL(fileURLWithPath: out) }
    /// The figure formats, in the order given.
    public var formats: [String] { formatList.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }

    public func validate() throws {
        guard !out.isEmpty else { throw ValidationError("--out: the folder name is empty") }
        if let doccArticle, !doccArticle.hasSuffix(".md") { throw ValidationError("--docc-article: '\(doccArticle)' is not a .md file") }
        for format in formats where !Self.knownFormats.contains(format) {
            throw ValidationError("--formats: unknown format '\(format)'; choose from \(Self.knownFormats.joined(separator: ", "))")
        }
    }

    /// A lesson configured by these options. PNG is always among the formats when figures are
    /// on, because the notebook page shows the PNG inline (and links the others).
    public func lesson(chapter: Int, title: String) -> Lesson {
        var lesson = Lesson(chapter: chapter, title: title, outputFolder: outputFolder)
        lesson.formats = formats.contains("png") ? formats : ["png"] + formats
        lesson.showsAnswers = answers
        return lesson
    }

    /// Ends a chapter's run: writes its notebook page `DIR/ChapterNN/index.html`, refreshes
    /// `DIR/index.html`, says where the page is, and writes the DocC article when asked. The
    /// `Tutorials/` folder, and so the previous/next chapters, is found from the chapter's own
    /// source files (`Lesson.tutorialsFolder`). `ChapterCommand.run()` calls it after `teach`.
    public func finish(_ lesson: Lesson) throws {
        if let page = try CoursePages.write(lesson, tutorials: lesson.tutorialsFolder) {
            print("\npage → \(page.path)")
        }
        if let doccArticle {
            let url = URL(fileURLWithPath: doccArticle)
            let command = ([URL(fileURLWithPath: CommandLine.arguments[0]).lastPathComponent]
                + CommandLine.arguments.dropFirst().filter { !$0.hasPrefix("/") && !$0.hasSuffix(".md") && $0 != "--docc-article" && $0 != "--out" }).joined(separator: " ")
            for image in try DocCArticle.copyFigures(lesson, catalog: url.deletingLastPathComponent()) { print("image → \(image)") }
            let markdown = DocCArticle.markdown(lesson, catalog: url.deletingLastPathComponent(), command: command)
            try AtomicFile.write(Data(markdown.utf8), to: url)
            print("article → \(url.path)")
        }
    }
}

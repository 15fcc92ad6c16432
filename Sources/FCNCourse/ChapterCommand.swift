// ChapterCommand.swift — what a chapter's executable is: its number, title and options, and the
// one thing it does, teach. Starting the lesson and finishing it (the notebook page, the index,
// the DocC article) happen here, once, for every chapter.
//
// Each chapter's `main.swift` used to repeat the same three lines — make a lesson from the
// options, run the chapter, finish the lesson — and two chapters (0 and 10) were written
// without the third, so their runs wrote no page. A chapter now says only what it teaches:
//
//     struct Chapter03Command: ChapterCommand {
//         static let configuration = CommandConfiguration(commandName: "Chapter03", abstract: "…")
//         static let chapter = 3
//         static let title = "Receptive fields, stride and padding"
//         @OptionGroup var options: ChapterOptions
//         func teach(_ lesson: inout Lesson) throws { _ = try chapter03(&lesson) }
//     }
//     runChapter(Chapter03Command.self)
//
// and `run()` — provided here, not written by the chapter — makes the lesson, calls `teach`,
// then finishes it. `runChapter` accepts only a `ChapterCommand`, so a chapter cannot be started
// any other way.
import ArgumentParser
import Foundation

/// A chapter of the course as a command: the options it takes and what it teaches.
public protocol ChapterCommand: ParsableCommand {
    /// The chapter's number, the `NN` of its `Tutorials/NN-Name` folder.
    static var chapter: Int { get }
    /// The chapter's title: the heading of its terminal output, its page and its article.
    static var title: String { get }
    /// The options every chapter takes (`@OptionGroup var options: ChapterOptions`).
    var options: ChapterOptions { get }
    /// Everything the chapter says and draws, into `lesson`. Throwing stops the chapter; the
    /// lesson is then not finished (no page is written for a run that did not complete).
    func teach(_ lesson: inout Lesson) throws
}

extension ChapterCommand {
    /// Runs the chapter: a lesson configured by `options`, `teach`, then `ChapterOptions.finish`
    /// (the page, the index, the article) — always all three, in that order.
    public func run() throws { try runLesson() }

    /// `run()`, returning the finished lesson (for tests).
    @discardableResult
    public func runLesson() throws -> Lesson {
        var lesson = options.lesson(chapter: Self.chapter, title: Self.title)
        try teach(&lesson)
        try options.finish(lesson)
        return lesson
    }
}

/// Parses the command line into the chapter `command` and runs it (`ChapterCommand.run()`).
///
/// - A usage mistake (unknown option, unreadable or out-of-range value) prints the parser's
///   message, which names the option, and exits with status 2, as `fcn` does
///   (swift-argument-parser's own default is 64).
/// - `--help` prints the help and exits with 0.
/// - An error thrown while the chapter runs (a file that cannot be read, say) prints one line
///   `error: …` and exits with status 1.
public func runChapter<Command: ChapterCommand>(_ command: Command.Type, arguments: [String]? = nil) -> Never {
    do {
        var parsed = try command.parseAsRoot(arguments)
        try parsed.run()    // for `--help`, the parsed command is the parser's help command, which throws
    } catch {
        switch command.exitCode(for: error) {
        case .success:
            print(command.fullMessage(for: error))
            exit(0)
        case .validationFailure:
            FileHandle.standardError.write(Data((command.fullMessage(for: error) + "\n").utf8))
            exit(2)
        default:
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            exit(1)
        }
    }
    exit(0)
}

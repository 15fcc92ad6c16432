// Chapter 1 — run it: `swift run -c release Chapter01`. The chapter itself is in Chapter01.swift.
// Options: the common ones (ChapterOptions); anything else is refused with exit status 2.
import ArgumentParser
import FCNCourse

struct Chapter01Command: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "Chapter01", abstract: "Why classifying patches is slow (paper §3.1).")
    @OptionGroup var options: ChapterOptions

    func run() throws {
        var lesson = options.lesson(chapter: 1, title: "Why classifying patches is slow")
        _ = try chapter01(&lesson)
    }
}

runChapter(Chapter01Command.self)

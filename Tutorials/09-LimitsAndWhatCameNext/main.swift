// Chapter 9 — run it: `swift run -c release Chapter09`. The chapter itself is in Chapter09.swift.
// Options: the common ones (ChapterOptions); anything else is refused with exit status 2.
import ArgumentParser
import FCNCourse

struct Chapter09Command: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "Chapter09", abstract: "Limits and what came next: coarse boundaries, dilated convolutions (paper §4.2, §6).")
    @OptionGroup var options: ChapterOptions

    func run() throws {
        var lesson = options.lesson(chapter: 9, title: "Limits, and what came next")
        _ = try chapter09(&lesson)
    }
}

runChapter(Chapter09Command.self)

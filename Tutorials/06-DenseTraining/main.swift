// Chapter 6 — run it: `swift run Chapter06`. The chapter itself is in Chapter06.swift.
// Options: the common ones (ChapterOptions); anything else is refused with exit status 2.
import ArgumentParser
import FCNCourse

struct Chapter06Command: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "Chapter06", abstract: "Dense training: the per-pixel loss, loss sampling, a short run (paper §3, §3.4, §4.3).")
    @OptionGroup var options: ChapterOptions

    func run() throws {
        var lesson = options.lesson(chapter: 6, title: "Dense training")
        _ = try chapter06(&lesson)
    }
}

runChapter(Chapter06Command.self)

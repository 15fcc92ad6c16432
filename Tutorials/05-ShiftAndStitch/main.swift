// Chapter 5 — run it: `swift run Chapter05`. The chapter itself is in Chapter05.swift.
// Options: the common ones (ChapterOptions); anything else is refused with exit status 2.
import ArgumentParser
import FCNCourse

struct Chapter05Command: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "Chapter05", abstract: "Shift-and-stitch is filter rarefaction (paper §3.2).")
    @OptionGroup var options: ChapterOptions

    func run() throws {
        var lesson = options.lesson(chapter: 5, title: "Shift-and-stitch is filter rarefaction")
        _ = try chapter05(&lesson)
    }
}

runChapter(Chapter05Command.self)

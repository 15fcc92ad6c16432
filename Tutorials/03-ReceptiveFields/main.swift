// Chapter 3 — run it: `swift run Chapter03`. The chapter itself is in Chapter03.swift.
// Options: the common ones (ChapterOptions); anything else is refused with exit status 2.
import ArgumentParser
import FCNCourse

struct Chapter03Command: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "Chapter03", abstract: "Receptive fields, stride and the 100-pixel pad (paper §3.1, Table 1).")
    @OptionGroup var options: ChapterOptions

    func run() throws {
        var lesson = options.lesson(chapter: 3, title: "Receptive fields, stride and padding")
        _ = try chapter03(&lesson)
        try options.finish(lesson)
    }
}

runChapter(Chapter03Command.self)

// Chapter 3 — run it: `swift run Chapter03`. The chapter itself is in Chapter03.swift.
// Options: the common ones (ChapterOptions); anything else is refused with exit status 2.
import ArgumentParser
import FCNCourse

struct Chapter03Command: ChapterCommand {
    static let configuration = CommandConfiguration(commandName: "Chapter03", abstract: "Receptive fields, stride and the 100-pixel pad (paper §3.1, Table 1).")
    static let chapter = 3
    static let title = "Receptive fields, stride and padding"
    @OptionGroup var options: ChapterOptions

    func teach(_ lesson: inout Lesson) throws {
        _ = try chapter03(&lesson)
    }
}

runChapter(Chapter03Command.self)

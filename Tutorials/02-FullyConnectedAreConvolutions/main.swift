// Chapter 2 — run it: `swift run Chapter02`. The chapter itself is in Chapter02.swift.
// Options: the common ones (ChapterOptions); anything else is refused with exit status 2.
import ArgumentParser
import FCNCourse

struct Chapter02Command: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "Chapter02", abstract: "Fully connected layers are convolutions: net surgery (paper §3.1, Fig. 2).")
    @OptionGroup var options: ChapterOptions

    func run() throws {
        var lesson = options.lesson(chapter: 2, title: "Fully connected layers are convolutions")
        _ = try chapter02(&lesson)
    }
}

runChapter(Chapter02Command.self)

// Chapter 0 — run it: `swift run -c release Chapter00`. The chapter itself is in Chapter00.swift.
// Options: the common ones (ChapterOptions); anything else is refused with exit status 2.
import ArgumentParser
import FCNCourse

struct Chapter00Command: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "Chapter00", abstract: "The task and the data: semantic segmentation, VOC's classes, the synthetic world (paper §1, §5).")
    @OptionGroup var options: ChapterOptions

    func run() throws {
        var lesson = options.lesson(chapter: 0, title: "The task and the data")
        _ = try chapter00(&lesson)
        try options.finish(lesson)
    }
}

runChapter(Chapter00Command.self)

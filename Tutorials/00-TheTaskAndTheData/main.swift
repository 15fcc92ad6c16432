// Chapter 0 — run it: `swift run -c release Chapter00`. The chapter itself is in Chapter00.swift.
// Options: the common ones (ChapterOptions); anything else is refused with exit status 2.
import ArgumentParser
import FCNCourse

struct Chapter00Command: ChapterCommand {
    static let configuration = CommandConfiguration(commandName: "Chapter00", abstract: "The task and the data: semantic segmentation, VOC's classes, the synthetic world (paper §1, §5).")
    static let chapter = 0
    static let title = "The task and the data"
    @OptionGroup var options: ChapterOptions

    func teach(_ lesson: inout Lesson) throws {
        _ = try chapter00(&lesson)
    }
}

runChapter(Chapter00Command.self)

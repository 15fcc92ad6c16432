// Chapter 4 — run it: `swift run Chapter04`. The chapter itself is in Chapter04.swift.
// Options: the common ones (ChapterOptions); anything else is refused with exit status 2.
import ArgumentParser
import FCNCourse

struct Chapter04Command: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "Chapter04", abstract: "Upsampling by transposed convolution (paper §3.3).")
    @OptionGroup var options: ChapterOptions

    func run() throws {
        var lesson = options.lesson(chapter: 4, title: "Upsampling by transposed convolution")
        _ = try chapter04(&lesson)
    }
}

runChapter(Chapter04Command.self)

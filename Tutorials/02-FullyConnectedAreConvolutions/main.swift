// Chapter 2 — run it: `swift run Chapter02`. The chapter itself is in Chapter02.swift.
import FCNCourse

let options = ChapterOptions(usage: "Chapter02 — fully connected layers are convolutions: net surgery (paper §3.1, Fig. 2).")
runChapter {
    var lesson = options.lesson(chapter: 2, title: "Fully connected layers are convolutions")
    _ = try chapter02(&lesson)
}

// Chapter 3 — run it: `swift run Chapter03`. The chapter itself is in Chapter03.swift.
import FCNCourse

let options = ChapterOptions(usage: "Chapter03 — receptive fields, stride and the 100-pixel pad (paper §3.1, Table 1).")
runChapter {
    var lesson = options.lesson(chapter: 3, title: "Receptive fields, stride and padding")
    _ = try chapter03(&lesson)
}

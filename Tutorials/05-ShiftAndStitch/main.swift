// Chapter 5 — run it: `swift run Chapter05`. The chapter itself is in Chapter05.swift.
import FCNCourse

let options = ChapterOptions(usage: "Chapter05 — shift-and-stitch is filter rarefaction (paper §3.2).")
runChapter {
    var lesson = options.lesson(chapter: 5, title: "Shift-and-stitch is filter rarefaction")
    _ = try chapter05(&lesson)
}

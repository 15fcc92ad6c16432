// Chapter 6 — run it: `swift run Chapter06`. The chapter itself is in Chapter06.swift.
import FCNCourse

let options = ChapterOptions(usage: "Chapter06 — dense training: the per-pixel loss, loss sampling, a short run (paper §3, §3.4, §4.3).")
runChapter {
    var lesson = options.lesson(chapter: 6, title: "Dense training")
    _ = try chapter06(&lesson)
}

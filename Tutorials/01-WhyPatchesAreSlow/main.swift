// Chapter 1 — run it: `swift run -c release Chapter01`. The chapter itself is in Chapter01.swift.
import FCNCourse

let options = ChapterOptions(usage: "Chapter01 — why classifying patches is slow (paper §3.1).")
runChapter {
    var lesson = options.lesson(chapter: 1, title: "Why classifying patches is slow")
    _ = try chapter01(&lesson)
}

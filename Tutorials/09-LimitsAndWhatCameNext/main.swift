// Chapter 9 — run it: `swift run -c release Chapter09`. The chapter itself is in Chapter09.swift.
import FCNCourse

let options = ChapterOptions(usage: "Chapter09 — limits and what came next: coarse boundaries, dilated convolutions (paper §4.2, §6).")
runChapter {
    var lesson = options.lesson(chapter: 9, title: "Limits, and what came next")
    _ = try chapter09(&lesson)
}

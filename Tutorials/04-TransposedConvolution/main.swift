// Chapter 4 — run it: `swift run Chapter04`. The chapter itself is in Chapter04.swift.
import FCNCourse

let options = ChapterOptions(usage: "Chapter04 — upsampling by transposed convolution (paper §3.3).")
runChapter {
    var lesson = options.lesson(chapter: 4, title: "Upsampling by transposed convolution")
    _ = try chapter04(&lesson)
}

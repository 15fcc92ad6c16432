// Chapter 7 — run it: `swift run -c release Chapter07 [--scenes N]`. The chapter itself is in Chapter07.swift.
import FCNCourse

let options = ChapterOptions(usage: """
    Chapter07 — skip fusion: FCN-32s → 16s → 8s, Table 2 and Fig. 4 in miniature (paper §4.2).
      --scenes N           held-out scenes for Table 2 (default 50; 10 in a debug build)
    """)
runChapter {
    var setup = Chapter07Setup()
    if let i = options.remaining.firstIndex(of: "--scenes"), i + 1 < options.remaining.count, let n = Int(options.remaining[i + 1]), n > 0 {
        setup.validationScenes = n
    } else if !options.remaining.isEmpty {
        throw ChapterOptionError(message: "unknown or malformed options \(options.remaining) (try --help)")
    }
    var lesson = options.lesson(chapter: 7, title: "Skip fusion")
    _ = try chapter07(&lesson, setup: setup)
}

/// A command-line mistake.
struct ChapterOptionError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

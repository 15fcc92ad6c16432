// ChapterCommandTests.swift — every chapter is a `ChapterCommand`, so every run that completes
// finishes its lesson: the page, the index and (when asked) the article are written. Chapters 0
// and 10 once wrote no page because their `main.swift` forgot the last of three copied lines.
import Foundation
import Testing
import FCNCourse
@testable import Chapter03
@testable import Chapter10

@Suite struct ChapterCommandTests {
    static let tutorials = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Tutorials").standardized

    /// No chapter begins or finishes its lesson itself, or defines its own `run()`: that is
    /// `ChapterCommand`'s, which always finishes.
    @Test func everyMainIsAChapterCommandThatOnlyTeaches() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: Self.tutorials.path)
            .filter { $0.range(of: #"^[0-9][0-9]-"#, options: .regularExpression) != nil }.sorted()
        #expect(folders.count >= 11)
        for folder in folders {
            let main = try String(contentsOf: Self.tutorials.appendingPathComponent("\(folder)/main.swift"), encoding: .utf8)
            let number = Int(folder.prefix(2))!
            #expect(main.contains(": ChapterCommand {"), "\(folder)/main.swift is not a ChapterCommand")
            #expect(main.contains("static let chapter = \(number)\n"), "\(folder)/main.swift does not say it is chapter \(number)")
            #expect(main.contains("func teach(_ lesson: inout Lesson) throws {"), "\(folder)/main.swift has no teach(_:)")
            for copied in ["func run(", "options.finish(", "options.lesson("] {
                #expect(!main.contains(copied), "\(folder)/main.swift still does `\(copied)…` itself")
            }
        }
    }

    /// A chapter run through its command writes its page, with previous/next found from the
    /// chapter's own sources, and the course index.
    @Test(arguments: [3, 10]) func aRunWritesItsPage(chapter: Int) throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("chapter-command-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let arguments = ["--out", out.path]
        let lesson = try chapter == 3 ? Chapter03Command.parse(arguments).runLesson() : Chapter10Command.parse(arguments).runLesson()
        #expect(lesson.chapter == chapter)
        #expect(lesson.tutorialsFolder?.standardized.path == Self.tutorials.path)
        let name = String(format: "Chapter%02d", chapter)
        let html = try String(contentsOf: out.appendingPathComponent("\(name)/index.html"), encoding: .utf8)
        #expect(html.contains(String(format: "href=\"../Chapter%02d/index.html\"", chapter - 1)), "no previous link")
        #expect(html.contains("<h1>Chapter \(chapter) — "))
        let index = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(index.contains("href=\"\(name)/index.html\""))
    }

    /// The Tutorials folder is the parent of the chapter's own `NN-Name` folder, not of another.
    @Test func tutorialsFolderComesFromTheChaptersOwnFiles() {
        var lesson = Lesson(chapter: 4, title: "t", outputFolder: nil, echo: false)
        #expect(lesson.tutorialsFolder == nil)
        lesson.say("from the library", file: "/src/Sources/FCNCourse/Helper.swift", line: 3)
        lesson.say("from another chapter", file: "/src/Tutorials/03-ReceptiveFields/Chapter03.swift", line: 3)
        #expect(lesson.tutorialsFolder == nil)
        lesson.say("from this chapter", file: "/src/Tutorials/04-TransposedConvolution/Chapter04.swift", line: 9)
        #expect(lesson.tutorialsFolder?.path == "/src/Tutorials")
    }
}

// ChapterOptions.swift — the few command-line options every chapter accepts.
import Foundation

/// Options common to all chapters: where figures go and in which formats.
///
///     swift run Chapter04                     figures as PNG in course-output/Chapter04/
///     swift run Chapter04 --out /tmp/course --formats png,pdf,svg
///     swift run Chapter04 --no-figures
public struct ChapterOptions {
    public var outputFolder: URL? = URL(fileURLWithPath: "course-output")
    public var formats: [String] = ["png"]
    /// Arguments the common parser did not consume, for a chapter's own options.
    public var remaining: [String] = []

    /// Parses `arguments` (without the program name); `--help` prints `usage` and exits.
    public init(_ arguments: [String] = Array(CommandLine.arguments.dropFirst()), usage: String) {
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            switch a {
            case "--out" where i + 1 < arguments.count:
                outputFolder = URL(fileURLWithPath: arguments[i + 1]); i += 1
            case "--formats" where i + 1 < arguments.count:
                formats = arguments[i + 1].split(separator: ",").map(String.init); i += 1
            case "--no-figures":
                outputFolder = nil
            case "-h", "--help":
                print(usage + """

                Common options:
                  --out DIR            where figures go (default course-output/)
                  --formats LIST       png,pdf,svg (default png)
                  --no-figures         print only
                """)
                exit(0)
            default:
                remaining.append(a)
            }
            i += 1
        }
    }

    /// A lesson configured by these options.
    public func lesson(chapter: Int, title: String) -> Lesson {
        var lesson = Lesson(chapter: chapter, title: title, outputFolder: outputFolder)
        lesson.formats = formats
        return lesson
    }
}

/// Runs a chapter body, turning a thrown error into a one-line message and exit status 1.
public func runChapter(_ body: () throws -> Void) {
    do {
        try body()
    } catch {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        exit(1)
    }
}

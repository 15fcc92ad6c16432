// ChapterOptionSweepTests.swift — every chapter refuses what it does not understand (issue #18).
//
// Runs the built chapter executables with an unknown option, and with out-of-range or unreadable
// values for each option that takes one: each must exit with status 2, name the option on
// standard error and print nothing on standard output (the chapter did not start). Before, seven
// chapters ignored unknown options and ran with their defaults.
import Foundation
import Testing
import FCNCourse

@Suite struct ChapterOptionSweepTests {
    /// Every chapter under Tutorials/ (NN-Name → ChapterNN), so that a new chapter is swept too.
    static let chapters = CoursePages.chapterNames(tutorials: URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().appendingPathComponent("../../Tutorials").standardized)

    /// Bad command lines for every chapter: (arguments, the option the message must name).
    static let common: [([String], String)] = [
        (["--bogus"], "--bogus"),
        (["--no-figures", "--scenes-typo", "3"], "--scenes-typo"),
        (["--formats", "png,gif"], "--formats"),
        (["--formats", "png,,svg"], "--formats"),
        (["--formats", ""], "--formats"),
        (["--out"], "--out"),
        (["--out", ""], "--out"),
        (["--no-figures", "extra-argument"], "extra-argument"),
    ]

    /// Each chapter's own options with values they must refuse.
    static let own: [String: [([String], String)]] = [
        "Chapter01": [(["--image-size", "100"], "--image-size"), (["--image-size", "x"], "--image-size"), (["--window-stride", "12"], "--window-stride")],
        "Chapter02": [
            (["--scene-size", "50"], "--scene-size"), (["--examples", "0"], "--examples"),
            (["--class", "blob"], "--class"), (["--seed", "-3"], "--seed"),
        ],
        "Chapter03": [(["--input-size", "0"], "--input-size"), (["--padding", "-1"], "--padding"), (["--padding", "201"], "--padding")],
        "Chapter04": [(["--steps", "0"], "--steps"), (["--steps", "10", "--early-step", "20"], "--early-step")],
        "Chapter05": [(["--input-size", "8"], "--input-size"), (["--input-size", "15"], "--input-size")],
        "Chapter06": [
            (["--scene-size", "8"], "--scene-size"), (["--steps", "0"], "--steps"), (["--scenes", "0"], "--scenes"),
            (["--keep", "0"], "--keep"), (["--keep", "0.5,1.5"], "--keep"), (["--keep", "half"], "--keep"), (["--keep", ""], "--keep"),
        ],
        "Chapter07": [
            (["--scenes", "0"], "--scenes"), (["--scenes", "-1"], "--scenes"), (["--scenes", "10001"], "--scenes"),
            (["--scenes", "x"], "--scenes"), (["--scenes", "2.5"], "--scenes"),
            (["--scenes", "99999999999999999999"], "--scenes"), (["--scenes"], "--scenes"),
            (["--scene-size", "8"], "--scene-size"),
        ],
        "Chapter08": [
            (["--arch", "fcn99s"], "--arch"), (["--arch", ""], "--arch"), (["--weights", ""], "--weights"),
            (["--input", ""], "--input"), (["--weights"], "--weights"),
            (["--scene-width", "5"], "--scene-width"), (["--scene-height", "9999"], "--scene-height"),
        ],
        "Chapter09": [
            (["--scenes", "0"], "--scenes"), (["--scene-size", "8"], "--scene-size"),
            (["--bands", "4,2"], "--bands"), (["--bands", ""], "--bands"), (["--bands", "0,2"], "--bands"),
            (["--decoder-steps", "0"], "--decoder-steps"), (["--decoder-width", "65"], "--decoder-width"),
            (["--fine-tune-steps", "-2"], "--fine-tune-steps"),
        ],
    ]

    static var cases: [(chapter: String, arguments: [String], option: String)] {
        chapters.flatMap { chapter in (common + (own[chapter] ?? [])).map { (chapter, $0.0, $0.1) } }
    }

    @Test func everyChapterRefusesBadOptions() throws {
        #expect(Self.chapters.count >= 9 && Self.chapters.contains("Chapter09"))
        for (chapter, arguments, option) in Self.cases {
            guard let binary = builtChapter(chapter) else {
                Issue.record("\(chapter) was not built next to the tests; run `swift build --build-tests` first")
                continue
            }
            let r = try runChapterBinary(binary, arguments)
            #expect(r.status == 2, "\(chapter) \(arguments) exited \(r.status); stderr: \(r.stderr)")
            #expect(r.stderr.contains(option), "\(chapter) \(arguments): stderr does not name \(option): \(r.stderr)")
            #expect(r.stdout.isEmpty, "\(chapter) \(arguments) started anyway: \(r.stdout.prefix(200))")
        }
    }

    @Test func everyChapterExplainsItsOptions() throws {
        for chapter in Self.chapters {
            guard let binary = builtChapter(chapter) else { Issue.record("\(chapter) was not built"); continue }
            let r = try runChapterBinary(binary, ["--help"])
            #expect(r.status == 0, "\(chapter) --help exited \(r.status)")
            for option in ["--out", "--formats", "--no-figures", "--answers"] + (Self.own[chapter]?.map(\.1) ?? []) {
                #expect(r.stdout.contains(option), "\(chapter) --help does not mention \(option)")
            }
            // Every knob with a value shows its default (`--out` has one, so at least one per chapter).
            let defaults = r.stdout.components(separatedBy: "(default: ").count - 1
            let knobs = Set((Self.own[chapter] ?? []).map(\.1)).subtracting(["--weights", "--arch", "--input", "--class", "--scenes"])
            #expect(defaults >= 2 + knobs.count, "\(chapter) --help shows \(defaults) defaults for \(knobs.count + 2) options with one")
        }
    }

    /// Values the options accept are the ones the chapters use.
    @Test func commonOptionsParse() throws {
        let defaults = try ChapterOptions.parse([])
        #expect(defaults.outputFolder?.lastPathComponent == "course-output" && defaults.formats == ["png"])
        let chosen = try ChapterOptions.parse(["--out", "/tmp/course", "--formats", "png,pdf,svg"])
        #expect(chosen.outputFolder?.path == "/tmp/course" && chosen.formats == ["png", "pdf", "svg"])
        #expect(try ChapterOptions.parse(["--no-figures"]).outputFolder == nil)
        #expect(throws: (any Error).self) { try ChapterOptions.parse(["--formats", "jpg"]) }
    }
}

/// The built executable `name`, next to the test bundle or in `.build/debug`.
func builtChapter(_ name: String) -> URL? {
    let nextToTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name)
    let inBuildFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../.build/debug/\(name)").standardized
    return [nextToTests, inBuildFolder].first { FileManager.default.isExecutableFile(atPath: $0.path) }
}

/// Runs `program` in a scratch folder (so that a chapter which wrongly starts writes its figures
/// there) with its output in files (no pipe to fill); stops it after five minutes so that a
/// chapter that ignores a bad option fails the test instead of hanging it.
func runChapterBinary(_ program: URL, _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chapter-options-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("stdout"), err = folder.appendingPathComponent("stderr")
    FileManager.default.createFile(atPath: out.path, contents: nil)
    FileManager.default.createFile(atPath: err.path, contents: nil)
    let p = Process()
    p.executableURL = program
    p.arguments = arguments
    p.currentDirectoryURL = folder
    p.standardInput = FileHandle.nullDevice
    p.standardOutput = try FileHandle(forWritingTo: out)
    p.standardError = try FileHandle(forWritingTo: err)
    let done = DispatchSemaphore(value: 0)
    p.terminationHandler = { _ in done.signal() }
    try p.run()
    if done.wait(timeout: .now() + 300) == .timedOut { p.terminate(); done.wait() }
    return (p.terminationStatus, try String(contentsOf: out, encoding: .utf8), try String(contentsOf: err, encoding: .utf8))
}

// Chapter 7 — run it: `swift run -c release Chapter07 [--scenes N] [--scene-size N]`. The chapter itself is in Chapter07.swift.
// Options: the common ones (ChapterOptions) and --scenes, --scene-size; anything else is refused with exit status 2.
import ArgumentParser
import FCNCourse

struct Chapter07Command: ChapterCommand {
    static let configuration = CommandConfiguration(
        commandName: "Chapter07",
        abstract: "Skip fusion: FCN-32s → 16s → 8s, Table 2 and Fig. 4 in miniature (paper §4.2).")
    static let chapter = 7
    static let title = "Skip fusion"
    @OptionGroup var options: ChapterOptions

    /// More scenes only narrow Table 2's error bars; ten thousand already take hours.
    static let scenesRange = 1...10_000

    @Option(help: ArgumentHelp("Held-out scenes for Table 2 (default 50; 10 in a debug build; at most 10000).", valueName: "n"))
    var scenes: Int?

    /// The shipped nets were trained on 128-px scenes; they are fully convolutional, so any size
    /// from VGG-mini's 32-px stride up to 512 (where evaluation takes minutes) runs.
    static let sceneSizes = 32...512

    @Option(help: ArgumentHelp("Side of the held-out scenes, in pixels (\(sceneSizes.lowerBound)…\(sceneSizes.upperBound)).", valueName: "n"))
    var sceneSize = Chapter07Setup().sceneSize

    func validate() throws {
        if let scenes, !Self.scenesRange.contains(scenes) {
            throw ValidationError("--scenes \(scenes) is not in \(Self.scenesRange.lowerBound)…\(Self.scenesRange.upperBound)")
        }
        guard Self.sceneSizes.contains(sceneSize) else {
            throw ValidationError("--scene-size \(sceneSize) is not in \(Self.sceneSizes.lowerBound)…\(Self.sceneSizes.upperBound)")
        }
    }

    func teach(_ lesson: inout Lesson) throws {
        var setup = Chapter07Setup()
        if let scenes { setup.validationScenes = scenes }
        setup.sceneSize = sceneSize
        _ = try chapter07(&lesson, setup: setup)
    }
}

runChapter(Chapter07Command.self)

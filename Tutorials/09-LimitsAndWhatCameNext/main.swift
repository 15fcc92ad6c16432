// Chapter 9 — run it: `swift run -c release Chapter09 [--scenes N] [--scene-size N] [--bands LIST]`. The chapter itself is in Chapter09.swift.
// Options: the common ones (ChapterOptions) and the three below; anything else is refused with exit status 2.
import ArgumentParser
import FCNCourse

struct Chapter09Command: ChapterCommand {
    static let configuration = CommandConfiguration(commandName: "Chapter09", abstract: "Limits and what came next: coarse boundaries, dilated convolutions (paper §4.2, §6).")
    static let chapter = 9
    static let title = "Limits, and what came next"
    @OptionGroup var options: ChapterOptions

    @Option(help: ArgumentHelp("Held-out scenes (1…10000; default \(Chapter09Setup().validationScenes) in this build).", valueName: "n"))
    var scenes = Chapter09Setup().validationScenes

    /// VGG-mini's stride is 32; beyond 512 five nets on every scene take minutes.
    static let sceneSizes = 32...512

    @Option(help: ArgumentHelp("Side of the held-out scenes (\(sceneSizes.lowerBound)…\(sceneSizes.upperBound)).", valueName: "n"))
    var sceneSize = Chapter09Setup().sceneSize

    @Option(help: ArgumentHelp("Upper ends of the distance bands in pixels, increasing, comma-separated.", valueName: "list"))
    var bands = Chapter09Setup().bands.map(String.init).joined(separator: ",")

    var bandEnds: [Int] { bands.split(separator: ",", omittingEmptySubsequences: false).compactMap { Int($0) } }

    func validate() throws {
        guard (1...10_000).contains(scenes) else { throw ValidationError("--scenes \(scenes) is not in 1…10000") }
        guard Self.sceneSizes.contains(sceneSize) else {
            throw ValidationError("--scene-size \(sceneSize) is not in \(Self.sceneSizes.lowerBound)…\(Self.sceneSizes.upperBound)")
        }
        let ends = bandEnds
        guard !ends.isEmpty, ends.count == bands.split(separator: ",", omittingEmptySubsequences: false).count,
              ends.first! >= 1, zip(ends, ends.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw ValidationError("--bands '\(bands)': give increasing whole pixels ≥ 1, comma-separated, such as 2,4,8,16")
        }
    }

    func teach(_ lesson: inout Lesson) throws {
        let setup = Chapter09Setup(validationScenes: scenes, sceneSize: sceneSize, bands: bandEnds)
        _ = try chapter09(&lesson, setup: setup)
    }
}

runChapter(Chapter09Command.self)

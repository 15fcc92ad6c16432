// Chapter 9 — run it: `swift run -c release Chapter09 [--scenes N] [--scene-size N] [--bands LIST] [--decoder-steps N] [--decoder-width D] [--fine-tune-steps N]`. The chapter itself is in Chapter09.swift.
// Options: the common ones (ChapterOptions) and the six below; anything else is refused with exit status 2.
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

    @Option(help: ArgumentHelp("Training steps of the U-Net-style decoder and of the retrained FCN-8s head (1…100000; default \(Chapter09Setup().decoderSteps) in this build).", valueName: "n"))
    var decoderSteps = Chapter09Setup().decoderSteps

    @Option(help: ArgumentHelp("Channels D of every decoder step (1…64).", valueName: "n"))
    var decoderWidth = Chapter09Setup().decoderWidth

    @Option(help: ArgumentHelp("Steps of each arm of the fine-tuning exercise, all layers vs score_fr only (0…100000; 0: score the shipped models).", valueName: "n"))
    var fineTuneSteps = Chapter09Setup().fineTuneSteps

    var bandEnds: [Int] { bands.split(separator: ",", omittingEmptySubsequences: false).compactMap { Int($0) } }

    func validate() throws {
        guard (1...10_000).contains(scenes) else { throw ValidationError("--scenes \(scenes) is not in 1…10000") }
        guard Self.sceneSizes.contains(sceneSize) else {
            throw ValidationError("--scene-size \(sceneSize) is not in \(Self.sceneSizes.lowerBound)…\(Self.sceneSizes.upperBound)")
        }
        guard (1...100_000).contains(decoderSteps) else { throw ValidationError("--decoder-steps \(decoderSteps) is not in 1…100000") }
        guard (0...100_000).contains(fineTuneSteps) else { throw ValidationError("--fine-tune-steps \(fineTuneSteps) is not in 0…100000") }
        guard (1...64).contains(decoderWidth) else { throw ValidationError("--decoder-width \(decoderWidth) is not in 1…64") }
        let ends = bandEnds
        guard !ends.isEmpty, ends.count == bands.split(separator: ",", omittingEmptySubsequences: false).count,
              ends.first! >= 1, zip(ends, ends.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw ValidationError("--bands '\(bands)': give increasing whole pixels ≥ 1, comma-separated, such as 2,4,8,16")
        }
    }

    func teach(_ lesson: inout Lesson) throws {
        let setup = Chapter09Setup(validationScenes: scenes, sceneSize: sceneSize, bands: bandEnds,
                                   decoderSteps: decoderSteps, decoderWidth: decoderWidth, fineTuneSteps: fineTuneSteps)
        _ = try chapter09(&lesson, setup: setup)
    }
}

runChapter(Chapter09Command.self)

// Chapter 6 — run it: `swift run -c release Chapter06 [--scene-size N] [--steps N] [--scenes N] [--keep LIST] [--average-loss]`.
// The chapter itself is in Chapter06.swift.
// Options: the common ones (ChapterOptions) and the five below; anything else is refused with exit status 2.
import ArgumentParser
import FCNCourse

struct Chapter06Command: ChapterCommand {
    static let configuration = CommandConfiguration(commandName: "Chapter06", abstract: "Dense training: the per-pixel loss, loss sampling, a short run (paper §3, §3.4, §4.3).")
    static let chapter = 6
    static let title = "Dense training"
    @OptionGroup var options: ChapterOptions

    /// VGG-mini's score_fr needs 32 px; beyond 512 a step takes seconds even in release.
    static let sceneSizes = 32...512

    @Option(help: ArgumentHelp("Side of the square training and validation scenes (\(sceneSizes.lowerBound)…\(sceneSizes.upperBound)).", valueName: "n"))
    var sceneSize = Chapter06Setup().sceneSize

    @Option(help: ArgumentHelp("Training steps of the short FCN-32s run (1…10000; default \(Chapter06Setup().steps) in this build).", valueName: "n"))
    var steps = Chapter06Setup().steps

    @Option(help: ArgumentHelp("Held-out scenes for the four metrics (1…10000; default \(Chapter06Setup().validationScenes) in this build).", valueName: "n"))
    var scenes = Chapter06Setup().validationScenes

    @Option(help: ArgumentHelp("Loss-sampling fractions of pixels kept, comma-separated, each in (0, 1].", valueName: "list"))
    var keep = Chapter06Setup().keepFractions.map { "\($0)" }.joined(separator: ",")

    @Flag(help: "Average the training loss over the counted pixels instead of summing it, at the same learning rate (an exercise).")
    var averageLoss = false

    var keepFractions: [Double] { keep.split(separator: ",", omittingEmptySubsequences: false).compactMap { Double($0) } }

    func validate() throws {
        guard Self.sceneSizes.contains(sceneSize) else {
            throw ValidationError("--scene-size \(sceneSize) is not in \(Self.sceneSizes.lowerBound)…\(Self.sceneSizes.upperBound)")
        }
        guard (1...10_000).contains(steps) else { throw ValidationError("--steps \(steps) is not in 1…10000") }
        guard (1...10_000).contains(scenes) else { throw ValidationError("--scenes \(scenes) is not in 1…10000") }
        let parts = keep.split(separator: ",", omittingEmptySubsequences: false)
        guard !parts.isEmpty, keepFractions.count == parts.count, keepFractions.allSatisfy({ $0 > 0 && $0 <= 1 }) else {
            throw ValidationError("--keep '\(keep)': give fractions in (0, 1], comma-separated, such as 0.5,0.1")
        }
    }

    func teach(_ lesson: inout Lesson) throws {
        var setup = Chapter06Setup()
        setup.sceneSize = sceneSize
        setup.steps = steps
        setup.validationScenes = scenes
        setup.keepFractions = keepFractions
        setup.averagesLoss = averageLoss
        _ = try chapter06(&lesson, setup: setup)
    }
}

runChapter(Chapter06Command.self)

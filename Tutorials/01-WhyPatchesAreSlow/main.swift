// Chapter 1 — run it: `swift run -c release Chapter01 [--image-size N] [--window-stride S] [--paper-experiment] [--random-classifier]`.
// The chapter itself is in Chapter01.swift.
// Options: the common ones (ChapterOptions) and the four below; anything else is refused with exit status 2.
import ArgumentParser
import FCNCourse

struct Chapter01Command: ChapterCommand {
    static let configuration = CommandConfiguration(commandName: "Chapter01", abstract: "Why classifying patches is slow (paper §3.1).")
    static let chapter = 1
    static let title = "Why classifying patches is slow"
    @OptionGroup var options: ChapterOptions

    /// At least one 224×224 window (the unpadded classifier's input); 1024 already takes minutes.
    static let imageSizes = 224...1024

    @Option(help: ArgumentHelp("Side of the square scene, in pixels (\(imageSizes.lowerBound)…\(imageSizes.upperBound)).", valueName: "n"))
    var imageSize = Chapter01Setup().imageSize

    @Option(help: ArgumentHelp("Pixels between windows: 32, 16 or 8 (1, 4 or 16 passes).", valueName: "s"))
    var windowStride = Chapter01Setup().windowStride

    @Flag(name: .customLong("paper-experiment"), inversion: .prefixedNo, help: "Also time the paper's own experiment: AlexNet, 227² windows, a 500² image (on by default in a release build).")
    var paperExperiment = Chapter01Setup().paperExperiment

    @Flag(help: "Slide VGG16's layout with seeded random weights even when the trained VGG-mini classifier is shipped.")
    var randomClassifier = false

    func validate() throws {
        guard Self.imageSizes.contains(imageSize) else {
            throw ValidationError("--image-size \(imageSize) is not in \(Self.imageSizes.lowerBound)…\(Self.imageSizes.upperBound)")
        }
        guard [32, 16, 8].contains(windowStride) else {
            throw ValidationError("--window-stride \(windowStride): choose 32, 16 or 8 (a divisor of the net's output stride 32)")
        }
    }

    func teach(_ lesson: inout Lesson) throws {
        var setup = Chapter01Setup()
        setup.imageSize = imageSize
        setup.useShippedClassifier = !randomClassifier
        setup.windowStride = windowStride
        setup.paperExperiment = paperExperiment
        _ = try chapter01(&lesson, setup: setup)
    }
}

runChapter(Chapter01Command.self)

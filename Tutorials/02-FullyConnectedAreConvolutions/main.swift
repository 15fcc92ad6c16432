// Chapter 2 — run it: `swift run Chapter02 [--scene-size N] [--seed S] [--examples N] [--class NAME]`.
// The chapter itself is in Chapter02.swift.
// Options: the common ones (ChapterOptions) and the four below; anything else is refused with exit status 2.
import ArgumentParser
import FCN
import FCNCourse

struct Chapter02Command: ChapterCommand {
    static let configuration = CommandConfiguration(commandName: "Chapter02", abstract: "Fully connected layers are convolutions (paper §3.1, Fig. 2).")
    static let chapter = 2
    static let title = "Fully connected layers are convolutions"
    @OptionGroup var options: ChapterOptions

    /// At least one classifier window (112 px); beyond 1024 the printed grid no longer fits a terminal.
    static let sceneSizes = 112...1024
    static let classNames = ShapeClass.allCases.dropFirst().map(\.name)

    @Option(help: ArgumentHelp("Side of the square scene, in pixels (\(sceneSizes.lowerBound)…\(sceneSizes.upperBound)).", valueName: "n"))
    var sceneSize = Chapter02Setup().sceneSize

    @Option(help: ArgumentHelp("Seed of the scene generator.", valueName: "s"))
    var seed = Chapter02Setup().sceneSeed

    @Option(help: ArgumentHelp("Classifier-size examples compared, fully connected against convolutional (1…1000).", valueName: "n"))
    var examples = Chapter02Setup().checkedExamples

    @Option(name: .customLong("class"), help: ArgumentHelp("Class whose heatmap is shown: \(classNames.joined(separator: ", ")) (default: the one covering most of the scene).", valueName: "name"))
    var shownClass: String?

    func validate() throws {
        guard Self.sceneSizes.contains(sceneSize) else {
            throw ValidationError("--scene-size \(sceneSize) is not in \(Self.sceneSizes.lowerBound)…\(Self.sceneSizes.upperBound)")
        }
        guard (1...1000).contains(examples) else { throw ValidationError("--examples \(examples) is not in 1…1000") }
        if let shownClass, !Self.classNames.contains(shownClass) {
            throw ValidationError("--class: unknown class '\(shownClass)'; choose from \(Self.classNames.joined(separator: ", "))")
        }
    }

    func teach(_ lesson: inout Lesson) throws {
        var setup = Chapter02Setup()
        setup.sceneSize = sceneSize
        setup.sceneSeed = seed
        setup.checkedExamples = examples
        setup.shownClass = shownClass.flatMap { name in ShapeClass.allCases.first { $0.name == name } }
        _ = try chapter02(&lesson, setup: setup)
    }
}

runChapter(Chapter02Command.self)

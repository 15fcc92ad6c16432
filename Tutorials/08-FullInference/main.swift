// Chapter 8 — run it: `swift run -c release Chapter08 [--weights FILE] [--arch fcn8s] [--input IMAGE] [--scene-width W --scene-height H]`.
// The chapter itself is in Chapter08.swift.
// Options: the common ones (ChapterOptions) and the five below; anything else is refused with exit status 2.
import ArgumentParser
import FCN
import FCNCourse
import Foundation

struct Chapter08Command: ChapterCommand {
    static let configuration = CommandConfiguration(
        commandName: "Chapter08",
        abstract: "FCN-8s end to end on an image (paper §3, §4.2).")
    static let chapter = 8
    static let title = "FCN-8s end to end"
    @OptionGroup var options: ChapterOptions

    @Option(help: ArgumentHelp(".safetensors or .caffemodel (default: embedded model, else random narrow net).", valueName: "file"))
    var weights: String?

    @Option(help: ArgumentHelp("\(ModelSpec.architectureNames.joined(separator: ", ")) (default: the file's, else fcn8s).", valueName: "name"))
    var arch: String?

    @Option(help: ArgumentHelp("PNG or JPEG (default: a synthetic 500×375 scene).", valueName: "image"))
    var input: String?

    /// At least VGG16's stride; beyond 2000 a forward pass of VGG16 needs gigabytes.
    static let sceneSides = 32...2000

    @Option(help: ArgumentHelp("Width of the synthetic scene when there is no --input (\(sceneSides.lowerBound)…\(sceneSides.upperBound)).", valueName: "w"))
    var sceneWidth = Chapter08Setup().sceneSize.width

    @Option(help: ArgumentHelp("Height of the synthetic scene when there is no --input (\(sceneSides.lowerBound)…\(sceneSides.upperBound)).", valueName: "h"))
    var sceneHeight = Chapter08Setup().sceneSize.height

    func validate() throws {
        if let arch, (try? ModelSpec.Overrides(arch: arch, backbone: nil, classes: nil)) == nil {
            throw ValidationError("--arch: unknown architecture '\(arch)'; choose from \(ModelSpec.architectureNames.joined(separator: ", "))")
        }
        for (name, side) in [("--scene-width", sceneWidth), ("--scene-height", sceneHeight)] where !Self.sceneSides.contains(side) {
            throw ValidationError("\(name) \(side) is not in \(Self.sceneSides.lowerBound)…\(Self.sceneSides.upperBound)")
        }
        for (name, path) in [("--weights", weights), ("--input", input)] where path?.isEmpty == true {
            throw ValidationError("\(name): the file name is empty")
        }
    }

    func teach(_ lesson: inout Lesson) throws {
        var setup = Chapter08Setup()
        if let weights { setup.weights = URL(fileURLWithPath: weights) }
        if let input { setup.input = URL(fileURLWithPath: input) }
        setup.sceneSize = (sceneWidth, sceneHeight)
        if let arch { setup.overrides = try ModelSpec.Overrides(arch: arch, backbone: nil, classes: nil) }
        _ = try chapter08(&lesson, setup: setup)
    }
}

runChapter(Chapter08Command.self)

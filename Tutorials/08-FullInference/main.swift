// Chapter 8 — run it: `swift run -c release Chapter08 [--weights FILE] [--arch fcn8s] [--input IMAGE]`.
// The chapter itself is in Chapter08.swift.
// Options: the common ones (ChapterOptions) and the three below; anything else is refused with exit status 2.
import ArgumentParser
import FCN
import FCNCourse
import Foundation

struct Chapter08Command: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "Chapter08",
        abstract: "FCN-8s end to end on an image (paper §3, §4.2).")
    @OptionGroup var options: ChapterOptions

    @Option(help: ArgumentHelp(".safetensors or .caffemodel (default: embedded model, else random narrow net).", valueName: "file"))
    var weights: String?

    @Option(help: ArgumentHelp("\(ModelSpec.architectureNames.joined(separator: ", ")) (default: the file's, else fcn8s).", valueName: "name"))
    var arch: String?

    @Option(help: ArgumentHelp("PNG or JPEG (default: a synthetic 500×375 scene).", valueName: "image"))
    var input: String?

    func validate() throws {
        if let arch, (try? ModelSpec.Overrides(arch: arch, backbone: nil, classes: nil)) == nil {
            throw ValidationError("--arch: unknown architecture '\(arch)'; choose from \(ModelSpec.architectureNames.joined(separator: ", "))")
        }
        for (name, path) in [("--weights", weights), ("--input", input)] where path?.isEmpty == true {
            throw ValidationError("\(name): the file name is empty")
        }
    }

    func run() throws {
        var setup = Chapter08Setup()
        if let weights { setup.weights = URL(fileURLWithPath: weights) }
        if let input { setup.input = URL(fileURLWithPath: input) }
        if let arch { setup.overrides = try ModelSpec.Overrides(arch: arch, backbone: nil, classes: nil) }
        var lesson = options.lesson(chapter: 8, title: "FCN-8s end to end")
        _ = try chapter08(&lesson, setup: setup)
    }
}

runChapter(Chapter08Command.self)

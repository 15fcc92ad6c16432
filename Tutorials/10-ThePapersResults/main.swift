// Chapter 10 — run it: `swift run -c release Chapter10 [--weights FILE] [--voc FOLDER] [--split NAME]`.
// The chapter itself is in Chapter10.swift. Without the published weights and PASCAL VOC it
// quotes the paper's results and prints the commands that would check them, and exits 0.
// Options: the common ones (ChapterOptions) and the three above; anything else exits with status 2.
import ArgumentParser
import FCNCourse
import Foundation

struct Chapter10Command: ChapterCommand {
    static let configuration = CommandConfiguration(
        commandName: "Chapter10",
        abstract: "The paper's real results: Tables 3–5, PASCAL-Context, and the published voc-fcn8s on seg11valid (paper §5).")
    static let chapter = 10
    static let title = "The paper's results"
    @OptionGroup var options: ChapterOptions

    @Option(help: ArgumentHelp("Berkeley's published weights (.caffemodel, or .safetensors from `fcn convert`).", valueName: "file"))
    var weights: String?

    @Option(help: ArgumentHelp("A PASCAL VOC folder holding JPEGImages/, SegmentationClass/ and ImageSets/Segmentation/.", valueName: "folder"))
    var voc: String?

    @Option(help: ArgumentHelp("The split of --voc to score (ImageSets/Segmentation/<split>.txt).", valueName: "name"))
    var split = "seg11valid"

    func validate() throws {
        if let weights, !FileManager.default.fileExists(atPath: weights) {
            throw ValidationError("--weights \(weights): no such file")
        }
        var folder: ObjCBool = false
        if let voc, !(FileManager.default.fileExists(atPath: voc, isDirectory: &folder) && folder.boolValue) {
            throw ValidationError("--voc \(voc): no such folder")
        }
        if split.isEmpty || split.contains("/") { throw ValidationError("--split must be a split name such as seg11valid (got '\(split)')") }
    }

    func teach(_ lesson: inout Lesson) throws {
        _ = try chapter10(&lesson, setup: Chapter10Setup(weights: weights.map { URL(fileURLWithPath: $0) },
                                                          voc: voc.map { URL(fileURLWithPath: $0) }, split: split))
    }
}

runChapter(Chapter10Command.self)

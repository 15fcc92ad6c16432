// Chapter 5 — run it: `swift run Chapter05 [--input-size N]`. The chapter itself is in Chapter05.swift.
// Options: the common ones (ChapterOptions) and --input-size; anything else is refused with exit status 2.
import ArgumentParser
import FCNCourse

struct Chapter05Command: ChapterCommand {
    static let configuration = CommandConfiguration(commandName: "Chapter05", abstract: "Shift-and-stitch is filter rarefaction (paper §3.2).")
    static let chapter = 5
    static let title = "Shift-and-stitch is filter rarefaction"
    @OptionGroup var options: ChapterOptions

    /// The (1, 1)-shifted input, one pixel smaller, must still reach conv2 with its 3×3 window
    /// (n − 1 − 2 ≥ 2·3); even, so that the four coarse outputs interleave into a square.
    /// Beyond 256 the printed rows say nothing new.
    static let inputSizes = 10...256

    @Option(help: ArgumentHelp("Side of the tiny net's square input in section 1 (even, \(inputSizes.lowerBound)…\(inputSizes.upperBound)).", valueName: "n"))
    var inputSize = 16

    func validate() throws {
        guard Self.inputSizes.contains(inputSize), inputSize % 2 == 0 else {
            throw ValidationError("--input-size \(inputSize) is not an even number in \(Self.inputSizes.lowerBound)…\(Self.inputSizes.upperBound)")
        }
    }

    func teach(_ lesson: inout Lesson) throws {
        _ = try chapter05(&lesson, inputSize: inputSize)
    }
}

runChapter(Chapter05Command.self)

// Chapter 3 — run it: `swift run Chapter03 [--input-size N] [--padding P] [--time | --no-time]`. The chapter itself is in Chapter03.swift.
// Options: the common ones (ChapterOptions) and the three below; anything else is refused with exit status 2.
import ArgumentParser
import FCNCourse

struct Chapter03Command: ChapterCommand {
    static let configuration = CommandConfiguration(commandName: "Chapter03", abstract: "Receptive fields, stride and the 100-pixel pad (paper §3.1, Table 1).")
    static let chapter = 3
    static let title = "Receptive fields, stride and padding"
    @OptionGroup var options: ChapterOptions

    /// At least one pixel (the 100-pixel pad lets any size through); beyond 2000 the numbers say nothing new.
    static let inputSizes = 1...2000

    @Option(help: ArgumentHelp("Side of the square image for the per-layer table and the crop offsets (\(inputSizes.lowerBound)…\(inputSizes.upperBound)).", valueName: "n"))
    var inputSize = Chapter03Setup().inputSize

    /// 0…200 covers "no pad" to twice FCN's; the last exercise sets it beside FCN's 100.
    static let paddings = 0...200

    @Option(help: ArgumentHelp("conv1_1 padding set beside FCN's 100 in the last exercise (\(paddings.lowerBound)…\(paddings.upperBound)).", valueName: "p"))
    var padding = Chapter03Setup().padding

    @Flag(name: .customLong("time"), inversion: .prefixedNo, help: "Time one forward pass of VGG16 FCN-8s on 500×500 (random weights; on by default in a release build).")
    var timesForward = Chapter03Setup().timesForward

    func validate() throws {
        guard Self.inputSizes.contains(inputSize) else {
            throw ValidationError("--input-size \(inputSize) is not in \(Self.inputSizes.lowerBound)…\(Self.inputSizes.upperBound)")
        }
        guard Self.paddings.contains(padding) else {
            throw ValidationError("--padding \(padding) is not in \(Self.paddings.lowerBound)…\(Self.paddings.upperBound)")
        }
    }

    func teach(_ lesson: inout Lesson) throws {
        _ = try chapter03(&lesson, setup: Chapter03Setup(inputSize: inputSize, padding: padding, timesForward: timesForward))
    }
}

runChapter(Chapter03Command.self)

// Chapter 4 — run it: `swift run Chapter04 [--steps N] [--early-step N]`. The chapter itself is in Chapter04.swift.
// Options: the common ones (ChapterOptions) and the two below; anything else is refused with exit status 2.
import ArgumentParser
import FCNCourse

struct Chapter04Command: ChapterCommand {
    static let configuration = CommandConfiguration(commandName: "Chapter04", abstract: "Upsampling by transposed convolution (paper §3.3).")
    static let chapter = 4
    static let title = "Upsampling by transposed convolution"
    @OptionGroup var options: ChapterOptions

    @Option(help: ArgumentHelp("SGD steps fitting the 4×4 upsampling kernel (1…100000).", valueName: "n"))
    var steps = Chapter04Setup().steps

    @Option(help: ArgumentHelp("Step at which the early errors are read (1…--steps).", valueName: "n"))
    var earlyStep = Chapter04Setup().earlyStep

    func validate() throws {
        guard (1...100_000).contains(steps) else { throw ValidationError("--steps \(steps) is not in 1…100000") }
        guard (1...steps).contains(earlyStep) else { throw ValidationError("--early-step \(earlyStep) is not in 1…\(steps) (--steps)") }
    }

    func teach(_ lesson: inout Lesson) throws {
        let setup = Chapter04Setup(steps: steps, earlyStep: earlyStep)
        _ = try chapter04(&lesson, setup: setup)
    }
}

runChapter(Chapter04Command.self)

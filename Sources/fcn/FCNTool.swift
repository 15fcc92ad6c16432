// FCNTool.swift — the `fcn` command: parses arguments, calls the library, reports errors.
//
// Each subcommand lives in its own file and stays thin; everything it computes comes from the
// `FCN` library so that the chapters, the figures and the command share one implementation.
import ArgumentParser
import FCN

@main
struct FCNTool: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fcn",
        abstract: "Fully Convolutional Networks for Semantic Segmentation (Long, Shelhamer, Darrell 2015), in Swift.",
        discussion: """
        Run real FCN inference, inspect architectures, train small FCNs and draw the paper's figures.

        Examples:
          fcn info --system            which BLAS core was chosen, and how fast it is
        """,
        subcommands: [Info.self, FiguresCommand.self]
    )
}

// FCNTool.swift — the `fcn` command: parses arguments, calls the library, reports errors.
//
// Each subcommand lives in its own file and stays thin; everything it computes comes from the
// `FCN` library so that the chapters, the figures and the command share one implementation.
import FCNKernels
import ArgumentParser
import FCN
import Foundation

@main
struct FCNTool: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fcn",
        abstract: "Fully Convolutional Networks for Semantic Segmentation (Long, Shelhamer, Darrell 2015), in Swift.",
        discussion: """
        Run real FCN inference, inspect architectures, train small FCNs and draw the paper's figures.

        Examples:
          fcn info --system            which BLAS core was chosen, and how fast it is
          fcn segment --weights fcn8s.safetensors --input cat.jpg --labels labels.png
          fcn convert fcn8s-heavy-pascal.caffemodel fcn8s.safetensors
        """,
        version: SwiftFCN.version,
        subcommands: [Info.self, Segment.self, Convert.self, Train.self, Evaluate.self, ExperimentCommand.self, FiguresCommand.self]
    )

    /// Parses and runs, with usage errors exiting with status 2 (ArgumentParser's default is 64).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as EmbeddedModelError {
            // The shipped models are missing (a binary without its bundle): what to do, status 2.
            FileHandle.standardError.write(Data("fcn: \(error)\n".utf8))
            exit(withError: ExitCode(2))
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                exit(withError: ExitCode(2))
            }
            exit(withError: error)
        }
    }
}

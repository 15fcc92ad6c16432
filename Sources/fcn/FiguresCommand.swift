// FiguresCommand.swift — `fcn figures`: draws the catalogued figures as PNG, PDF and SVG.
//
// Thin on purpose: the figures and the registry live in `FCNFigures` (FigureCatalog.swift).
import ArgumentParser
import FCN
import FCNFigures
import Foundation

struct FiguresCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "figures",
        abstract: "Draw the paper's figures from numbers this library computes.",
        discussion: """
        Writes each figure in each format as <out>/<name>.<format>, one line per file written.

        Examples:
          fcn figures                      every figure as PNG, PDF and SVG in Figures/
          fcn figures --format png --only convolution-arithmetic
          fcn figures --list               the figure names
        """
    )

    @Option(help: "The folder to write into (created if missing).")
    var out = "Figures"

    @Option(help: "Comma-separated formats among png, pdf, svg.")
    var format = "png,pdf,svg"

    @Option(parsing: .upToNextOption, help: "Only these figures (see --list).")
    var only: [String] = []

    @Option(help: "Pixels per point for PNG.")
    var scale: Double = 2

    @Flag(help: "List the figure names and exit.")
    var list = false

    func validate() throws {
        let unknown = only.filter { FigureCatalog.all[$0] == nil }
        if !unknown.isEmpty {
            throw ValidationError("unknown figure(s) \(unknown.joined(separator: ", ")); known: \(FigureCatalog.names.joined(separator: ", "))")
        }
        for f in formats where FigureFormat(rawValue: f) == nil {
            throw ValidationError("unknown format '\(f)' (use png, pdf, svg)")
        }
        guard scale > 0 && scale <= 16 else { throw ValidationError("--scale must be in (0, 16], got \(scale)") }
    }

    var formats: [String] {
        format.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
    }

    func run() throws {
        if list {
            FigureCatalog.names.forEach { print($0) }
            return
        }
        let folder = URL(fileURLWithPath: out, isDirectory: true)
        try AtomicFile.createFolder(folder)
        // A figure that needs trained models which are not shipped is reported and skipped;
        // the others are still drawn, and the command fails at the end.
        var failed: [String] = []
        for name in only.isEmpty ? FigureCatalog.names : only {
            let figure: Figure
            do {
                figure = try FigureCatalog.all[name]!()
            } catch {
                FileHandle.standardError.write(Data("fcn figures: \(error)\n".utf8))
                failed.append(name)
                continue
            }
            for ext in formats {
                let url = folder.appendingPathComponent("\(name).\(ext)")
                try figure.write(to: url, scale: scale)
                print(url.path)
            }
        }
        if !failed.isEmpty {
            FileHandle.standardError.write(Data("fcn figures: \(failed.count) figure(s) not drawn: \(failed.joined(separator: ", "))\n".utf8))
            throw ExitCode(1)
        }
    }
}

// FiguresCommand.swift — `fcn figures`: draws the catalogued figures as PNG, PDF and SVG.
//
// Thin on purpose: the figures and the registry live in `FCNFigures` (FigureCatalog.swift).
// `--run DIR` draws instead the training curves of a run folder of your own (`fcn train
// --out DIR`), validation scores included (`runCurvesFigure`, TrainingCurves.swift).
import ArgumentParser
import FCN
import FCNFigures
import FCNTraining
import Foundation

struct FiguresCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "figures",
        abstract: "Draw the paper's figures from numbers this library computes.",
        discussion: """
        Writes each figure in each format as <out>/<name>.<format>, one line per file written.
        With --run DIR, draws the loss, accuracy and validation curves of that training run
        (fcn train --out DIR) as DIR/training-curves.<format> instead (--out to write elsewhere).

        Examples:
          fcn figures                      every figure as PNG, PDF and SVG in Figures/
          fcn figures --format png --only convolution-arithmetic
          fcn figures --list               the figure names
          fcn figures --run runs/watch --format png
        """
    )

    @Option(help: "The folder to write into (created if missing; default: Figures, or the run folder with --run).")
    var out: String?

    @Option(name: .customLong("run"), help: ArgumentHelp("A training run folder (fcn train --out): draw its curves.", valueName: "dir"))
    var runFolder: String?

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
        if runFolder != nil && !only.isEmpty { throw ValidationError("--run draws the run's curves; it cannot be combined with --only") }
    }

    var formats: [String] {
        format.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
    }

    func run() throws {
        if list {
            FigureCatalog.names.forEach { print($0) }
            return
        }
        if let run = runFolder {
            let records: TrainingRun
            do { records = try TrainingRun(folder: URL(fileURLWithPath: run, isDirectory: true)) } catch {
                FileHandle.standardError.write(Data("fcn figures: --run: \(error)\n".utf8))
                throw ExitCode(1)
            }
            let folder = URL(fileURLWithPath: out ?? run, isDirectory: true)
            try AtomicFile.createFolder(folder)
            let figure = runCurvesFigure(records)
            for ext in formats {
                let url = folder.appendingPathComponent("training-curves.\(ext)")
                try figure.write(to: url, scale: scale)
                print(url.path)
            }
            return
        }
        let folder = URL(fileURLWithPath: out ?? "Figures", isDirectory: true)
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

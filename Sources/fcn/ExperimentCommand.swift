// ExperimentCommand.swift — `fcn experiment NAME`: one of the paper's §4 experiments in
// miniature (FCNTraining/Experiments): trains every arm for every seed, prints the table beside
// the paper's finding, writes the JSON result and a figure. The work is in the library.
import FCNTraining
import FCNFigures
import ArgumentParser
import FCN
import Foundation

struct ExperimentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "experiment",
        abstract: "Run one of the paper's experiments in miniature (Table 2's controls, Fig. 5, §4.3) for several seeds.",
        discussion: """
        Experiments: \(Experiment.all.map(\.name).joined(separator: ", ")), or `list`.
        Each arm trains from a shared base run (the classifier and, for the skip experiments, FCN-32s),
        trained once per seed under --out/base (or --base). An arm's result is saved as soon as it is
        done, so Ctrl-C and a second run continue where the first stopped.

        Examples:
          fcn experiment list
          fcn experiment fusion --out runs/experiments --seeds 1,2
          fcn experiment sampling --out runs/experiments --json sampling.json --figure sampling.svg
        """)

    @Argument(help: "The experiment, or `list`.")
    var name: String

    @Option(help: ArgumentHelp("Folder for the base runs and the arms' results.", valueName: "folder"))
    var out = "runs/experiments"

    @Option(help: ArgumentHelp("Folder of base runs to use instead of <out>/base (seed S in <base>/seed<S>).", valueName: "folder"))
    var base: String?

    @Option(help: "Seeds, comma-separated (at least 2 to see the spread).")
    var seeds = "1,2"

    @Option(help: "Validation scenes each arm is scored on.")
    var valCount = 100

    @Option(help: "Scale every stage's steps by this factor (0.05–10; 1: the experiment schedule).")
    var stepsScale = 1.0

    @Option(help: ArgumentHelp("Write the result as JSON.", valueName: "file"))
    var json: String?

    @Option(help: ArgumentHelp("Draw mean IU per arm and seed (and the curves, for sampling) to this .png, .pdf or .svg.", valueName: "file"))
    var figure: String?

    @Flag(help: "A tiny model on 16×16 scenes with a few steps, for trying the command in seconds.")
    var tiny = false

    @OptionGroup var threads: ThreadOptions

    var parsedSeeds: [UInt64] { seeds.split(separator: ",").compactMap { UInt64($0.trimmingCharacters(in: .whitespaces)) } }

    func validate() throws {
        if name != "list" && Experiment.named(name) == nil { throw ValidationError(ExperimentError.unknown(name).description) }
        let parts = seeds.split(separator: ",", omittingEmptySubsequences: false)
        guard !parts.isEmpty, parts.count == parsedSeeds.count else { throw ValidationError("--seeds must be numbers separated by commas (got '\(seeds)')") }
        if Set(parsedSeeds).count != parsedSeeds.count { throw ValidationError("--seeds lists a seed twice (got '\(seeds)')") }
        if parsedSeeds.contains(where: { $0 >= 4_000_000_000 }) { throw ValidationError("--seeds must be below 4 billion") }
        if valCount < 1 || valCount > 100_000 { throw ValidationError("--val-count must be 1…100000 (got \(valCount))") }
        if !(0.05...10).contains(stepsScale) { throw ValidationError("--steps-scale must be 0.05…10 (got \(stepsScale))") }
        if out.isEmpty { throw ValidationError("--out needs a folder name") }
        if let figure, !["png", "pdf", "svg"].contains(URL(filePath: figure).pathExtension.lowercased()) {
            throw ValidationError("--figure \(figure): the figure must be a .png, .pdf or .svg")
        }
        if json?.isEmpty == true { throw ValidationError("--json: an empty path") }
    }

    func run() throws {
        if name == "list" {
            for e in Experiment.all { print("\(e.name.padding(toLength: 16, withPad: " ", startingAt: 0)) \(e.title)") }
            return
        }
        let experiment = Experiment.named(name)!
        try OutputFiles.check([json, figure].compactMap { $0.map { URL(filePath: $0) } }, inputs: [])
        StopRequest.installSignalHandlers()
        var runner = ExperimentRunner(folder: URL(filePath: out), seeds: parsedSeeds)
        runner.validationCount = valCount
        runner.baseFolder = base.map { URL(filePath: $0) }
        if tiny {
            runner.model = .tiny; runner.sceneSize = 16; runner.trainingScenes = 20; runner.curveEvery = 2; runner.curveScenes = 2; runner.heldOutPerCell = 0
            runner.steps = runner.steps.mapValues { _ in 6 }
        }
        runner.steps = runner.steps.mapValues { max(1, Int((Double($0) * stepsScale).rounded())) }
        let result: ExperimentResult
        do {
            result = try threads.configuration.apply { try runner.run(experiment) }
        } catch ExperimentError.interrupted {
            FileHandle.standardError.write(Data("fcn experiment: \(ExperimentError.interrupted)\n".utf8))
            throw ExitCode(130)
        }
        print(result.table)
        if let json { try AtomicFile.write(try result.json(), to: URL(filePath: json)) }
        if let figure { try experimentFigure(result).write(to: URL(filePath: figure)) }
    }
}

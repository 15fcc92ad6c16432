// Train.swift — `fcn train`: the paper's staged training on the synthetic world (§4.1–4.2,
// Table 2), with checkpoints, Ctrl-C and --resume. The work is `TrainingPipeline` in the library.
import FCNTraining
import FCNKernels
import ArgumentParser
import FCN
import Foundation

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train VGG-mini and its FCNs stage by stage on synthetic scenes.",
        discussion: """
        Stages (each starts from the weights file of its parent in --out):
          classifier → fcn32s-fixed, fcn32s, fcn8s-atonce;  fcn32s → fcn16s → fcn8s.
        Ctrl-C (or SIGTERM) finishes the current step, writes a checkpoint and exits;
        run the same command with --resume to continue to bit-identical results.
        Each weights file records its network (VGG-mini sizes, head, classes) in its metadata, so
        `fcn segment --weights runs/seed1/fcn8s.safetensors …` runs it without other options.
        --validate-every N scores each segmentation stage on --val-count held-out scenes every N
        steps (<stage>.validation.csv) and keeps the best mean IU as <stage>.best.safetensors;
        it does not change the training. `fcn figures --run DIR` draws the curves.

        Examples:
          fcn train --stage all --out runs/seed1 --seed 1
          fcn train --stage fcn16s --out runs/seed1 --resume
          fcn train --stage all --tiny --out runs/tiny --images-per-stage 20
          fcn train --stage all --tiny --out runs/watch --images-per-stage 20 \\
              --validate-every 10 --val-count 5
        """
    )

    @Option(help: "Stage: classifier, fcn32s-fixed, fcn32s, fcn16s, fcn8s, fcn8s-atonce or all.")
    var stage = "all"

    @OptionGroup var runFolder: RunFolderOptions

    @OptionGroup var threads: ThreadOptions

    @Flag(help: "Continue from the checkpoints in --out; skip stages whose weights exist.")
    var resume = false

    @Option(help: "Seed of initialisation, data order, dropout and the training world (< 4 billion).")
    var seed: UInt64 = 1

    @Option(help: "Steps for the chosen stage(s) (one image per step; a batch for the classifier).")
    var steps: Int?

    @Option(help: "Steps per stage: one number for all, or a list such as classifier=1500,fcn32s=1000.")
    var imagesPerStage: String?

    @Option(help: "Steps between checkpoints.")
    var checkpointEvery = 200

    @Option(help: "Validation scenes scored after --stage all (the Table 2 run), and at each --validate-every.")
    var valCount = 200

    @Option(help: "Steps between validations of each segmentation stage (0: none).")
    var validateEvery = 0

    @OptionGroup var hyperparameters: HyperparameterOptions

    @OptionGroup var vggMini: VGGMiniOptions

    @Option(help: "Side of the synthetic training and validation scenes.")
    var sceneSize: Int?

    @Option(help: "How the scenes are drawn: classic (cluttered backgrounds, outlined shapes; the shipped models) or varied (plain, gradient, patterned and noisy backgrounds, flat or textured shapes, radii 5–45 % of the side).")
    var drawing: String = SceneGenerator.Drawing.classic.rawValue

    @Option(help: "Training scenes (and classification examples ×10) per epoch.")
    var datasetSize: Int?

    @Flag(help: "A tiny model on 16×16 scenes, for trying the commands in seconds.")
    var tiny = false

    func validate() throws {
        if stage != "all" && TrainingStage(rawValue: stage) == nil {
            throw ValidationError("--stage: unknown stage '\(stage)'; choose one of \(TrainingStage.allCases.map(\.rawValue).joined(separator: ", ")), all")
        }
        guard validateEvery >= 0 else { throw ValidationError("--validate-every must be 0 (none) or a number of steps, got \(validateEvery)") }
        guard valCount >= 0 else { throw ValidationError("--val-count must not be negative, got \(valCount)") }
        if validateEvery > 0 && valCount == 0 { throw ValidationError("--validate-every needs --val-count of at least 1") }
        guard seed < SyntheticData.validationSeed - 1_000_003 else { throw ValidationError("--seed must be below \(SyntheticData.validationSeed - 1_000_003)") }
        // Counts and sizes: each bounded, so a typo is a message naming the option, not a trap or a
        // run that silently does something else (the hyper-parameters and VGG-mini's sizes are
        // checked by their option groups).
        if let steps { try ValidationError.require((0...Self.maximumSteps).contains(steps), "--steps must be between 0 and \(Self.maximumSteps) (got \(steps))") }
        if let imagesPerStage {
            for (s, n) in try Self.parseSteps(imagesPerStage) {
                try ValidationError.require(n <= Self.maximumSteps, "--images-per-stage: \(s.rawValue)=\(n) is more than \(Self.maximumSteps) steps")
            }
        }
        try ValidationError.require(checkpointEvery >= 1, "--checkpoint-every must be at least 1 (got \(checkpointEvery))")
        try ValidationError.require(SceneGenerator.Drawing(rawValue: drawing) != nil, "--drawing must be classic or varied (got '\(drawing)')")
        if let sceneSize { try ValidationError.require((16...4096).contains(sceneSize), "--scene-size must be between 16 and 4096 (got \(sceneSize))") }
        if let datasetSize { try ValidationError.require((1...10_000_000).contains(datasetSize), "--dataset-size must be between 1 and 10000000 (got \(datasetSize))") }
    }

    /// The most steps one stage may be given (about a week of training here: a typo, not a plan).
    static let maximumSteps = 10_000_000

    func run() throws {
        // `--threads` is in force for every pass of the command (the engine reads it per call).
        try threads.configuration.apply { try runWithConfiguration() }
    }

    private func runWithConfiguration() throws {
        let stages = stage == "all" ? TrainingStage.allCases : [TrainingStage(rawValue: stage)!]   // checked in validate()

        // Keep freed tensors' memory for reuse: each step allocates and frees the same
        // activations, and returning them to the kernel cost more system time than the maths.
        AllocatorTuning.keepFreedMemoryForReuse()
        var pipeline = TrainingPipeline(folder: URL(filePath: runFolder.out ?? "runs/seed\(seed)"), seed: seed)
        if tiny { pipeline.model = .tiny; pipeline.sceneSize = 16; pipeline.trainingScenes = 50; pipeline.classificationExamples = 200 }
        pipeline.checkpointEvery = checkpointEvery                                           // ≥ 1, checked in validate()
        pipeline.validateEvery = validateEvery
        pipeline.validationCount = valCount
        if let sceneSize { pipeline.sceneSize = sceneSize }
        pipeline.drawing = SceneGenerator.Drawing(rawValue: drawing)!
        if let datasetSize { pipeline.trainingScenes = datasetSize; pipeline.classificationExamples = 10 * datasetSize }
        if let imagesPerStage { pipeline.steps.merge(try Self.parseSteps(imagesPerStage)) { $1 } }
        if let steps { for s in stages { pipeline.steps[s] = steps } }
        for s in stages { pipeline.hyperparameters[s] = hyperparameters.applied(to: pipeline.hyperparameters(for: s)) }
        pipeline.model = try vggMini.applied(to: pipeline.model)                          // checked in validate()

        StopRequest.installSignalHandlers()
        let start = Date()
        for s in stages {
            switch try pipeline.run(s, resume: resume) {
            case .finished: print("\(s.rawValue): \(pipeline.steps[s] ?? 0) steps → \(pipeline.weightsURL(s).path)")
            case .alreadyDone: print("\(s.rawValue): already trained (\(pipeline.weightsURL(s).path))")
            case .interrupted(let step):
                print("\(s.rawValue): stopped at step \(step); checkpoint \(pipeline.checkpointURL(s).path). Continue with --resume.")
                throw ExitCode(130)
            }
        }
        print(String(format: "training time %.0f s", Date().timeIntervalSince(start)))
        if stage == "all" && valCount > 0 {
            let table = try TrainingReport.evaluate(pipeline, validationCount: valCount)
            print(table.text)
            try table.write(to: pipeline.folder)
            print("table → \(pipeline.folder.appending(path: "table2.json").path)")
        }
    }

    /// "1000" → every stage 1000; "classifier=1500,fcn32s=800" → those stages.
    static func parseSteps(_ text: String) throws -> [TrainingStage: Int] {
        if let n = Int(text) {
            guard n >= 0 else { throw ValidationError("--images-per-stage must not be negative (got \(n))") }
            return Dictionary(uniqueKeysWithValues: TrainingStage.allCases.map { ($0, n) })
        }
        var result: [TrainingStage: Int] = [:]
        for item in text.split(separator: ",") {
            let parts = item.split(separator: "=")
            guard parts.count == 2, let s = TrainingStage(rawValue: String(parts[0])), let n = Int(parts[1]), n >= 0 else {
                throw ValidationError("--images-per-stage: cannot read '\(item)' (expected stage=count)")
            }
            result[s] = n
        }
        return result
    }
}

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

    @Option(help: "Base learning rate for the chosen stage(s) (default: per stage, see StageHyperparameters).")
    var learningRate: Float?

    @Option(help: "Momentum for the chosen stage(s).")
    var momentum: Float?

    @Option(help: "Images per step for the chosen stage(s).")
    var batchSize: Int?

    @Option(help: "VGG-mini block widths, e.g. 8,16,32,64,64 (experiments; the shipped model uses the default).")
    var widths: String?

    @Option(help: "VGG-mini convolutions per block, e.g. 2,2,3,3,3.")
    var depths: String?

    @Option(help: "Side of the synthetic training and validation scenes.")
    var sceneSize: Int?

    @Option(help: "VGG-mini classifier input side (examples fill it; fc6 covers its pool5).")
    var classifierInput: Int?

    @Option(help: "Dropout ratio after fc6 and fc7 (VGG16: 0.5; VGG-mini default: 0, none).")
    var dropout: Float?

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
        // run that silently does something else.
        func require(_ ok: Bool, _ message: @autoclosure () -> String) throws { if !ok { throw ValidationError(message()) } }
        if let steps { try require((0...Self.maximumSteps).contains(steps), "--steps must be between 0 and \(Self.maximumSteps) (got \(steps))") }
        if let imagesPerStage {
            for (s, n) in try Self.parseSteps(imagesPerStage) {
                try require(n <= Self.maximumSteps, "--images-per-stage: \(s.rawValue)=\(n) is more than \(Self.maximumSteps) steps")
            }
        }
        try require(checkpointEvery >= 1, "--checkpoint-every must be at least 1 (got \(checkpointEvery))")
        if let learningRate { try require(learningRate.isFinite && learningRate > 0, "--learning-rate must be a positive number (got \(learningRate))") }
        if let momentum { try require(momentum.isFinite && momentum >= 0 && momentum < 1, "--momentum must be in [0, 1) (got \(momentum))") }
        if let batchSize { try require((1...1024).contains(batchSize), "--batch-size must be between 1 and 1024 (got \(batchSize))") }
        if let widths { _ = try Self.parseBlocks(widths, option: "--widths", range: 1...4096) }
        if let depths { _ = try Self.parseBlocks(depths, option: "--depths", range: 1...16) }
        if let sceneSize { try require((16...4096).contains(sceneSize), "--scene-size must be between 16 and 4096 (got \(sceneSize))") }
        if let classifierInput { try require((16...1024).contains(classifierInput), "--classifier-input must be between 16 and 1024 (got \(classifierInput))") }
        if let datasetSize { try require((1...10_000_000).contains(datasetSize), "--dataset-size must be between 1 and 10000000 (got \(datasetSize))") }
    }

    /// The most steps one stage may be given (about a week of training here: a typo, not a plan).
    static let maximumSteps = 10_000_000

    /// A VGG-mini list option: five whole numbers in `range`, comma-separated (`8,16,32,64,64`).
    static func parseBlocks(_ text: String, option: String, range: ClosedRange<Int>) throws -> [Int] {
        let items = text.split(separator: ",", omittingEmptySubsequences: false)
        var values: [Int] = []
        for item in items {
            guard let n = Int(item.trimmingCharacters(in: .whitespaces)), range.contains(n) else {
                throw ValidationError("\(option): '\(item)' is not a whole number from \(range.lowerBound) to \(range.upperBound) (in '\(text)')")
            }
            values.append(n)
        }
        guard values.count == 5 else { throw ValidationError("\(option) needs one value per block of VGG-mini, five in all (got \(values.count) in '\(text)')") }
        return values
    }

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
        if let datasetSize { pipeline.trainingScenes = datasetSize; pipeline.classificationExamples = 10 * datasetSize }
        if let imagesPerStage { pipeline.steps.merge(try Self.parseSteps(imagesPerStage)) { $1 } }
        if let steps { for s in stages { pipeline.steps[s] = steps } }
        for s in stages {
            var h = pipeline.hyperparameters(for: s)
            if let learningRate { h.learningRate = learningRate }
            if let momentum { h.momentum = momentum }
            if let batchSize { h.batchSize = batchSize }
            pipeline.hyperparameters[s] = h
        }
        if let widths { pipeline.model.widths = try Self.parseBlocks(widths, option: "--widths", range: 1...4096) }
        if let depths { pipeline.model.convolutionsPerBlock = try Self.parseBlocks(depths, option: "--depths", range: 1...16) }
        if let r = dropout {
            guard r >= 0 && r < 1 else { throw ValidationError("--dropout \(r) is not in [0, 1)") }
            pipeline.model.dropout = r
        }
        if let c = classifierInput { pipeline.model.classifierInputSize = c; pipeline.model.exampleSize = c }

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

// HyperparameterOptions.swift — `--learning-rate`, `--momentum`, `--batch-size`: overrides of
// the per-stage hyper-parameters of Table 2's training (`StageHyperparameters`, §4.1–4.2) for
// the stages `fcn train` runs, declared with their bounds in one place.
import ArgumentParser
import FCNTraining

struct HyperparameterOptions: ParsableArguments {
    @Option(help: "Base learning rate for the chosen stage(s) (default: per stage, see StageHyperparameters).")
    var learningRate: Float?

    @Option(help: "Momentum for the chosen stage(s).")
    var momentum: Float?

    @Option(help: "Images per step for the chosen stage(s).")
    var batchSize: Int?

    func validate() throws {
        if let learningRate {
            try ValidationError.require(learningRate.isFinite && learningRate > 0, "--learning-rate must be a positive number (got \(learningRate))")
        }
        if let momentum {
            try ValidationError.require(momentum.isFinite && momentum >= 0 && momentum < 1, "--momentum must be in [0, 1) (got \(momentum))")
        }
        if let batchSize { try ValidationError.require((1...1024).contains(batchSize), "--batch-size must be between 1 and 1024 (got \(batchSize))") }
    }

    /// `hyperparameters` with the values given on the command line in place of its own.
    func applied(to hyperparameters: StageHyperparameters) -> StageHyperparameters {
        var h = hyperparameters
        if let learningRate { h.learningRate = learningRate }
        if let momentum { h.momentum = momentum }
        if let batchSize { h.batchSize = batchSize }
        return h
    }
}

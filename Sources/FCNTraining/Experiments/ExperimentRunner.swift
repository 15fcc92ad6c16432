// ExperimentRunner.swift — trains an experiment's arms for every seed and scores them.
//
// Files, under the runner's folder:
//   base/seed<S>/…                  the shared base run (a `fcn train` folder: classifier, FCN-32s, …),
//                                   trained on first use with the paper's choices, resumable;
//   <experiment>/<arm>/seed<S>.json one arm's result for one seed, written when the arm finishes —
//                                   a second run skips it, so an interrupted experiment continues.
// Arms keep no weights: the question is the score, and the base run is what they share.
//
// Scores are the paper's four metrics (§5) on the synthetic validation scenes, the same scenes
// for every arm and seed, and the mean IU on the independently drawn held-out grid. Time is wall time of the training steps only (no scoring, no files).

import FCN
import FCNCore
import Foundation

/// Runs ``Experiment``s: base runs once per seed, then each arm.
///
/// ```swift
/// var runner = ExperimentRunner(folder: URL(filePath: "runs/experiments"), seeds: [1, 2])
/// let result = try runner.run(Experiment.named("fusion")!)
/// print(result.table)
/// ```
public struct ExperimentRunner: Sendable {
    /// Where base runs and arm results are written.
    public var folder: URL
    /// The seeds every arm is trained with (≥ 2 to tell signal from noise).
    public var seeds: [UInt64]
    /// The model sizes.
    public var model: VGGMini = .standard
    /// The side of the training and validation scenes.
    public var sceneSize = 128
    /// Steps per stage of the base run, and of an arm's stage at length 1 — shorter than the
    /// shipped training's, so that an experiment takes minutes.
    public var steps: [TrainingStage: Int] = [.classifier: 3000, .fcn32sFixed: 400, .fcn32s: 1200, .fcn16s: 600, .fcn8s: 600, .fcn8sAtOnce: 1200]
    /// Training scenes per epoch (an arm's `dataFactor` scales it).
    public var trainingScenes = 2000
    /// Validation scenes every arm is scored on.
    public var validationCount = 100
    /// With curves: steps between two points of an arm's curve.
    public var curveEvery = 25
    /// Validation scenes the curve's loss is measured on.
    public var curveScenes = 12
    /// The base runs' folder (`nil`: `<folder>/base`); seed S's base is `<base>/seed<S>`.
    public var baseFolder: URL?
    /// How the base run's scenes and every validation scene are drawn (an arm's own training
    /// scenes follow its step's `drawing`). Classic: the world where this VGG-mini learns within
    /// an experiment's short schedule (on the varied world its FCN-32s stays near 15 mean IU
    /// after 1200 steps, too close to "background everywhere" for any arm to differ).
    public var drawing: SceneGenerator.Drawing = .classic
    /// Scenes per (size, scale) cell of the held-out world each arm is also scored on (0: none).
    public var heldOutPerCell = 1
    /// Progress lines on standard error.
    public var showsProgress = true

    /// A runner writing into `folder`.
    public init(folder: URL, seeds: [UInt64] = [1, 2]) { self.folder = folder; self.seeds = seeds }

    /// The base run of `seed`.
    public func basePipeline(seed: UInt64) -> TrainingPipeline {
        var p = TrainingPipeline(folder: (baseFolder ?? folder.appending(path: "base")).appending(path: "seed\(seed)"), seed: seed)
        p.model = model; p.sceneSize = sceneSize; p.steps = steps; p.trainingScenes = trainingScenes
        p.showsProgress = showsProgress; p.drawing = drawing
        return p
    }

    /// The result file of `arm` for `seed`.
    public func resultURL(_ experiment: Experiment, _ arm: Experiment.Arm, seed: UInt64) -> URL {
        folder.appending(path: experiment.name).appending(path: arm.key).appending(path: "seed\(seed).json")
    }

    /// Trains whatever is missing of `experiment` and returns its result.
    public func run(_ experiment: Experiment, shouldStop: () -> Bool = { StopRequest.isRequested }) throws -> ExperimentResult {
        var outcomes: [String: [ExperimentResult.Outcome]] = [:]
        for seed in seeds {
            let base = basePipeline(seed: seed)
            for stage in experiment.base {
                if case .interrupted = try base.run(stage, resume: true, shouldStop: shouldStop) { throw ExperimentError.interrupted }
            }
            for arm in experiment.arms {
                let url = resultURL(experiment, arm, seed: seed)
                if FileManager.default.fileExists(atPath: url.path) {
                    outcomes[arm.key, default: []].append(try ExperimentResult.Outcome.read(url))
                    continue
                }
                let outcome = try train(arm, seed: seed, base: base, curves: experiment.keepsCurves, shouldStop: shouldStop)
                try AtomicFile.createFolder(url.deletingLastPathComponent())
                try outcome.write(to: url)
                outcomes[arm.key, default: []].append(outcome)
            }
        }
        return ExperimentResult(experiment: experiment, seeds: seeds, sceneSize: sceneSize, validationCount: validationCount,
                                rows: experiment.arms.map { ExperimentResult.Row(key: $0.key, name: $0.name, outcomes: outcomes[$0.key] ?? []) })
    }

    /// Trains one arm for one seed and scores its last stage.
    func train(_ arm: Experiment.Arm, seed: UInt64, base: TrainingPipeline, curves: Bool,
               shouldStop: () -> Bool) throws -> ExperimentResult.Outcome {
        var previous: [String: Tensor]? = nil
        var network: Network? = nil
        var seconds = 0.0, stepsDone = 0
        var curve: [ExperimentResult.CurvePoint] = []
        let curveSet = curves ? (0..<curveScenes).map { SyntheticData.validationWorld(sceneSize: sceneSize, drawing: drawing).scene(validationCount + $0) } : []
        for step in arm.steps {
            let parentStage: TrainingStage?
            let source: [String: Tensor]?
            switch step.parent {
            case .base(let s): parentStage = s; source = try PretrainedWeights.readTensors(base.weightsURL(s))
            case .previous: parentStage = nil; source = previous
            }
            var h = StageHyperparameters.defaults(for: step.stage, sceneSize: sceneSize)
            h.learningRate *= step.rateFactor
            h.batchSize = step.batchSize
            let n = max(1, Int((Double(steps[step.stage] ?? 0) * step.length).rounded()))
            let scenes = max(h.batchSize, Int(Double(trainingScenes) * step.dataFactor))
            var data = SyntheticData(seed: seed, sceneSize: sceneSize, exampleSize: model.exampleSize)
            data.drawing = step.drawing ?? drawing
            // Net surgery happens when the weights are the classifier's; weights of an FCN of the
            // same head (FCN-32s continued as FCN-32s) are taken as they are.
            let takesSurgery = parentStage == .classifier
            var trainer = try StageTrainer(stage: step.stage, model: model, seed: seed, sceneSize: sceneSize, steps: n, hyperparameters: h,
                                           datasetSize: scenes, parent: takesSurgery ? source : nil, variant: step.variant, data: data)
            if !takesSurgery, let source { try trainer.start(from: source) }
            var bar = showsProgress ? ProgressBar(total: n, label: "\(arm.key) seed \(seed) \(step.stage.rawValue)", unit: "img") : nil
            while trainer.step < trainer.steps {
                if shouldStop() { bar?.stop(); throw ExperimentError.interrupted }
                let start = DispatchTime.now().uptimeNanoseconds
                let record = try trainer.advance()
                seconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                stepsDone += 1
                bar?.update(step: trainer.step, figures: [("loss", record.loss)])
                if curves && (trainer.step % curveEvery == 0 || trainer.step == trainer.steps) {
                    curve.append(.init(step: stepsDone, seconds: seconds, loss: try Self.meanPixelLoss(trainer.network, curveSet)))
                }
            }
            bar?.finish()
            previous = trainer.network.parameters
            network = trainer.network
        }
        let world = SyntheticData.validationWorld(sceneSize: sceneSize, drawing: drawing)
        let m = try SegmentationEvaluation.evaluate(network!, classes: VGGMini.segmentationClasses, count: validationCount) { world.scene($0) }
        let s = m.scores
        let heldOut = heldOutPerCell > 0 ? try GeneralizationReport.evaluate(network!, scenesPerCell: heldOutPerCell).meanIU : nil
        return .init(seed: seed, steps: stepsDone, seconds: seconds, pixelAccuracy: s.pixelAccuracy, meanAccuracy: s.meanAccuracy,
                     meanIU: s.meanIU, frequencyWeightedIU: s.frequencyWeightedIU, heldOutMeanIU: heldOut, curve: curve)
    }

    /// The loss per counted pixel of `network` on `scenes` (the whole images, nothing sampled).
    static func meanPixelLoss(_ network: Network, _ scenes: [LabeledScene]) throws -> Double {
        let loss = SoftmaxCrossEntropy(ignoreLabel: Int(ShapeClass.void), normalization: .validPixels)
        var total = 0.0
        for scene in scenes {
            let scores = try network.forward(SyntheticData.input(scene))
            total += loss.lossAndGradient(scores: scores, labels: SyntheticData.labels(scene)).loss
        }
        return total / Double(max(1, scenes.count))
    }
}

/// Why an experiment stopped.
public enum ExperimentError: Error, CustomStringConvertible, Equatable {
    /// A stop was requested (Ctrl-C); finished arms are kept, the next run continues.
    case interrupted
    /// No experiment has this name.
    case unknown(String)
    /// A sentence.
    public var description: String {
        switch self {
        case .interrupted: "stopped: the finished arms are saved; run the same command again to continue"
        case .unknown(let name): "no experiment '\(name)'; choose one of \(Experiment.all.map(\.name).joined(separator: ", "))"
        }
    }
}

extension StageTrainer {
    /// Starts from `parameters` taken as they are (an FCN continued as the same FCN): every
    /// tensor of the net must be there with its shape; momentum starts at zero.
    mutating func start(from parameters: [String: Tensor]) throws {
        var p = network.parameters
        for (name, tensor) in p {
            guard let given = parameters[name] else { continue }
            guard given.shape == tensor.shape else { throw ParameterError.shapeMismatch(name: name, expected: tensor.shape, found: given.shape) }
            p[name] = given
        }
        replaceParameters(p)
    }
}

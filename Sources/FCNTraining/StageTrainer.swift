// StageTrainer.swift — the training loop of one stage: forward, per-pixel loss, backward,
// SGD step (paper §3: "dense feedforward computation and backpropagation"; §4.3 training setup).
//
// One step:
//   1. draw the step's images in a fixed order (a permutation per epoch of the training set);
//   2. training forward (dropout active) → score map [N, K, H, W] (classifier: [N, K]);
//   3. per-pixel softmax cross-entropy with void (255) ignored, and its gradient;
//   4. backpropagation through the whole net, fixed kernels included (they just do not move);
//   5. SGD with momentum, weight decay and the stage's per-parameter rules.
// Segmentation steps take one image each (§4.3 "online learning"); a `batchSize` > 1
// averages the gradients of that many images, one after the other (Caffe's `iter_size`).
//
// Determinism. Nothing random is shared between steps: step k's dropout draws come from a
// generator seeded by (seed, stage, k), and epoch e's order from (seed, stage, e). So a run
// resumed from a checkpoint at step k makes the same draws as one that never stopped, and the
// parameters match bit for bit (the kernels are deterministic for a fixed thread count).
//
// Dimension letters: N images per step, K classes, H×W the image, S the classifier input side.

import FCN
import FCNCore

/// Trains one stage, step by step.
///
/// ```swift
/// var trainer = try StageTrainer(stage: .fcn32s, model: .standard, seed: 1, sceneSize: 64,
///                                steps: 1000, hyperparameters: .defaults(for: .fcn32s, sceneSize: 64),
///                                datasetSize: 2000, parent: classifierWeights)
/// while trainer.step < trainer.steps { print(try trainer.advance().loss) }
/// ```
///
/// ### See Also
/// - ``TrainingPipeline``, which runs the stages, writes checkpoints and weights.
public struct StageTrainer {
    /// The stage trained.
    public let stage: TrainingStage
    /// The model sizes.
    public let model: VGGMini
    /// The seed that fixes initialisation and data order.
    public let seed: UInt64
    /// Steps planned.
    public let steps: Int
    /// The stage's hyper-parameters.
    public let hyperparameters: StageHyperparameters
    /// Training scenes (or classification examples) per epoch.
    public let datasetSize: Int
    /// Where the training scenes come from.
    public let data: SyntheticData
    /// Steps done.
    public private(set) var step = 0
    /// The network with its current parameters.
    public private(set) var network: Network
    /// Loss and pixel accuracy of every step done.
    public private(set) var history: [TrainingRecord] = []
    /// The parameters that came from the parent stage.
    public let inherited: Set<String>
    /// The paper's choices, or one of its controls (`Experiments/TrainingVariant.swift`).
    public let variant: TrainingVariant
    var sgd: SGD
    let rules: [String: LearningRule]
    /// The parameters that learn in this stage (not frozen): the only ones backward computes for.
    let learning: Set<String>
    let loss: SoftmaxCrossEntropy
    private var order: (epoch: Int, permutation: [Int]) = (-1, [])

    /// A new stage: parameters from `parent` (the parent stage's trained weights) where they
    /// exist, fresh ones elsewhere.
    public init(stage: TrainingStage, model: VGGMini, seed: UInt64, sceneSize: Int, steps: Int,
                hyperparameters: StageHyperparameters, datasetSize: Int, parent: [String: Tensor]?,
                variant: TrainingVariant = .paper, data: SyntheticData? = nil) throws {
        precondition(datasetSize >= hyperparameters.batchSize, "StageTrainer: the data set is smaller than a batch")
        self.stage = stage; self.model = model; self.seed = seed; self.steps = steps
        self.hyperparameters = hyperparameters; self.datasetSize = datasetSize
        self.variant = variant
        self.data = data ?? SyntheticData(seed: seed, sceneSize: sceneSize, exampleSize: model.exampleSize)
        let description = stage == .classifier ? try stage.description(model) : variant.apply(to: try stage.description(model))
        let shape = Self.inputShape(stage, model, sceneSize)
        var rng = SeededRandom(seed: Self.mix(seed, stage, 0xA11_1417))
        var start = try stage.initialParameters(description, inputShape: shape, model: model, parent: parent, using: &rng)
        if variant.randomScoreInit && stage != .classifier {
            // He normal, N(0, 2/fan-in), for the score layers that did not come from the parent.
            for (name, w) in start.parameters where name.hasPrefix("score_") && name.hasSuffix(".weight") && !start.inherited.contains(name) {
                let fanIn = Float(w.shape.dropFirst().reduce(1, *))
                start.parameters[name] = Tensor(shape: w.shape, scalars: (0..<w.count).map { _ in rng.nextNormal() * (2 / fanIn).squareRoot() })
            }
        }
        inherited = start.inherited
        network = try Network(description, parameters: start.parameters)
        rules = stage.rules(for: try description.parameterShapes(inputShape: shape))
        learning = Set(rules.filter { $0.value.learningRateMultiplier != 0 }.keys)
        sgd = SGD(learningRate: hyperparameters.learningRate, momentum: hyperparameters.momentum, weightDecay: hyperparameters.weightDecay)
        loss = SoftmaxCrossEntropy(ignoreLabel: Int(ShapeClass.void), normalization: hyperparameters.averagesLoss ? .validPixels : .none)
    }

    /// Continues from `checkpoint` exactly where it stopped.
    public init(resuming checkpoint: Checkpoint, sceneSize: Int, datasetSize: Int, data: SyntheticData? = nil) throws {
        try self.init(stage: checkpoint.stage, model: checkpoint.model, seed: checkpoint.seed, sceneSize: sceneSize,
                      steps: checkpoint.steps, hyperparameters: checkpoint.hyperparameters, datasetSize: datasetSize,
                      parent: nil, data: data)
        network = try Network(network.description, parameters: checkpoint.parameters)
        sgd.history = checkpoint.momentum
        step = checkpoint.step
        history = checkpoint.history
    }

    /// Sets every parameter (same names and shapes as now) and forgets the momentum.
    mutating func replaceParameters(_ parameters: [String: Tensor]) {
        network.update(parameters)
        sgd.history = [:]
    }

    /// The state to save: continuing from it reproduces this run exactly.
    public var checkpoint: Checkpoint {
        Checkpoint(stage: stage, step: step, steps: steps, seed: seed, hyperparameters: hyperparameters, model: model,
                   parameters: network.parameters, momentum: sgd.history, history: history)
    }

    /// The input shape of one image of the stage: `[1, 3, S, S]` or `[1, 3, H, W]`.
    static func inputShape(_ stage: TrainingStage, _ model: VGGMini, _ sceneSize: Int) -> [Int] {
        stage == .classifier ? [1, 3, model.classifierInputSize, model.classifierInputSize] : [1, 3, sceneSize, sceneSize]
    }

    /// A 64-bit seed from (seed, stage, counter), through SplitMix64's mixing.
    static func mix(_ seed: UInt64, _ stage: TrainingStage, _ counter: UInt64) -> UInt64 {
        let stageIndex = UInt64(TrainingStage.allCases.firstIndex(of: stage)!)
        var rng = SeededRandom(seed: seed &* 0x9E37_79B9_7F4A_7C15 ^ (stageIndex &+ 1) &* 0xC2B2_AE3D_27D4_EB4F ^ counter)
        return rng.next()
    }

    /// The data index of the `position`-th image the stage sees: epoch e = position / datasetSize
    /// walks a permutation drawn from (seed, stage, e) (Fisher–Yates).
    mutating func dataIndex(_ position: Int) -> Int {
        let epoch = position / datasetSize
        if order.epoch != epoch {
            var rng = SeededRandom(seed: Self.mix(seed, stage, 0xE70C_0000_0000 &+ UInt64(epoch)))
            var permutation = Array(0..<datasetSize)
            for i in stride(from: datasetSize - 1, to: 0, by: -1) { permutation.swapAt(i, Int.random(in: 0...i, using: &rng)) }
            order = (epoch, permutation)
        }
        return order.permutation[position % datasetSize]
    }

    /// Does one step and returns its figures.
    @discardableResult
    public mutating func advance() throws -> TrainingRecord {
        precondition(step < steps, "StageTrainer: all \(steps) steps are done")
        var rng = SeededRandom(seed: Self.mix(seed, stage, UInt64(step)))
        let batch = hyperparameters.batchSize
        var indices: [Int] = []
        for b in 0..<batch { indices.append(dataIndex(step * batch + b)) }

        // One image at a time, gradients summed, then divided by the batch size (Caffe's
        // iter_size): the same update as a true batch, with one image's memory.
        var gradients: [String: Tensor] = [:]
        var totalLoss = 0.0, correct = 0, counted = 0
        for index in indices {
            let (x, t) = stage == .classifier
                ? data.classificationBatch([index], inputSize: model.classifierInputSize)   // [1, 3, S, S], [1, 1, 1, 1]
                : data.trainingScene(index)                                                // [1, 3, H, W], [1, 1, H, W]
            var (input, labels) = (x, t)
            if stage != .classifier {
                if variant.augmentation { (input, labels) = VariantData.augment(input, labels, using: &rng) }
                labels = VariantData.sampleCells(labels, keep: variant.lossSampling, using: &rng)
            }
            let r = try learn(input, labels, output: stage == .classifier ? "fc8" : "score", using: &rng)
            for (name, g) in r.gradients { if gradients[name] == nil { gradients[name] = g } else { gradients[name]!.add(g) } }
            totalLoss += r.loss; correct += r.correct; counted += r.counted
        }
        if batch > 1 { gradients = gradients.mapValues { (1 / Float(batch)) * $0 } }
        guard totalLoss.isFinite else { throw TrainingError.diverged(stage: stage.rawValue, step: step + 1) }
        var parameters = network.parameters
        sgd.step(parameters: &parameters, gradients: gradients, rules: rules)
        network.update(parameters)
        step += 1
        let record = TrainingRecord(step: step, loss: totalLoss / Double(batch),
                                    pixelAccuracy: counted == 0 ? 0 : Double(correct) / Double(counted))
        history.append(record)
        return record
    }

    /// Forward, loss, backward for one input; also counts the arg-max hits on counted pixels.
    private func learn(_ x: Tensor, _ labels: Tensor, output: String,
                       using rng: inout SeededRandom) throws -> (gradients: [String: Tensor], loss: Double, correct: Int, counted: Int) {
        let trace = try network.trainingForward(["data": x], using: &rng)      // in the caller's configuration
        let raw = trace[output]!
        let scores = raw.rank == 2 ? raw.reshaped([raw.shape[0], raw.shape[1], 1, 1]) : raw     // [N, K, H, W]
        let (value, unweighted) = loss.lossAndGradient(scores: scores, labels: labels)      // one sweep; [N, K, H, W]
        var dScores = unweighted
        if variant.classBalancing && raw.rank == 4 {
            // Each pixel's gradient times its class's weight (the loss printed stays unweighted).
            let weights = VariantData.balancingWeights(labels, classes: scores.shape[1])
            let d = dScores.nchw, plane = d.h * d.w
            for n in 0..<d.n { for c in 0..<d.c { for p in 0..<plane { dScores.scalars[(n * d.c + c) * plane + p] *= weights[n * plane + p] } } }
        }
        let gradients = network.backward(trace, outputGradients: [output: dScores.reshaped(raw.shape)], parameters: learning)
        let (correct, counted) = Self.hits(scores, labels)
        return (gradients, value, correct, counted)
    }

    /// Pixels (not void) whose arg-max class equals the label, and pixels counted.
    package static func hits(_ scores: Tensor, _ labels: Tensor) -> (correct: Int, counted: Int) {
        let d = scores.nchw, plane = d.h * d.w
        var correct = 0, counted = 0
        for n in 0..<d.n {
            for p in 0..<plane {
                let label = Int(labels.scalars[n * plane + p])
                guard label >= 0 && label < d.c else { continue }
                var best = 0
                for c in 1..<d.c where scores.scalars[(n * d.c + c) * plane + p] > scores.scalars[(n * d.c + best) * plane + p] { best = c }
                counted += 1
                if best == label { correct += 1 }
            }
        }
        return (correct, counted)
    }
}

// FineTuner.swift — fine-tunes ANY network description on the shapes world, with the parameters
// the caller names learning and everything else frozen (paper §4.3 "Fine-tuning": "we fine-tune
// all layers by backpropagation through the whole net", and its control, the output classifier
// alone).
//
// `StageTrainer` trains the paper's stages, whose networks and rules `TrainingStage` knows. A
// chapter that builds a head of its own — Chapter 9's U-Net-style decoder, Chapter 7's FCN-4s —
// needs the same step for a description no stage knows: this is that step, without the stage
// machinery (no checkpoints, no variants). One step:
//   1. draw training scene `step mod datasetSize` (scenes are independent draws of the world);
//   2. training forward → scores [1, K, H, W] at `output`;
//   3. per-pixel softmax cross-entropy, void (255) ignored, summed or averaged as the
//      hyper-parameters say, and its gradient;
//   4. backward, computing gradients only for `learning` (a frozen trunk is not run backwards);
//   5. SGD with momentum and weight decay; biases at twice the rate and no decay (§4.3).
// It is not a second implementation of StageTrainer's loop: StageTrainer adds the stages'
// initialisation, rules, variants and resumable order on top of the same five steps.
//
// Dimension letters: K classes, H×W the scene.

import FCN
import FCNCore

/// Fine-tunes a network's named parameters on synthetic training scenes.
///
/// ```swift
/// let net = try Network(myHead, parameters: start)
/// var tuner = try FineTuner(network: net, learning: ["score_dec.weight", "score_dec.bias"],
///                           hyperparameters: .defaults(for: .fcn32s, sceneSize: 128),
///                           data: SyntheticData(seed: 1, sceneSize: 128, exampleSize: 112))
/// for _ in 0..<200 { try tuner.advance() }
/// let trained = tuner.network
/// ```
///
/// ### See Also
/// - ``StageTrainer``, which trains the paper's stages with their own rules.
public struct FineTuner {
    /// The network with its current parameters.
    public private(set) var network: Network
    /// The parameters that learn; every other one stays as given.
    public let learning: Set<String>
    /// Learning rate, momentum, decay, loss normalisation (``StageHyperparameters``; its batch size is used).
    public let hyperparameters: StageHyperparameters
    /// Where the training scenes come from.
    public let data: SyntheticData
    /// Training scenes cycled through.
    public let datasetSize: Int
    /// The blob the loss reads, `[1, K, H, W]`.
    public let output: String
    /// Steps done.
    public private(set) var step = 0
    /// Loss and pixel accuracy of every step done.
    public private(set) var history: [TrainingRecord] = []
    private var sgd: SGD
    private let rules: [String: LearningRule]
    private let loss: SoftmaxCrossEntropy

    /// A fine-tuner of `network`'s `learning` parameters.
    /// - Throws: ``FineTunerError`` when a learning name is not a parameter of the network, or the
    ///   data set is smaller than a batch.
    public init(network: Network, learning: Set<String>, hyperparameters: StageHyperparameters, data: SyntheticData,
                datasetSize: Int = 2000, output: String = "score") throws(FineTunerError) {
        let unknown = learning.subtracting(network.parameters.keys).sorted()
        guard unknown.isEmpty else { throw .unknownParameters(unknown) }
        guard datasetSize >= hyperparameters.batchSize, hyperparameters.batchSize >= 1 else {
            throw .datasetSmallerThanBatch(datasetSize: datasetSize, batchSize: hyperparameters.batchSize)
        }
        self.network = network; self.learning = learning; self.hyperparameters = hyperparameters
        self.data = data; self.datasetSize = datasetSize; self.output = output
        var rules: [String: LearningRule] = [:]
        for name in network.parameters.keys {
            rules[name] = !learning.contains(name) ? .frozen
                : name == "conv1_1.weight" ? TrainingStage.rawPixelRule : name.hasSuffix(".bias") ? .bias : .weight
        }
        self.rules = rules
        sgd = SGD(learningRate: hyperparameters.learningRate, momentum: hyperparameters.momentum, weightDecay: hyperparameters.weightDecay)
        loss = SoftmaxCrossEntropy(ignoreLabel: Int(ShapeClass.void), normalization: hyperparameters.averagesLoss ? .validPixels : .none)
    }

    /// Does one step and returns its loss (averaged over the batch) and pixel accuracy.
    @discardableResult
    public mutating func advance() throws -> TrainingRecord {
        var gradients: [String: Tensor] = [:]
        var totalLoss = 0.0, correct = 0, counted = 0
        var rng = SeededRandom(seed: 0xF17E ^ UInt64(step))                // no dropout in VGG-mini; kept for the API
        let batch = hyperparameters.batchSize
        for b in 0..<batch {
            let (x, t) = data.trainingScene((step * batch + b) % datasetSize)   // [1, 3, H, W], [1, 1, H, W]
            let trace = try network.trainingForward(["data": x], using: &rng)
            let scores = trace[output]!                                          // [1, K, H, W]
            let (value, dScores) = loss.lossAndGradient(scores: scores, labels: t)
            for (name, g) in network.backward(trace, outputGradients: [output: dScores], parameters: learning) {
                if gradients[name] == nil { gradients[name] = g } else { gradients[name]!.add(g) }
            }
            let hits = StageTrainer.hits(scores, t)
            totalLoss += value; correct += hits.correct; counted += hits.counted
        }
        if batch > 1 { gradients = gradients.mapValues { (1 / Float(batch)) * $0 } }
        guard totalLoss.isFinite else { throw TrainingError.diverged(stage: network.description.name, step: step + 1) }
        var parameters = network.parameters
        sgd.step(parameters: &parameters, gradients: gradients, rules: rules)
        network.update(parameters)
        step += 1
        let record = TrainingRecord(step: step, loss: totalLoss / Double(batch), pixelAccuracy: counted == 0 ? 0 : Double(correct) / Double(counted))
        history.append(record)
        return record
    }
}

/// A fine-tuner that cannot be set up.
public enum FineTunerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Names asked to learn that the network has no parameter of.
    case unknownParameters([String])
    /// Fewer training scenes than one batch.
    case datasetSmallerThanBatch(datasetSize: Int, batchSize: Int)
    /// A sentence naming the problem.
    public var description: String {
        switch self {
        case .unknownParameters(let names): "FineTuner: the network has no parameter \(names.joined(separator: ", "))"
        case .datasetSmallerThanBatch(let d, let b): "FineTuner: \(d) training scenes is fewer than a batch of \(b)"
        }
    }
}

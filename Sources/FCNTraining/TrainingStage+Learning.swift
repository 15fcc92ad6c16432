// TrainingStage+Learning.swift — how each stage learns: which parameters are frozen, their rates,
// and the stage's SGD hyper-parameters (paper §4.1–4.3, Table 2). The stages themselves (their order
// and networks) are the model vocabulary of the inference library (`FCN/Models/TrainingStage.swift`).

import FCNCore
import FCN

extension TrainingStage {
    /// How each parameter learns: fixed bilinear kernels are frozen everywhere; in
    /// FCN-32s-fixed everything but `score_fr` is frozen; biases get ``LearningRule/bias``;
    /// conv1_1's weights get ``TrainingStage/rawPixelRule``.
    public func rules(for parameters: [ParameterShape]) -> [String: LearningRule] {
        var rules: [String: LearningRule] = [:]
        for p in parameters {
            let frozen = !p.learnable || (self == .fcn32sFixed && !p.name.hasPrefix("score_fr."))
            rules[p.name] = frozen ? .frozen : p.name == "conv1_1.weight" ? Self.rawPixelRule : p.name.hasSuffix(".bias") ? .bias : .weight
        }
        return rules
    }

    /// The rule of the first layer's weights, which read raw pixel values (Caffe's input is
    /// pixel − mean, about ±128, not unit scale). With inputs r times larger than unit scale the
    /// gradient of w is r times larger while w itself should be r times smaller: relative to
    /// its size w moves r² times faster than every other layer, and training diverges. Training
    /// w' = r·w on the input x/r instead is the standard cure; SGD on w' is exactly SGD on w with
    /// the rate divided by r² and the decay multiplied by r² (r = 64; conv1_1's initial weights
    /// are divided by r too, see `StageInitialization.swift`). The input convention, hence the
    /// compatibility with Caffe's weights and preprocessing, is unchanged.
    public static let rawPixelRule = LearningRule(learningRateMultiplier: 1 / (64 * 64), decayMultiplier: 64 * 64)
}

/// The hyper-parameters of one stage.
public struct StageHyperparameters: Hashable, Sendable, Codable {
    /// Base learning rate η (see `SGD.swift` for the update rule).
    public var learningRate: Float
    /// The momentum μ.
    public var momentum: Float
    /// The weight decay λ.
    public var weightDecay: Float
    /// Images per step.
    public var batchSize: Int
    /// `true`: the loss is averaged over the counted pixels (Caffe's default); `false`: summed,
    /// as the FCN nets do (`normalize: false`).
    public var averagesLoss: Bool

    /// Hyper-parameters; by default weight decay 5e-4, one image per step, the loss summed.
    public init(learningRate: Float, momentum: Float, weightDecay: Float = 5e-4, batchSize: Int = 1, averagesLoss: Bool = false) {
        self.learningRate = learningRate; self.momentum = momentum; self.weightDecay = weightDecay
        self.batchSize = batchSize; self.averagesLoss = averagesLoss
    }

    /// FCN-32s's per-pixel learning rate (÷ the pixel count = the base rate of the summed loss).
    static let rate32: Float = 1e-2

    /// A copy with another base learning rate.
    public func with(learningRate: Float) -> StageHyperparameters {
        var copy = self
        copy.learningRate = learningRate
        return copy
    }

    /// The defaults for `stage` on scenes of `sceneSize`² pixels.
    ///
    /// The segmentation learning rates are per-pixel rates divided by the pixel count, because
    /// the loss is a sum over the pixels (the paper's 1e-10 for VGG16 on ~500×375 images is
    /// the same idea at a larger scale). Each finer net fine-tunes its parent at a lower rate
    /// (the paper lowers it 100×; our parents are trained far less, so 4× per stage).
    /// The classifier: 0.003 — at 0.01 the net switched fc6/fc7 off in its first steps and
    /// never recovered, at 0.003 it leaves chance level after ~500 steps.
    ///
    /// Momentum 0.9, not the paper's 0.99 for batch-of-one FCN training (§4.3): with 0.99 (and
    /// dropout 0.5, see `VGGMini.dropout`) our small nets settled on predicting background
    /// everywhere in every stage. With 0.9, no dropout and a per-pixel rate of 0.01 they learn
    /// (measured; we changed both together, so the credit is shared — see the README's Table 2
    /// notes).
    public static func defaults(for stage: TrainingStage, sceneSize: Int) -> StageHyperparameters {
        // (Written as per-pixel rates; see the comment above.)
        let pixels = Float(sceneSize * sceneSize)
        switch stage {
        case .classifier: return StageHyperparameters(learningRate: 0.003, momentum: 0.9, batchSize: 8, averagesLoss: true)
        case .fcn32sFixed, .fcn32s, .fcn8sAtOnce: return StageHyperparameters(learningRate: Self.rate32 / pixels, momentum: 0.9)
        case .fcn16s: return StageHyperparameters(learningRate: Self.rate32 / 4 / pixels, momentum: 0.9)
        case .fcn8s: return StageHyperparameters(learningRate: Self.rate32 / 16 / pixels, momentum: 0.9)
        }
    }
}

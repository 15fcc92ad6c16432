// SGD.swift — stochastic gradient descent with momentum and weight decay, as Caffe does it.
//
// The paper trains every FCN "by SGD with momentum" (§4.1): minibatches of 20 images (or one
// image with a higher momentum, §4.3), momentum 0.9 (0.99 for the single-image runs), weight
// decay 5⁻⁴ (5e-4), biases learning at twice the rate and without decay (the `lr_mult: 2,
// decay_mult: 0` lines of the Berkeley nets). Caffe's update for a parameter w with gradient g:
//
//     v ← μ·v + η·λ_lr·(g + δ·λ_decay·w)        (v: the "history", starts at 0)
//     w ← w − v
//
// with η the base learning rate, μ the momentum, δ the weight decay and λ the per-parameter
// multipliers. A parameter with λ_lr = 0 is frozen — that is how FCN keeps its bilinear
// upsampling fixed, and how the "FCN-32s-fixed" row of Table 2 trains only the last layer.

import FCN
import FCNCore

/// How one parameter learns: multipliers on the base learning rate and the weight decay.
public struct LearningRule: Sendable, Equatable {
    /// Multiplies the base learning rate (Caffe `lr_mult`).
    public var learningRateMultiplier: Float
    /// Multiplies the weight decay (Caffe `decay_mult`).
    public var decayMultiplier: Float
    /// A rule; the defaults (1, 1) train the parameter like any other.
    public init(learningRateMultiplier: Float = 1, decayMultiplier: Float = 1) {
        self.learningRateMultiplier = learningRateMultiplier
        self.decayMultiplier = decayMultiplier
    }
    /// Caffe's convention for weights: full rate, full decay.
    public static let weight = LearningRule()
    /// Caffe's convention for biases in the FCN nets: twice the rate, no decay.
    public static let bias = LearningRule(learningRateMultiplier: 2, decayMultiplier: 0)
    /// A parameter that never changes (fixed bilinear upsampling, frozen layers).
    public static let frozen = LearningRule(learningRateMultiplier: 0, decayMultiplier: 0)
}

/// Stochastic gradient descent with momentum and weight decay (Caffe's `SGDSolver`).
///
/// ```swift
/// var sgd = SGD(learningRate: 1e-3, momentum: 0.9, weightDecay: 5e-4)
/// sgd.step(parameters: &params, gradients: grads, rules: ["conv1.bias": .bias])
/// ```
public struct SGD: Sendable {
    /// The base learning rate η.
    public var learningRate: Float
    /// The momentum μ (0.9; 0.99 for FCN's one-image minibatches, §4.3).
    public var momentum: Float
    /// The weight decay λ (5e-4 in the paper).
    public var weightDecay: Float
    /// The momentum buffers v, one per parameter name (saved in checkpoints).
    public var history: [String: Tensor] = [:]

    /// An optimiser with Caffe's update rule.
    public init(learningRate: Float, momentum: Float = 0.9, weightDecay: Float = 5e-4) {
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
    }

    /// Applies one update to every parameter that has a gradient.
    ///
    /// - Parameters:
    ///   - parameters: the network's parameters by name, updated in place.
    ///   - gradients: ∂loss/∂parameter by name; parameters without one are left alone.
    ///   - rules: per-name learning rules; names ending in `.bias` default to ``LearningRule/bias``,
    ///     everything else to ``LearningRule/weight``.
    public mutating func step(parameters: inout [String: Tensor], gradients: [String: Tensor], rules: [String: LearningRule] = [:]) {
        for name in gradients.keys.sorted() {
            guard let g = gradients[name], var w = parameters[name] else { continue }
            let rule = rules[name] ?? (name.hasSuffix(".bias") ? .bias : .weight)
            if rule.learningRateMultiplier == 0 { continue }
            precondition(g.shape == w.shape, "SGD: gradient of \(name) has shape \(g.shape), parameter \(w.shape)")
            var v = history[name] ?? Tensor(zeros: w.shape)
            let rate = learningRate * rule.learningRateMultiplier
            let decay = weightDecay * rule.decayMultiplier
            // v ← μ·v + η·(g + λ·w);  w ← w − v, element by element, on the raw buffers (the
            // same arithmetic as subscripting each tensor, without a bounds and count check per
            // element, which made this loop a tenth of a training step).
            let m = momentum
            g.scalars.withUnsafeBufferPointer { gs in
                v.scalars.withUnsafeMutableBufferPointer { vs in
                    w.scalars.withUnsafeMutableBufferPointer { ws in
                        for i in 0..<ws.count {
                            vs[i] = m * vs[i] + rate * (gs[i] + decay * ws[i])
                            ws[i] -= vs[i]
                        }
                    }
                }
            }
            history[name] = v
            parameters[name] = w
        }
    }
}

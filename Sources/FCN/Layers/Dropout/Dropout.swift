// Dropout.swift — dropout, the regulariser FCN keeps from its classifier nets (paper §4.3).
//
// FCN's fc6 and fc7 (convolutions after the net surgery of §3.1) are each followed by dropout,
// "included where used in the original classifier nets" (§4.3). During training each activation
// is kept with probability 1 − p and zeroed otherwise (Srivastava et al., JMLR 2014). Caffe uses
// *inverted* dropout: the kept values are scaled by 1/(1 − p) at training time, so that their
// expectation is unchanged and inference is the identity — no rescaling when the net is
// deployed.
//
// The mask is drawn from a `SeededRandom` passed by the caller, one uniform number per element
// in row-major order, so a training run can be repeated exactly. Dropout is elementwise: any
// shape works; after fc6 and fc7 the maps are `[N, 4096, H, W]`.

import FCNCore

/// Inverted dropout with ratio p (Caffe's `dropout_ratio`, default 0.5).
///
/// ```swift
/// var rng = SeededRandom(seed: 1)
/// let drop = Dropout(ratio: 0.5)
/// let r = drop.referenceForward(x, using: &rng)   // training: about half of x zeroed, the rest doubled
/// let y = drop.forward(x)                          // inference: y == x
/// ```
///
/// ### See Also
/// - `SeededRandom`, the source of the masks.
public struct Dropout: Sendable {
    /// The output of a training forward pass.
    public struct Result: Sendable {
        /// x masked and scaled, the shape of x.
        public var output: Tensor
        /// Whether each element was kept, in row-major order (needed by the backward pass).
        public var mask: [Bool]
    }

    /// The probability p of dropping an element.
    public var ratio: Float

    /// Dropout with drop probability `ratio`.
    ///
    /// - Parameter ratio: the probability of dropping an element, 0 ≤ p < 1 (default 0.5).
    public init(ratio: Float = 0.5) {
        precondition(ratio >= 0 && ratio < 1, "Dropout: ratio \(ratio) must be in [0, 1)")
        self.ratio = ratio
    }

    /// The factor 1/(1 − p) applied to kept elements during training.
    public var scale: Float { 1 / (1 - ratio) }

    /// The inference forward pass: the identity (inverted dropout scaled at training time).
    public func forward(_ x: Tensor) -> Tensor { x }

    /// The reference training forward pass: keep each element with probability 1 − p (the
    /// element is kept when its uniform draw u in [0, 1) is < 1 − p, Caffe's Bernoulli draw),
    /// and scale the kept ones by 1/(1 − p).
    ///
    /// - Parameters:
    ///   - x: the input, any shape.
    ///   - rng: the generator the mask is drawn from (advanced by `x.count` draws).
    public func referenceForward(_ x: Tensor, using rng: inout SeededRandom) -> Result {
        let keepProbability = 1 - ratio, scale = self.scale
        var y = [Float](repeating: 0, count: x.count)
        var mask = [Bool](repeating: false, count: x.count)
        for i in 0..<x.count {
            mask[i] = rng.nextFloat() < keepProbability
            if mask[i] { y[i] = x.scalars[i] * scale }
        }
        return Result(output: Tensor(shape: x.shape, scalars: y), mask: mask)
    }

    /// The reference backward pass: the same mask and scale applied to the gradient,
    /// ∂L/∂x = mask · ∂L/∂y / (1 − p).
    public func referenceBackward(mask: [Bool], outputGradient dy: Tensor) -> Tensor {
        precondition(mask.count == dy.count, "Dropout: mask of \(mask.count) for a gradient of \(dy.count) elements")
        let scale = self.scale
        var dx = [Float](repeating: 0, count: dy.count)
        for i in 0..<dy.count where mask[i] { dx[i] = dy.scalars[i] * scale }
        return Tensor(shape: dy.shape, scalars: dx)
    }

    /// The training forward pass used by the executor (the reference: the draws are sequential).
    public func forward(_ x: Tensor, using rng: inout SeededRandom) -> Result { referenceForward(x, using: &rng) }

    /// The backward pass used by the executor (the reference: one pass over memory).
    public func backward(mask: [Bool], outputGradient dy: Tensor) -> Tensor {
        referenceBackward(mask: mask, outputGradient: dy)
    }
}

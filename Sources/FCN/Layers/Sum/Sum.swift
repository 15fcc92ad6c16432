// Sum.swift — the weighted elementwise sum that fuses FCN's skip predictions (paper §4.2).
//
// FCN-16s and FCN-8s combine coarse, semantic predictions with finer, local ones by adding
// score maps of the same size: "we … sum both predictions" (§4.2, Fig. 3). In Caffe this is
// the Eltwise layer with operation SUM, which also takes one coefficient per input. The
// "at-once" FCN-8s uses it with a single input as a fixed scale: pool4 is multiplied by 0.01
// and pool3 by 0.0001 before their score layers, so that the skip branches start small and
// learn stably when all three streams are trained together.
//
// The sum is elementwise, so any shape works (all inputs must share it); score maps are
// `[N, C, H, W]`. Forward and backward are single passes over memory, so the reference is the
// fast path too.

import FCNCore

/// The weighted elementwise sum y = Σᵢ coefficientᵢ · xᵢ (Caffe Eltwise SUM).
///
/// ```swift
/// let fuse = Sum(inputCount: 2)                      // FCN-16s: score_pool4c + upscore2
/// let y = fuse.referenceForward([a, b])              // a + b
/// let scalePool3 = Sum.scale(0.0001)                 // FCN-8s at-once: scale_pool3
/// ```
///
/// ### See Also
/// - ``Crop``, which brings the finer score map to the coarser one's size before the sum.
public struct Sum: Sendable {
    /// One coefficient per input.
    public var coefficients: [Float]

    /// A weighted sum with one coefficient per input.
    ///
    /// - Parameter coefficients: one per input (at least one).
    public init(coefficients: [Float]) {
        precondition(!coefficients.isEmpty, "Sum: needs at least one input")
        self.coefficients = coefficients
    }

    /// The plain sum of `inputCount` inputs (every coefficient 1, Caffe's default).
    public init(inputCount: Int) {
        self.init(coefficients: [Float](repeating: 1, count: inputCount))
    }

    /// One input multiplied by a fixed `factor` (FCN-8s at-once's `scale_pool4` and `scale_pool3`).
    public static func scale(_ factor: Float) -> Sum { Sum(coefficients: [factor]) }

    /// The reference forward pass: y = Σᵢ cᵢ·xᵢ, accumulated input by input in `Float` as Caffe's
    /// `caffe_axpy` loop does.
    ///
    /// - Parameter inputs: one tensor per coefficient, all of the same shape.
    public func referenceForward(_ inputs: [Tensor]) -> Tensor {
        precondition(inputs.count == coefficients.count, "Sum: \(inputs.count) inputs for \(coefficients.count) coefficients")
        let shape = inputs[0].shape
        var y = [Float](repeating: 0, count: inputs[0].count)
        for (x, c) in zip(inputs, coefficients) {
            precondition(x.shape == shape, "Sum: input shapes \(shape) and \(x.shape) differ")
            for k in 0..<y.count { y[k] += c * x.scalars[k] }
        }
        return Tensor(shape: shape, scalars: y)
    }

    /// The reference backward pass: ∂L/∂xᵢ = cᵢ · ∂L/∂y (one gradient per input).
    public func referenceBackward(outputGradient dy: Tensor) -> [Tensor] {
        coefficients.map { c in c == 1 ? dy : c * dy }
    }

    /// The forward pass used by the executor (the reference: one pass over memory).
    public func forward(_ inputs: [Tensor]) -> Tensor { referenceForward(inputs) }

    /// The backward pass used by the executor (the reference).
    public func backward(outputGradient dy: Tensor) -> [Tensor] { referenceBackward(outputGradient: dy) }
}

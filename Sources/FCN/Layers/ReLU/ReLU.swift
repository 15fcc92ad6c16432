// ReLU.swift — the rectified linear unit, the nonlinearity after every convolution (paper §3).
//
// In the paper's notation (§3) a layer computes y = f_ks(x); an elementwise nonlinearity is the
// case k = 1, s = 1. FCN inherits VGG16's (and AlexNet's) ReLU after every convolution except
// the score layers: y = max(0, x). Caffe's ReLU also has a `negative_slope` (a leaky ReLU when
// non-zero); it is kept here for completeness, default 0.
//
// This file holds the reference passes; the fast ones (`forward`, `forwardInPlace`, `backward`)
// are in `ReLU+Fast.swift` beside it. ReLU is elementwise, so any shape works; feature maps are
// `[N, C, H, W]`.

import FCNCore

/// The rectified linear unit y = max(0, x), or y = x < 0 ? slope·x : x with a negative slope.
///
/// ```swift
/// let relu = ReLU()
/// let y = relu.referenceForward(Tensor(shape: [1, 1, 1, 3], scalars: [-2, 0, 3]))  // [0, 0, 3]
/// ```
///
/// ### See Also
/// - ``Convolution``, which every ReLU in FCN follows.
public struct ReLU: Sendable {
    /// The slope for negative inputs (Caffe's `negative_slope`; 0 for the plain ReLU).
    public var negativeSlope: Float

    /// A rectifier; a non-zero slope makes it leaky.
    ///
    /// - Parameter negativeSlope: the slope for inputs ≤ 0 (default 0).
    public init(negativeSlope: Float = 0) {
        self.negativeSlope = negativeSlope
    }

    /// The reference forward pass: y = x where x > 0, slope·x elsewhere (Caffe's formula
    /// `max(x, 0) + slope·min(x, 0)`).
    public func referenceForward(_ x: Tensor) -> Tensor {
        var y = [Float](repeating: 0, count: x.count)
        for i in 0..<x.count {
            let v = x.scalars[i]
            y[i] = max(v, 0) + negativeSlope * min(v, 0)
        }
        return Tensor(shape: x.shape, scalars: y)
    }

    /// The reference backward pass: the gradient passes where the input was positive and is
    /// multiplied by the slope elsewhere (at exactly 0 ReLU is not differentiable; Caffe, and we,
    /// take the slope there).
    ///
    /// - Parameters:
    ///   - x: the forward input x.
    ///   - dy: ∂L/∂y, the shape of x.
    /// - Returns: ∂L/∂x.
    public func referenceBackward(input x: Tensor, outputGradient dy: Tensor) -> Tensor {
        precondition(x.shape == dy.shape, "ReLU: gradient \(dy.shape) does not match input \(x.shape)")
        var dx = [Float](repeating: 0, count: x.count)
        for i in 0..<x.count {
            dx[i] = x.scalars[i] > 0 ? dy.scalars[i] : negativeSlope * dy.scalars[i]
        }
        return Tensor(shape: x.shape, scalars: dx)
    }
}

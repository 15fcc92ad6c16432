// LocalResponseNormalization.swift — AlexNet's cross-channel normalization (paper §4.1, FCN-AlexNet).
//
// The paper casts three classifiers into FCNs (§4.1, Table 1): AlexNet, VGG16 and GoogLeNet.
// AlexNet (Krizhevsky et al., NIPS 2012, §3.3) divides each activation after conv1 and conv2 by
// a power of the energy of the same pixel in neighbouring channels, a form of lateral
// inhibition: channels that fire strongly together damp one another. Caffe's LRN layer with
// `norm_region: ACROSS_CHANNELS` computes, at every pixel,
//
//     scale_c = k + (α/n) · Σ_{c' = c − (n−1)/2 … c + (n−1)/2, 0 ≤ c' < C} x_{c'}²
//     y_c     = x_c · scale_c^(−β)
//
// Note α/n: Caffe divides α by the window size, the AlexNet paper does not; pretrained
// Caffe weights (AlexNet: n = 5, α = 1e-4, β = 0.75, k = 1) expect Caffe's form.
//
// The backward pass is Caffe's (`CrossChannelBackward_cpu`): since y_{c'} depends on x_c for
// every c' whose window holds c (the same c' whose window c holds, windows being symmetric),
//
//     ∂L/∂x_c = ∂L/∂y_c · scale_c^(−β) − (2αβ/n) · x_c · Σ_{c' in window(c)} ∂L/∂y_{c'} · y_{c'} / scale_{c'}
//
// This file holds the reference passes; the fast ones are in
// `LocalResponseNormalization+Fast.swift` beside it.
//
// Dimension letters: N batch, C channels, H×W spatial size, n the window size (`localSize`).

import FCNCore
import Foundation

/// Caffe's Local Response Normalization across channels (AlexNet's `norm1`, `norm2`).
///
/// Layout: input and output `[N, C, H, W]`; every pixel is normalized over a window of n
/// neighbouring channels (clipped at the first and last channel).
///
/// ```swift
/// let norm1 = LocalResponseNormalization(localSize: 5, alpha: 1e-4, beta: 0.75)
/// let y = norm1.referenceForward(x)        // x [1, 96, 55, 55] → y [1, 96, 55, 55]
/// ```
///
/// - Parameters:
///   - localSize: n, the (odd) number of channels in a window (Caffe's default 5).
///   - alpha: α (default 1), divided by n as in Caffe.
///   - beta: β, the exponent (default 0.75).
///   - k: the additive constant (default 1).
///
/// ### See Also
/// - ``ReLU``, which precedes each LRN in AlexNet.
public struct LocalResponseNormalization: Sendable {
    /// Channels in each normalisation window (odd; 5 in AlexNet).
    public var localSize: Int
    /// Scale α of the sum of squares (divided by `localSize`, as Caffe does).
    public var alpha: Float
    /// Exponent β.
    public var beta: Float
    /// Additive constant k.
    public var k: Float

    /// A normalisation `y = x / (k + α/size · Σ x²)^β` over `localSize` neighbouring channels.
    public init(localSize: Int = 5, alpha: Float = 1, beta: Float = 0.75, k: Float = 1) {
        precondition(localSize >= 1 && localSize % 2 == 1, "LocalResponseNormalization: local size \(localSize) must be odd and ≥ 1")
        self.localSize = localSize
        self.alpha = alpha
        self.beta = beta
        self.k = k
    }

    /// The channels in the window centred on channel `c` of `C`: c − (n−1)/2 … c + (n−1)/2, clipped.
    func window(_ c: Int, channels C: Int) -> ClosedRange<Int> {
        let half = (localSize - 1) / 2
        return max(c - half, 0)...min(c + half, C - 1)
    }

    /// scale_c = k + (α/n)·Σ x_{c'}² over the window of c, for every element of x (in Double).
    func referenceScale(_ x: Tensor) -> Tensor {
        let d = x.nchw
        let alphaOverN = Double(alpha) / Double(localSize)
        return Tensor(shape: x.shape) { i in
            let (n, c, h, w) = (i[0], i[1], i[2], i[3])
            var energy = 0.0
            for c2 in window(c, channels: d.c) { energy += Double(x[n, c2, h, w]) * Double(x[n, c2, h, w]) }
            return Float(Double(k) + alphaOverN * energy)
        }
    }

    /// The reference forward pass: y = x · scale^(−β), exactly the definition above.
    public func referenceForward(_ x: Tensor) -> Tensor {
        let scale = referenceScale(x)
        return Tensor(shape: x.shape) { i in
            let (n, c, h, w) = (i[0], i[1], i[2], i[3])
            return Float(Double(x[n, c, h, w]) * pow(Double(scale[n, c, h, w]), -Double(beta)))
        }
    }

    /// The reference backward pass, Caffe's formula (see the top of the file).
    ///
    /// - Parameters:
    ///   - x: the forward input x, `[N, C, H, W]`.
    ///   - dy: ∂L/∂y, `[N, C, H, W]`.
    /// - Returns: ∂L/∂x, `[N, C, H, W]`.
    public func referenceBackward(input x: Tensor, outputGradient dy: Tensor) -> Tensor {
        precondition(x.shape == dy.shape, "LocalResponseNormalization: gradient \(dy.shape) does not match input \(x.shape)")
        let d = x.nchw
        let scale = referenceScale(x)
        let y = referenceForward(x)
        let cache = 2 * Double(alpha) * Double(beta) / Double(localSize)          // 2αβ/n
        return Tensor(shape: x.shape) { i in
            let (n, c, h, w) = (i[0], i[1], i[2], i[3])
            var accumulated = 0.0                                 // Σ ∂L/∂y_{c'} · y_{c'} / scale_{c'}
            for c2 in window(c, channels: d.c) {
                accumulated += Double(dy[n, c2, h, w]) * Double(y[n, c2, h, w]) / Double(scale[n, c2, h, w])
            }
            let direct = Double(dy[n, c, h, w]) * pow(Double(scale[n, c, h, w]), -Double(beta))
            return Float(direct - cache * Double(x[n, c, h, w]) * accumulated)
        }
    }
}

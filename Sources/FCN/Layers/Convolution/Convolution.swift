// Convolution.swift — 2-D convolution, the layer FCNs are made of (paper §3, Eq. 1).
//
// The paper's starting point (§3): every layer of a convnet computes
//
//     y_ij = f_ks({x_{si+δi, sj+δj}}, 0 ≤ δi, δj < k)
//
// a function of a k×k window of its input, moved with stride s. A convolution is the case
// where f is a weighted sum: the same weights at every window position. Because such a layer
// accepts an input of any size and returns an output of the corresponding size, a net made
// only of them is *fully convolutional* — the property the whole paper builds on.
//
// This file holds the definition and the reference forward pass. The weights and the loops over
// their connections are a `FilterBank` (`Layers/FilterBank/`), which a transposed convolution
// shares: a convolution *gathers* its input through the bank, the transpose *scatters*. The
// backward pass is in `Convolution+Backward.swift`; the fast paths (im2col + sgemm, Winograd,
// direct) are chosen in `ConvolutionKernel.swift` and tested against `referenceForward`.
//
// Dimension letters used below:
//   N batch, C input channels, H×W input size, O output channels, G groups,
//   KH×KW kernel size, OH×OW output size.

import FCNCore

/// A 2-D convolution with stride, padding, dilation and groups (cross-correlation, as in Caffe).
///
/// Layout: input `[N, C, H, W]`, weight `[O, C/G, KH, KW]`, bias `[O]`, output `[N, O, OH, OW]`
/// with `OH = ⌊(H + padTop + padBottom − (dilation·(KH − 1) + 1)) / stride⌋ + 1` (likewise OW).
///
/// With `groups = G`, the input channels are split into G equal groups and output channel `o`
/// sees only group `o / (O/G)` (AlexNet's conv2, conv4 and conv5 use G = 2, a relic of training
/// on two GPUs).
///
/// ```swift
/// var rng = SeededRandom(seed: 1)
/// let conv = Convolution(weight: Tensor(randomNormal: [8, 3, 3, 3], using: &rng),
///                        bias: Tensor(zeros: [8]), padding: 1)
/// let y = conv.referenceForward(Tensor(zeros: [1, 3, 32, 32]))   // [1, 8, 32, 32]
/// ```
///
/// ### See Also
/// - ``TransposedConvolution``, the adjoint used for upsampling (paper §3.3).
public struct Convolution: FilterBankLayer {
    /// The filters, `[O, C/G, KH, KW]`, and how they slide: the input is the bank's image, the
    /// output its grid of window positions (see ``FilterBank``). `weight`, `stride`, `padding`,
    /// `dilation` and `groups` read and write its parts.
    public var filters: FilterBank
    /// One bias per output channel, `[O]`, or `nil` for none.
    public var bias: Tensor?

    /// A convolution with these filters and an optional bias `[O]` (usually built with
    /// ``FilterBankLayer/init(weight:bias:stride:padding:dilation:groups:)``).
    public init(filters: FilterBank, bias: Tensor?) {
        self.filters = filters
        checkBias("Convolution", bias, count: filters.gridChannels)
        self.bias = bias
    }

    /// The input is the bank's image; the output its grid of window positions.
    public static var inputSide: FilterBank.Side { .image }

    /// The reference forward pass, exactly the definition:
    ///
    ///     y[n, o, i, j] = bias[o] + Σ_{c in group(o)} Σ_{u<KH} Σ_{v<KW}
    ///                     w[o, c, u, v] · x[n, c, i·SH − padTop + u·DH, j·SW − padLeft + v·DW]
    ///
    /// where x outside the image is zero (the padding). The loops are
    /// ``FilterBank``'s connections, read as a *gather*: each output pixel sums the window of
    /// input pixels it is connected to.
    public func referenceForward(_ x: Tensor) -> Tensor {
        filters.referenceGather(x, grid: checkedForward(x).output, bias: bias)
    }
}

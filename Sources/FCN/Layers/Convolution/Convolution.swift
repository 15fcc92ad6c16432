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
// This file holds the definition and the reference forward pass, written in plain loops to be
// read. The backward pass is in `Convolution+Backward.swift`; the fast path (im2col + sgemm,
// Winograd) lives in `Kernels/` and is tested against `referenceForward`.
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
public struct Convolution: Sendable {
    /// The filters, `[O, C/G, KH, KW]`.
    public var weight: Tensor
    /// One bias per output channel, `[O]`, or `nil` for none.
    public var bias: Tensor?
    /// Step between windows, in input pixels.
    public var stride: Size2
    /// Zero rows and columns added on each side of the input.
    public var padding: Padding
    /// Spacing between filter taps (1: dense; d: the "rarefied" filter of §3.2).
    public var dilation: Size2
    /// Number of channel groups G; each output sees only its group's C/G input channels.
    public var groups: Int

    /// A convolution with weight `[O, C/G, KH, KW]` and an optional bias `[O]`.
    ///
    /// - Parameters:
    ///   - weight: `[O, C/G, KH, KW]`; O must be divisible by `groups`.
    ///   - bias: `[O]` or `nil`.
    ///   - stride: step between windows (default 1).
    ///   - padding: zeros added around the input (default 0).
    ///   - dilation: spacing between kernel taps (default 1; 2 leaves one pixel between taps).
    ///   - groups: number of channel groups (default 1).
    public init(weight: Tensor, bias: Tensor? = nil, stride: Size2 = 1, padding: Padding = 0, dilation: Size2 = 1, groups: Int = 1) {
        checkFilterBank("Convolution", weight: weight, layout: "[O, C/G, KH, KW]", groupedChannels: "output channels",
                        biasCount: { $0.shape[0] }, bias: bias, stride: stride, dilation: dilation, groups: groups)
        self.weight = weight; self.bias = bias; self.stride = stride
        self.padding = padding; self.dilation = dilation; self.groups = groups
    }

    /// O, the number of output channels.
    public var outputChannels: Int { weight.shape[0] }
    /// C, the number of input channels.
    public var inputChannels: Int { weight.shape[1] * groups }
    /// KH×KW.
    public var kernelSize: Size2 { Size2(height: weight.shape[2], width: weight.shape[3]) }

    /// How the filters slide: KH×KW, stride, padding and dilation together.
    public var window: WindowGeometry { WindowGeometry(kernel: kernelSize, stride: stride, padding: padding, dilation: dilation) }

    /// The output spatial size for an input of `height × width` (may be ≤ 0 if the window does not fit).
    public func outputSize(height: Int, width: Int) -> Size2 {
        window.convolutionOutputSize(input: Size2(height: height, width: width))
    }

    /// The reference forward pass: six nested loops, exactly the definition.
    ///
    ///     y[n, o, i, j] = bias[o] + Σ_{c in group(o)} Σ_{u<KH} Σ_{v<KW}
    ///                     w[o, c, u, v] · x[n, c, i·SH − padTop + u·DH, j·SW − padLeft + v·DW]
    ///
    /// where x outside the image is zero (the padding).
    public func referenceForward(_ x: Tensor) -> Tensor {
        let d = x.nchw
        checkInputChannels("Convolution", d, expected: inputChannels)
        let out = outputSize(height: d.h, width: d.w)
        precondition(out.height >= 1 && out.width >= 1, "Convolution: a \(kernelSize) window does not fit a \(d.h)×\(d.w) input")
        let O = outputChannels, KH = kernelSize.height, KW = kernelSize.width
        let channelsPerGroup = inputChannels / groups      // C/G
        let outputsPerGroup = O / groups                   // O/G
        var y = Tensor(zeros: [d.n, O, out.height, out.width])
        for n in 0..<d.n {
            for o in 0..<O {
                let g = o / outputsPerGroup                // the group this filter belongs to
                for i in 0..<out.height {
                    for j in 0..<out.width {
                        var sum = Double(bias?.scalars[o] ?? 0)
                        for cg in 0..<channelsPerGroup {
                            let c = g * channelsPerGroup + cg
                            for u in 0..<KH {
                                let h = i * stride.height - padding.top + u * dilation.height
                                if h < 0 || h >= d.h { continue }          // zero padding
                                for v in 0..<KW {
                                    let w = j * stride.width - padding.left + v * dilation.width
                                    if w < 0 || w >= d.w { continue }
                                    sum += Double(weight[o, cg, u, v]) * Double(x[n, c, h, w])
                                }
                            }
                        }
                        y[n, o, i, j] = Float(sum)
                    }
                }
            }
        }
        return y
    }
}

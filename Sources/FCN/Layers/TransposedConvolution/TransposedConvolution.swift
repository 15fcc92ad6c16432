// TransposedConvolution.swift — "deconvolution", the in-network upsampling layer (paper §3.3).
//
// §3.3, "Upsampling is backwards strided convolution": to turn coarse scores (one per 32×32
// block of pixels) back into a dense map, FCN runs a convolution *backwards*. Where a stride-s
// convolution gathers a window of its input into one output pixel, its transpose scatters:
//
//     each input pixel stamps a copy of the kernel, scaled by the pixel's value, onto the
//     output; successive input pixels stamp s output pixels apart; overlapping stamps add.
//
// So a stride-s transposed convolution enlarges an image by s (output stride 1/s, "fractionally
// strided convolution"). Its matrix is the transpose of the matching convolution's matrix —
// hence the name, and hence §3.3's remark that deconvolution "reverses the forward and backward
// passes of convolution": the forward pass here is convolution's input gradient and vice versa.
// With a bilinear kernel (`BilinearKernel.swift`) the layer is bilinear interpolation; FCN
// initialises it so and may then learn it.
//
// Padding means the opposite of convolution's: it is *cropped from* the output border, so
// `padding` here is the same number a convolution with this geometry would add (Caffe and
// PyTorch agree). PyTorch's `output_padding` (extra rows at the bottom/right) is not provided.
//
// This file holds the definition and the plain-loop reference passes; the fast path (GEMM +
// col2im) is `TransposedConvolution+Fast.swift` beside it.
//
// Dimension letters: N batch, C input channels, H×W input size, O output channels, G groups,
// KH×KW kernel size, OH×OW output size, og = output channel within its group.

import FCNCore

/// A 2-D transposed convolution ("deconvolution"), with stride, padding, dilation and groups.
///
/// Layout (Caffe's Deconvolution and PyTorch's ConvTranspose2d): input `[N, C, H, W]`, weight
/// `[C, O/G, KH, KW]` — *input* channels first — bias `[O]`, output `[N, O, OH, OW]` with
///
///     OH = SH·(H − 1) + DH·(KH − 1) + 1 − padTop − padBottom      (likewise OW)
///
/// Given the same weight tensor `w`, `Convolution(weight: w, …)` maps `w.shape[1]·G` channels
/// to `w.shape[0]`, and `TransposedConvolution(weight: w, …)` maps `w.shape[0]` channels back to
/// `w.shape[1]·G`; with equal stride, padding, dilation and groups each is the other's adjoint:
/// ⟨conv(x), y⟩ = ⟨x, convT(y)⟩.
///
/// ```swift
/// // FCN-32s's upscore layer: 21 classes, ×32, bilinear initialisation.
/// let upscore = TransposedConvolution(weight: bilinearUpsamplingWeight(channels: 21, factor: 32), stride: 32)
/// upscore.outputSize(height: 16, width: 16)   // 544×544, cropped to the image afterwards
/// ```
///
/// ### See Also
/// - ``Convolution``, whose backward pass this forward pass is.
/// - ``bilinearUpsamplingWeight(channels:factor:)``.
public struct TransposedConvolution: Sendable {
    /// The kernels, `[C, O/G, KH, KW]`: `weight[c, og]` is what input channel c stamps onto output channel og of its group.
    public var weight: Tensor
    /// One bias per output channel, `[O]`, or `nil` (FCN's upscore layers have none).
    public var bias: Tensor?
    /// How far apart, in output pixels, neighbouring input pixels stamp: the upsampling factor.
    public var stride: Size2
    /// Rows and columns cropped from each side of the output.
    public var padding: Padding
    /// Spacing between filter taps.
    public var dilation: Size2
    /// Number of channel groups G.
    public var groups: Int

    /// A transposed convolution with weight `[C, O/G, KH, KW]` and an optional bias `[O]`.
    ///
    /// - Parameters:
    ///   - weight: `[C, O/G, KH, KW]`; C must be divisible by `groups`.
    ///   - bias: `[O]` or `nil`.
    ///   - stride: the upsampling factor (default 1).
    ///   - padding: cropped from the output border (default 0).
    ///   - dilation: spacing between kernel taps (default 1).
    ///   - groups: number of channel groups (default 1).
    public init(weight: Tensor, bias: Tensor? = nil, stride: Size2 = 1, padding: Padding = 0, dilation: Size2 = 1, groups: Int = 1) {
        checkFilterBank("TransposedConvolution", weight: weight, layout: "[C, O/G, KH, KW]", groupedChannels: "input channels",
                        biasCount: { $0.shape[1] * groups }, bias: bias, stride: stride, dilation: dilation, groups: groups)
        self.weight = weight; self.bias = bias; self.stride = stride
        self.padding = padding; self.dilation = dilation; self.groups = groups
    }

    /// C, the number of input channels.
    public var inputChannels: Int { weight.shape[0] }
    /// O, the number of output channels.
    public var outputChannels: Int { weight.shape[1] * groups }
    /// KH×KW.
    public var kernelSize: Size2 { Size2(height: weight.shape[2], width: weight.shape[3]) }

    /// How the filters slide over the *output*: KH×KW, stride, padding and dilation together.
    public var window: WindowGeometry { WindowGeometry(kernel: kernelSize, stride: stride, padding: padding, dilation: dilation) }

    /// The output spatial size for an input of `height × width` (≤ 0 if the padding crops everything).
    public func outputSize(height: Int, width: Int) -> Size2 {
        window.transposedConvolutionOutputSize(input: Size2(height: height, width: width))
    }

    /// The reference forward pass, written as the scatter:
    ///
    ///     for every input pixel (n, c, h, w) and tap (u, v) of every kernel w[c, og]:
    ///         y[n, o, h·SH − padTop + u·DH, w·SW − padLeft + v·DW] += x[n, c, h, w] · w[c, og, u, v]
    ///
    /// (stamps falling in the cropped border are dropped), then `bias[o]` is added everywhere.
    ///
    /// - Parameter x: `[N, C, H, W]`.
    /// - Returns: `[N, O, OH, OW]`.
    public func referenceForward(_ x: Tensor) -> Tensor {
        let d = x.nchw
        checkInputChannels("TransposedConvolution", d, expected: inputChannels)
        let out = outputSize(height: d.h, width: d.w)
        precondition(out.height >= 1 && out.width >= 1, "TransposedConvolution: padding \(padding) crops the whole output")
        let O = outputChannels, KH = kernelSize.height, KW = kernelSize.width
        let channelsPerGroup = inputChannels / groups      // C/G
        let outputsPerGroup = O / groups                   // O/G
        var y = Tensor(zeros: [d.n, O, out.height, out.width])
        for n in 0..<d.n {
            for c in 0..<d.c {
                let g = c / channelsPerGroup               // the group this input channel belongs to
                for h in 0..<d.h {
                    for w in 0..<d.w {
                        let value = x[n, c, h, w]          // the stamp's scale
                        for og in 0..<outputsPerGroup {
                            let o = g * outputsPerGroup + og
                            for u in 0..<KH {
                                let i = h * stride.height - padding.top + u * dilation.height
                                if i < 0 || i >= out.height { continue }       // cropped
                                for v in 0..<KW {
                                    let j = w * stride.width - padding.left + v * dilation.width
                                    if j < 0 || j >= out.width { continue }
                                    y[n, o, i, j] += value * weight[c, og, u, v]
                                }
                            }
                        }
                    }
                }
            }
        }
        if let bias {
            for n in 0..<d.n { for o in 0..<O { for i in 0..<out.height { for j in 0..<out.width {
                y[n, o, i, j] += bias[o]
            } } } }
        }
        return y
    }
}

extension TransposedConvolution {
    /// The reference backward pass: the scatter loops of ``referenceForward(_:)``, run backwards.
    ///
    /// Each stamp added `x[n, c, h, w] · w[c, og, u, v]` to one output pixel; its gradient g is
    /// sent back to both factors. Gathering g over a pixel's stamp is a *convolution* of dL/dy
    /// with the same weights — the forward pass of ``Convolution``, as §3.3 says.
    ///
    /// - Parameters:
    ///   - x: the forward input x, `[N, C, H, W]`.
    ///   - dy: dL/dy, `[N, O, OH, OW]`.
    /// - Returns: dL/dx, dL/dw and dL/db.
    ///
    /// ### See Also
    /// - ``backward(input:outputGradient:)``, the fast path.
    public func referenceBackward(input x: Tensor, outputGradient dy: Tensor) -> LayerGradients {
        let d = x.nchw
        checkInputChannels("TransposedConvolution", d, expected: inputChannels)
        let out = outputSize(height: d.h, width: d.w)
        let O = outputChannels, KH = kernelSize.height, KW = kernelSize.width
        checkOutputGradient("TransposedConvolution", dy, expected: [d.n, O, out.height, out.width])
        let channelsPerGroup = inputChannels / groups
        let outputsPerGroup = O / groups
        var dx = Tensor(zeros: x.shape)                    // [N, C, H, W]
        var dw = Tensor(zeros: weight.shape)               // [C, O/G, KH, KW]
        for n in 0..<d.n {
            for c in 0..<d.c {
                let g = c / channelsPerGroup
                for h in 0..<d.h {
                    for w in 0..<d.w {
                        for og in 0..<outputsPerGroup {
                            let o = g * outputsPerGroup + og
                            for u in 0..<KH {
                                let i = h * stride.height - padding.top + u * dilation.height
                                if i < 0 || i >= out.height { continue }
                                for v in 0..<KW {
                                    let j = w * stride.width - padding.left + v * dilation.width
                                    if j < 0 || j >= out.width { continue }
                                    let gradient = dy[n, o, i, j]
                                    dx[n, c, h, w] += weight[c, og, u, v] * gradient
                                    dw[c, og, u, v] += x[n, c, h, w] * gradient
                                }
                            }
                        }
                    }
                }
            }
        }
        var db = Tensor(zeros: [O])                        // [O]: every output pixel got bias[o] once
        for n in 0..<d.n { for o in 0..<O { for i in 0..<out.height { for j in 0..<out.width {
            db[o] += dy[n, o, i, j]
        } } } }
        return LayerGradients(input: dx, weight: dw, bias: bias == nil ? nil : db)
    }
}

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
// The weights and the loops over their connections are a `FilterBank` (`Layers/FilterBank/`)
// shared with `Convolution`: the windows lie on this layer's *output*, its input is the grid of
// window positions, so its forward pass is the bank's scatter and its input gradient the bank's
// gather. This file holds the definition and the reference passes; the fast path (GEMM +
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
public struct TransposedConvolution: FilterBankLayer {
    /// The kernels, `[C, O/G, KH, KW]`, and how they slide over the *output*: the input is the
    /// bank's grid of window positions, the output its image (see ``FilterBank``);
    /// `weight[c, og]` is what input channel c stamps onto output channel og of its group.
    public var filters: FilterBank
    /// One bias per output channel, `[O]`, or `nil` (FCN's upscore layers have none).
    public var bias: Tensor?

    /// A transposed convolution with these filters and an optional bias `[O]` (usually built with
    /// ``FilterBankLayer/init(weight:bias:stride:padding:dilation:groups:)``).
    public init(filters: FilterBank, bias: Tensor?) {
        self.filters = filters
        checkBias("TransposedConvolution", bias, count: filters.imageChannels)
        self.bias = bias
    }

    /// The input is the bank's grid of window positions; the output its image.
    public static var inputSide: FilterBank.Side { .grid }

    /// The reference forward pass, written as the scatter:
    ///
    ///     for every input pixel (n, c, h, w) and tap (u, v) of every kernel w[c, og]:
    ///         y[n, o, h·SH − padTop + u·DH, w·SW − padLeft + v·DW] += x[n, c, h, w] · w[c, og, u, v]
    ///
    /// (stamps falling in the cropped border are dropped), then `bias[o]` is added everywhere.
    /// The loops are ``FilterBank``'s connections — the very ones a ``Convolution`` with this
    /// weight gathers along — read the other way.
    ///
    /// - Parameter x: `[N, C, H, W]`.
    /// - Returns: `[N, O, OH, OW]`.
    public func referenceForward(_ x: Tensor) -> Tensor {
        let (d, out) = checkedForward(x)
        var y = filters.referenceScatter(x, image: out)
        if let bias {
            for n in 0..<d.n { for o in 0..<outputChannels { for i in 0..<out.height { for j in 0..<out.width {
                y[n, o, i, j] += bias[o]
            } } } }
        }
        return y
    }
}

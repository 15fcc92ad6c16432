// TransposedConvolution+Fast.swift — the fast path of transposed convolution: GEMM + col2im (paper §3.3).
//
// The scatter of the reference ("each input pixel stamps a scaled kernel") is, for one image n
// and group g, a single matrix product followed by col2im:
//
//     col[R, H·W]  = W_gᵀ[R, C/G] · X_g[C/G, H·W]        R = O/G·KH·KW
//     Y_g         += col2im(col)
//
// Column q = (h, w) of `col` is the stamp of input pixel (h, w): all O/G kernels, each scaled
// by the pixel's channel values and summed over the group's input channels. col2im then adds
// every stamp onto the output window it covers — the same window geometry as the convolution
// this layer transposes, with the output as "image" and the input as the grid of windows.
// Backward reverses it: dX_g = W_g · im2col(dY_g), dW_g += X_g · im2col(dY_g)ᵀ.
//
// Memory. The column matrix is R × H·W = O/G·KH·KW × H·W. FCN's upscore layers have O = 21 but
// large kernels, so it is not always small: FCN-32s's upscore (k = 64, stride 32) on the 16×16
// score map of a 500×500 image is 21·64·64 × 256 ≈ 22 M floats (88 MB); FCN-8s's upscore8
// (k = 16, stride 8) on its 70×70 map is 21·16·16 × 4900 ≈ 26 M floats (105 MB); upscore2 and
// upscore_pool4 (k = 4) are at most 336 × 1156, tiny. So, as in `Convolution+Fast.swift`, the columns are built for a
// band of *input* rows at a time under the configuration's column budget (64 MB by default).
//
// Dimension letters: N batch, C input channels, H×W input size, O output channels, G groups,
// KH×KW kernel, OH×OW output size, R = O/G·KH·KW, Q = columns in a band.

import FCNCore
import FCNKernels

extension TransposedConvolution {
    /// The fast forward pass (GEMM + col2im), equal to ``referenceForward(_:)`` up to rounding.
    ///
    /// - Parameter x: `[N, C, H, W]`.
    /// - Returns: `[N, O, OH, OW]`.
    ///
    /// ```swift
    /// let up = upscore.forward(scores)   // [N, 21, 32·(H−1)+64, 32·(W−1)+64]
    /// ```
    public func forward(_ x: Tensor) -> Tensor {
        let (d, out) = checkedForward(x)
        var y = filters.scatter(x, image: out)
        if let bias {
            y.scalars.withUnsafeMutableBufferPointer { ys in
                guard let ys = ys.baseAddress else { return }
                biasReLUEpilogue(ys, batch: d.n, channels: outputChannels, planeSize: out.height * out.width,
                                 bias: bias.scalars, relu: false)
            }
        }
        return y
    }
}

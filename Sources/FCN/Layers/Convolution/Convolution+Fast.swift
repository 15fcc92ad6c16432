// Convolution+Fast.swift — the fast path of 2-D convolution: im2col + GEMM (paper §3, §4.1).
//
// A convolution's input is its `FilterBank`'s image and its output the bank's grid, so its
// passes are the bank's (`FilterBank+Fast.swift`), per image n and group g:
//
//     forward      Y_g[O/G, OH·OW]  = W_g[O/G, R] · col(X_g)[R, OH·OW]       gather, R = C/G·KH·KW
//     dL/dw        dW_g[O/G, R]    += dY_g · col(X_g)ᵀ                       weight gradient
//     dL/dx        dX_g             = col2im( W_gᵀ[R, O/G] · dY_g )          scatter (the transpose)
//     dL/db        db[o]            = Σ_{n, i, j} dY[n, o, i, j]
//
// The bank skips im2col for 1×1 layers (score_fr, score_pool3/4, fc7 after §3.1's surgery) and
// builds the column matrix in bands of output rows (conv1_2's whole one would be 1.1 GB).
//
// Bias (and, at inference, ReLU) are applied in one pass over Y afterwards — an "epilogue" —
// so the executor can fuse conv + relu without a second tensor. The GEMM is left to OpenBLAS's
// own threads; what we parallelise ourselves is im2col/col2im (over channels) and the epilogue.
//
// Dimension letters: N batch, C input channels, H×W input size, O output channels, G groups,
// KH×KW kernel, OH×OW output size, P = OH·OW, R = C/G·KH·KW.

import FCNCore
import FCNKernels

extension Convolution {
    /// The fast forward pass (im2col + GEMM), equal to ``referenceForward(_:)`` up to rounding.
    ///
    /// - Parameter x: `[N, C, H, W]`.
    /// - Returns: `[N, O, OH, OW]`.
    ///
    /// ```swift
    /// let y = conv.forward(x)   // same values as conv.referenceForward(x), much faster
    /// ```
    ///
    /// ### See Also
    /// - ``forward(_:fusingReLU:)``, ``backward(input:outputGradient:)``.
    public func forward(_ x: Tensor) -> Tensor {
        forward(x, fusingReLU: false)
    }

    /// The fast forward pass, optionally followed by ReLU in the same pass over the output.
    ///
    /// The column matrix is built in bands under the column budget of the configuration in force
    /// (`EngineConfiguration.columnBudget`).
    ///
    /// - Parameters:
    ///   - x: `[N, C, H, W]`.
    ///   - fusingReLU: if true, returns `max(0, conv(x))` (inference only: the backward pass
    ///     of a fused pair is not provided).
    /// - Returns: `[N, O, OH, OW]`.
    public func forward(_ x: Tensor, fusingReLU: Bool) -> Tensor {
        filters.gather(x, grid: checkedForward(x).output, bias: bias?.scalars, relu: fusingReLU)
    }
}

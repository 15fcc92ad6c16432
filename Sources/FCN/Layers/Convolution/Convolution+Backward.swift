// Convolution+Backward.swift — the reference backward pass of 2-D convolution (paper §3, §4.1).
//
// Learning (§4.1: "whole image training … by SGD with backpropagation") needs, for a layer
// y = conv(x; w, b) and the gradient dL/dy arriving from above, the three gradients
//
//     dL/dx,  dL/dw,  dL/db.
//
// The forward pass adds `w[o, c, u, v] · x[n, c, h, w]` into `y[n, o, i, j]` for every
// (output pixel, tap) pair. Each such product is linear in x and in w, so the backward pass
// walks the very same pairs and sends the output gradient g = dL/dy[n, o, i, j] back along them:
//
//     dL/dx[n, c, h, w]   += w[o, cg, u, v] · g
//     dL/dw[o, cg, u, v]  += x[n, c, h, w]  · g
//     dL/db[o]            += g
//
// Why the input gradient is a *transposed convolution*: for fixed weights, convolution is a
// linear map x ↦ y = A·x, with A a (huge, sparse) matrix whose row for output pixel (o, i, j)
// holds the filter w[o] placed at the window of (i, j). The gradient of ⟨A·x, g⟩ with respect
// to x is Aᵀ·g — each output gradient is "stamped" back onto the window it came from, scaled
// by the filter. That map Aᵀ is exactly what `TransposedConvolution` computes with the same
// weight tensor (§3.3: "upsampling is backwards strided convolution"; the paper notes that
// deconvolution "simply reverses the forward and backward passes of convolution"). A test holds
// ⟨conv(x), y⟩ = ⟨x, convT(y)⟩.
//
// This file is the readable reference; `Convolution+Fast.swift` beside it computes the same
// gradients with im2col + GEMM and is tested against it.
//
// Dimension letters: N batch, C input channels, H×W input size, O output channels, G groups,
// KH×KW kernel size, OH×OW output size, cg = channel within its group.

import FCNCore

extension Convolution {
    /// The reference backward pass: the loops of ``referenceForward(_:)``, run backwards.
    ///
    /// Every (output pixel, tap) pair that the forward pass multiplied is visited once, and
    /// the output gradient is sent back to both factors of the product.
    ///
    /// - Parameters:
    ///   - x: the forward pass's input x, `[N, C, H, W]`.
    ///   - dy: dL/dy, `[N, O, OH, OW]`.
    /// - Returns: dL/dx, dL/dw and dL/db.
    ///
    /// ```swift
    /// let g = conv.referenceBackward(input: x, outputGradient: Tensor(repeating: 1, shape: y.shape))
    /// g.bias   // for dL/dy = 1: the number of output pixels per channel, N·OH·OW
    /// ```
    ///
    /// ### See Also
    /// - ``backward(input:outputGradient:)``, the fast path.
    /// - ``TransposedConvolution/referenceForward(_:)``, which computes the same input gradient.
    public func referenceBackward(input x: Tensor, outputGradient dy: Tensor) -> LayerGradients {
        let d = x.nchw
        checkInputChannels("Convolution", d, expected: inputChannels)
        let out = outputSize(height: d.h, width: d.w)
        let O = outputChannels, KH = kernelSize.height, KW = kernelSize.width
        checkOutputGradient("Convolution", dy, expected: [d.n, O, out.height, out.width])
        let channelsPerGroup = inputChannels / groups      // C/G
        let outputsPerGroup = O / groups                   // O/G
        var dx = Tensor(zeros: x.shape)                    // [N, C, H, W]
        var dw = Tensor(zeros: weight.shape)               // [O, C/G, KH, KW]
        var db = Tensor(zeros: [O])                        // [O]
        for n in 0..<d.n {
            for o in 0..<O {
                let g = o / outputsPerGroup
                for i in 0..<out.height {
                    for j in 0..<out.width {
                        let gradient = dy[n, o, i, j]      // dL/dy[n, o, i, j]
                        db[o] += gradient
                        for cg in 0..<channelsPerGroup {
                            let c = g * channelsPerGroup + cg
                            for u in 0..<KH {
                                let h = i * stride.height - padding.top + u * dilation.height
                                if h < 0 || h >= d.h { continue }          // a padding zero: no input to blame
                                for v in 0..<KW {
                                    let w = j * stride.width - padding.left + v * dilation.width
                                    if w < 0 || w >= d.w { continue }
                                    dx[n, c, h, w] += weight[o, cg, u, v] * gradient
                                    dw[o, cg, u, v] += x[n, c, h, w] * gradient
                                }
                            }
                        }
                    }
                }
            }
        }
        return LayerGradients(input: dx, weight: dw, bias: bias == nil ? nil : db)
    }
}

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
// band of *input* rows at a time under `ColumnGeometry.defaultBudget` (64 MB).
//
// Dimension letters: N batch, C input channels, H×W input size, O output channels, G groups,
// KH×KW kernel, OH×OW output size, R = O/G·KH·KW, Q = columns in a band.

import FCNCore
import FCNKernels

extension TransposedConvolution {
    /// The window geometry shared with the convolution this layer transposes: the *output* is
    /// the image the windows lie on, the *input* is the grid of window positions.
    func columnGeometry(inputHeight: Int, inputWidth: Int) -> ColumnGeometry {
        ColumnGeometry(channels: outputChannels / groups, image: outputSize(height: inputHeight, width: inputWidth),
                       kernel: kernelSize, stride: stride, padding: padding, dilation: dilation,
                       output: Size2(height: inputHeight, width: inputWidth))
    }

    /// The fast forward pass (GEMM + col2im), equal to ``referenceForward(_:)`` up to rounding.
    ///
    /// - Parameter x: `[N, C, H, W]`.
    /// - Returns: `[N, O, OH, OW]`.
    ///
    /// ```swift
    /// let up = upscore.forward(scores)   // [N, 21, 32·(H−1)+64, 32·(W−1)+64]
    /// ```
    public func forward(_ x: Tensor) -> Tensor {
        forward(x, columnBudget: ColumnGeometry.defaultBudget)
    }

    /// The forward pass with an explicit column-buffer budget in floats (for tests).
    func forward(_ x: Tensor, columnBudget: Int) -> Tensor {
        let d = x.nchw
        checkInputChannels("TransposedConvolution", d, expected: inputChannels)
        let out = outputSize(height: d.h, width: d.w)
        precondition(out.height >= 1 && out.width >= 1, "TransposedConvolution: padding \(padding) crops the whole output")
        let O = outputChannels, G = groups
        let Cg = inputChannels / G, Og = O / G
        let HW = d.h * d.w, P = out.height * out.width
        let geometry = columnGeometry(inputHeight: d.h, inputWidth: d.w)
        let R = geometry.rows
        let band = geometry.outputRowsPerChunk(budget: columnBudget)             // input rows per band
        let columns = UnsafeMutablePointer<Float>.allocate(capacity: R * band * d.w)
        defer { columns.deallocate() }

        var y = [Float](repeating: 0, count: d.n * O * P)                        // [N, O, OH, OW]
        withBuffers(reading: [x.scalars, weight.scalars], writing: &y) { read, ys in
            let xs = read[0], ws = read[1]
            for n in 0..<d.n {
                for g in 0..<G {
                    let xg = xs + (n * d.c + g * Cg) * HW                // [C/G, H·W]
                    let wg = ws + g * Cg * R                             // [C/G, R]
                    let yg = ys + (n * O + g * Og) * P                   // [O/G, OH, OW]
                    for first in Swift.stride(from: 0, to: d.h, by: band) {
                        let rows = first..<min(d.h, first + band)
                        let Q = rows.count * d.w
                        // col[R, Q] = W_gᵀ · X_g(band): one stamp per input pixel of the band.
                        GEMM.multiply(transposeA: true, m: R, n: Q, k: Cg, a: wg, lda: R, b: xg + first * d.w, ldb: HW,
                                      c: columns, ldc: Q)
                        col2im(columns, geometry: geometry, outputRows: rows, addingInto: yg)
                    }
                }
            }
            biasReLUEpilogue(ys, batch: d.n, channels: O, planeSize: P, bias: bias?.scalars, relu: false)
        }
        return Tensor(shape: [d.n, O, out.height, out.width], scalars: y)
    }

    /// The fast backward pass (im2col + GEMM), equal to ``referenceBackward(input:outputGradient:)`` up to rounding.
    ///
    /// - Parameters:
    ///   - x: the forward input x, `[N, C, H, W]`.
    ///   - dy: dL/dy, `[N, O, OH, OW]`.
    /// - Returns: dL/dx `[N, C, H, W]`, dL/dw `[C, O/G, KH, KW]`, dL/db `[O]` (nil without bias).
    public func backward(input x: Tensor, outputGradient dy: Tensor) -> LayerGradients {
        backward(input: x, outputGradient: dy, columnBudget: ColumnGeometry.defaultBudget)
    }

    /// The backward pass with an explicit column-buffer budget in floats (for tests).
    func backward(input x: Tensor, outputGradient dy: Tensor, columnBudget: Int) -> LayerGradients {
        let d = x.nchw
        checkInputChannels("TransposedConvolution", d, expected: inputChannels)
        let out = outputSize(height: d.h, width: d.w)
        let O = outputChannels, G = groups
        checkOutputGradient("TransposedConvolution", dy, expected: [d.n, O, out.height, out.width])
        let Cg = inputChannels / G, Og = O / G
        let HW = d.h * d.w, P = out.height * out.width
        let geometry = columnGeometry(inputHeight: d.h, inputWidth: d.w)
        let R = geometry.rows
        let band = geometry.outputRowsPerChunk(budget: columnBudget)
        let columns = UnsafeMutablePointer<Float>.allocate(capacity: R * band * d.w)
        defer { columns.deallocate() }

        var dx = [Float](repeating: 0, count: x.count)                           // [N, C, H, W]
        var dw = [Float](repeating: 0, count: weight.count)                      // [C, O/G, KH, KW]
        withBuffers(reading: [x.scalars, dy.scalars, weight.scalars], writing: &dx, &dw) { read, dxs, dws in
            let xs = read[0], dys = read[1], ws = read[2]
            for n in 0..<d.n {
                for g in 0..<G {
                    let xg = xs + (n * d.c + g * Cg) * HW        // [C/G, H·W]
                    let dxg = dxs + (n * d.c + g * Cg) * HW      // [C/G, H·W]
                    let dyg = dys + (n * O + g * Og) * P         // [O/G, OH, OW]
                    let wg = ws + g * Cg * R                     // [C/G, R]
                    let dwg = dws + g * Cg * R                   // [C/G, R]
                    for first in Swift.stride(from: 0, to: d.h, by: band) {
                        let rows = first..<min(d.h, first + band)
                        let Q = rows.count * d.w
                        // col[R, Q]: what each input pixel's stamp landed on, gathered back.
                        im2col(dyg, geometry: geometry, outputRows: rows, into: columns)
                        // dX_g(band) = W_g · col ;  dW_g += X_g(band) · colᵀ
                        GEMM.multiply(m: Cg, n: Q, k: R, a: wg, lda: R, b: columns, ldb: Q,
                                      c: dxg + first * d.w, ldc: HW)
                        GEMM.multiply(transposeB: true, m: Cg, n: R, k: Q, a: xg + first * d.w, lda: HW,
                                      b: columns, ldb: Q, beta: 1, c: dwg, ldc: R)
                    }
                }
            }
        }
        return LayerGradients(input: Tensor(shape: x.shape, scalars: dx),
                              weight: Tensor(shape: weight.shape, scalars: dw),
                              bias: bias == nil ? nil : channelSums(dy))
    }
}

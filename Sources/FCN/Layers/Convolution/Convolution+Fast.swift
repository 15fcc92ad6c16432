// Convolution+Fast.swift — the fast path of 2-D convolution: im2col + GEMM (paper §3, §4.1).
//
// Forward, per image n and group g (see `Im2Col.swift` for the column matrix):
//
//     Y_g[O/G, OH·OW]  = W_g[O/G, R] · col(X_g)[R, OH·OW]            R = C/G·KH·KW
//
// Backward, with dY_g the output gradient of the group:
//
//     dW_g[O/G, R]    += dY_g[O/G, OH·OW] · col(X_g)ᵀ                 (summed over images)
//     dX_g             = col2im( W_gᵀ[R, O/G] · dY_g )               (the transposed convolution)
//     db[o]            = Σ_{n, i, j} dY[n, o, i, j]
//
// Two refinements:
// - A 1×1 convolution with stride 1 and no padding already *is* a matrix product on the
//   input's [C, H·W] layout (its column matrix would be a copy of the input), so it skips
//   im2col. FCN's score layers (score_fr, score_pool3, score_pool4) are of this kind, and so
//   is fc7 once convolutionalised (§3.1).
// - The column matrix has R·OH·OW entries, KH·KW times the input: for conv1_2 of FCN on a
//   500×500 image (R = 576, 698×698 outputs) that would be 1.1 GB. It is therefore built for a
//   band of output rows at a time, small enough to stay under `ColumnGeometry.defaultBudget`
//   (64 MB); the GEMM of each band writes straight into its rows of Y.
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
    /// Whether this is a 1×1, stride-1, unpadded convolution: a plain matrix product, no im2col.
    var isPointwise: Bool {
        kernelSize == Size2(1) && stride == Size2(1) && padding == Padding(0)
    }

    /// The window geometry of one group's im2col: C/G channels of the input image, the output grid.
    func columnGeometry(input d: Tensor.NCHW, output out: Size2) -> ColumnGeometry {
        ColumnGeometry(channels: inputChannels / groups, image: Size2(height: d.h, width: d.w), kernel: kernelSize,
                       stride: stride, padding: padding, dilation: dilation, output: out)
    }

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
        forward(x, fusingReLU: false, columnBudget: ColumnGeometry.defaultBudget)
    }

    /// The fast forward pass, optionally followed by ReLU in the same pass over the output.
    ///
    /// - Parameters:
    ///   - x: `[N, C, H, W]`.
    ///   - fusingReLU: if true, returns `max(0, conv(x))` (inference only: the backward pass
    ///     of a fused pair is not provided).
    /// - Returns: `[N, O, OH, OW]`.
    public func forward(_ x: Tensor, fusingReLU: Bool) -> Tensor {
        forward(x, fusingReLU: fusingReLU, columnBudget: ColumnGeometry.defaultBudget)
    }

    /// The forward pass with an explicit column-buffer budget in floats (tests use a tiny one
    /// to exercise the banded path on small images).
    func forward(_ x: Tensor, fusingReLU: Bool, columnBudget: Int) -> Tensor {
        let d = x.nchw
        checkInputChannels("Convolution", d, expected: inputChannels)
        let out = outputSize(height: d.h, width: d.w)
        precondition(out.height >= 1 && out.width >= 1, "Convolution: a \(kernelSize) window does not fit a \(d.h)×\(d.w) input")
        let O = outputChannels, G = groups
        let Cg = inputChannels / G, Og = O / G
        let P = out.height * out.width
        let geometry = columnGeometry(input: d, output: out)
        let R = geometry.rows
        let pointwise = isPointwise
        // Output rows per im2col band. Besides the column budget, a band's output (O·rows·OW)
        // is kept to about 4 MB so that it is still in cache when the epilogue (bias, ReLU)
        // runs on it right after its GEMM — one pass over conv1_1's 125 MB output instead of
        // three — but never below ~4096 columns, which keep the GEMM wide enough to run fast.
        let cacheRows = max((1 << 20) / max(1, O * out.width), (4096 + out.width - 1) / out.width)
        let band = min(geometry.outputRowsPerChunk(budget: columnBudget), cacheRows)
        let columns = UnsafeMutablePointer<Float>.allocate(capacity: pointwise ? 1 : R * band * out.width)
        defer { columns.deallocate() }

        // Left uninitialised: the GEMMs (β = 0) write every element, band by band. Zero-filling
        // first would be one more pass over the largest tensor of the network (125 MB for conv1_2).
        var y = [Float](unsafeUninitializedCapacity: d.n * O * P) { $1 = d.n * O * P }   // [N, O, OH, OW]
        let biasValues = bias?.scalars                                           // [O]
        withBuffers(reading: [x.scalars, weight.scalars], writing: &y) { read, ys in
            let xs = read[0], ws = read[1]
            for n in 0..<d.n {
                for g in 0..<G {
                    let xg = xs + (n * d.c + g * Cg) * d.h * d.w         // [C/G, H·W]
                    let wg = ws + g * Og * R                             // [O/G, R]
                    let yg = ys + (n * O + g * Og) * P                   // [O/G, P]
                    let bg = biasValues.map { Array($0[(g * Og)..<((g + 1) * Og)]) }
                    if pointwise {
                        GEMM.multiply(m: Og, n: P, k: Cg, a: wg, lda: Cg, b: xg, ldb: P, c: yg, ldc: P)
                        biasReLUEpilogue(yg, channels: Og, stride: P, count: P, bias: bg, relu: fusingReLU)
                        continue
                    }
                    for first in Swift.stride(from: 0, to: out.height, by: band) {
                        let rows = first..<min(out.height, first + band)
                        let Q = rows.count * out.width                   // columns in this band
                        im2col(xg, geometry: geometry, outputRows: rows, into: columns)
                        GEMM.multiply(m: Og, n: Q, k: R, a: wg, lda: R, b: columns, ldb: Q,
                                      c: yg + first * out.width, ldc: P)
                        biasReLUEpilogue(yg + first * out.width, channels: Og, stride: P, count: Q, bias: bg, relu: fusingReLU)
                    }
                }
            }
        }
        return Tensor(shape: [d.n, O, out.height, out.width], scalars: y)
    }

    /// The fast backward pass, equal to ``referenceBackward(input:outputGradient:)`` up to rounding.
    ///
    /// - Parameters:
    ///   - x: the forward input x, `[N, C, H, W]`.
    ///   - dy: dL/dy, `[N, O, OH, OW]`.
    /// - Returns: dL/dx `[N, C, H, W]`, dL/dw `[O, C/G, KH, KW]`, dL/db `[O]` (nil without bias).
    public func backward(input x: Tensor, outputGradient dy: Tensor) -> LayerGradients {
        backward(input: x, outputGradient: dy, columnBudget: ColumnGeometry.defaultBudget)
    }

    /// The backward pass with an explicit column-buffer budget in floats.
    func backward(input x: Tensor, outputGradient dy: Tensor, columnBudget: Int) -> LayerGradients {
        let d = x.nchw
        checkInputChannels("Convolution", d, expected: inputChannels)
        let out = outputSize(height: d.h, width: d.w)
        let O = outputChannels, G = groups
        checkOutputGradient("Convolution", dy, expected: [d.n, O, out.height, out.width])
        let Cg = inputChannels / G, Og = O / G
        let P = out.height * out.width
        let geometry = columnGeometry(input: d, output: out)
        let R = geometry.rows
        let pointwise = isPointwise
        let band = geometry.outputRowsPerChunk(budget: columnBudget)
        let columns = UnsafeMutablePointer<Float>.allocate(capacity: pointwise ? 1 : R * band * out.width)
        defer { columns.deallocate() }

        var dx = [Float](repeating: 0, count: x.count)                           // [N, C, H, W]
        var dw = [Float](repeating: 0, count: weight.count)                      // [O, C/G, KH, KW]
        withBuffers(reading: [x.scalars, dy.scalars, weight.scalars], writing: &dx, &dw) { read, dxs, dws in
            let xs = read[0], dys = read[1], ws = read[2]
            for n in 0..<d.n {
                for g in 0..<G {
                    let xg = xs + (n * d.c + g * Cg) * d.h * d.w     // [C/G, H·W]
                    let dxg = dxs + (n * d.c + g * Cg) * d.h * d.w   // [C/G, H·W]
                    let dyg = dys + (n * O + g * Og) * P             // [O/G, P]
                    let wg = ws + g * Og * R                         // [O/G, R]
                    let dwg = dws + g * Og * R                       // [O/G, R]
                    if pointwise {
                        // dW_g += dY_g · X_gᵀ ;  dX_g = W_gᵀ · dY_g
                        GEMM.multiply(transposeB: true, m: Og, n: Cg, k: P, a: dyg, lda: P, b: xg, ldb: P,
                                      beta: 1, c: dwg, ldc: Cg)
                        GEMM.multiply(transposeA: true, m: Cg, n: P, k: Og, a: wg, lda: Cg, b: dyg, ldb: P,
                                      c: dxg, ldc: P)
                        continue
                    }
                    for first in Swift.stride(from: 0, to: out.height, by: band) {
                        let rows = first..<min(out.height, first + band)
                        let Q = rows.count * out.width
                        let dyBand = dyg + first * out.width             // [O/G, Q] with row stride P
                        im2col(xg, geometry: geometry, outputRows: rows, into: columns)
                        GEMM.multiply(transposeB: true, m: Og, n: R, k: Q, a: dyBand, lda: P, b: columns, ldb: Q,
                                      beta: 1, c: dwg, ldc: R)
                        // The same buffer now receives W_gᵀ · dY (the columns are no longer needed).
                        GEMM.multiply(transposeA: true, m: R, n: Q, k: Og, a: wg, lda: R, b: dyBand, ldb: P,
                                      c: columns, ldc: Q)
                        col2im(columns, geometry: geometry, outputRows: rows, addingInto: dxg)
                    }
                }
            }
        }
        return LayerGradients(input: Tensor(shape: x.shape, scalars: dx),
                              weight: Tensor(shape: weight.shape, scalars: dw),
                              bias: bias == nil ? nil : channelSums(dy))
    }
}

/// The epilogue of a fast layer: adds `bias[c]` to every element of plane (n, c) of an NCHW
/// buffer, then (if `relu`) clamps at zero — one pass, one plane per task.
func biasReLUEpilogue(_ y: UnsafeMutablePointer<Float>, batch: Int, channels: Int, planeSize: Int,
                      bias: [Float]?, relu: Bool) {
    guard bias != nil || relu else { return }
    parallelFor(batch * channels) { plane in                                     // task writes its own plane
        let b = bias?[plane % channels] ?? 0
        let p = y + plane * planeSize
        if relu {
            for k in 0..<planeSize { p[k] = max(p[k] + b, 0) }
        } else {
            for k in 0..<planeSize { p[k] += b }
        }
    }
}

/// The epilogue on a band of an output: for every channel o < `channels`, adds `bias[o]` to the
/// `count` values at `y + o·stride` and (if `relu`) clamps them at zero. Channels are spread
/// over the cores; the inner loop is SIMD8 (`max(v, 0)` with v never NaN unless the input is).
func biasReLUEpilogue(_ y: UnsafeMutablePointer<Float>, channels: Int, stride: Int, count: Int, bias: [Float]?, relu: Bool) {
    guard bias != nil || relu else { return }
    let floor: Float = relu ? 0 : -.infinity                                     // max(v, −∞) = v: ReLU off
    parallelFor(channels) { o in                                                 // task o writes its own run
        let b = bias?[o] ?? 0
        let p = y + o * stride
        var k = 0
        while k + 8 <= count {
            let v = UnsafeRawPointer(p + k).loadUnaligned(as: SIMD8<Float>.self) + b
            UnsafeMutableRawPointer(p + k).storeBytes(of: pointwiseMax(v, SIMD8(repeating: floor)), as: SIMD8<Float>.self)
            k += 8
        }
        while k < count { p[k] = max(p[k] + b, floor); k += 1 }
    }
}

/// dL/db for a layer with one bias per channel: `Σ_{n, i, j} dy[n, o, i, j]` for every channel o,
/// accumulated in `Double` (a 500×500 score map sums a quarter of a million terms).
func channelSums(_ dy: Tensor) -> Tensor {
    let d = dy.nchw
    let P = d.h * d.w
    var sums = [Float](repeating: 0, count: d.c)                                 // [C]
    dy.scalars.withUnsafeBufferPointer { dyBuffer in
        sums.withUnsafeMutableBufferPointer { sumBuffer in
            guard let dys = dyBuffer.baseAddress, let ss = sumBuffer.baseAddress else { return }
            parallelFor(d.c) { c in                                              // task c writes sums[c] only
                var total = 0.0
                for n in 0..<d.n {
                    let plane = dys + (n * d.c + c) * P
                    for k in 0..<P { total += Double(plane[k]) }
                }
                ss[c] = Float(total)
            }
        }
    }
    return Tensor(shape: [d.c], scalars: sums)
}

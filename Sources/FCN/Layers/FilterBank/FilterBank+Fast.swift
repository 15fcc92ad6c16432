// FilterBank+Fast.swift — the three passes of a filter bank as matrix products (paper §3, §3.3).
//
// For one image n and group g, with R = L/G·KH·KW the length of one flattened window and
// col(X)[R, GH·GW] the column matrix of an image X (`Im2Col.swift`: column q holds the window
// of grid position q), the reference loops of `FilterBank.swift` are
//
//     gather           G_g[S/G, GH·GW] = W_g[S/G, R] · col(X_g)              (im2col, GEMM)
//     scatter          X_g             = col2im( W_gᵀ[R, S/G] · G_g )        (GEMM, col2im)
//     weight gradient  dW_g[S/G, R]   += G_g · col(X_g)ᵀ                     (im2col, GEMM)
//
// col2im is im2col's adjoint: it adds every column back onto the window it came from. So a
// convolution's forward pass (gather) and a transposed convolution's forward pass (scatter) are
// one GEMM each plus a data movement, and so are their backward passes.
//
// Three refinements:
// - A channel-wise bank (each channel linked with itself only, as FCN's fixed bilinear
//   upsampling is) skips the product altogether: `FilterBank+Channelwise.swift`.
// - A 1×1 filter bank with stride 1 and no padding already *is* a matrix product on the image's
//   [L, H·W] layout (its column matrix would be a copy of the image), so it skips im2col and
//   col2im. FCN's score layers (score_fr, score_pool3, score_pool4) are of this kind, and so is
//   fc7 once convolutionalised (§3.1).
// - The column matrix has R·GH·GW entries, KH·KW times the image: for conv1_2 of FCN on a
//   500×500 image (R = 576, 698×698 positions) that would be 1.1 GB; for FCN-8s's upscore8
//   (R = 21·16·16, 70×70 positions) 105 MB. It is therefore built for a band of grid rows at a
//   time, small enough to stay under `ColumnGeometry.defaultBudget` (64 MB).
//
// The GEMM is left to OpenBLAS's own threads; what we parallelise ourselves is im2col/col2im
// (over channels) and the bias/ReLU epilogue.

import FCNCore
import FCNKernels

extension FilterBank {
    /// Whether the bank is 1×1 with stride 1 and no padding: a plain matrix product, no im2col.
    var isPointwise: Bool {
        kernelSize == Size2(1) && stride == Size2(1) && padding == Padding(0)
    }

    /// The column geometry of one group: L/G channels of an `image`-sized image, `grid` positions.
    func columnGeometry(image: Size2, grid: Size2) -> ColumnGeometry {
        ColumnGeometry(channels: imageChannels / groups, image: image, kernel: kernelSize, stride: stride,
                       padding: padding, dilation: dilation, output: grid)
    }

    /// The gather as matrix products, equal to ``referenceGather(_:grid:bias:)`` up to rounding;
    /// optionally adds a bias `[S]` and clamps at zero (ReLU) in the same pass over each band.
    ///
    /// - Parameters:
    ///   - image: `[N, L, H, W]`.
    ///   - grid: GH×GW.
    ///   - bias: `[S]` or `nil`.
    ///   - relu: clamp at zero after the bias.
    /// - Returns: `[N, S, GH, GW]`.
    func gather(_ image: Tensor, grid: Size2, bias: [Float]? = nil, relu: Bool = false) -> Tensor {
        if let kernels = channelwiseKernels {                           // bilinear upsampling's adjoint
            return channelwiseGather(image, grid: grid, kernels: kernels, bias: bias, relu: relu)
        }
        let d = image.nchw
        let S = gridChannels, G = groups, Sg = S / G, Lg = imageChannels / G
        let HW = d.h * d.w, P = grid.height * grid.width
        let geometry = columnGeometry(image: Size2(height: d.h, width: d.w), grid: grid)
        let R = geometry.rows
        let pointwise = isPointwise
        // Grid rows per im2col band. Besides the column budget, a band's output (S·rows·GW) is
        // kept to about 4 MB so that it is still in cache when the epilogue (bias, ReLU) runs on
        // it right after its GEMM — one pass over conv1_1's 125 MB output instead of three — but
        // never below ~4096 columns, which keep the GEMM wide enough to run fast.
        let cacheRows = max((1 << 20) / max(1, S * grid.width), (4096 + grid.width - 1) / grid.width)
        let band = min(geometry.outputRowsPerChunk(budget: EngineConfiguration.current.resolvedColumnBudget), cacheRows)
        let columns = UnsafeMutablePointer<Float>.allocate(capacity: pointwise ? 1 : R * band * grid.width)
        defer { columns.deallocate() }

        // Left uninitialised: the GEMMs (β = 0) write every element, band by band. Zero-filling
        // first would be one more pass over the largest tensor of the network (125 MB for conv1_2).
        var y = [Float](unsafeUninitializedCapacity: d.n * S * P) { $1 = d.n * S * P }   // [N, S, GH, GW]
        withBuffers(reading: [image.scalars, weight.scalars], writing: &y) { read, ys in
            let xs = read[0], ws = read[1]
            for n in 0..<d.n {
                for g in 0..<G {
                    let xg = xs + (n * d.c + g * Lg) * HW                // [L/G, H·W]
                    let wg = ws + g * Sg * R                             // [S/G, R]
                    let yg = ys + (n * S + g * Sg) * P                   // [S/G, P]
                    let bg = bias.map { Array($0[(g * Sg)..<((g + 1) * Sg)]) }
                    if pointwise {
                        GEMM.multiply(m: Sg, n: P, k: Lg, a: wg, lda: Lg, b: xg, ldb: P, c: yg, ldc: P)
                        biasReLUEpilogue(yg, channels: Sg, stride: P, count: P, bias: bg, relu: relu)
                        continue
                    }
                    for first in Swift.stride(from: 0, to: grid.height, by: band) {
                        let rows = first..<min(grid.height, first + band)
                        let Q = rows.count * grid.width                  // columns in this band
                        im2col(xg, geometry: geometry, outputRows: rows, into: columns)
                        GEMM.multiply(m: Sg, n: Q, k: R, a: wg, lda: R, b: columns, ldb: Q,
                                      c: yg + first * grid.width, ldc: P)
                        biasReLUEpilogue(yg + first * grid.width, channels: Sg, stride: P, count: Q, bias: bg, relu: relu)
                    }
                }
            }
        }
        return Tensor(shape: [d.n, S, grid.height, grid.width], scalars: y)
    }

    /// The scatter as matrix products, equal to ``referenceScatter(_:image:)`` up to rounding.
    ///
    /// - Parameters:
    ///   - grid: `[N, S, GH, GW]`.
    ///   - image: H×W.
    /// - Returns: `[N, L, H, W]`.
    func scatter(_ grid: Tensor, image: Size2) -> Tensor {
        if let kernels = channelwiseKernels {                           // bilinear upsampling
            return channelwiseScatter(grid, image: image, kernels: kernels)
        }
        let d = grid.nchw
        let L = imageChannels, G = groups, Sg = gridChannels / G, Lg = L / G
        let HW = image.height * image.width, P = d.h * d.w
        let geometry = columnGeometry(image: image, grid: Size2(height: d.h, width: d.w))
        let R = geometry.rows
        let pointwise = isPointwise
        let band = geometry.outputRowsPerChunk(budget: EngineConfiguration.current.resolvedColumnBudget)             // grid rows per band
        let columns = UnsafeMutablePointer<Float>.allocate(capacity: pointwise ? 1 : R * band * d.w)
        defer { columns.deallocate() }

        var x = [Float](repeating: 0, count: d.n * L * HW)                       // [N, L, H, W]
        withBuffers(reading: [grid.scalars, weight.scalars], writing: &x) { read, xs in
            let ys = read[0], ws = read[1]
            for n in 0..<d.n {
                for g in 0..<G {
                    let yg = ys + (n * d.c + g * Sg) * P                 // [S/G, P]
                    let wg = ws + g * Sg * R                             // [S/G, R]
                    let xg = xs + (n * L + g * Lg) * HW                  // [L/G, H·W]
                    if pointwise {                                       // X_g = W_gᵀ · G_g
                        GEMM.multiply(transposeA: true, m: Lg, n: P, k: Sg, a: wg, lda: Lg, b: yg, ldb: P,
                                      c: xg, ldc: P)
                        continue
                    }
                    for first in Swift.stride(from: 0, to: d.h, by: band) {
                        let rows = first..<min(d.h, first + band)
                        let Q = rows.count * d.w
                        // col[R, Q] = W_gᵀ · G_g(band): one stamp per grid pixel of the band.
                        GEMM.multiply(transposeA: true, m: R, n: Q, k: Sg, a: wg, lda: R, b: yg + first * d.w, ldb: P,
                                      c: columns, ldc: Q)
                        col2im(columns, geometry: geometry, outputRows: rows, addingInto: xg)
                    }
                }
            }
        }
        return Tensor(shape: [d.n, L, image.height, image.width], scalars: x)
    }

    /// The weight gradient as matrix products, equal to ``referenceWeightGradient(image:grid:)``
    /// up to rounding.
    ///
    /// - Parameters:
    ///   - image: `[N, L, H, W]`.
    ///   - grid: `[N, S, GH, GW]`.
    /// - Returns: `[S, L/G, KH, KW]`, summed over the images.
    func weightGradient(image: Tensor, grid: Tensor) -> Tensor {
        let d = image.nchw, gd = grid.nchw
        let S = gridChannels, G = groups, Sg = S / G, Lg = imageChannels / G
        let HW = d.h * d.w, P = gd.h * gd.w
        let geometry = columnGeometry(image: Size2(height: d.h, width: d.w), grid: Size2(height: gd.h, width: gd.w))
        let R = geometry.rows
        let pointwise = isPointwise
        let band = geometry.outputRowsPerChunk(budget: EngineConfiguration.current.resolvedColumnBudget)
        let columns = UnsafeMutablePointer<Float>.allocate(capacity: pointwise ? 1 : R * band * gd.w)
        defer { columns.deallocate() }

        var dw = [Float](repeating: 0, count: weight.count)                      // [S, L/G, KH, KW]
        withBuffers(reading: [image.scalars, grid.scalars], writing: &dw) { read, dws in
            let xs = read[0], ys = read[1]
            for n in 0..<d.n {
                for g in 0..<G {
                    let xg = xs + (n * d.c + g * Lg) * HW                // [L/G, H·W]
                    let yg = ys + (n * S + g * Sg) * P                   // [S/G, P]
                    let dwg = dws + g * Sg * R                           // [S/G, R]
                    if pointwise {                                       // dW_g += G_g · X_gᵀ
                        GEMM.multiply(transposeB: true, m: Sg, n: Lg, k: P, a: yg, lda: P, b: xg, ldb: P,
                                      beta: 1, c: dwg, ldc: Lg)
                        continue
                    }
                    for first in Swift.stride(from: 0, to: gd.h, by: band) {
                        let rows = first..<min(gd.h, first + band)
                        let Q = rows.count * gd.w
                        im2col(xg, geometry: geometry, outputRows: rows, into: columns)
                        GEMM.multiply(transposeB: true, m: Sg, n: R, k: Q, a: yg + first * gd.w, lda: P, b: columns, ldb: Q,
                                      beta: 1, c: dwg, ldc: R)
                    }
                }
            }
        }
        return Tensor(shape: weight.shape, scalars: dw)
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

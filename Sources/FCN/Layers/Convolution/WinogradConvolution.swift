// WinogradConvolution.swift — stride-1 3×3 convolution by Winograd F(4×4, 3×3) and 36 GEMMs.
//
// Fast path for `Convolution` (paper §3) when the kernel is 3×3, stride 1, dilation 1 and
// groups 1 — every convolution of FCN's VGG16 body. Algorithm: Lavin & Gray, "Fast Algorithms
// for Convolutional Neural Networks", CVPR 2016, §4–5; the matrices are in
// `WinogradTransforms.swift`.
//
// Dimension letters: N batch, C input channels, H×W input, O output channels, OH×OW output,
// T tiles in the current chunk, ξ ∈ 0..<36 a position in a 6×6 transformed tile.
//
// The output is cut into 4×4 tiles (the last row and column of tiles may stick out of the
// output; their extra values are computed and dropped). Output tile (p, q) needs the 6×6 input
// patch starting at row 4p − padTop, column 4q − padLeft, with zeros outside the image. Then,
// for a chunk of T tiles at a time:
//
//   1. input transform   V[ξ][c][t] = (Bᵀ d_{c,t} B)[ξ]              one 6×6 patch per (c, t)
//   2. 36 GEMMs          M[ξ]       = U[ξ] · V[ξ]        [O×T] = [O×C]·[C×T]
//   3. output transform  Y_{o,t}    = Aᵀ M_{o,t} A + bias[o]  (then ReLU, if fused)
//
// Step 2 is where the work is: 36 multiply-adds per (o, c, tile) for 16 outputs, against
// 16·9 = 144 for direct convolution — the 4× saving of Lavin & Gray's §4.2. It
// is also why the sum over channels stays a matrix product: (Bᵀ d B) ⊙ U is linear in d, so
// summing over c before the output transform (inside the GEMM) gives the same result as
// transforming each channel's contribution and then summing.
//
// Chunking: V and M for all tiles of a 500×500 image would be 36·(C + O)·T floats, hundreds of
// megabytes for conv1_2 at pad 100. We process whole rows of tiles at a time, about 512 tiles
// per chunk (at most 32 MB of V and M): fewer tiles make the GEMMs narrow, and OpenBLAS slows
// down (half speed at 63 tiles for C = O = 128); more only cost memory. Steps 1 and 3 run on
// all cores with `parallelFor`; step 2 uses OpenBLAS's own threads.
//
// Vectorisation: steps 1 and 3 handle a whole row of Q tiles side by side, "structure of
// arrays" (element (i, k) of every tile's patch in one contiguous run of Q floats), so that each
// 1-D transform is a loop over tiles that runs eight at a time in SIMD registers. Moving between
// image rows (tile q at columns 4q…) and these runs is a 4×4 transpose (`deinterleave4`,
// `interleave4`).

import FCNCore
import FCNKernels

/// A 3×3, stride-1 convolution evaluated with Winograd's F(4×4, 3×3) minimal filtering.
///
/// Layout: input `[N, C, H, W]`, output `[N, O, OH, OW]` as for ``Convolution``; the weights are
/// kept only in transformed form (`WinogradFilter`), computed in `init`.
///
/// - Precondition: ``isApplicable(to:)``: kernel 3×3, stride 1, dilation 1, groups 1.
///   Any padding (including FCN's 100 on conv1_1) and any input size are fine.
///
/// ```swift
/// var rng = SeededRandom(seed: 1)
/// let conv = Convolution(weight: Tensor(randomNormal: [8, 3, 3, 3], using: &rng), padding: 1)
/// let fast = WinogradConvolution(conv)
/// let y = fast.forward(Tensor(randomNormal: [1, 3, 32, 32], using: &rng), fusingReLU: true)   // [1, 8, 32, 32]
/// ```
///
/// ### See Also
/// - ``Convolution/referenceForward(_:)``, the definition this equals (to ~1e-6 relative).
public struct WinogradConvolution: Sendable {
    /// The transformed weights U = G g Gᵀ.
    package let filter: WinogradFilter
    /// `[O]` or nil.
    public let bias: Tensor?
    /// Zeros added around the input.
    public let padding: Padding
    /// How many tiles one chunk aims for: enough columns for OpenBLAS to reach full speed on
    /// [O×C]·[C×T] (measured with C = O = 128: T = 63 runs at half speed, T ≥ 400 at full).
    static let targetTilesPerChunk = 512
    /// The most scratch memory (V and M) a chunk may use, whatever the target above says.
    static let maximumChunkBytes = 32 << 20

    /// Whether `conv` has the shape this algorithm handles.
    public static func isApplicable(to conv: Convolution) -> Bool {
        conv.kernelSize == Size2(3) && conv.stride == Size2(1) && conv.dilation == Size2(1) && conv.groups == 1
    }

    /// Transforms `conv`'s weights. `conv` must satisfy ``isApplicable(to:)``.
    public init(_ conv: Convolution) {
        precondition(Self.isApplicable(to: conv),
                     "WinogradConvolution: needs 3×3 kernel, stride 1, dilation 1, groups 1; got kernel \(conv.kernelSize), stride \(conv.stride), dilation \(conv.dilation), groups \(conv.groups)")
        filter = WinogradFilter(weight: conv.weight)
        bias = conv.bias
        padding = conv.padding
    }

    /// The convolution of `x`, `[N, C, H, W]` → `[N, O, OH, OW]`, optionally followed by ReLU:
    /// the fused block kernel (`WinogradConvolution+Fused.swift`) where the processor has it and
    /// the layer prefers it (``prefersFusedKernel``), the OpenBLAS path below elsewhere. (The
    /// executor decides with ``Convolution/kernel(for:purpose:precision:)``, which applies the same rule.)
    public func forward(_ x: Tensor, fusingReLU: Bool = false) -> Tensor {
        if Self.isFusedKernelAvailable && prefersFusedKernel { return fusedForward(x, fusingReLU: fusingReLU) }
        return blasForward(x, fusingReLU: fusingReLU)
    }

    /// The OpenBLAS path, whatever the processor (to compare it with the fused kernel).
    public func blasForward(_ x: Tensor, fusingReLU: Bool = false) -> Tensor {
        forward(x, fusingReLU: fusingReLU, targetTilesPerChunk: Self.targetTilesPerChunk)
    }

    /// The OpenBLAS path with an explicit chunk size (tests use 1 tile to exercise many chunks).
    func forward(_ x: Tensor, fusingReLU: Bool, targetTilesPerChunk: Int) -> Tensor {
        let d = x.nchw
        let C = filter.inputChannels, O = filter.outputChannels
        precondition(d.c == C, "WinogradConvolution: input has \(d.c) channels, weight expects \(C)")
        precondition(C >= 1, "WinogradConvolution: the weight has no input channels")
        let H = d.h, W = d.w
        let OH = convolutionOutputLength(input: H, kernel: 3, stride: 1, padBefore: padding.top, padAfter: padding.bottom)
        let OW = convolutionOutputLength(input: W, kernel: 3, stride: 1, padBefore: padding.left, padAfter: padding.right)
        precondition(OH >= 1 && OW >= 1, "WinogradConvolution: a 3×3 window does not fit a \(H)×\(W) input with padding \(padding)")

        // Q tiles per tile row; whole tile rows per chunk.
        let tileRows = (OH + 3) / 4, tileColumns = (OW + 3) / 4, Q = tileColumns
        let bytesPerTileRow = 36 * (C + O) * Q * MemoryLayout<Float>.size
        let rowsWanted = (targetTilesPerChunk + Q - 1) / Q
        let rowsPerChunk = max(1, min(tileRows, rowsWanted, Self.maximumChunkBytes / bytesPerTileRow))
        let maxTiles = rowsPerChunk * Q
        // Uninitialised: step 3 writes every output element (all OW columns of every row).
        var y = [Float](unsafeUninitializedCapacity: d.n * O * OH * OW) { $1 = d.n * O * OH * OW }   // [N, O, OH, OW]
        if y.isEmpty { return Tensor(shape: [d.n, O, OH, OW], scalars: y) }
        // Scratch, left uninitialised: step 1 writes all of V[·][·][0..<T] before step 2 reads it,
        // and step 2 (β = 0) all of M before step 3 reads it.
        var V = [Float](unsafeUninitializedCapacity: 36 * C * maxTiles) { $1 = 36 * C * maxTiles }   // [36][C][T]
        var M = [Float](unsafeUninitializedCapacity: 36 * O * maxTiles) { $1 = 36 * O * maxTiles }   // [36][O][T]
        let biasValues = bias?.scalars ?? [Float](repeating: 0, count: O)

        x.scalars.withUnsafeBufferPointer { xAll in
        filter.scalars.withUnsafeBufferPointer { U in
        V.withUnsafeMutableBufferPointer { V in
        M.withUnsafeMutableBufferPointer { M in
        y.withUnsafeMutableBufferPointer { yAll in
        biasValues.withUnsafeBufferPointer { biasValues in
            let (xAll, U, V, M, yAll) = (xAll.baseAddress!, U.baseAddress!, V.baseAddress!, M.baseAddress!, yAll.baseAddress!)
            for n in 0..<d.n {
                let xImage = xAll + n * C * H * W, yImage = yAll + n * O * OH * OW
                for firstRow in stride(from: 0, to: tileRows, by: rowsPerChunk) {
                    let rows = min(rowsPerChunk, tileRows - firstRow)
                    let T = rows * tileColumns

                    // 1. Input transform, one task per (channel c, tile row). The row's Q tiles are
                    //    handled side by side: P holds their 6×6 patches "structure of arrays",
                    //    P[6i + k][q] = patch element (i, k) of tile q, so that every step below is a
                    //    loop over q that runs in SIMD registers.
                    parallelFor(C * rows) { task in
                        let c = task / rows, row = task % rows
                        let plane = xImage + c * H * W
                        let lineLength = 4 * Q + 4             // the 4Q + 2 input columns a tile row reads, rounded up
                        withUnsafeTemporaryAllocation(of: Float.self, capacity: 72 * Q + lineLength) { scratch in
                            let P = scratch.baseAddress!, E = P + 36 * Q, line = E + 36 * Q   // d, Bᵀd, one padded row
                            let top = (firstRow + row) * 4 - padding.top
                            for i in 0..<6 {
                                let h = top + i
                                let Pi = P + i * 6 * Q                  // the 6 rows P[6i + k], k < 6
                                if h < 0 || h >= H {                    // a padding row
                                    Pi.update(repeating: 0, count: 6 * Q)
                                    continue
                                }
                                // The input row as the tiles see it: line[u] = x[h, u − padLeft], 0 outside.
                                let lo = min(max(padding.left, 0), lineLength), hi = min(max(padding.left + W, lo), lineLength)
                                line.update(repeating: 0, count: lo)
                                line.advanced(by: lo).update(from: plane + h * W + lo - padding.left, count: hi - lo)
                                line.advanced(by: hi).update(repeating: 0, count: lineLength - hi)
                                // Tile q starts at column 4q: P[6i + k][q] = line[4q + k]. Columns k < 4
                                // are a 4×4 transpose; k = 4, 5 are columns 0, 1 of the next tile.
                                Self.deinterleave4(line, count: Q, into: Pi, stride: Q)
                                (Pi + 4 * Q).update(from: Pi + 1, count: Q - 1)
                                (Pi + 5 * Q).update(from: Pi + Q + 1, count: Q - 1)
                                Pi[5 * Q - 1] = line[4 * Q]
                                Pi[6 * Q - 1] = line[4 * Q + 1]
                            }
                            // Bᵀ d down the columns (all k and q at once), then (Bᵀ d) B along the
                            // rows, writing position ξ = 6r + j of tile q straight into V[ξ][c][t].
                            Winograd.inputTransform(count: 6 * Q, P, 6 * Q, E, 6 * Q)
                            for r in 0..<6 {
                                Winograd.inputTransform(count: Q, E + r * 6 * Q, Q, V + (r * 6 * C + c) * T + row * Q, C * T)
                            }
                        }
                    }

                    // 2. Thirty-six products M[ξ] = U[ξ]·V[ξ], [O×C]·[C×T]; OpenBLAS parallelises each.
                    for xi in 0..<36 {
                        GEMM.multiply(m: O, n: T, k: C, a: U + xi * O * C, lda: C,
                                      b: UnsafePointer(V + xi * C * T), ldb: T, c: M + xi * O * T, ldc: T)
                    }

                    // 3. Output transform + bias (+ ReLU), one task per (output channel o, tile row),
                    //    again all Q tiles of the row side by side.
                    parallelFor(O * rows) { task in
                        let o = task / rows, row = task % rows
                        let outputPlane = yImage + o * OH * OW
                        let biasValue = biasValues[o]
                        withUnsafeTemporaryAllocation(of: Float.self, capacity: 40 * Q) { scratch in
                            let F = scratch.baseAddress!, G = F + 24 * Q              // Aᵀm (4×6), Y (4×4)
                            // Aᵀ m down the columns: column j of m is M[6i + j][o][t] for i < 6.
                            for j in 0..<6 {
                                Winograd.outputTransform(count: Q, M + (j * O + o) * T + row * Q, 6 * O * T, F + j * Q, 6 * Q)
                            }
                            // (Aᵀ m) A along the rows: G[4a + b][q] = Y_q[a][b].
                            for a in 0..<4 { Winograd.outputTransform(count: Q, F + a * 6 * Q, Q, G + a * 4 * Q, Q) }
                            // Back to rows of the output (tile q covers columns 4q..<4q + 4), adding
                            // the bias; what sticks out past OH or OW is dropped.
                            let top = (firstRow + row) * 4
                            for a in 0..<min(4, OH - top) {
                                Self.interleave4(G + a * 4 * Q, stride: Q, count: Q, into: outputPlane + (top + a) * OW,
                                                 width: OW, bias: biasValue, relu: fusingReLU)
                            }
                        }
                    }
                }
            }
        }}}}}}
        return Tensor(shape: [d.n, O, OH, OW], scalars: y)
    }

    /// The phases of an interleaved row: `out[p·stride + q] = row[4q + p]` for p < 4, q < count.
    /// Four tiles at a time this is a 4×4 transpose of SIMD4 vectors (shuffles, no scalar loads).
    @inline(__always)
    static func deinterleave4(_ row: UnsafePointer<Float>, count: Int, into out: UnsafeMutablePointer<Float>, stride: Int) {
        var q = 0
        while q + 4 <= count {
            let a = SIMD4<Float>(loading: row + 4 * q), b = SIMD4<Float>(loading: row + 4 * q + 4)
            let c = SIMD4<Float>(loading: row + 4 * q + 8), d = SIMD4<Float>(loading: row + 4 * q + 12)
            SIMD4(a[0], b[0], c[0], d[0]).store(to: out + q)
            SIMD4(a[1], b[1], c[1], d[1]).store(to: out + stride + q)
            SIMD4(a[2], b[2], c[2], d[2]).store(to: out + 2 * stride + q)
            SIMD4(a[3], b[3], c[3], d[3]).store(to: out + 3 * stride + q)
            q += 4
        }
        for q in q..<count { for p in 0..<4 { out[p * stride + q] = row[4 * q + p] } }
    }

    /// The inverse of `deinterleave4`, plus the epilogue: `row[4q + p] = phase p[q] + bias`
    /// (then ReLU) for the `width` columns of the row.
    @inline(__always)
    static func interleave4(_ phases: UnsafePointer<Float>, stride: Int, count: Int, into row: UnsafeMutablePointer<Float>,
                            width: Int, bias: Float, relu: Bool) {
        let floor = relu ? Float(0) : -.infinity          // max(v, −∞) = v: ReLU off
        var q = 0
        while q + 4 <= count && 4 * q + 16 <= width {
            let p0 = SIMD4<Float>(loading: phases + q), p1 = SIMD4<Float>(loading: phases + stride + q)
            let p2 = SIMD4<Float>(loading: phases + 2 * stride + q), p3 = SIMD4<Float>(loading: phases + 3 * stride + q)
            for t in 0..<4 {
                let v = SIMD4(p0[t], p1[t], p2[t], p3[t]) + bias
                pointwiseMax(v, SIMD4(repeating: floor)).store(to: row + 4 * (q + t))
            }
            q += 4
        }
        for q in q..<count {
            for p in 0..<min(4, width - 4 * q) { row[4 * q + p] = max(phases[p * stride + q] + bias, floor) }
        }
    }
}

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
// Step 2 is where the work is: 36·O·C·T multiply-adds for 16·T outputs per (o, c) pair, against
// 9·16·O·C·T for direct convolution — the 4× saving of 36 products instead of 144 per tile. It
// is also why the sum over channels stays a matrix product: (Bᵀ d B) ⊙ U is linear in d, so
// summing over c before the output transform (inside the GEMM) gives the same result as
// transforming each channel's contribution and then summing.
//
// Chunking: V and M for all tiles of a 500×500 image would be 36·(C + O)·T floats, hundreds of
// megabytes for conv1_2 at pad 100. We process whole rows of tiles at a time, as many as fit a
// few megabytes, so V is still in cache when the GEMMs read it and M when the output transform
// reads it. Steps 1 and 3 run on all cores with `parallelFor`; step 2 uses OpenBLAS's threads.

/// A 3×3, stride-1 convolution evaluated with Winograd's F(4×4, 3×3) minimal filtering.
///
/// Layout: input `[N, C, H, W]`, output `[N, O, OH, OW]` as for ``Convolution``; the weights are
/// kept only in transformed form (``WinogradFilter``), computed once in `init`.
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
    public let filter: WinogradFilter
    /// `[O]` or nil.
    public let bias: Tensor?
    public let padding: Padding
    /// Bytes of scratch (V and M) one chunk of tile rows aims for; see the file comment.
    static let chunkBytes = 4 << 20

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

    /// The convolution of `x`, `[N, C, H, W]` → `[N, O, OH, OW]`, optionally followed by ReLU.
    public func forward(_ x: Tensor, fusingReLU: Bool = false) -> Tensor {
        forward(x, fusingReLU: fusingReLU, chunkBytes: Self.chunkBytes)
    }

    /// `forward` with an explicit scratch budget (tests use a tiny one to exercise many chunks).
    func forward(_ x: Tensor, fusingReLU: Bool, chunkBytes: Int) -> Tensor {
        let d = x.nchw
        let C = filter.inputChannels, O = filter.outputChannels
        precondition(d.c == C, "WinogradConvolution: input has \(d.c) channels, weight expects \(C)")
        let H = d.h, W = d.w
        let OH = convolutionOutputLength(input: H, kernel: 3, stride: 1, padBefore: padding.top, padAfter: padding.bottom)
        let OW = convolutionOutputLength(input: W, kernel: 3, stride: 1, padBefore: padding.left, padAfter: padding.right)
        precondition(OH >= 1 && OW >= 1, "WinogradConvolution: a 3×3 window does not fit a \(H)×\(W) input with padding \(padding)")

        let tileRows = (OH + 3) / 4, tileColumns = (OW + 3) / 4
        let bytesPerTileRow = 36 * (C + O) * tileColumns * MemoryLayout<Float>.size
        let rowsPerChunk = min(tileRows, max(1, chunkBytes / bytesPerTileRow))
        let maxTiles = rowsPerChunk * tileColumns
        var V = [Float](repeating: 0, count: 36 * C * maxTiles)    // [36][C][T]
        var M = [Float](repeating: 0, count: 36 * O * maxTiles)    // [36][O][T]
        var y = [Float](repeating: 0, count: d.n * O * OH * OW)    // [N, O, OH, OW]
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

                    // 1. Input transform, one task per (channel, tile row).
                    parallelFor(C * rows) { task in
                        let c = task / rows, row = task % rows
                        let plane = xImage + c * H * W
                        withUnsafeTemporaryAllocation(of: Float.self, capacity: 72) { scratch in
                            let patch = scratch.baseAddress!, rowsDone = patch + 36    // d (6×6) and Bᵀd (6×6)
                            for column in 0..<tileColumns {
                                let t = row * tileColumns + column
                                let top = (firstRow + row) * 4 - padding.top, left = column * 4 - padding.left
                                let source: UnsafePointer<Float>, sourceStride: Int
                                if top >= 0 && top + 6 <= H && left >= 0 && left + 6 <= W {
                                    source = UnsafePointer(plane + top * W + left); sourceStride = W   // inside: read in place
                                } else {
                                    // Edge tile: copy the patch with zeros where it leaves the image (the padding).
                                    for i in 0..<6 {
                                        let h = top + i
                                        for j in 0..<6 {
                                            let w = left + j
                                            patch[i * 6 + j] = (h >= 0 && h < H && w >= 0 && w < W) ? plane[h * W + w] : 0
                                        }
                                    }
                                    source = UnsafePointer(patch); sourceStride = 6
                                }
                                // Bᵀ d: transform each column; then (Bᵀ d) B: transform each row,
                                // writing position ξ = 6i + j straight into V[ξ][c][t].
                                for j in 0..<6 { Winograd.inputTransform1D(source + j, sourceStride, rowsDone + j, 6) }
                                for i in 0..<6 {
                                    Winograd.inputTransform1D(UnsafePointer(rowsDone + i * 6), 1, V + (i * 6 * C + c) * T + t, C * T)
                                }
                            }
                        }
                    }

                    // 2. Thirty-six products M[ξ] = U[ξ]·V[ξ], [O×C]·[C×T]; OpenBLAS parallelises each.
                    for xi in 0..<36 {
                        GEMM.multiply(m: O, n: T, k: C, a: U + xi * O * C, lda: C,
                                      b: UnsafePointer(V + xi * C * T), ldb: T, c: M + xi * O * T, ldc: T)
                    }

                    // 3. Output transform + bias (+ ReLU), one task per (output channel, tile row).
                    parallelFor(O * rows) { task in
                        let o = task / rows, row = task % rows
                        let outputPlane = yImage + o * OH * OW
                        withUnsafeTemporaryAllocation(of: Float.self, capacity: 40) { scratch in
                            let columnsDone = scratch.baseAddress!, tile = columnsDone + 24    // Aᵀm (4×6), Y (4×4)
                            for column in 0..<tileColumns {
                                let t = row * tileColumns + column
                                let m = UnsafePointer(M + o * T + t)                  // m[ξ] = m[ξ·O·T]
                                for j in 0..<6 { Winograd.outputTransform1D(m + j * O * T, 6 * O * T, columnsDone + j, 6) }
                                for i in 0..<4 { Winograd.outputTransform1D(UnsafePointer(columnsDone + i * 6), 1, tile + i * 4, 1) }
                                let top = (firstRow + row) * 4, left = column * 4
                                for i in 0..<min(4, OH - top) {
                                    for j in 0..<min(4, OW - left) {
                                        let value = tile[i * 4 + j] + biasValues[o]
                                        outputPlane[(top + i) * OW + left + j] = fusingReLU ? max(value, 0) : value
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }}}}}}
        return Tensor(shape: [d.n, O, OH, OW], scalars: y)
    }
}

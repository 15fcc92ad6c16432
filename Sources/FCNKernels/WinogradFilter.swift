// WinogradFilter.swift — 3×3 convolution weights transformed once for Winograd F(4×4, 3×3).
//
// Lavin & Gray 2016, §4: the filter transform U = G g Gᵀ depends only on the weights. It is
// cheap (linear in the weights, against the quadratic-in-pixels convolution), so the executor
// redoes it on every forward pass rather than keep 4× the weights in memory. See `WinogradTransforms.swift` for G.
//
// Dimension letters: O output channels, C input channels, ξ ∈ 0..<36 a position in the 6×6
// transformed tile (ξ = 6·row + column).

import FCNCore

/// The transformed weights of a 3×3 convolution, laid out for 36 matrix products.
///
/// Layout: `scalars[ξ·O·C + o·C + c] = (G g_{o,c} Gᵀ)[ξ]`, i.e. 36 row-major O×C matrices —
/// the A operands of the GEMMs in ``WinogradConvolution``. 36/9 = 4× the size of the weight.
///
/// ```swift
/// var rng = SeededRandom(seed: 1)
/// let u = WinogradFilter(weight: Tensor(randomNormal: [64, 3, 3, 3], using: &rng))
/// u.outputChannels   // 64
/// ```
///
/// ### See Also
/// - ``WinogradConvolution``, which holds one; ``Winograd/filterTransform`` (G).
package struct WinogradFilter: Sendable, Equatable {
    /// O.
    package let outputChannels: Int
    /// C.
    package let inputChannels: Int
    /// 36 matrices [O, C], position ξ outermost.
    package let scalars: [Float]

    /// Transforms `weight`, `[O, C, 3, 3]`, in `Float` (see ``Winograd/filterTransform``).
    ///
    /// Fast enough to redo on every forward pass (a few ms for a 512×512 layer), which is what
    /// the executor does: keeping VGG16's transformed filters would cost 4× the 3×3 weights
    /// (+235 MB) for a saving of about 1 % of the forward time. Per output channel o (one task
    /// each): the o-th filters are first transposed to `t[k][c]` (tap k of every channel in one
    /// contiguous run), so that eight channels are transformed side by side in SIMD registers
    /// and each U element is stored as a contiguous run of eight.
    package init(weight: Tensor) {
        precondition(weight.rank == 4 && weight.shape[2] == 3 && weight.shape[3] == 3,
                     "WinogradFilter: weight must be [O, C, 3, 3], got \(weight.shape)")
        let O = weight.shape[0], C = weight.shape[1]
        let scalars = [Float](unsafeUninitializedCapacity: 36 * O * C) { U, initialized in
            weight.scalars.withUnsafeBufferPointer { w in
                guard let U = U.baseAddress, let w = w.baseAddress, O * C > 0 else { return }
                parallelFor(O) { o in                                 // task o writes U[·][o][·] only
                    withUnsafeTemporaryAllocation(of: Float.self, capacity: 9 * C) { t in
                        let t = t.baseAddress!                          // [9][C]
                        let filters = w + o * C * 9                     // [C][9]
                        for c in 0..<C { for k in 0..<9 { t[k * C + c] = filters[c * 9 + k] } }
                        let out = U + o * C                             // U[ξ][o][c] at out + ξ·O·C + c
                        Winograd.FilterTransform.apply(count: C, t, C, out, O * C)   // eight channels at a time
                    }
                }
            }
            initialized = 36 * O * C
        }
        self.outputChannels = O
        self.inputChannels = C
        self.scalars = scalars
    }
}

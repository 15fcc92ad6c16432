// WinogradFilter.swift — 3×3 convolution weights transformed once for Winograd F(4×4, 3×3).
//
// Lavin & Gray 2016, §4: the filter transform U = G g Gᵀ depends only on the weights, so a
// layer computes it once and reuses it for every image. See `WinogradTransforms.swift` for G.
//
// Dimension letters: O output channels, C input channels, ξ ∈ 0..<36 a position in the 6×6
// transformed tile (ξ = 6·row + column).

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
public struct WinogradFilter: Sendable, Equatable {
    /// O.
    public let outputChannels: Int
    /// C.
    public let inputChannels: Int
    /// 36 matrices [O, C], position ξ outermost.
    public let scalars: [Float]

    /// Transforms `weight`, `[O, C, 3, 3]`. The arithmetic is done in `Double` and rounded once.
    public init(weight: Tensor) {
        precondition(weight.rank == 4 && weight.shape[2] == 3 && weight.shape[3] == 3,
                     "WinogradFilter: weight must be [O, C, 3, 3], got \(weight.shape)")
        let O = weight.shape[0], C = weight.shape[1]
        var scalars = [Float](repeating: 0, count: 36 * O * C)
        weight.scalars.withUnsafeBufferPointer { w in
            for o in 0..<O {
                for c in 0..<C {
                    let g = (0..<9).map { Double(w[(o * C + c) * 9 + $0]) }    // the 3×3 filter g_{o,c}
                    let u = Winograd.transformFilter(g)                         // 6×6
                    for xi in 0..<36 { scalars[xi * O * C + o * C + c] = Float(u[xi]) }
                }
            }
        }
        self.outputChannels = O
        self.inputChannels = C
        self.scalars = scalars
    }
}

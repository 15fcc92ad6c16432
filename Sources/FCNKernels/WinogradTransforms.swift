// WinogradTransforms.swift — the three small matrices of Winograd's F(4×4, 3×3) algorithm.
//
// Not part of the FCN paper, which used Caffe's im2col + GEMM. This is the fast path for the
// layers that dominate FCN's cost: about 83 % of FCN-8s's ~363 GFLOP per 500×500 image are
// stride-1 3×3 convolutions (the VGG16 body). Source: Lavin & Gray, "Fast Algorithms for
// Convolutional Neural Networks", CVPR 2016, §4 (minimal filtering) and §4.2 (F(4×4, 3×3)).
//
// The idea, in one dimension first. Correlating a 3-tap filter g with 6 inputs d gives 4
// outputs, y_i = Σ_{u<3} g_u·d_{i+u}; done directly that is 4·3 = 12 multiplications. Winograd's
// minimal filtering algorithm F(4, 3) computes the same 4 outputs with 6:
//
//     y = Aᵀ [ (G g) ⊙ (Bᵀ d) ]          (⊙: element-wise product of two 6-vectors)
//
// G g and Bᵀ d are linear maps with small constant coefficients (additions and shifts, no
// per-pixel multiplications by weights); the only products that involve both data and
// weights are the 6 in ⊙. Nesting the 1-D algorithm along rows and columns gives the 2-D one,
// F(4×4, 3×3), on a 6×6 input tile d and a 3×3 filter g:
//
//     Y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A   (Y is the 4×4 output tile)
//
// with 6·6 = 36 products instead of 4·4·3·3 = 144 — a factor of 4. In a convolution layer the
// three transforms are amortised: G g Gᵀ once per filter and forward pass (see `WinogradFilter`), Bᵀ d B once
// per input tile and channel (shared by all O filters), Aᵀ m A once per output tile and filter
// (after summing over all C channels, which Aᵀ·A commutes with). What remains are the 36
// products, summed over channels — 36 matrix products [O×C]·[C×tiles], one per position ξ
// of the 6×6 transformed tile, which is why the fast path is again a GEMM
// (`WinogradConvolution`).
//
// The matrices (interpolation points 0, ±1, ±2 and ∞; Lavin & Gray's Eq. 7–9 for F(4, 3)):
//
//          ⎡ 4   0  −5   0   1   0 ⎤            ⎡  1/4     0     0  ⎤
//          ⎢ 0  −4  −4   1   1   0 ⎥            ⎢ −1/6  −1/6  −1/6  ⎥
//     Bᵀ = ⎢ 0   4  −4  −1   1   0 ⎥       G =  ⎢ −1/6   1/6  −1/6  ⎥
//          ⎢ 0  −2  −1   2   1   0 ⎥            ⎢ 1/24  1/12   1/6  ⎥
//          ⎢ 0   2  −1  −2   1   0 ⎥            ⎢ 1/24 −1/12   1/6  ⎥
//          ⎣ 0   4   0  −5   0   1 ⎦            ⎣   0     0     1   ⎦
//
//          ⎡ 1   1   1   1   1   0 ⎤
//     Aᵀ = ⎢ 0   1  −1   2  −2   0 ⎥
//          ⎢ 0   1   1   4   4   0 ⎥
//          ⎣ 0   1  −1   8  −8   1 ⎦
//
// Accuracy: the larger the tile, the larger these coefficients and the float rounding error;
// F(4×4, 3×3) stays around 1e-6 relative on realistic activations, F(6×6, 3×3) is markedly
// worse, so we stop at 4×4.
//
// The functions below apply the matrices with the zeros and repeated coefficients written
// out, to many 6-vectors at once (the form used in the hot loops); `WinogradTests` checks them
// against the matrices.

/// The constant matrices of F(4×4, 3×3) and their fast 1-D application.
package enum Winograd {
    /// Output tile size m: each transformed tile yields a 4×4 block of the output.
    package static let outputTile = 4
    /// Filter size r.
    package static let kernel = 3
    /// Input tile size m + r − 1 = 6: neighbouring tiles overlap by r − 1 = 2 pixels.
    package static let inputTile = 6

    /// Bᵀ, 6×6 row-major: the input (data) transform.
    package static let inputTransform: [[Float]] = [
        [4, 0, -5, 0, 1, 0],
        [0, -4, -4, 1, 1, 0],
        [0, 4, -4, -1, 1, 0],
        [0, -2, -1, 2, 1, 0],
        [0, 2, -1, -2, 1, 0],
        [0, 4, 0, -5, 0, 1],
    ]
    /// G, 6×3: the filter transform (in `Double`: 1/6 and 1/24 are not exact in binary).
    package static let filterTransform: [[Double]] = [
        [1.0 / 4, 0, 0],
        [-1.0 / 6, -1.0 / 6, -1.0 / 6],
        [-1.0 / 6, 1.0 / 6, -1.0 / 6],
        [1.0 / 24, 1.0 / 12, 1.0 / 6],
        [1.0 / 24, -1.0 / 12, 1.0 / 6],
        [0, 0, 1],
    ]
    /// Aᵀ, 4×6: the output (inverse) transform.
    package static let outputTransform: [[Float]] = [
        [1, 1, 1, 1, 1, 0],
        [0, 1, -1, 2, -2, 0],
        [0, 1, 1, 4, 4, 0],
        [0, 1, -1, 8, -8, 1],
    ]

    /// Applies Bᵀ to `count` 6-vectors at once: for every q < count,
    ///
    ///     (r₀[q], …, r₅[q]) = Bᵀ · (d₀[q], …, d₅[q])      with dᵢ = d + i·dStride, rₖ = r + k·rStride
    ///
    /// (``WinogradTransform/apply(count:_:_:_:_:)`` of ``InputTransform``).
    @inline(__always)
    package static func inputTransform(count: Int, _ d: UnsafePointer<Float>, _ dStride: Int,
                               _ r: UnsafeMutablePointer<Float>, _ rStride: Int) {
        InputTransform.apply(count: count, d, dStride, r, rStride)
    }

    /// Applies Aᵀ to `count` 6-vectors at once, giving 4 components each; layout as in `inputTransform`.
    @inline(__always)
    package static func outputTransform(count: Int, _ m: UnsafePointer<Float>, _ mStride: Int,
                                _ y: UnsafeMutablePointer<Float>, _ yStride: Int) {
        OutputTransform.apply(count: count, m, mStride, y, yStride)
    }

    /// Bᵀ on one lane: a `Float` (one vector) or a `SIMD8<Float>` (eight vectors side by side).
    package enum InputTransform: WinogradTransform {
        @inline(__always)
        package static func apply<L: WinogradLane>(_: L.Type, _ d: UnsafePointer<Float>, _ dStride: Int,
                                                   _ r: UnsafeMutablePointer<Float>, _ rStride: Int) {
            let (d0, d1, d2, d3, d4, d5) = L.sixVector(d, dStride)
            // Shared sub-expressions: rows 1–2 and rows 3–4 of Bᵀ differ only in the sign of their odd part.
            let a = d4 - 4 * d2, b = d3 - 4 * d1          // rows 1, 2 are a ± b
            let c = d4 - d2, e = 2 * (d3 - d1)            // rows 3, 4 are c ± e
            (4 * d0 - 5 * d2 + d4).store(to: r)
            (a + b).store(to: r + rStride)
            (a - b).store(to: r + 2 * rStride)
            (c + e).store(to: r + 3 * rStride)
            (c - e).store(to: r + 4 * rStride)
            (4 * d1 - 5 * d3 + d5).store(to: r + 5 * rStride)
        }
    }

    /// Aᵀ on one lane.
    package enum OutputTransform: WinogradTransform {
        @inline(__always)
        package static func apply<L: WinogradLane>(_: L.Type, _ m: UnsafePointer<Float>, _ mStride: Int,
                                                   _ y: UnsafeMutablePointer<Float>, _ yStride: Int) {
            let (m0, m1, m2, m3, m4, m5) = L.sixVector(m, mStride)
            let s12 = m1 + m2, d12 = m1 - m2, s34 = m3 + m4, d34 = m3 - m4
            (m0 + s12 + s34).store(to: y)
            (d12 + 2 * d34).store(to: y + yStride)
            (s12 + 4 * s34).store(to: y + 2 * yStride)
            (d12 + 8 * d34 + m5).store(to: y + 3 * yStride)
        }
    }

    /// U = G g Gᵀ for one lane of 3×3 filters: `g + k·gStride` holds tap k (row-major, k < 9)
    /// and `u + ξ·uStride` receives element ξ of the 6×6 result (ξ < 36). With
    /// `L = SIMD8<Float>` this transforms eight filters side by side (eight consecutive input
    /// channels, in ``WinogradFilter``). The products by G's coefficients are written out:
    /// for a 3-vector (a, b, c), G·(a, b, c) is
    ///
    ///     (a/4,  −(a + b + c)/6,  −(a − b + c)/6,  a/24 + b/12 + c/6,  a/24 − b/12 + c/6,  c)
    ///
    /// applied first down the filter's columns (G g, 6×3), then along the rows of that ((G g) Gᵀ).
    /// In `Float`: each coefficient is rounded once, about 1e-7 relative; `transformFilter(_:)`
    /// below is the `Double` definition the tests compare with.
    package enum FilterTransform: WinogradTransform {
        @inline(__always)
        package static func apply<L: WinogradLane>(_: L.Type, _ g: UnsafePointer<Float>, _ gStride: Int,
                                                   _ u: UnsafeMutablePointer<Float>, _ uStride: Int) {
            @inline(__always) func apply(_ a: L, _ b: L, _ c: L) -> (L, L, L, L, L, L) {
                let s = a + c, e = Float(1.0 / 24) * a + Float(1.0 / 6) * c, f = Float(1.0 / 12) * b
                return (Float(0.25) * a, Float(-1.0 / 6) * (s + b), Float(-1.0 / 6) * (s - b), e + f, e - f, c)
            }
            @inline(__always) func tap(_ k: Int) -> L { L(loading: g + k * gStride) }
            // G g: column k of g is (tap k, tap 3 + k, tap 6 + k).
            let c0 = apply(tap(0), tap(3), tap(6)), c1 = apply(tap(1), tap(4), tap(7)), c2 = apply(tap(2), tap(5), tap(8))
            // (G g) Gᵀ: row r of G g is (c0.r, c1.r, c2.r); its transform is row r of U.
            @inline(__always) func row(_ r: Int, _ a: L, _ b: L, _ c: L) {
                let v = apply(a, b, c), out = u + 6 * r * uStride
                v.0.store(to: out); v.1.store(to: out + uStride); v.2.store(to: out + 2 * uStride)
                v.3.store(to: out + 3 * uStride); v.4.store(to: out + 4 * uStride); v.5.store(to: out + 5 * uStride)
            }
            row(0, c0.0, c1.0, c2.0); row(1, c0.1, c1.1, c2.1); row(2, c0.2, c1.2, c2.2)
            row(3, c0.3, c1.3, c2.3); row(4, c0.4, c1.4, c2.4); row(5, c0.5, c1.5, c2.5)
        }
    }

    /// U = G g Gᵀ: the 6×6 transformed filter of one 3×3 filter `g` (row-major), in `Double`.
    package static func transformFilter(_ g: [Double]) -> [Double] {
        precondition(g.count == 9, "Winograd.transformFilter: need a 3×3 filter")
        let G = filterTransform
        var gGt = [Double](repeating: 0, count: 3 * 6)          // g Gᵀ, 3×6
        for i in 0..<3 { for j in 0..<6 { for k in 0..<3 { gGt[i * 6 + j] += g[i * 3 + k] * G[j][k] } } }
        var u = [Double](repeating: 0, count: 36)               // G (g Gᵀ), 6×6
        for i in 0..<6 { for j in 0..<6 { for k in 0..<3 { u[i * 6 + j] += G[i][k] * gGt[k * 6 + j] } } }
        return u
    }
}

/// One of the three transforms (``Winograd/InputTransform``, ``Winograd/OutputTransform``,
/// ``Winograd/FilterTransform``), written once for any lane.
package protocol WinogradTransform {
    /// The transform of the vector(s) whose component i is at `x + i·xStride`, result
    /// component k stored at `y + k·yStride`: one vector for `L = Float`, eight side by side for
    /// `L = SIMD8<Float>`.
    static func apply<L: WinogradLane>(_: L.Type, _ x: UnsafePointer<Float>, _ xStride: Int,
                                       _ y: UnsafeMutablePointer<Float>, _ yStride: Int)
}

extension WinogradTransform {
    /// Applies the transform to `count` vectors at once, vector q's components at
    /// `x + q + i·xStride` and its result's at `y + q + k·yStride`.
    ///
    /// Component i of all the vectors is contiguous, so the loop runs 8 vectors per step in
    /// SIMD registers (`SIMD8<Float>`) and finishes the remainder one by one — the one loop all
    /// three transforms run in.
    @inline(__always)
    package static func apply(count: Int, _ x: UnsafePointer<Float>, _ xStride: Int,
                              _ y: UnsafeMutablePointer<Float>, _ yStride: Int) {
        var q = 0
        while q + 8 <= count { apply(SIMD8<Float>.self, x + q, xStride, y + q, yStride); q += 8 }
        while q < count { apply(Float.self, x + q, xStride, y + q, yStride); q += 1 }
    }
}

/// What the transforms compute with: one `Float`, or eight side by side in a `SIMD8<Float>`.
/// Writing the formulas once for both keeps the vector loop and its scalar tail identical.
package protocol WinogradLane {
    init(loading pointer: UnsafePointer<Float>)
    func store(to pointer: UnsafeMutablePointer<Float>)
    static func + (a: Self, b: Self) -> Self
    static func - (a: Self, b: Self) -> Self
    static func * (a: Float, b: Self) -> Self
}

extension WinogradLane {
    /// The six components of a 6-vector lane, component i at `x + i·stride`: what Bᵀ and Aᵀ read.
    @inline(__always)
    static func sixVector(_ x: UnsafePointer<Float>, _ stride: Int) -> (Self, Self, Self, Self, Self, Self) {
        (Self(loading: x), Self(loading: x + stride), Self(loading: x + 2 * stride),
         Self(loading: x + 3 * stride), Self(loading: x + 4 * stride), Self(loading: x + 5 * stride))
    }
}

extension Float: WinogradLane {
    @inline(__always) package init(loading pointer: UnsafePointer<Float>) { self = pointer.pointee }
    @inline(__always) package func store(to pointer: UnsafeMutablePointer<Float>) { pointer.pointee = self }
}

extension SIMD4: WinogradLane where Scalar == Float {
    @inline(__always) package init(loading pointer: UnsafePointer<Float>) {
        self = UnsafeRawPointer(pointer).loadUnaligned(as: SIMD4<Float>.self)
    }
    @inline(__always) package func store(to pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: self, as: SIMD4<Float>.self)
    }
}

extension SIMD8: WinogradLane where Scalar == Float {
    // Unaligned loads and stores: the vectors start wherever a row of tiles happens to start.
    @inline(__always) package init(loading pointer: UnsafePointer<Float>) {
        self = UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
    }
    @inline(__always) package func store(to pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: self, as: SIMD8<Float>.self)
    }
}

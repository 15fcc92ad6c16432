// GEMM.swift — general matrix multiplication, the workhorse under every fast layer.
//
// Convolution, transposed convolution and fully connected layers all reduce to
//
//     C ← α·op(A)·op(B) + β·C        (op = identity or transpose; row-major storage)
//
// with A of size m×k, B of size k×n and C of size m×n after `op`. `GEMM.multiply` sends this
// to OpenBLAS's `cblas_sgemm` when `BLAS` loaded it, and otherwise (or when asked for
// `.reference`) runs a plain triple loop kept both as the definition and as the fallback on
// machines without OpenBLAS.
//
// This file is part of the engine's fast path: it takes raw pointers on purpose.

/// Row-major single-precision matrix multiplication `C ← α·op(A)·op(B) + β·C`.
package enum GEMM {
    /// Who computes a product: OpenBLAS when it is loaded, or the triple loop that defines it.
    package enum Implementation: Sendable {
        /// OpenBLAS's `cblas_sgemm` when `BLAS` loaded it, else the reference loop.
        case fastest
        /// The definition, in a triple loop (accumulating in `Float`, like BLAS): what OpenBLAS
        /// is verified against, and the fallback on machines without it.
        case reference
    }

    /// Multiplies with the fastest available implementation (OpenBLAS when loaded), or with the
    /// reference loop; both take the same arguments, read here once.
    ///
    /// - Parameters:
    ///   - implementation: `.fastest` (the default) or `.reference`.
    ///   - transposeA: use Aᵀ; A is then stored k×m.
    ///   - transposeB: use Bᵀ; B is then stored n×k.
    ///   - m: rows of op(A) and of C.
    ///   - n: columns of op(B) and of C.
    ///   - k: columns of op(A), rows of op(B).
    ///   - alpha: the scale α of the product.
    ///   - a: A, stored row-major (m×k, or k×m when transposed).
    ///   - lda: A's row stride (leading dimension).
    ///   - b: B, stored row-major (k×n, or n×k when transposed).
    ///   - ldb: B's row stride.
    ///   - beta: the scale β of C's previous contents (0: C is overwritten, never read).
    ///   - c: C, m×n, row-major.
    ///   - ldc: C's row stride.
    package static func multiply(
        _ implementation: Implementation = .fastest,
        transposeA: Bool = false, transposeB: Bool = false,
        m: Int, n: Int, k: Int,
        alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        if m == 0 || n == 0 { return }
        // `.reference` must not touch `BLAS.loaded`: loading verifies the library with it.
        if implementation == .fastest, let blas = BLAS.loaded {
            blas.sgemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                       a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
            return
        }
        // The definition, in a triple loop (accumulating in `Float`, like BLAS).
        for i in 0..<m {
            for j in 0..<n {
                var sum: Float = 0
                for p in 0..<k {
                    let aip = transposeA ? a[p * lda + i] : a[i * lda + p]
                    let bpj = transposeB ? b[j * ldb + p] : b[p * ldb + j]
                    sum += aip * bpj
                }
                // β = 0 must ignore C entirely (it may hold garbage or NaN), as BLAS does.
                c[i * ldc + j] = beta == 0 ? alpha * sum : alpha * sum + beta * c[i * ldc + j]
            }
        }
    }
}

// BLAS.swift — finding and loading OpenBLAS at run time.
//
// Placeholder for the loader: until it lands, `BLAS.loaded` is nil and `GEMM` uses its
// reference loop. The real loader chooses OPENBLAS_CORETYPE for this CPU, then dlopens
// libopenblas.so.0 and verifies it.

/// The dynamically loaded OpenBLAS library, if any.
public final class BLAS: Sendable {
    /// The loaded library, or nil when OpenBLAS is unavailable.
    public static let loaded: BLAS? = nil

    func sgemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
               a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
               beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        fatalError("unreachable: BLAS.loaded is nil")
    }
}

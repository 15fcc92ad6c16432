// BLASTests.swift — the run-time-loaded OpenBLAS agrees with the reference GEMM, reports what
// it chose, and falls back cleanly when it cannot load.
import FCNKernels
import Foundation
import Testing
@testable import FCN

@Suite struct BLASTests {
    /// One product through OpenBLAS and through the reference loop on the same random data;
    /// returns the largest difference relative to the largest reference element. Every element
    /// of C is compared, padding columns included, so a write outside the matrix also shows.
    static func compare(_ blas: BLAS, transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                        pad: Int, alpha: Float, beta: Float, garbage: Float? = nil, seed: UInt64) -> Float {
        var rng = SeededRandom(seed: seed)
        let (aRows, aCols) = transposeA ? (k, m) : (m, k)
        let (bRows, bCols) = transposeB ? (n, k) : (k, n)
        let lda = aCols + pad, ldb = bCols + pad, ldc = n + pad
        let a = (0..<aRows * lda).map { _ in rng.nextFloat() * 2 - 1 }
        let b = (0..<bRows * ldb).map { _ in rng.nextFloat() * 2 - 1 }
        let c0 = (0..<m * ldc).map { _ in garbage ?? (rng.nextFloat() * 2 - 1) }
        var fast = c0, reference = c0
        blas.sgemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                   a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: &fast, ldc: ldc)
        GEMM.multiply(.reference, transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                      a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: &reference, ldc: ldc)
        var worst: Float = 0, scale: Float = 0
        for i in 0..<m {
            for j in 0..<ldc {
                let f = fast[i * ldc + j], r = reference[i * ldc + j]
                // NaN padding must stay NaN in both, and equal NaN-ness counts as agreement.
                if f.isNaN && r.isNaN { continue }
                if f.isNaN || r.isNaN { return .infinity }
                worst = max(worst, abs(f - r))
                scale = max(scale, abs(r))
            }
        }
        return worst / max(scale, 1e-30)
    }

    @Test(.enabled(if: BLAS.loaded != nil, "OpenBLAS not installed"),
          arguments: [(false, false), (true, false), (false, true), (true, true)])
    func agreesWithReferenceForEveryTransposeCombination(transposeA: Bool, transposeB: Bool) throws {
        let blas = try #require(BLAS.loaded)
        // Odd sizes, padded leading dimensions (lda > number of columns), α and β not 0 or 1.
        for (m, n, k) in [(1, 1, 1), (7, 13, 5), (31, 17, 63), (129, 3, 70)] {
            let difference = Self.compare(blas, transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                                          pad: 5, alpha: -0.75, beta: 1.25, seed: UInt64(m * 1000 + n))
            #expect(difference <= 1e-5, "m \(m) n \(n) k \(k): max relative difference \(difference)")
        }
    }

    /// β = 0 means "ignore C": NaN garbage in C must not leak into the result.
    @Test(.enabled(if: BLAS.loaded != nil, "OpenBLAS not installed"))
    func betaZeroIgnoresNaNInC() throws {
        let blas = try #require(BLAS.loaded)
        for (transposeA, transposeB) in [(false, false), (true, true)] {
            let difference = Self.compare(blas, transposeA: transposeA, transposeB: transposeB, m: 19, n: 23, k: 11,
                                          pad: 2, alpha: 2, beta: 0, garbage: .nan, seed: 3)
            #expect(difference <= 1e-5, "max relative difference \(difference)")
        }
    }

    /// k = 0 is an empty sum: C ← β·C, even with leading dimensions OpenBLAS itself would reject.
    @Test(.enabled(if: BLAS.loaded != nil, "OpenBLAS not installed"))
    func emptyInnerDimensionScalesC() throws {
        let blas = try #require(BLAS.loaded)
        var c: [Float] = [1, 2, 3, 4, 5, 6]
        let empty: [Float] = [0]
        blas.sgemm(transposeA: false, transposeB: false, m: 2, n: 3, k: 0, alpha: 1,
                   a: empty, lda: 0, b: empty, ldb: 3, beta: 0.5, c: &c, ldc: 3)
        #expect(c == [0.5, 1, 1.5, 2, 2.5, 3])
    }

    /// When a library file exists, it loads, names its kernels and passes verification.
    @Test(.enabled(if: BLAS.defaultCandidates.contains { FileManager.default.fileExists(atPath: $0) },
                   "no OpenBLAS file at the usual paths"))
    func diagnosticsNameACoreAndVerification() {
        let d = BLAS.diagnostics
        #expect(d.verified, "OpenBLAS found but not used: \(d.failureReason ?? "no reason recorded")")
        #expect(!(d.openBLASCoreName ?? "").isEmpty)
        #expect(d.openBLASConfig?.contains("OpenBLAS") == true)
        #expect((d.threads ?? 0) >= 1)
        #expect(d.libraryPath?.contains("openblas") == true)
        #expect(d.description.contains("verification    passed"))
        // When we chose the core ourselves, OpenBLAS must actually be running it.
        if let core = d.coreType, !d.coreTypeReason.contains("environment") {
            #expect(d.openBLASCoreName?.lowercased() == core.lowercased())
        }
    }

    @Test(.enabled(if: BLAS.loaded != nil, "OpenBLAS not installed"))
    func threadCountCanBeChangedAndRestored() throws {
        let blas = try #require(BLAS.loaded)
        let original = blas.threadCount
        BLAS.setThreadCount(1)
        #expect(blas.threadCount == 1)
        BLAS.setThreadCount(original)
        #expect(blas.threadCount == original)
    }

    @Test func missingLibraryFallsBackWithAReason() {
        let outcome = BLAS.load(candidates: ["/nonexistent/libopenblas.so.0"])
        #expect(outcome.library == nil)
        #expect(outcome.failureReason?.contains("/nonexistent/libopenblas.so.0") == true)
    }

    /// A real shared library that is not OpenBLAS (libm) opens but lacks the symbols.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self/maps"), "Linux only"))
    func libraryWithoutTheSymbolsIsRejected() {
        let outcome = BLAS.load(candidates: ["libm.so.6"])
        #expect(outcome.library == nil)
        #expect(outcome.failureReason?.contains("lacks cblas_sgemm") == true)
    }

    @Test(arguments: [
        (["avx512f", "avx512bw", "avx512vl", "avx512_bf16", "avx2", "fma"], "Cooperlake"),
        (["avx512f", "avx512bw", "avx512vl", "avx2", "fma"], "SkylakeX"),
        (["avx512f", "avx2", "fma"], "Haswell"),          // AVX-512 foundation alone (Knights Landing) is not enough
        (["avx2", "fma"], "Haswell"),
        (["avx", "sse4_2"], nil),
        ([], nil),
    ] as [([String], String?)])
    func coreTypeFollowsTheFlags(flags: [String], expected: String?) {
        let cpu = CPUFeatures(modelName: "test", flags: Set(flags))
        let choice = BLAS.chooseCoreType(for: cpu, environment: nil)
        #expect(choice.coreType == expected)
        #expect(!choice.fromEnvironment)
    }

    @Test func userCoreTypeIsRespected() {
        let cpu = CPUFeatures(modelName: "test", flags: ["avx512f", "avx512bw", "avx512vl", "avx512_bf16"])
        let choice = BLAS.chooseCoreType(for: cpu, environment: "Prescott")
        #expect(choice.coreType == "Prescott")
        #expect(choice.fromEnvironment)
        #expect(choice.reason.contains("OPENBLAS_CORETYPE=Prescott"))
        // An empty variable counts as unset.
        #expect(BLAS.chooseCoreType(for: cpu, environment: "").coreType == "Cooperlake")
    }

    @Test func gemmUsesTheSameAnswerEitherWay() {
        // Through the public entry point, whatever it dispatches to.
        let a: [Float] = [1, 2, 3, 4, 5, 6]        // 2×3
        let b: [Float] = [1, 0, 0, 1, 1, 1]        // 3×2
        var c = [Float](repeating: .nan, count: 4)
        GEMM.multiply(m: 2, n: 2, k: 3, a: a, lda: 3, b: b, ldb: 2, c: &c, ldc: 2)
        let expected: [Float] = [4, 5, 10, 11]    // rows of A summed as B selects: a0+a2, a1+a2, …
        #expect(c == expected)
    }
}

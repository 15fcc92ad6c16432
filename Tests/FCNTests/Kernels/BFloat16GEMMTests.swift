// BFloat16GEMMTests.swift — the AVX512-BF16 GEMM equals its reference loops; bf16 rounding; why
// bf16 cannot run on a given CPU.
//
// Kernel (`Sources/CFCNKernels/bfloat16_gemm.c`) against `BFloat16GEMM.reference` (operands rounded
// to bf16, products summed in f32 in order of k) on shapes that reach every tail of the kernel:
// M not a multiple of the 8-row panel, N not a multiple of the 48-column register block nor of the
// 192-column call, K odd (a half-empty last pair) and above one 256-element chunk, row strides
// wider than the matrices, with and without bias and ReLU. The two add the same exact products
// in different orders, so they agree to f32 rounding of the sum:
//
//     |kernel − reference| ≤ (K + 1) · 2⁻²³ · (|bias| + Σ_k |bf16(a)·bf16(b)|)
//
// Skipped, with a note, on processors without AVX512-BF16.
import FCNKernels
import Testing
@testable import FCN

@Suite struct BFloat16RoundingTests {
    @Test func roundsToNearestEven() {
        #expect(BFloat16.rounded(1) == 1)
        #expect(BFloat16.rounded(1 + 1.0 / 256) == 1)                           // a tie: to the even mantissa
        #expect(BFloat16.rounded(1 + 3.0 / 256) == 1 + 4.0 / 256)               // a tie: up to the even one
        #expect(BFloat16.rounded(1 + 1.0 / 256 + 1.0 / 65536) == 1 + 2.0 / 256)  // past the tie: up
        #expect(BFloat16.rounded(-3.14159) == -3.140625)
        #expect(BFloat16.rounded(Float.leastNormalMagnitude / 2) == 0)          // subnormal: flushed, as the hardware does
        #expect(BFloat16.rounded(.infinity) == .infinity)
        #expect(BFloat16.rounded(.nan).isNaN)
        #expect(BFloat16.rounded(.greatestFiniteMagnitude) == .infinity)        // past the largest bf16
        // Every rounded value has a zero low half, and the error is at most half a bf16 step.
        var rng = SeededRandom(seed: 3)
        for _ in 0..<1000 {
            let x = Tensor(randomNormal: [1], using: &rng).scalars[0] * 100
            let r = BFloat16.rounded(x)
            #expect(r.bitPattern & 0xFFFF == 0)
            #expect(abs(r - x) <= abs(x) / 256, "\(x) → \(r)")
        }
    }

    @Test func explainsWhyBFloat16CannotRun() {
        let epyc = CPUFeatures(modelName: "AMD EPYC", flags: ["avx512f", "avx512_bf16"])
        #expect(BFloat16.unavailableReason(features: epyc, built: true, portable: false) == nil)
        let old = CPUFeatures(modelName: "Intel Xeon", flags: ["avx512f", "avx2"])
        let reason = BFloat16.unavailableReason(features: old, built: true, portable: false)
        #expect(reason?.contains("lacks AVX512-BF16") == true && reason?.contains("Intel Xeon") == true, "\(reason ?? "nil")")
        let amxOnly = CPUFeatures(modelName: "Xeon", flags: ["avx512f", "amx_bf16", "amx_tile"])
        #expect(BFloat16.unavailableReason(features: amxOnly, built: true, portable: false)?.contains("AMX") == true)
        #expect(BFloat16.unavailableReason(features: epyc, built: true, portable: true)?.contains("FCN_KERNELS=portable") == true)
        #expect(BFloat16.unavailableReason(features: epyc, built: false, portable: false)?.contains("x86-64") == true)
        // Only the fastest kernels run bf16, whatever the CPU.
        let portable = EngineConfiguration(kernels: .portable, precision: .bfloat16).unsupportedPrecision
        #expect(portable?.reason.contains("portable") == true)
        #expect(EngineConfiguration().unsupportedPrecision == nil)
        #expect(Precision(optionName: "bf16") == .bfloat16 && Precision(optionName: "f32") == .float32)
        #expect(Precision(optionName: "fp16") == nil)
    }
}

@Suite(.enabled(if: BFloat16.isAvailable, "needs AVX512-BF16 (flag avx512_bf16): skipped on this CPU"))
struct BFloat16GEMMTests {
    /// Kernel against reference for one shape; returns the worst ratio of |difference| to the bound.
    static func worstRatio(m: Int, n: Int, k: Int, lda: Int, ldb: Int, ldc: Int, bias: Bool, relu: Bool, seed: UInt64) -> Float {
        var rng = SeededRandom(seed: seed)
        let a = Tensor(randomNormal: [m * lda], using: &rng).scalars
        let b = Tensor(randomNormal: [k * ldb], using: &rng).scalars
        let biasValues = Tensor(randomNormal: [m], using: &rng).scalars
        var fast = [Float](repeating: .nan, count: m * ldc), slow = fast
        let packed = a.withUnsafeBufferPointer { BFloat16Matrix($0.baseAddress!, rows: m, depth: k, rowStride: lda) }
        a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in biasValues.withUnsafeBufferPointer { bv in
            fast.withUnsafeMutableBufferPointer { c in
                BFloat16GEMM.multiply(packed, b: b.baseAddress!, ldb: ldb, n: n, bias: bias ? bv.baseAddress : nil,
                                      relu: relu, c: c.baseAddress!, ldc: ldc)
            }
            slow.withUnsafeMutableBufferPointer { c in
                BFloat16GEMM.reference(m: m, n: n, k: k, a: a.baseAddress!, lda: lda, b: b.baseAddress!, ldb: ldb,
                                       bias: bias ? bv.baseAddress : nil, relu: relu, c: c.baseAddress!, ldc: ldc)
            }
        }}}
        var worst: Float = 0
        for i in 0..<m {
            for j in 0..<n {
                var magnitude = bias ? abs(biasValues[i]) : 0
                for p in 0..<k { magnitude += abs(BFloat16.rounded(a[i * lda + p]) * BFloat16.rounded(b[p * ldb + j])) }
                let bound = Float(k + 1) * Float.ulpOfOne * magnitude + Float.leastNormalMagnitude
                let d = abs(fast[i * ldc + j] - slow[i * ldc + j])
                worst = max(worst, d.isNaN ? .infinity : d / bound)
            }
        }
        // Columns past n of each row of C are never written (they stay NaN).
        if ldc > n { #expect(fast[n].isNaN, "the kernel wrote past column n") }
        return worst
    }

    @Test(arguments: [
        (1, 1, 1), (8, 48, 2), (13, 37, 21), (9, 200, 257), (64, 500, 577),   // tails of M, N, K; two K chunks
        (21, 193, 1), (3, 5, 300), (17, 385, 64), (130, 50, 1031),            // N past 2 calls; K odd past 4 chunks
    ])
    func equalsReference(m: Int, n: Int, k: Int) {
        for (bias, relu) in [(true, true), (false, false)] {
            let ratio = Self.worstRatio(m: m, n: n, k: k, lda: k, ldb: n, ldc: n, bias: bias, relu: relu,
                                        seed: UInt64(m * 7 + n * 3 + k))
            #expect(ratio <= 1, "M \(m) N \(n) K \(k) bias \(bias) relu \(relu): |Δ| / bound = \(ratio)")
        }
    }

    @Test func stridedOperands() {
        let ratio = Self.worstRatio(m: 11, n: 70, k: 33, lda: 40, ldb: 75, ldc: 81, bias: true, relu: true, seed: 9)
        #expect(ratio <= 1, "|Δ| / bound = \(ratio)")
    }

    /// One thread and two give the same bits: every element of C is summed by one call, in one order.
    @Test func threadCountDoesNotChangeTheResult() {
        var rng = SeededRandom(seed: 5)
        let (m, n, k) = (40, 300, 100)
        let a = Tensor(randomNormal: [m * k], using: &rng).scalars, b = Tensor(randomNormal: [k * n], using: &rng).scalars
        let packed = a.withUnsafeBufferPointer { BFloat16Matrix($0.baseAddress!, rows: m, depth: k, rowStride: k) }
        func product(threads: Int) -> [Float] {
            var c = [Float](repeating: 0, count: m * n)
            EngineConfiguration(threads: threads).apply {
                b.withUnsafeBufferPointer { b in c.withUnsafeMutableBufferPointer { c in
                    BFloat16GEMM.multiply(packed, b: b.baseAddress!, ldb: n, n: n, bias: nil, relu: false, c: c.baseAddress!, ldc: n)
                }}
            }
            return c
        }
        #expect(product(threads: 1) == product(threads: 2))
    }
}

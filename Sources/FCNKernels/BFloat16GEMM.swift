// BFloat16GEMM.swift — C = A·B (+ bias, ReLU) with bf16 operands and f32 sums, the product behind
// `--precision bf16` (see `FCNCore/Precision.swift` for what bf16 is and why the sums stay f32).
//
// Not part of the paper: engineering for §4.1's inference pass. Two implementations of one
// product, held equal by `Tests/FCNTests/Kernels/BFloat16GEMMTests.swift`:
//
//   reference   plain loops: round each operand to bf16 (`BFloat16.rounded`), multiply (exact
//               in f32), add to an f32 sum — the definition, readable, any CPU;
//   kernel      `Sources/CFCNKernels/bfloat16_gemm.c`: A (the weights) packed once in bf16
//               pairs, B (the activations) rounded while each block is packed, 8 × 48 register
//               blocks of `vdpbf16ps` (AVX512-BF16), blocks of C spread over the threads.
//
// The two add the same products in different orders (the kernel adds pairs, and chunks of 256
// terms), so they agree to f32 rounding of the sum, not bit for bit: |Δ| ≤ (K + 1)·2⁻²³·Σ|a·b|.
//
// What an AMX kernel would be (Intel Sapphire Rapids and later, `amx_tile amx_bf16`; not written
// because it could not be tested on the machines this course has run on): the same packed A (AMX's
// `tdpbf16ps` also multiplies bf16 pairs along K into f32), but loaded as 16-row × 32-pair tiles,
// with B re-packed into the pair-interleaved tile layout of 16 k-pairs × 16 columns; two A tiles ×
// two B tiles → four 16 × 16 f32 accumulator tiles (8 tile registers in all), each `tdpbf16ps`
// doing 16·16·32 multiply-adds — 16× the work of one `vdpbf16ps`. The driver, blocking and
// epilogue (bias, ReLU) would be these; only the register block changes.
//
// Dimension letters: M rows of A and C (output channels), K the inner dimension, N columns of B
// and C (pixels).

import CFCNKernels
import FCNCore
import Foundation

/// bf16 rounding as the hardware does it.
package enum BFloat16 {
    /// `x` rounded to the nearest bf16 value (ties to even), returned as the f32 it stands for —
    /// what `vcvtneps2bf16` computes: subnormal inputs become ±0, NaN stays NaN, values past the
    /// largest bf16 become ±∞.
    ///
    /// ```swift
    /// BFloat16.rounded(1 + 1.0 / 256)   // 1: the tie goes to the even mantissa
    /// BFloat16.rounded(1 + 3.0 / 256)   // 1.015625 (1 + 4/256)
    /// ```
    package static func rounded(_ x: Float) -> Float {
        let bits = x.bitPattern
        let exponent = (bits >> 23) & 0xFF
        if exponent == 0 { return Float(bitPattern: bits & 0x8000_0000) }                   // ±0 and subnormals
        if exponent == 0xFF { return x.isNaN ? Float(bitPattern: (bits | 0x0040_0000) & 0xFFFF_0000) : x }
        let up = bits &+ 0x7FFF &+ ((bits >> 16) & 1)                                       // nearest, ties to even
        return Float(bitPattern: up & 0xFFFF_0000)
    }

    /// Why the bf16 kernel cannot run with these CPU flags and build, or nil when it can.
    ///
    /// - Parameters:
    ///   - features: the processor's flags (``CPUFeatures/current`` for this machine).
    ///   - built: whether this build contains the kernel (x86-64).
    ///   - portable: whether `FCN_KERNELS=portable` turned the hand-written kernels off.
    package static func unavailableReason(features: CPUFeatures, built: Bool, portable: Bool) -> String? {
        if !built { return "this build has no AVX512-BF16 kernel (it needs an x86-64 processor)" }
        if !features.has("avx512_bf16") || !features.has("avx512f") {
            let amx = features.has("amx_bf16") ? " (it has AMX-BF16, for which there is no kernel yet)" : ""
            return "the processor (\(features.modelName)) lacks AVX512-BF16 (flag avx512_bf16)\(amx); use --precision f32"
        }
        if portable { return "FCN_KERNELS=portable turns the hand-written kernels off" }
        return nil
    }

    /// Why the bf16 kernel cannot run on this machine, or nil when it can.
    package static var unavailableReasonHere: String? {
        unavailableReason(features: .current, built: fcn_kernels_built_with_avx512bf16() == 1,
                          portable: ProcessInfo.processInfo.environment["FCN_KERNELS"] == "portable")
    }

    /// Whether the bf16 kernel may run here (see ``CPUFeatures/bfloat16KernelsEnabled``).
    package static var isAvailable: Bool { CPUFeatures.bfloat16KernelsEnabled }
}

/// A matrix rounded to bf16 once and packed in the kernel's layout: the weights of a layer.
///
/// Layout (`bfloat16_gemm.c`): panels of 8 rows; per panel and pair of columns (2q, 2q + 1) one
/// 32-bit word per row, `bf16(a[r][2q]) | bf16(a[r][2q + 1]) << 16`; zeros past M and K.
package struct BFloat16Matrix: Sendable {
    /// M.
    package let rows: Int
    /// K.
    package let depth: Int
    /// The packed words.
    let words: [UInt32]

    /// Rounds `a` (M×K, row stride `rowStride`) to bf16 and packs it.
    ///
    /// - Precondition: ``BFloat16/isAvailable`` (the packing uses the bf16 conversion instruction).
    package init(_ a: UnsafePointer<Float>, rows: Int, depth: Int, rowStride: Int) {
        precondition(BFloat16.isAvailable, "BFloat16Matrix: the AVX512-BF16 kernel cannot run here")
        precondition(rows >= 1 && depth >= 1 && rowStride >= depth, "BFloat16Matrix: bad shape \(rows)×\(depth), stride \(rowStride)")
        let count = fcn_bf16_packed_weight_words(Int32(rows), Int32(depth))
        words = [UInt32](unsafeUninitializedCapacity: count) { buffer, initialized in
            let done = fcn_bf16_pack_weights(a, rowStride, Int32(rows), Int32(depth), buffer.baseAddress!)
            precondition(done == 1, "fcn_bf16_pack_weights refused a \(rows)×\(depth) matrix")
            initialized = count
        }
        self.rows = rows
        self.depth = depth
    }
}

/// `C ← A·B + bias` (then ReLU) with bf16 operands and f32 sums.
package enum BFloat16GEMM {
    /// Columns of C one kernel call computes at most.
    static let maximumBlockColumns = Int(FCN_BF16_GEMM_MAX_COLUMNS)
    /// Rows of a weight panel (row ranges of a call start at multiples of it).
    static let panelRows = Int(FCN_BF16_GEMM_PANEL_ROWS)

    /// The product by the AVX512-BF16 kernel, spread over the threads of the configuration in force.
    ///
    /// - Parameters:
    ///   - a: the packed weights, M×K.
    ///   - b: B, K×N f32, row stride `ldb` (rounded to bf16 as it is packed).
    ///   - n: N.
    ///   - bias: `[M]` added to every column, or nil.
    ///   - relu: clamp C at zero afterwards.
    ///   - c: C, M×N f32, row stride `ldc`; every element is written.
    package static func multiply(_ a: BFloat16Matrix, b: UnsafePointer<Float>, ldb: Int, n: Int,
                                 bias: UnsafePointer<Float>?, relu: Bool, c: UnsafeMutablePointer<Float>, ldc: Int) {
        if n == 0 { return }
        let M = a.rows
        // Blocks of at most 192 columns; when there are few (fc6, fc7 on small score maps), the
        // rows are split too, so that every thread gets work. Each task packs its own B block:
        // that costs K·192 conversions against ≥ 64·K·192 multiply-adds.
        let threads = EngineConfiguration.current.resolvedThreads
        let columnBlocks = (n + maximumBlockColumns - 1) / maximumBlockColumns
        let width = (n + columnBlocks - 1) / columnBlocks
        let panels = (M + panelRows - 1) / panelRows
        let rowRanges = max(1, min(panels / 8, (4 * threads + columnBlocks - 1) / columnBlocks))
        let panelsPerRange = (panels + rowRanges - 1) / rowRanges
        let scratchWords = fcn_bf16_gemm_scratch_words()
        a.words.withUnsafeBufferPointer { packed in
            var gemm = fcn_bf16_gemm(weights: packed.baseAddress, rows: Int32(M), depth: Int32(a.depth), columns: Int32(n),
                                     input: b, ldb: ldb, bias: bias, relu: relu ? 1 : 0, output: c, ldc: ldc)
            parallelFor(columnBlocks * rowRanges) { task in
                let n0 = (task % columnBlocks) * width, n1 = min(n, n0 + width)
                let m0 = (task / columnBlocks) * panelsPerRange * panelRows, m1 = min(M, m0 + panelsPerRange * panelRows)
                if n0 >= n1 || m0 >= m1 { return }
                let scratch = UnsafeMutablePointer<UInt32>.allocate(capacity: scratchWords)
                defer { scratch.deallocate() }
                let done = fcn_bf16_gemm_block(&gemm, Int32(n0), Int32(n1), Int32(m0), Int32(m1), scratch)
                precondition(done == 1, "fcn_bf16_gemm_block refused columns \(n0)..<\(n1), rows \(m0)..<\(m1) of a \(M)×\(n) product")
            }
        }
    }

    /// The definition: each operand rounded to bf16, products added to an f32 sum in order of k,
    /// then the bias and ReLU — what ``multiply(_:b:ldb:n:bias:relu:c:ldc:)`` computes, on any CPU.
    ///
    ///     c[i][j] = max(0, bias[i] + Σ_p bf16(a[i][p]) · bf16(b[p][j]))      (max only with relu)
    ///
    /// - Parameters: as for `multiply`, with A given in f32 (M×K, row stride `lda`).
    package static func reference(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
                                  b: UnsafePointer<Float>, ldb: Int, bias: UnsafePointer<Float>?, relu: Bool,
                                  c: UnsafeMutablePointer<Float>, ldc: Int) {
        for i in 0..<m {
            for j in 0..<n {
                var sum: Float = bias?[i] ?? 0
                for p in 0..<k { sum += BFloat16.rounded(a[i * lda + p]) * BFloat16.rounded(b[p * ldb + j]) }
                c[i * ldc + j] = relu ? max(sum, 0) : sum
            }
        }
    }
}


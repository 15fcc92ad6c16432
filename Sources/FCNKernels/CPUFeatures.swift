// CPUFeatures.swift — what this processor can do, as far as the fast kernels care.
//
// Not part of the paper: an engineering helper for `BLAS.swift`, which must tell OpenBLAS
// which of its hand-written kernels ("core types") to use before the library loads.
//
// Why /proc/cpuinfo and not the `cpuid` instruction: Swift cannot execute `cpuid` without a C
// or assembly helper, and `cpuid` alone is not enough anyway — AVX-512 registers are only
// usable when the operating system saves them on context switches (XCR0, read with `xgetbv`).
// The Linux kernel does both checks for us and lists a flag such as `avx512f` only when the
// feature is usable, so reading its flags line is the simpler *and* the more correct test.
// On systems without /proc/cpuinfo (macOS) the feature set is empty and OpenBLAS chooses
// on its own, which it does correctly there.

import CFCNKernels
import Foundation

/// The processor's model name and instruction-set flags, as reported by the operating system.
///
/// ```swift
/// let cpu = CPUFeatures.current
/// cpu.modelName                 // "Intel(R) Xeon(R) Processor"
/// cpu.has("avx512f")            // true on Skylake-SP and later, and on AMD Zen 4
/// ```
///
/// ### See Also
/// - ``BLAS``, which turns these flags into an OpenBLAS core type.
package struct CPUFeatures: Sendable, Equatable {
    /// The model name of the first processor (`"unknown"` when the system does not say).
    package var modelName: String
    /// Every flag the kernel lists for the first processor (`fma`, `avx2`, `avx512f`, …).
    package var flags: Set<String>

    /// Features from a model name and a flag set (for tests; ``CPUFeatures/current`` reads the machine's).
    package init(modelName: String, flags: Set<String>) {
        self.modelName = modelName
        self.flags = flags
    }

    /// Whether the processor (and the operating system) support `flag`.
    package func has(_ flag: String) -> Bool { flags.contains(flag) }

    /// The flags that matter for single-precision matrix kernels, in a fixed order, for display.
    package var vectorFlags: [String] {
        ["sse4_2", "avx", "fma", "avx2", "avx512f", "avx512bw", "avx512vl", "avx512_bf16", "avx512_fp16", "amx_tile"]
            .filter(has)
    }

    /// The features of the machine this process runs on, read once.
    package static let current: CPUFeatures = {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else {
            return CPUFeatures(modelName: "unknown", flags: [])
        }
        return parse(cpuinfo: text)
    }()

    /// Whether the hand-written kernels (`Sources/CFCNKernels`) may run with the instructions
    /// `flags`: the build has them (x86-64), the processor has every flag, and the environment
    /// variable `FCN_KERNELS` is not `portable` (which keeps the Swift + OpenBLAS paths, e.g. to
    /// compare the two in one run).
    private static func handWrittenKernelsMayRun(needing flags: String...) -> Bool {
        fcn_kernels_built_with_avx512() == 1 && flags.allSatisfy(current.has)
            && ProcessInfo.processInfo.environment["FCN_KERNELS"] != "portable"
    }

    /// Whether the AVX-512 kernels (Winograd block, direct convolution at 16 floats) may run.
    package static let avx512KernelsEnabled: Bool = handWrittenKernelsMayRun(needing: "avx512f")

    /// Whether the AVX2 + FMA versions of the direct convolution kernels may run (x86-64
    /// processors without AVX-512, such as AMD's Zen 2 and 3).
    package static let avx2KernelsEnabled: Bool = handWrittenKernelsMayRun(needing: "avx2", "fma")

    /// Whether the AVX512-BF16 GEMM (`bfloat16_gemm.c`, `--precision bf16`) may run: built in,
    /// `avx512f` and `avx512_bf16` present, `FCN_KERNELS` not `portable`.
    package static let bfloat16KernelsEnabled: Bool =
        fcn_kernels_built_with_avx512bf16() == 1 && handWrittenKernelsMayRun(needing: "avx512f", "avx512_bf16")

    /// Parses the text of `/proc/cpuinfo`, keeping the first `model name` and `flags` lines
    /// (all cores of one machine report the same).
    ///
    /// Lines look like `flags\t\t: fpu vme de … avx2 …`: a key, tabs, a colon, a value.
    package static func parse(cpuinfo text: String) -> CPUFeatures {
        var modelName: String?
        var flags: Set<String>?
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if key == "model name", modelName == nil { modelName = value }
            if key == "flags", flags == nil { flags = Set(value.split(separator: " ").map(String.init)) }
            if modelName != nil, flags != nil { break }
        }
        return CPUFeatures(modelName: modelName ?? "unknown", flags: flags ?? [])
    }
}

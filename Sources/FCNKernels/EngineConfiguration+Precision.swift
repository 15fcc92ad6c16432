// EngineConfiguration+Precision.swift — whether a configuration's precision can run on this machine.
//
// f32 runs everywhere. bf16 (`FCNCore/Precision.swift`) runs only where the AVX512-BF16 kernel
// may (`BFloat16GEMM.swift`) and only with the `.fastest` kernels: the portable and reference
// policies exist to compare against the definition, and a bf16 result would not be that. The
// engine's entry points ask this before any arithmetic and throw, so that `--precision bf16`
// on the wrong CPU is a message, never a trap in a kernel and never a silent f32 run.

import FCNCore

extension EngineConfiguration {
    /// Why ``precision`` cannot run here, or nil when it can.
    ///
    /// ```swift
    /// EngineConfiguration(precision: .bfloat16).unsupportedPrecision   // nil on an AVX512-BF16 EPYC
    /// ```
    package var unsupportedPrecision: UnsupportedPrecisionError? {
        guard precision == .bfloat16 else { return nil }
        if kernels != .fastest {
            return UnsupportedPrecisionError(precision: precision,
                                             reason: "it needs the fastest kernels, and the kernel policy is \(kernels.rawValue)")
        }
        return BFloat16.unavailableReasonHere.map { UnsupportedPrecisionError(precision: precision, reason: $0) }
    }

    /// Throws ``FCNCore/UnsupportedPrecisionError`` when ``precision`` cannot run here.
    package func requireSupportedPrecision() throws(UnsupportedPrecisionError) {
        if let error = unsupportedPrecision { throw error }
    }

    /// Whether convolutions at inference run their products in bf16 (checked by
    /// ``requireSupportedPrecision()`` at the entry point).
    package var usesBFloat16: Bool { precision == .bfloat16 && kernels == .fastest && BFloat16.isAvailable }
}

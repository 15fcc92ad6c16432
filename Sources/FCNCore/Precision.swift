// Precision.swift — the number format the engine's large products run in: f32, or bf16 with f32 sums.
//
// Not part of the paper: CVPR 2015 and PAMI 2016 run every layer in f32 (Caffe on a GPU), and f32
// stays this library's default and reference. bf16 is an opt-in inference setting for CPUs that
// multiply bf16 numbers in hardware (AVX512-BF16's `vdpbf16ps`: recent AMD EPYC and Intel Xeon).
//
// What bf16 is. IEEE single precision (f32) has 1 sign bit, 8 exponent bits and 23 mantissa bits.
// bf16 ("brain float") keeps the sign and the *same 8 exponent bits* and only 7 mantissa bits: it is
// the top half of an f32. So it covers the same range (no overflow where f32 has none, unlike fp16's
// 5-bit exponent) with a relative spacing of 2⁻⁷ ≈ 0.8 % instead of 2⁻²³; rounding to the nearest
// bf16 changes a value by at most 2⁻⁸ ≈ 0.4 % of itself.
//
// Why sums stay f32. A convolution output is a sum of C·KH·KW products (4608 for a 512-channel 3×3
// layer, 25 088 for fc6). Summed in bf16, every addition would round to 8 significant bits and the
// error would grow with the number of terms until small contributions vanish entirely. The
// hardware instead multiplies two bf16 values exactly (8 + 8 significant bits fit in f32's 24) and
// adds the product to an f32 accumulator, so the sum is as accurate as an f32 dot product of the
// rounded operands: the only new error is the rounding of each operand, about 2⁻⁹ relative per
// product, which largely averages out over thousands of terms.
//
// Why weights are rounded once. The weights do not change during inference, so they are rounded
// to bf16 (to nearest, ties to even) and packed in the kernel's layout the first time a network
// runs in bf16, then reused for every image (`Network` keeps them); the activations are rounded
// while the kernel packs them for each product. Half the bytes per weight also halves the memory
// traffic of the weight-heavy layers (fc6 holds 103 M of FCN-8s's 134 M parameters).
//
// Which layers. bf16 runs the products of the im2col convolutions: fc6 and fc7 after §3.1's
// net surgery, and the 1×1 score layers of §4.2's skips — 82 % of FCN-8s's weights and about
// a third of its f32 time at 500×500. The 3×3 layers keep their f32 kernels (Winograd, direct):
// measured, bf16 made them slower (im2col) or too inaccurate (Winograd's transforms amplify the
// rounding); `Convolution.kernel(for:purpose:precision:)` gives the numbers.

/// The number format of the engine's matrix products at inference.
///
/// ```swift
/// let fast = EngineConfiguration(precision: .bfloat16)   // needs a CPU with AVX512-BF16
/// let scores = try network.forward(image, configuration: fast)
/// ```
///
/// ### See Also
/// - ``EngineConfiguration/precision``.
public enum Precision: String, Sendable, Hashable, CaseIterable, Codable {
    /// IEEE single precision everywhere: the default and the reference.
    case float32
    /// The im2col convolutions' products (fc6, fc7, the score layers) with operands rounded to
    /// bf16 (8-bit exponent, 7-bit mantissa) and f32 sums, on AVX512-BF16; the 3×3 layers stay
    /// f32. Inference only; training always runs in f32.
    case bfloat16

    /// The spelling of `--precision`: `f32`, `bf16`.
    public var optionName: String {
        switch self {
        case .float32: "f32"
        case .bfloat16: "bf16"
        }
    }

    /// The precision spelled `name` on the command line (`f32`, `bf16`), or nil.
    public init?(optionName name: String) {
        guard let p = Precision.allCases.first(where: { $0.optionName == name }) else { return nil }
        self = p
    }
}

/// Thrown when a configuration asks for a precision this machine cannot compute.
///
/// ```swift
/// do { _ = try network.forward(image, configuration: EngineConfiguration(precision: .bfloat16)) }
/// catch let error as UnsupportedPrecisionError { print(error) }   // on a CPU without AVX512-BF16
/// ```
public struct UnsupportedPrecisionError: Error, CustomStringConvertible, Equatable {
    /// The precision asked for.
    public var precision: Precision
    /// Why it cannot run here, in a sentence.
    public var reason: String

    /// An error for `precision`, with the reason in a sentence.
    public init(precision: Precision, reason: String) {
        self.precision = precision
        self.reason = reason
    }

    public var description: String { "precision \(precision.optionName) cannot run here: \(reason)" }
}

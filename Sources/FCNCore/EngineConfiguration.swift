// EngineConfiguration.swift — how the engine computes, as a value the caller passes in.
//
// Not part of the paper: the engineering of §4's "inference … 175 ms" claim. Two settings decide
// how fast a forward or backward pass runs, and neither should be a process-wide switch that one
// caller flips under another's feet:
//
//   threads   how many cores our own loops (`parallelFor`, the AVX-512 kernels' workers) and
//             OpenBLAS's products use;
//   kernels   which implementations may run: the fastest this CPU has (hand-written AVX-512 loops,
//             fused Winograd), the portable ones (Swift + OpenBLAS, the same on every x86-64 and
//             ARM machine), or the plain reference loops that define each layer.
// A third, `precision`, is opt-in: bf16 products with f32 sums at inference (`Precision.swift`).
//
// `Network.forward(…, configuration:)` (and training's forward and backward) take one of these
// and keep it in force for the duration of the call (a task-local value, so concurrent calls with
// different configurations do not see each other's; `FCNKernels/EngineConfiguration+Apply.swift`).
// The one exception is OpenBLAS's thread pool, which that library makes process-wide: a call
// resizes it when its thread count differs.

/// Which implementations of a layer the engine may choose from.
///
/// The choice itself is made in one place per layer kind (for convolutions,
/// `Convolution.kernel(for:purpose:precision:)` in `FCN`); this only says how far it may go.
public enum KernelPolicy: String, Sendable, Hashable, CaseIterable, Codable {
    /// The fastest kernels this processor runs: AVX-512 loops where the CPU has them, Winograd
    /// F(4×4, 3×3) for wide 3×3 layers, im2col + sgemm elsewhere.
    case fastest
    /// The Swift + OpenBLAS paths only (no hand-written AVX-512 loops): the same arithmetic on
    /// every processor, to compare against `fastest` in one run.
    case portable
    /// The plain loops that define every layer (`referenceForward`). Orders of magnitude slower:
    /// for checking, teaching and debugging.
    case reference
}

/// Threads, kernels and buffer sizes for one call into the engine.
///
/// ```swift
/// let scores = try network.forward(image, configuration: EngineConfiguration(threads: 2))
/// let same = try network.forward(image, configuration: EngineConfiguration(kernels: .portable))
/// ```
public struct EngineConfiguration: Sendable, Hashable {
    /// Cores to use (≥ 1), or `nil`: every core of this machine (OpenBLAS: its load-time count,
    /// which respects `OPENBLAS_NUM_THREADS`).
    public var threads: Int?
    /// Which implementations may run.
    public var kernels: KernelPolicy
    /// The largest column matrix (im2col/col2im buffer) a convolution builds, in floats, or `nil`:
    /// 16 Mi floats (64 MB). Smaller budgets build it in more, thinner bands of rows — the same
    /// values, less memory; tests use a budget of 1 to exercise the banded loops on small images.
    public var columnBudget: Int?
    /// The number format of the convolutions' products at inference: `.float32` (the default and
    /// the reference) or `.bfloat16` — fc6, fc7 and the score layers with operands rounded to
    /// bf16 and sums in f32 (see ``Precision``).
    /// bf16 needs the `.fastest` kernels and a CPU with AVX512-BF16; elsewhere `Network.forward`
    /// throws ``UnsupportedPrecisionError`` rather than quietly running f32. Training ignores it.
    public var precision: Precision

    /// A configuration; by default every core, the fastest kernels, 64 MB column buffers and f32.
    ///
    /// The environment variable `FCN_KERNELS=portable` turns the AVX-512 loops off for the whole
    /// process, whatever the policy says (to compare builds without editing code).
    public init(threads: Int? = nil, kernels: KernelPolicy = .fastest, columnBudget: Int? = nil,
                precision: Precision = .float32) {
        self.threads = threads.map { max(1, $0) }
        self.kernels = kernels
        self.columnBudget = columnBudget.map { max(1, $0) }
        self.precision = precision
    }

    /// Every core, the fastest kernels.
    public static let automatic = EngineConfiguration()

    /// The most threads any configuration may ask for: more than this is a mistake (`--threads
    /// 100000`), not a machine.
    public static let maximumThreads = 1024
}

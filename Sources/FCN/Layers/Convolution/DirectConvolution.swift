// DirectConvolution.swift — direct (no im2col) stride-1 convolution for layers with few input channels.
//
// Fast path for FCN's conv1_1 (paper §3; 3 → 64 channels, 3×3, padding 100) and, in training,
// for the narrow layers of the course's VGG-mini. With C = 3 the im2col matrix has only
// C·KH·KW = 27 rows, so the GEMM is thin and most of the time goes into writing the column
// matrix and reading it back. The C kernel (`Sources/CFCNKernels/direct_convolution.c`, AVX-512
// or AVX2 + FMA) computes each output row straight from padded copies of the input rows under
// it, keeping a block of channels × pixels of sums in registers (8 × 48 with AVX-512, 4 × 16
// with AVX2). Output rows are shared among our threads (one per core) through a counter.
// The backward passes are in `DirectConvolution+Backward.swift`.
//
// Dimension letters: N batch, C input channels, H×W input, O output channels, KH×KW kernel,
// OH×OW output.

import FCNCore
import FCNKernels
import Synchronization

/// A stride-1, undilated, ungrouped convolution computed directly (chosen for conv1_1's few input
/// channels at inference, and for training's narrow layers).
///
/// Layout: input `[N, C, H, W]`, weight `[O, C, KH, KW]`, output `[N, O, OH, OW]`, as for
/// ``Convolution``. Runs only where ``isAvailable`` (AVX-512, or AVX2 + FMA).
///
/// ```swift
/// var rng = SeededRandom(seed: 1)
/// let conv = Convolution(weight: Tensor(randomNormal: [64, 3, 3, 3], using: &rng), padding: 100)
/// if DirectConvolution.isAvailable && DirectConvolution.isApplicable(to: conv) {
///     let y = DirectConvolution(conv).forward(Tensor(randomNormal: [1, 3, 8, 8], using: &rng), fusingReLU: true)  // [1, 64, 206, 206]
/// }
/// ```
///
/// ### See Also
/// - ``Convolution/referenceForward(_:)``, the definition this equals (to ~1e-6 relative).
public struct DirectConvolution: Sendable {
    public let convolution: Convolution

    /// Whether the kernel can run here: its AVX-512 or its AVX2 + FMA loops (see
    /// `CPUFeatures.avx512KernelsEnabled`, `avx2KernelsEnabled`).
    public static let isAvailable: Bool = AVX512Kernels.directVectorFloats != nil

    /// Input channels up to which inference always computes a layer directly (conv1_1's 3): the
    /// im2col matrix would have only C·KH·KW ≤ 36 rows.
    public static let fewChannels = 4

    /// Input channels up to which training computes a layer directly, forward and backward: the
    /// narrow layers of the course's VGG-mini (conv1_1's 3, conv2_1's 8, conv3_1's 16), where
    /// im2col's column matrix costs as much as its GEMM (`fcn-profile train-step`'s kernel table).
    public static let trainingChannels = 16

    /// Whether `conv` has the shape this kernel handles: stride 1, dilation 1, groups 1,
    /// C ≤ 1024, kernel at most 7×7. (Where it pays is decided in `ConvolutionKernel.swift`.)
    public static func isApplicable(to conv: Convolution) -> Bool {
        conv.stride == Size2(1) && conv.dilation == Size2(1) && conv.groups == 1
            && conv.inputChannels <= AVX512Kernels.directMaxChannels
            && conv.kernelSize.height <= AVX512Kernels.directMaxKernel && conv.kernelSize.width <= AVX512Kernels.directMaxKernel
    }

    public init(_ conv: Convolution) {
        precondition(Self.isApplicable(to: conv), "DirectConvolution: needs stride 1, dilation 1, groups 1, C ≤ \(AVX512Kernels.directMaxChannels), kernel ≤ 7×7")
        convolution = conv
    }

    /// The convolution of `x`, `[N, C, H, W]` → `[N, O, OH, OW]`, optionally followed by ReLU.
    public func forward(_ x: Tensor, fusingReLU: Bool = false) -> Tensor {
        precondition(Self.isAvailable, "DirectConvolution: the kernel needs AVX-512 or AVX2 + FMA")
        let conv = convolution
        let d = x.nchw
        precondition(d.c == conv.inputChannels, "DirectConvolution: input has \(d.c) channels, weight expects \(conv.inputChannels)")
        let out = conv.outputSize(height: d.h, width: d.w)
        precondition(out.height >= 1 && out.width >= 1, "DirectConvolution: a \(conv.kernelSize) window does not fit a \(d.h)×\(d.w) input")
        let O = conv.outputChannels, OH = out.height, OW = out.width
        // Every output element is written by exactly one row task.
        var y = [Float](unsafeUninitializedCapacity: d.n * O * OH * OW) { $1 = d.n * O * OH * OW }   // [N, O, OH, OW]
        if y.isEmpty { return Tensor(shape: [d.n, O, OH, OW], scalars: y) }
        let biasValues = conv.bias?.scalars ?? [Float](repeating: 0, count: O)
        let workers: Int = max(1, min(EngineConfiguration.current.resolvedThreads, d.n * OH))
        let next = Atomic<Int>(0)                                // the next unclaimed (image, row)
        x.scalars.withUnsafeBufferPointer { xAll in
        conv.weight.scalars.withUnsafeBufferPointer { w in
        biasValues.withUnsafeBufferPointer { biasValues in
        y.withUnsafeMutableBufferPointer { yAll in
            let (xAll, w, biasValues, yAll) = (xAll.baseAddress!, w.baseAddress!, biasValues.baseAddress!, yAll.baseAddress!)
            func layer(_ n: Int) -> AVX512Kernels.DirectLayer {
                AVX512Kernels.DirectLayer(
                    input: xAll + n * d.c * d.h * d.w, channels: d.c, height: d.h, width: d.w,
                    padTop: conv.padding.top, padLeft: conv.padding.left,
                    weight: w, outputChannels: O, kernelHeight: conv.kernelSize.height,
                    kernelWidth: conv.kernelSize.width, bias: biasValues, relu: fusingReLU,
                    output: yAll + n * O * OH * OW, outputHeight: OH, outputWidth: OW)
            }
            let scratchFloats = AVX512Kernels.directScratchFloats(layer(0))
            parallelFor(workers) { _ in
                let scratch = UnsafeMutablePointer<Float>.allocate(capacity: scratchFloats)
                defer { scratch.deallocate() }
                while true {
                    let task = next.add(1, ordering: .relaxed).oldValue
                    if task >= d.n * OH { break }
                    AVX512Kernels.directRow(layer(task / OH), row: task % OH, scratch: scratch)
                }
            }
        }}}}
        return Tensor(shape: [d.n, O, OH, OW], scalars: y)
    }
}

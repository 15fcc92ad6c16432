// ConvolutionKernel.swift — which algorithm computes a convolution, decided in one place.
//
// Not part of the paper: the engineering behind §4.1's "FCN-8s … 175 ms" inference. Every
// convolution of an FCN (paper §3) can be computed five ways, each equal to the definition
// (`Convolution.referenceForward`) up to rounding, and held so by the tests:
//
//   reference       the six nested loops of the definition — the readable truth, very slow;
//   im2col          im2col + one sgemm per band of output rows (`Convolution+Fast.swift`);
//   winograd        Winograd F(4×4, 3×3) with 36 OpenBLAS products (`WinogradConvolution.swift`);
//   winogradFused   the same algorithm in cache-sized tile blocks by an AVX-512 kernel
//                   (`WinogradConvolution+Fused.swift`);
//   direct          an AVX-512 loop for few input channels, conv1_1's 3 (`DirectConvolution.swift`);
//   bfloat16        im2col + the AVX512-BF16 GEMM, bf16 operands and f32 sums — only when the
//                   caller asks for `Precision.bfloat16` (`BFloat16Convolution.swift`).
//
// `kernel(for:purpose:precision:)` below is the only place that chooses, from the layer's shape and the
// caller's `KernelPolicy`; each rule carries the measurement that justified it.

import FCNCore
import FCNKernels

/// An algorithm that computes a ``Convolution``.
public enum ConvolutionKernel: String, Sendable, Hashable, CaseIterable {
    /// The plain loops of ``Convolution/referenceForward(_:)``.
    case reference
    /// im2col + sgemm, in bands of output rows (``Convolution/forward(_:fusingReLU:)``).
    case im2col
    /// Winograd F(4×4, 3×3) with OpenBLAS products (``WinogradConvolution/blasForward(_:fusingReLU:)``).
    case winograd
    /// Winograd F(4×4, 3×3) by the fused AVX-512 block kernel.
    case winogradFused
    /// The direct AVX-512 kernel for layers with at most four input channels.
    case direct
    /// im2col + the AVX512-BF16 GEMM (``BFloat16Convolution``): equal to the definition to bf16
    /// accuracy only, so chosen only under `Precision.bfloat16`.
    case bfloat16
}

/// What a forward pass is for, as far as the choice of kernel is concerned.
public enum ConvolutionPurpose: Sendable, Hashable {
    /// Inference: the fastest kernel the policy allows.
    case inference
    /// Training's forward pass, whose values the backward pass differentiates.
    case training
}

extension Convolution {
    /// The kernel that computes this convolution under `policy`.
    ///
    /// The rules, in order (machine-dependent parts follow `KernelPolicy`):
    /// 1. `.reference` policy: the reference loops.
    /// 2. A stride-1, ungrouped, undilated layer with a kernel of at most 7×7, when the direct
    ///    kernels may run (AVX-512, or AVX2 + FMA): `direct` for at most 4 input channels
    ///    (conv1_1) — im2col's column matrix has only C·KH·KW = 27 rows there, and writing it costs
    ///    more than the product (conv1_1 of the VGG-mini FCN-8s at 128×128 in training, 2 threads,
    ///    AVX2: 0.38 ms direct, 3.22 ms im2col) — and, in training, for at most
    ///    ``DirectConvolution/trainingChannels`` (conv2_1 8 → 16 at 163×163: 1.11 against 1.46 ms;
    ///    from 32 channels on im2col's GEMM is as fast or faster; `fcn-profile train-step`'s kernel
    ///    table).
    /// 3. Inference only: a 3×3 stride-1 layer with at least 64 input channels: Winograd —
    ///    1.4× faster than im2col on conv1_2 (64 → 64), 2–2.7× on the 256- and 512-channel layers
    ///    of FCN-8s at 500×500 (`fcn-profile --layers`, 2 threads); slower on conv1_1, whose 3
    ///    input channels make the 36 products too thin. Fused (AVX-512) up to C·O = 256·256, the
    ///    OpenBLAS products beyond (see ``WinogradConvolution/prefersFusedKernel``).
    ///    Training does not use Winograd: its rounding differs from im2col's by ~1e-6 relative,
    ///    which is harmless, but for the narrow layers of the course's nets it is no faster than
    ///    im2col (a change of training's kernels changes the trained bytes, as the direct
    ///    kernels in training and the channel-wise upsampling path did).
    /// 4. Everything else: im2col + sgemm — or, at inference under `Precision.bfloat16` (which
    ///    needs the `.fastest` policy and AVX512-BF16), im2col + the bf16 GEMM: fc6, fc7 and the 1×1
    ///    score layers. fc6 of FCN-8s at 500×500 (a 4096 × 25 088 × 256 product): 344 ms against
    ///    715 ms with sgemm (`fcn-profile --precision bf16`, 2 threads, AMD EPYC with AVX512-BF16,
    ///    2 December 2026, load average 4). The 3×3 layers keep their f32 kernels (rules 2–3) under
    ///    bf16, for two measured reasons (same day and machine, FCN-8s VGG16 random weights,
    ///    500×500, runs minutes apart at load 4–7): im2col + bf16 GEMM does 4× Winograd's
    ///    multiplications at only 2× the rate, and took 1.5–4.5× Winograd's time per layer; and
    ///    Winograd with its 36 products in bf16 (tried in the fused kernel, commit "bf16
    ///    experiment") was hardly faster (conv4_2 189 against 206 ms) while its rounding, made after the transforms that amplify it, cost too much
    ///    accuracy — 3.9e-2 relative error and 98.85 % argmax agreement with f32, against
    ///    5.5e-3 and 99.78 % with f32 Winograd and bf16 fc layers.
    ///
    /// - Parameters:
    ///   - policy: how far the choice may go.
    ///   - purpose: inference or training (training ignores `precision`).
    ///   - precision: the number format asked for; bf16 applies where the kernel may run.
    public func kernel(for policy: KernelPolicy, purpose: ConvolutionPurpose = .inference,
                       precision: Precision = .float32) -> ConvolutionKernel {
        if policy == .reference { return .reference }
        let avx512 = policy == .fastest && AVX512Kernels.isAvailable
        if policy == .fastest && DirectConvolution.isAvailable && DirectConvolution.isApplicable(to: self)
            && inputChannels <= (purpose == .training ? DirectConvolution.trainingChannels : DirectConvolution.fewChannels) {
            return .direct
        }
        let bf16 = purpose == .inference && precision == .bfloat16 && policy == .fastest && BFloat16Convolution.isAvailable
        if purpose == .inference && WinogradConvolution.isApplicable(to: self) && inputChannels >= 64 {
            return avx512 && WinogradConvolution.prefersFusedKernel(inputChannels: inputChannels, outputChannels: outputChannels)
                ? .winogradFused : .winograd
        }
        if bf16 && BFloat16Convolution.isApplicable(to: self) { return .bfloat16 }
        return .im2col
    }

    /// The kernel training's backward pass uses for this layer under `policy`: `direct` where
    /// the training forward pass is direct (both gradients then come from the direct kernels,
    /// `DirectConvolution+Backward.swift`), im2col/col2im + GEMM everywhere else — also under
    /// the `.reference` policy, whose backward pass has always been the fast one (the reference
    /// loops are ``referenceBackward(input:outputGradient:)``, held equal by the tests).
    public func backwardKernel(for policy: KernelPolicy) -> ConvolutionKernel {
        kernel(for: policy, purpose: .training) == .direct ? .direct : .im2col
    }

    /// Whether `kernel` can compute this convolution on this machine.
    public func supports(_ kernel: ConvolutionKernel) -> Bool {
        switch kernel {
        case .reference, .im2col: true
        case .winograd: WinogradConvolution.isApplicable(to: self)
        case .winogradFused: WinogradConvolution.isApplicable(to: self) && WinogradConvolution.isFusedKernelAvailable
        case .direct: DirectConvolution.isApplicable(to: self) && DirectConvolution.isAvailable
        case .bfloat16: BFloat16Convolution.isApplicable(to: self) && BFloat16Convolution.isAvailable
        }
    }

    /// The convolution of `x` (`[N, C, H, W]` → `[N, O, OH, OW]`) by `kernel`, optionally
    /// followed by ReLU.
    ///
    /// - Precondition: ``supports(_:)`` for `kernel`.
    ///
    /// ```swift
    /// let k = conv.kernel(for: .fastest)                  // e.g. .winogradFused for conv3_1
    /// let y = conv.forward(x, fusingReLU: true, using: k)
    /// ```
    public func forward(_ x: Tensor, fusingReLU: Bool, using kernel: ConvolutionKernel) -> Tensor {
        precondition(supports(kernel), "Convolution: the \(kernel.rawValue) kernel cannot compute this layer here")
        switch kernel {
        case .reference:
            var y = referenceForward(x)
            if fusingReLU { ReLU().forwardInPlace(&y) }
            return y
        case .im2col: return forward(x, fusingReLU: fusingReLU)
        case .winograd: return WinogradConvolution(self).blasForward(x, fusingReLU: fusingReLU)
        case .winogradFused: return WinogradConvolution(self).fusedForward(x, fusingReLU: fusingReLU)
        case .direct: return DirectConvolution(self).forward(x, fusingReLU: fusingReLU)
        case .bfloat16: return BFloat16Convolution(self).forward(x, fusingReLU: fusingReLU)   // packs the weight each call
        }
    }
}

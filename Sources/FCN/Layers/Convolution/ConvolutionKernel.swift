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
//   direct          an AVX-512 loop for few input channels, conv1_1's 3 (`DirectConvolution.swift`).
//
// `kernel(for:purpose:)` below is the only place that chooses, from the layer's shape and the
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
    /// 2. A stride-1, ungrouped, undilated layer with at most 4 input channels and a kernel of at
    ///    most 7×7 (conv1_1), when the AVX-512 kernels may run: `direct` — im2col's column matrix
    ///    has only C·KH·KW = 27 rows there, and writing it costs more than the product.
    /// 3. Inference only: a 3×3 stride-1 layer with at least 64 input channels: Winograd —
    ///    1.4× faster than im2col on conv1_2 (64 → 64), 2–2.7× on the 256- and 512-channel layers
    ///    of FCN-8s at 500×500 (`fcn-profile --layers`, 2 threads); slower on conv1_1, whose 3
    ///    input channels make the 36 products too thin. Fused (AVX-512) up to C·O = 256·256, the
    ///    OpenBLAS products beyond (see ``WinogradConvolution/prefersFusedKernel``).
    ///    Training does not use Winograd: its rounding differs from im2col's by ~1e-6 relative,
    ///    and the shipped models were trained with the direct and im2col kernels (a change of
    ///    training's kernels changes the trained bytes, as the channel-wise upsampling path did).
    /// 4. Everything else: im2col + sgemm.
    public func kernel(for policy: KernelPolicy, purpose: ConvolutionPurpose = .inference) -> ConvolutionKernel {
        if policy == .reference { return .reference }
        let avx512 = policy == .fastest && AVX512Kernels.isAvailable
        if avx512 && DirectConvolution.isApplicable(to: self) { return .direct }
        if purpose == .inference && WinogradConvolution.isApplicable(to: self) && inputChannels >= 64 {
            return avx512 && WinogradConvolution.prefersFusedKernel(inputChannels: inputChannels, outputChannels: outputChannels)
                ? .winogradFused : .winograd
        }
        return .im2col
    }

    /// Whether `kernel` can compute this convolution on this machine.
    public func supports(_ kernel: ConvolutionKernel) -> Bool {
        switch kernel {
        case .reference, .im2col: true
        case .winograd: WinogradConvolution.isApplicable(to: self)
        case .winogradFused: WinogradConvolution.isApplicable(to: self) && WinogradConvolution.isFusedKernelAvailable
        case .direct: DirectConvolution.isApplicable(to: self) && DirectConvolution.isAvailable
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
        }
    }
}

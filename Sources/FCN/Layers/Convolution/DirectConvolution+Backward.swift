// DirectConvolution+Backward.swift — both gradients of a stride-1 convolution without im2col.
//
// Training (CVPR §4.1, §4.3: SGD through every layer) spends most of a step in the backward
// pass of the 3×3 convolutions. The im2col route (`FilterBank+Fast.swift`) writes a column
// matrix, multiplies, and for dL/dx scatters it back with col2im; for the course's narrow
// VGG-mini (8 … 64 channels) those passes over memory cost as much as the products. Two
// identities let the direct kernels (AVX-512 or AVX2 + FMA) do the work instead:
//
//   dL/dx   a stride-1 convolution's adjoint is again a stride-1 convolution: of dL/dy, with
//           the filters turned by 180° and input and output channels swapped
//           (w′[c][o][u][v] = w[o][c][KH−1−u][KW−1−v]), padded by K − 1 − p on each side — so the
//           forward direct kernel computes it (`fcn_direct_conv_row`);
//   dL/dw   dW[o][c][u][v] = Σ_{i,j} dY[o][i][j]·x[c][i+u−p][j+v−p], summed in registers from a
//           zero-bordered copy of x (`fcn_direct_weight_gradient`), skipping the output pixels
//           whose window lies wholly in the padding (most of conv1_1's at FCN's padding of 100).
//
// Both equal the reference loops (`FilterBank.referenceScatter`, `referenceWeightGradient`) up
// to rounding; `DirectConvolutionBackwardTests` holds them so.
//
// Dimension letters: N batch, C input channels, H×W input, O output channels, KH×KW kernel,
// OH×OW output.

import FCNCore
import FCNKernels
import Synchronization

extension DirectConvolution {
    /// Whether ``inputGradient(_:)`` can compute dL/dx of `conv`: the adjoint's padding
    /// K − 1 − p must not be negative (conv1_1's padding of 100 has none — and needs none: its
    /// input is the image).
    public static func canComputeInputGradient(of conv: Convolution) -> Bool {
        let p = conv.padding, k = conv.kernelSize
        return isApplicable(to: conv) && conv.outputChannels <= AVX512Kernels.directMaxChannels
            && max(p.top, p.bottom) <= k.height - 1 && max(p.left, p.right) <= k.width - 1
    }

    /// The convolution that computes dL/dx: filters turned by 180°, channels swapped, padding
    /// K − 1 − p, no bias.
    public var adjoint: Convolution {
        let conv = convolution, w = conv.weight.scalars
        let O = conv.outputChannels, C = conv.inputChannels, KH = conv.kernelSize.height, KW = conv.kernelSize.width
        var turned = [Float](repeating: 0, count: w.count)                     // [C, O, KH, KW]
        for o in 0..<O { for c in 0..<C { for u in 0..<KH { for v in 0..<KW {
            turned[((c * O + o) * KH + u) * KW + v] = w[((o * C + c) * KH + (KH - 1 - u)) * KW + (KW - 1 - v)]
        }}}}
        let p = conv.padding
        return Convolution(weight: Tensor(shape: [C, O, KH, KW], scalars: turned), bias: nil,
                           padding: Padding(top: KH - 1 - p.top, left: KW - 1 - p.left, bottom: KH - 1 - p.bottom, right: KW - 1 - p.right))
    }

    /// dL/dx, `[N, C, H, W]`, from dL/dy `[N, O, OH, OW]`: the forward direct kernel run on
    /// ``adjoint``.
    ///
    /// - Precondition: ``canComputeInputGradient(of:)`` and ``isAvailable``.
    public func inputGradient(_ dy: Tensor) -> Tensor {
        precondition(Self.canComputeInputGradient(of: convolution), "DirectConvolution: dL/dx needs padding ≤ kernel − 1")
        return DirectConvolution(adjoint).forward(dy, fusingReLU: false)
    }

    /// dL/dw, `[O, C, KH, KW]`, summed over the batch.
    ///
    /// Work is shared among our threads in (output-channel block, input channel, kernel row)
    /// items; each item owns its entries of dW, so no two threads add to the same sum.
    ///
    /// - Precondition: ``isAvailable``; `dy` has the shape the forward pass gives `x`.
    public func weightGradient(input x: Tensor, outputGradient dy: Tensor) -> Tensor {
        precondition(Self.isAvailable, "DirectConvolution: the kernel needs AVX-512 or AVX2 + FMA")
        let conv = convolution, d = x.nchw, g = dy.nchw
        let O = conv.outputChannels, KH = conv.kernelSize.height, KW = conv.kernelSize.width
        precondition(d.c == conv.inputChannels && g.n == d.n && g.c == O
                     && Size2(height: g.h, width: g.w) == conv.outputSize(height: d.h, width: d.w),
                     "DirectConvolution: dL/dy \(dy.shape) does not match input \(x.shape)")
        var dW = [Float](repeating: 0, count: O * d.c * KH * KW)
        let block = AVX512Kernels.directGradientBlockChannels(kernelWidth: KW)
        let blocks = (O + block - 1) / block
        let items = blocks * d.c * KH
        x.scalars.withUnsafeBufferPointer { xAll in
        dy.scalars.withUnsafeBufferPointer { dyAll in
        dW.withUnsafeMutableBufferPointer { dW in
            let (xAll, dyAll, dW) = (xAll.baseAddress!, dyAll.baseAddress!, dW.baseAddress!)
            func layer(_ n: Int) -> AVX512Kernels.DirectGradientLayer {
                AVX512Kernels.DirectGradientLayer(
                    input: xAll + n * d.c * d.h * d.w, channels: d.c, height: d.h, width: d.w,
                    padTop: conv.padding.top, padLeft: conv.padding.left,
                    outputGradient: dyAll + n * O * g.h * g.w, outputChannels: O, outputHeight: g.h, outputWidth: g.w,
                    kernelHeight: KH, kernelWidth: KW)
            }
            let borderedFloats = AVX512Kernels.directBorderedFloats(layer(0))
            let bordered = UnsafeMutablePointer<Float>.allocate(capacity: borderedFloats)
            defer { bordered.deallocate() }
            let workers = max(1, min(EngineConfiguration.current.resolvedThreads, items))
            for n in 0..<d.n {
                let l = layer(n)
                AVX512Kernels.directBorder(l, into: bordered)
                let next = Atomic<Int>(0)                                   // the next unclaimed item
                parallelFor(workers) { _ in
                    while true {
                        let item = next.add(1, ordering: .relaxed).oldValue
                        if item >= items { break }
                        let u = item % KH, c = (item / KH) % d.c, b = item / (KH * d.c)
                        AVX512Kernels.directWeightGradient(l, bordered: bordered, o0: b * block, c: c, u: u, into: dW)
                    }
                }
            }
        }}}
        return Tensor(shape: conv.weight.shape, scalars: dW)
    }
}

extension Convolution {
    /// Training's backward pass by `kernel` (``backwardKernel(for:)``), computing only the
    /// gradients asked for: the direct kernels for `.direct` (dL/dx by im2col's scatter where the
    /// adjoint's padding would be negative — conv1_1's, whose dL/dx training never asks for),
    /// im2col/col2im + GEMM otherwise.
    func gradients(input x: Tensor, outputGradient dy: Tensor, input wantsInput: Bool, parameters wantsParameters: Bool,
                   using kernel: ConvolutionKernel) -> (input: Tensor?, weight: Tensor?, bias: Tensor?) {
        guard kernel == .direct else { return gradients(input: x, outputGradient: dy, input: wantsInput, parameters: wantsParameters) }
        let (d, out) = checkedForward(x)
        checkOutputGradient("Convolution", dy, expected: [d.n, outputChannels, out.height, out.width])
        let direct = DirectConvolution(self)
        var inputGradient: Tensor?
        if wantsInput {
            inputGradient = DirectConvolution.canComputeInputGradient(of: self)
                ? direct.inputGradient(dy) : filters.scatter(dy, image: Size2(height: d.h, width: d.w))
        }
        guard wantsParameters else { return (inputGradient, nil, nil) }
        return (inputGradient, direct.weightGradient(input: x, outputGradient: dy), bias == nil ? nil : channelSums(dy))
    }
}

// DirectConvolutionTests.swift — the direct convolution kernel equals the reference.
//
// `DirectConvolution.forward` against `Convolution.referenceForward` (1e-4 relative) on the
// shapes its C kernel (`Sources/CFCNKernels/direct_convolution.c`) branches on: output
// channels not a multiple of 8, widths with a partial 16-pixel vector and a partial 48-pixel
// block, padding 0 and 100 (rows of pure padding take the bias-only shortcut) and
// asymmetric padding, 1×1 to 7×7 kernels, batches, ReLU on and off, and a wider layer as training
// computes directly. The loops run at this machine's width (AVX-512 or AVX2); skipped without either.
import Testing
@testable import FCN

@Suite(.enabled(if: DirectConvolution.isAvailable, "needs AVX-512 or AVX2 + FMA"))
struct DirectConvolutionTests {
    static func relativeError(C: Int, O: Int, K: Size2, H: Int, W: Int, padding: Padding, alsoWithReLU: Bool,
                              batch: Int = 1, seed: UInt64) -> (Float, [Int]) {
        var rng = SeededRandom(seed: seed)
        let conv = Convolution(weight: Tensor(randomNormal: [O, C, K.height, K.width], standardDeviation: 0.3, using: &rng),
                               bias: Tensor(randomNormal: [O], using: &rng), padding: padding)
        let x = Tensor(randomNormal: [batch, C, H, W], using: &rng)
        let reference = conv.referenceForward(x)           // the slow part (debug build): computed once
        return worstRelativeError(reference: reference, alsoWithReLU: alsoWithReLU) { relu in
            DirectConvolution(conv).forward(x, fusingReLU: relu)
        }
    }

    @Test(arguments: [
        (3, 64, 3, 7, 53, 1), (3, 13, 3, 9, 17, 0), (1, 5, 1, 6, 5, 0),       // 64 = 8·8; 13 = 8 + 5; 1×1
        (4, 9, 5, 11, 50, 2), (2, 8, 7, 12, 100, 3), (1, 2, 3, 4, 3, 100),    // 5×5, 7×7; pad 100
        (16, 11, 3, 9, 37, 1),                                                // training's widest direct layer
    ])
    func equalsReference(C: Int, O: Int, K: Int, H: Int, W: Int, pad: Int) {
        do {                                               // with and without ReLU
            let (error, shape) = Self.relativeError(C: C, O: O, K: Size2(K), H: H, W: W, padding: Padding(pad), alsoWithReLU: true,
                                                    seed: UInt64(C * 100 + O * 10 + W))
            #expect(shape == [1, O, H + 2 * pad - K + 1, W + 2 * pad - K + 1])
            #expect(error <= 1e-4, "C \(C) O \(O) K \(K) \(H)×\(W) pad \(pad) (ReLU on and off): max relative difference \(error)")
        }
    }

    @Test func rectangularKernelAsymmetricPaddingAndBatch() {
        let (error, shape) = Self.relativeError(C: 3, O: 10, K: Size2(height: 2, width: 5), H: 8, W: 33,
                                                padding: Padding(top: 0, left: 4, bottom: 3, right: 1), alsoWithReLU: false, batch: 2, seed: 7)
        #expect(shape == [2, 10, 10, 34])
        #expect(error <= 1e-4, "max relative difference \(error)")
    }

    @Test func applicabilityAndChoice() {
        let conv1_1 = Convolution(weight: Tensor(zeros: [64, 3, 3, 3]), padding: 100)
        let conv2_1 = Convolution(weight: Tensor(zeros: [16, 8, 3, 3]), padding: 1)
        let conv3_2 = Convolution(weight: Tensor(zeros: [32, 32, 3, 3]), padding: 1)
        #expect(DirectConvolution.isApplicable(to: conv1_1) && DirectConvolution.isApplicable(to: conv3_2))
        #expect(!DirectConvolution.isApplicable(to: Convolution(weight: Tensor(zeros: [8, 3, 3, 3]), stride: 2)))
        #expect(!DirectConvolution.isApplicable(to: Convolution(weight: Tensor(zeros: [8, 3, 9, 9]))))
        // Where the direct kernel pays (ConvolutionKernel.swift): few channels always, narrow ones in training.
        #expect(conv1_1.kernel(for: .fastest) == .direct)
        #expect(conv2_1.kernel(for: .fastest) != .direct && conv2_1.kernel(for: .fastest, purpose: .training) == .direct)
        #expect(conv3_2.kernel(for: .fastest, purpose: .training) != .direct)
        #expect(conv2_1.backwardKernel(for: .fastest) == .direct && conv3_2.backwardKernel(for: .fastest) == .im2col)
        #expect(conv2_1.kernel(for: .portable, purpose: .training) != .direct && conv2_1.backwardKernel(for: .portable) == .im2col)
    }
}

// ChannelwiseFilterBankTests.swift — the direct path for banks that link each channel with itself
// (FCN's fixed bilinear upsampling) against the reference loops.
import Testing
@testable import FCN

@Suite struct ChannelwiseFilterBankTests {
    /// Upsampling as FCN does it: the bilinear kernel on the class diagonal, zeros elsewhere.
    @Test(arguments: [(factor: 2, padding: 1), (factor: 4, padding: 2), (factor: 8, padding: 0)])
    func bilinearUpsamplingEqualsTheReference(factor: Int, padding: Int) {
        let up = TransposedConvolution(weight: bilinearUpsamplingWeight(channels: 3, factor: factor), stride: Size2(factor),
                                       padding: Padding(padding))
        #expect(up.filters.channelwiseKernels != nil)
        var rng = SeededRandom(seed: UInt64(factor))
        let x = Tensor(randomNormal: [2, 3, 5, 4], using: &rng)
        let y = up.referenceForward(x)
        expectFastMatchesReference(up.forward(x), y, "forward ×\(factor)")
        expectBackwardMatchesReference(up, x, outputShape: y.shape, using: &rng)
    }

    /// A depthwise convolution (groups = channels) with stride, padding, dilation, bias and ReLU.
    @Test func depthwiseConvolutionEqualsTheReference() {
        var rng = SeededRandom(seed: 3)
        let conv = Convolution(weight: Tensor(randomNormal: [4, 1, 3, 2], using: &rng), bias: Tensor(randomNormal: [4], using: &rng),
                               stride: Size2(height: 2, width: 1), padding: Padding(1), dilation: Size2(height: 1, width: 2), groups: 4)
        #expect(conv.filters.channelwiseKernels != nil)
        let x = Tensor(randomNormal: [1, 4, 9, 8], using: &rng)
        let y = conv.referenceForward(x)
        expectFastMatchesReference(conv.forward(x), y, "forward")
        expectFastMatchesReference(conv.forward(x, fusingReLU: true), Tensor(shape: y.shape, scalars: y.scalars.map { max($0, 0) }), "forward + ReLU")
        expectBackwardMatchesReference(conv, x, outputShape: y.shape, using: &rng)
    }

    /// dL/dx (the channel-wise path) and dL/dw (dense: the matrix product) against the reference.
    func expectBackwardMatchesReference(_ layer: some FilterBankLayer, _ x: Tensor, outputShape: [Int],
                                        using rng: inout SeededRandom, sourceLocation: SourceLocation = #_sourceLocation) {
        let dy = Tensor(randomNormal: outputShape, using: &rng)
        let reference = layer.referenceBackward(input: x, outputGradient: dy)
        let fast = layer.backward(input: x, outputGradient: dy)
        expectFastMatchesReference(fast.input, reference.input, "dL/dx", sourceLocation: sourceLocation)
        expectFastMatchesReference(fast.weight, reference.weight, "dL/dw", sourceLocation: sourceLocation)
    }

    /// One nonzero weight off the diagonal makes the bank dense again: the matrix product runs.
    @Test func anOffDiagonalWeightIsNotChannelwise() {
        var w = bilinearUpsamplingWeight(channels: 2, factor: 2)
        w[0, 1, 1, 1] = 0.5
        let up = TransposedConvolution(weight: w, stride: 2)
        #expect(up.filters.channelwiseKernels == nil)
        var rng = SeededRandom(seed: 8)
        let x = Tensor(randomNormal: [1, 2, 3, 3], using: &rng)
        expectFastMatchesReference(up.forward(x), up.referenceForward(x), "forward, dense")
    }
}

// ConvolutionTests.swift — the reference convolution on numbers small enough to check by hand.
import Testing
@testable import FCN

@Suite struct ConvolutionReferenceTests {
    /// A 3×3 image, a 2×2 all-ones kernel, stride 1: each output is the sum of a 2×2 window.
    @Test func windowSumsByHand() {
        let x = Tensor(shape: [1, 1, 3, 3], scalars: [1, 2, 3,
                                                      4, 5, 6,
                                                      7, 8, 9])
        let conv = Convolution(weight: Tensor(repeating: 1, shape: [1, 1, 2, 2]), bias: Tensor(shape: [1], scalars: [0.5]))
        let y = conv.referenceForward(x)
        #expect(y.shape == [1, 1, 2, 2])
        #expect(y.scalars == [12.5, 16.5, 24.5, 28.5])
    }

    /// Padding 1 and stride 2 on a 3×3 image give a 2×2 output whose corners see the padding.
    @Test func strideAndPadding() {
        let x = Tensor(shape: [1, 1, 3, 3], scalars: [1, 2, 3, 4, 5, 6, 7, 8, 9])
        let conv = Convolution(weight: Tensor(repeating: 1, shape: [1, 1, 3, 3]), stride: 2, padding: 1)
        let y = conv.referenceForward(x)
        #expect(y.shape == [1, 1, 2, 2])
        let expected: [Float] = [1 + 2 + 4 + 5, 2 + 3 + 5 + 6, 4 + 5 + 7 + 8, 5 + 6 + 8 + 9]
        #expect(y.scalars == expected)
    }

    /// Caffe's output-size formula on the sizes FCN meets (conv1_1 with pad 100 on a 500 image).
    @Test(arguments: [(500, 3, 1, 100, 1, 698), (7, 3, 2, 0, 1, 3), (10, 3, 1, 0, 2, 6), (1, 7, 1, 0, 1, -5)])
    func outputLength(input: Int, kernel: Int, stride: Int, pad: Int, dilation: Int, expected: Int) {
        #expect(convolutionOutputLength(input: input, kernel: kernel, stride: stride, padBefore: pad, padAfter: pad, dilation: dilation) == expected)
    }
}

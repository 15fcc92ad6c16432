// ConvolutionGradientTests.swift — convolution's backward passes against finite differences.
import FCNKernels
import Testing
@testable import FCN

@Suite struct ConvolutionGradientTests {
    /// Small geometries: each finite-difference check runs the forward pass twice per parameter.
    static let cases: [ConvolutionCase] = [
        ConvolutionCase(name: "3×3 stride 2, asymmetric padding", batch: 2, inputChannels: 2, height: 5, width: 4, outputChannels: 2,
                        kernel: 3, stride: 2, padding: Padding(top: 1, left: 0, bottom: 2, right: 1)),
        ConvolutionCase(name: "dilation 2, groups 2, pad 4 > k/2", inputChannels: 4, height: 4, width: 5, outputChannels: 2,
                        kernel: 3, padding: 4, dilation: 2, groups: 2),
        ConvolutionCase(name: "1×1 direct GEMM", batch: 2, inputChannels: 3, height: 3, width: 2, outputChannels: 2, kernel: 1),
        ConvolutionCase(name: "no bias, 2×3 kernel", inputChannels: 2, height: 4, width: 5, outputChannels: 2,
                        kernel: Size2(height: 2, width: 3), stride: Size2(height: 1, width: 2), hasBias: false),
    ]

    @Test(arguments: cases)
    func referenceBackwardMatchesFiniteDifferences(_ testCase: ConvolutionCase) {
        let (conv, x) = testCase.make()
        var rng = SeededRandom(seed: 5)
        let r = Tensor(randomNormal: conv.referenceForward(x).shape, using: &rng)
        let g = conv.referenceBackward(input: x, outputGradient: r)
        expectGradientsMatchFiniteDifferences(x: x, weight: conv.weight, bias: conv.bias, upstream: r,
                                              analytic: (g.input, g.weight, g.bias), "reference") { x, w, b in
            var layer = conv
            layer.weight = w
            layer.bias = b
            return layer.referenceForward(x)
        }
    }

    @Test(arguments: cases)
    func fastBackwardMatchesFiniteDifferences(_ testCase: ConvolutionCase) {
        let (conv, x) = testCase.make()
        var rng = SeededRandom(seed: 5)
        let r = Tensor(randomNormal: conv.forward(x).shape, using: &rng)
        let g = conv.backward(input: x, outputGradient: r)
        expectGradientsMatchFiniteDifferences(x: x, weight: conv.weight, bias: conv.bias, upstream: r,
                                              analytic: (g.input, g.weight, g.bias), "fast") { x, w, b in
            var layer = conv
            layer.weight = w
            layer.bias = b
            return layer.forward(x)
        }
    }

    /// With dL/dy = 1 and an all-ones 2×2 filter, the bias gradient counts output pixels and
    /// dL/dx counts, for each input pixel, the windows that cover it.
    @Test func onesGradientCountsByHand() {
        let conv = Convolution(weight: Tensor(repeating: 1, shape: [1, 1, 2, 2]), bias: Tensor(zeros: [1]))
        let x = Tensor(shape: [1, 1, 3, 3]) { i in Float(i[2] * 3 + i[3]) }
        let g = conv.referenceBackward(input: x, outputGradient: Tensor(repeating: 1, shape: [1, 1, 2, 2]))
        #expect(g.bias?.scalars == [4])
        // How many of the four 2×2 windows cover each pixel of the 3×3 image.
        let covering: [Float] = [1, 2, 1,
                                 2, 4, 2,
                                 1, 2, 1]
        #expect(g.input.scalars == covering)
        // dL/dw[u, v] = sum of the 2×2 block of x starting at (u, v).
        let expected: [Float] = [0 + 1 + 3 + 4, 1 + 2 + 4 + 5, 3 + 4 + 6 + 7, 4 + 5 + 7 + 8]
        #expect(g.weight.scalars == expected)
    }
}

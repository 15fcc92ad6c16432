// LinearTests.swift — the fully connected layer: by hand, fast = reference, finite differences,
// and §3.1's observation that it equals a convolution whose kernel covers the whole input.
import Testing
@testable import FCN

@Suite struct LinearTests {
    @Test func forwardByHand() {
        let fc = Linear(weight: Tensor(shape: [2, 3], scalars: [1, 2, 3,
                                                                -1, 0, 1]),
                        bias: Tensor(shape: [2], scalars: [0.5, -0.5]))
        let y = fc.referenceForward(Tensor(shape: [1, 3], scalars: [1, 1, 2]))
        #expect(y.shape == [1, 2])
        let expected: [Float] = [1 + 2 + 6 + 0.5, -1 + 0 + 2 - 0.5]
        #expect(y.scalars == expected)
    }

    /// (input shape, outputs, has bias)
    static let cases: [([Int], Int, Bool)] = [([3, 7], 5, true), ([2, 3, 2, 2], 4, true), ([1, 5], 1, false), ([4, 2, 3], 3, false)]

    func make(_ inputShape: [Int], _ outputs: Int, _ hasBias: Bool) -> (Linear, Tensor) {
        var rng = SeededRandom(seed: UInt64(inputShape.reduce(1, *) * 31 + outputs))
        let inputs = inputShape.dropFirst().reduce(1, *)
        let fc = Linear(weight: Tensor(randomNormal: [outputs, inputs], using: &rng),
                        bias: hasBias ? Tensor(randomNormal: [outputs], using: &rng) : nil)
        return (fc, Tensor(randomUniform: inputShape, using: &rng))
    }

    @Test(arguments: cases)
    func fastMatchesReference(inputShape: [Int], outputs: Int, hasBias: Bool) {
        let (fc, x) = make(inputShape, outputs, hasBias)
        let reference = fc.referenceForward(x)
        expectFastMatchesReference(fc.forward(x), reference, "forward")
        var rng = SeededRandom(seed: 8)
        let dy = Tensor(randomNormal: reference.shape, using: &rng)
        let slow = fc.referenceBackward(input: x, outputGradient: dy)
        let fast = fc.backward(input: x, outputGradient: dy)
        #expect(slow.input.shape == x.shape && fast.input.shape == x.shape, "dL/dx keeps the input's shape")
        expectFastMatchesReference(fast.input, slow.input, "dL/dx")
        expectFastMatchesReference(fast.weight, slow.weight, "dL/dw")
        #expect((fast.bias == nil) == !hasBias && (slow.bias == nil) == !hasBias)
        if let f = fast.bias, let s = slow.bias { expectFastMatchesReference(f, s, "dL/db") }
    }

    @Test(arguments: cases)
    func backwardMatchesFiniteDifferences(inputShape: [Int], outputs: Int, hasBias: Bool) {
        let (fc, x) = make(inputShape, outputs, hasBias)
        var rng = SeededRandom(seed: 5)
        let r = Tensor(randomNormal: [inputShape[0], outputs], using: &rng)
        let slow = fc.referenceBackward(input: x, outputGradient: r)
        expectGradientsMatchFiniteDifferences(x: x, weight: fc.weight, bias: fc.bias, upstream: r,
                                              analytic: (slow.input, slow.weight, slow.bias), "reference") { x, w, b in
            Linear(weight: w, bias: b).referenceForward(x)
        }
        let fast = fc.backward(input: x, outputGradient: r)
        expectGradientsMatchFiniteDifferences(x: x, weight: fc.weight, bias: fc.bias, upstream: r,
                                              analytic: (fast.input, fast.weight, fast.bias), "fast") { x, w, b in
            Linear(weight: w, bias: b).forward(x)
        }
    }

    /// §3.1: a fully connected layer on a [C, H, W] input is a convolution with an H×W kernel,
    /// the weight reshaped [O, I] → [O, C, H, W]; its 1×1 output holds the same numbers.
    @Test func equalsConvolutionCoveringTheInput() {
        let (fc, x) = make([2, 3, 2, 2], 4, true)
        let conv = Convolution(weight: fc.weight.reshaped([4, 3, 2, 2]), bias: fc.bias)
        let viaConvolution = conv.referenceForward(x)                    // [2, 4, 1, 1]
        #expect(viaConvolution.shape == [2, 4, 1, 1])
        expectFastMatchesReference(viaConvolution.reshaped([2, 4]), fc.referenceForward(x), tolerance: 1e-6, "conv vs fc")
    }
}

// TransposedConvolutionTests.swift — deconvolution: by hand, fast = reference, finite
// differences, and the adjoint identity with convolution.
import FCNKernels
import Testing
@testable import FCN

extension ConvolutionCase {
    /// A transposed convolution with this case's geometry: `inputChannels` in, `outputChannels`
    /// out, weight `[C, O/G, KH, KW]`; and an input `[N, C, H, W]`.
    func makeTransposed(seed: UInt64 = 11) -> (TransposedConvolution, Tensor) {
        var rng = SeededRandom(seed: seed &+ UInt64(name.count))
        let weight = Tensor(randomNormal: [inputChannels, outputChannels / groups, kernel.height, kernel.width], using: &rng)
        let bias = hasBias ? Tensor(randomNormal: [outputChannels], using: &rng) : nil
        let layer = TransposedConvolution(weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation, groups: groups)
        let x = Tensor(randomUniform: [batch, inputChannels, height, width], using: &rng)
        return (layer, x)
    }

    static let transposed: [ConvolutionCase] = [
        ConvolutionCase(name: "2× upsampling, k 4, crop 1", batch: 2, inputChannels: 3, height: 4, width: 5, outputChannels: 2, kernel: 4, stride: 2, padding: 1),
        ConvolutionCase(name: "k 2 < stride 3: gaps", inputChannels: 2, height: 3, width: 3, outputChannels: 2, kernel: 2, stride: 3),
        ConvolutionCase(name: "3×2 kernel, stride 2×1, asymmetric crop", inputChannels: 2, height: 3, width: 4, outputChannels: 3,
                        kernel: Size2(height: 3, width: 2), stride: Size2(height: 2, width: 1), padding: Padding(top: 1, left: 0, bottom: 2, right: 1)),
        ConvolutionCase(name: "dilation 2", inputChannels: 2, height: 4, width: 3, outputChannels: 2, kernel: 3, padding: 1, dilation: 2),
        ConvolutionCase(name: "groups 2, stride 2", batch: 2, inputChannels: 4, height: 3, width: 3, outputChannels: 4, kernel: 3, stride: 2, padding: 1, groups: 2),
        ConvolutionCase(name: "1×1", inputChannels: 3, height: 4, width: 3, outputChannels: 2, kernel: 1),
        ConvolutionCase(name: "no bias, k 5 stride 2, crop 3 > k/2", inputChannels: 1, height: 3, width: 4, outputChannels: 2, kernel: 5, stride: 2, padding: 3, hasBias: false),
    ]
}

@Suite struct TransposedConvolutionTests {
    /// Stride 2 with a 2×2 all-ones kernel: every input pixel becomes a 2×2 block (no overlap).
    @Test func scatterWithoutOverlapByHand() {
        let x = Tensor(shape: [1, 1, 2, 2], scalars: [1, 2,
                                                      3, 4])
        let layer = TransposedConvolution(weight: Tensor(repeating: 1, shape: [1, 1, 2, 2]), stride: 2)
        let y = layer.referenceForward(x)
        #expect(y.shape == [1, 1, 4, 4])
        let blocks: [Float] = [1, 1, 2, 2,
                               1, 1, 2, 2,
                               3, 3, 4, 4,
                               3, 3, 4, 4]
        #expect(y.scalars == blocks)
    }

    /// Stride 1 with a [1, 10] kernel on [1, 2]: the stamps overlap in the middle and add;
    /// cropping 1 on the left keeps the last two; a bias of 0.5 is added everywhere.
    @Test func overlappingStampsAddByHand() {
        let x = Tensor(shape: [1, 1, 1, 2], scalars: [1, 2])
        let weight = Tensor(shape: [1, 1, 1, 2], scalars: [1, 10])
        let full = TransposedConvolution(weight: weight).referenceForward(x)
        #expect(full.scalars == [1, 10 + 2, 20])
        let cropped = TransposedConvolution(weight: weight, bias: Tensor(shape: [1], scalars: [0.5]),
                                            padding: Padding(top: 0, left: 1, bottom: 0, right: 0)).referenceForward(x)
        #expect(cropped.scalars == [12.5, 20.5])
    }

    @Test(arguments: ConvolutionCase.transposed)
    func fastMatchesReference(_ testCase: ConvolutionCase) {
        let (layer, x) = testCase.makeTransposed()
        let reference = layer.referenceForward(x)
        expectFastMatchesReference(layer.forward(x), reference, "forward")
        expectFastMatchesReference(EngineConfiguration(columnBudget: 1).apply { layer.forward(x) }, reference, "forward, 1-row bands")
        var rng = SeededRandom(seed: 21)
        let dy = Tensor(randomNormal: reference.shape, using: &rng)
        let referenceGradients = layer.referenceBackward(input: x, outputGradient: dy)
        for budget in [ColumnGeometry.defaultBudget, 1] {
            let fast = EngineConfiguration(columnBudget: budget).apply { layer.backward(input: x, outputGradient: dy) }
            expectFastMatchesReference(fast.input, referenceGradients.input, "dL/dx (budget \(budget))")
            expectFastMatchesReference(fast.weight, referenceGradients.weight, "dL/dw (budget \(budget))")
            #expect((fast.bias == nil) == !testCase.hasBias)
            if let fastBias = fast.bias, let referenceBias = referenceGradients.bias {
                expectFastMatchesReference(fastBias, referenceBias, "dL/db (budget \(budget))")
            }
        }
    }

    /// Smaller geometries: each finite-difference check runs the forward pass twice per parameter.
    static let gradientCases: [ConvolutionCase] = [
        ConvolutionCase(name: "2× upsampling, k 4, crop 1", batch: 2, inputChannels: 2, height: 3, width: 2, outputChannels: 1, kernel: 4, stride: 2, padding: 1),
        ConvolutionCase(name: "3×2 kernel, stride 2×1, asymmetric crop", inputChannels: 2, height: 3, width: 2, outputChannels: 2,
                        kernel: Size2(height: 3, width: 2), stride: Size2(height: 2, width: 1), padding: Padding(top: 1, left: 0, bottom: 2, right: 1)),
        ConvolutionCase(name: "groups 2, dilation 2", inputChannels: 4, height: 2, width: 3, outputChannels: 2, kernel: 3, stride: 2, padding: 1, dilation: 2, groups: 2),
        ConvolutionCase(name: "no bias, k 5 stride 2, crop 3 > k/2", inputChannels: 1, height: 3, width: 3, outputChannels: 2, kernel: 5, stride: 2, padding: 3, hasBias: false),
    ]

    @Test(arguments: gradientCases)
    func backwardMatchesFiniteDifferences(_ testCase: ConvolutionCase) {
        let (layer, x) = testCase.makeTransposed()
        var rng = SeededRandom(seed: 5)
        let r = Tensor(randomNormal: layer.referenceForward(x).shape, using: &rng)
        let reference = layer.referenceBackward(input: x, outputGradient: r)
        expectGradientsMatchFiniteDifferences(x: x, weight: layer.weight, bias: layer.bias, upstream: r,
                                              analytic: (reference.input, reference.weight, reference.bias), "reference") { x, w, b in
            var l = layer
            l.weight = w
            l.bias = b
            return l.referenceForward(x)
        }
        let fast = layer.backward(input: x, outputGradient: r)
        expectGradientsMatchFiniteDifferences(x: x, weight: layer.weight, bias: layer.bias, upstream: r,
                                              analytic: (fast.input, fast.weight, fast.bias), "fast") { x, w, b in
            var l = layer
            l.weight = w
            l.bias = b
            return l.forward(x)
        }
    }

    /// Geometries where the transposed convolution maps the convolution's output size back
    /// onto its input size: (H + padding − extent) divisible by the stride.
    static let adjointCases: [ConvolutionCase] = [
        ConvolutionCase(name: "3×3 stride 2 pad 1", batch: 2, inputChannels: 3, height: 7, width: 9, outputChannels: 2, kernel: 3, stride: 2, padding: 1, hasBias: false),
        ConvolutionCase(name: "3×2 stride 2×3, asymmetric padding", inputChannels: 2, height: 5, width: 7, outputChannels: 3,
                        kernel: Size2(height: 3, width: 2), stride: Size2(height: 2, width: 3), padding: Padding(top: 0, left: 1, bottom: 2, right: 0), hasBias: false),
        ConvolutionCase(name: "dilation 2", inputChannels: 2, height: 6, width: 5, outputChannels: 2, kernel: 3, padding: 2, dilation: 2, hasBias: false),
        ConvolutionCase(name: "groups 2, k 4 stride 3, pad 4 > k/2", inputChannels: 4, height: 5, width: 8, outputChannels: 2, kernel: 4, stride: 3, padding: 4, groups: 2, hasBias: false),
        ConvolutionCase(name: "1×1", inputChannels: 3, height: 3, width: 4, outputChannels: 5, kernel: 1, hasBias: false),
    ]

    /// ⟨conv(x), y⟩ = ⟨x, convT(y)⟩ with the same weight tensor and geometry: the transposed
    /// convolution is the adjoint of convolution (§3.3), and hence convolution's input gradient.
    @Test(arguments: adjointCases)
    func adjointOfConvolution(_ testCase: ConvolutionCase) {
        let (conv, x) = testCase.make()
        let transposed = TransposedConvolution(weight: conv.weight, stride: conv.stride, padding: conv.padding,
                                               dilation: conv.dilation, groups: conv.groups)
        var rng = SeededRandom(seed: 13)
        let y = Tensor(randomUniform: conv.referenceForward(x).shape, using: &rng)
        for (name, convX, transposedY) in [("reference", conv.referenceForward(x), transposed.referenceForward(y)),
                                           ("fast", conv.forward(x), transposed.forward(y))] {
            #expect(transposedY.shape == x.shape, "\(name): convT output \(transposedY.shape) vs conv input \(x.shape)")
            guard transposedY.shape == x.shape else { continue }
            let left = convX.dot(y)
            let right = x.dot(transposedY)
            // Relative to |⟨conv x, y⟩|'s Cauchy–Schwarz bound, so cancellation cannot make the test flaky.
            let scale = (convX.dot(convX) * y.dot(y)).squareRoot()
            #expect(abs(left - right) <= 1e-5 * scale,
                    "\(name): ⟨conv x, y⟩ = \(left), ⟨x, convT y⟩ = \(right), relative gap \(abs(left - right) / scale)")
        }
    }

    /// Convolution's input gradient *is* the transposed convolution of the output gradient.
    @Test func convolutionInputGradientIsTransposedConvolution() {
        let testCase = Self.adjointCases[3]
        let (conv, x) = testCase.make()
        var rng = SeededRandom(seed: 17)
        let dy = Tensor(randomNormal: conv.referenceForward(x).shape, using: &rng)
        let transposed = TransposedConvolution(weight: conv.weight, stride: conv.stride, padding: conv.padding,
                                               dilation: conv.dilation, groups: conv.groups)
        expectFastMatchesReference(conv.referenceBackward(input: x, outputGradient: dy).input, transposed.referenceForward(dy),
                                   tolerance: 1e-5, "conv dL/dx vs convT(dL/dy)")
    }

    @Test func outputSizeOfFCN32sUpscore() {
        let upscore = TransposedConvolution(weight: Tensor(zeros: [2, 2, 64, 64]), stride: 32)
        #expect(upscore.outputSize(height: 16, width: 16) == Size2(32 * 15 + 64))
    }
}

// ConvolutionFastPathTests.swift — im2col + GEMM convolution against the six-loop reference.
import FCNKernels
import Testing
@testable import FCN

/// One convolution geometry to test, small enough for the reference in a debug build.
struct ConvolutionCase: Sendable, CustomTestStringConvertible {
    var name: String
    var batch = 1, inputChannels: Int, height: Int, width: Int, outputChannels: Int
    var kernel: Size2
    var stride: Size2 = 1
    var padding: Padding = 0
    var dilation: Size2 = 1
    var groups = 1
    var hasBias = true

    var testDescription: String { name }

    /// The layer and an input, drawn from a generator seeded by the case's name length.
    func make(seed: UInt64 = 7) -> (Convolution, Tensor) {
        var rng = SeededRandom(seed: seed &+ UInt64(name.count))
        let weight = Tensor(randomNormal: [outputChannels, inputChannels / groups, kernel.height, kernel.width], using: &rng)
        let bias = hasBias ? Tensor(randomNormal: [outputChannels], using: &rng) : nil
        let conv = Convolution(weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation, groups: groups)
        let x = Tensor(randomUniform: [batch, inputChannels, height, width], using: &rng)
        return (conv, x)
    }

    static let all: [ConvolutionCase] = [
        ConvolutionCase(name: "3×3 pad 1, odd 7×9 image", batch: 2, inputChannels: 3, height: 7, width: 9, outputChannels: 4, kernel: 3, padding: 1),
        ConvolutionCase(name: "stride 2, pad 4 > k/2", inputChannels: 2, height: 6, width: 5, outputChannels: 3, kernel: 3, stride: 2, padding: 4),
        ConvolutionCase(name: "2×3 kernel, stride 2×1, asymmetric padding", inputChannels: 2, height: 5, width: 6, outputChannels: 2,
                        kernel: Size2(height: 2, width: 3), stride: Size2(height: 2, width: 1), padding: Padding(top: 0, left: 2, bottom: 1, right: 0)),
        ConvolutionCase(name: "dilation 2", inputChannels: 2, height: 9, width: 8, outputChannels: 2, kernel: 3, padding: 2, dilation: 2),
        ConvolutionCase(name: "groups 2", batch: 2, inputChannels: 4, height: 6, width: 5, outputChannels: 6, kernel: 3, padding: 1, groups: 2),
        ConvolutionCase(name: "1×1 stride 1 unpadded (direct GEMM)", batch: 2, inputChannels: 5, height: 4, width: 3, outputChannels: 3, kernel: 1),
        ConvolutionCase(name: "1×1 groups 2 (direct GEMM), no bias", inputChannels: 4, height: 3, width: 5, outputChannels: 4, kernel: 1, groups: 2, hasBias: false),
        ConvolutionCase(name: "1×1 stride 2 (im2col)", inputChannels: 3, height: 5, width: 5, outputChannels: 2, kernel: 1, stride: 2),
        ConvolutionCase(name: "no bias, 1×1 padded", inputChannels: 2, height: 3, width: 4, outputChannels: 3, kernel: 1, padding: 1, hasBias: false),
        ConvolutionCase(name: "no bias, 4×4 stride 3, dilation 2×1, groups 2", batch: 2, inputChannels: 2, height: 11, width: 8, outputChannels: 2,
                        kernel: 4, stride: 3, padding: Padding(top: 1, left: 0, bottom: 2, right: 3), dilation: Size2(height: 2, width: 1), groups: 2, hasBias: false),
        ConvolutionCase(name: "window as large as the padded image", inputChannels: 1, height: 2, width: 3, outputChannels: 2, kernel: 5, padding: Padding(vertical: 2, horizontal: 1)),
    ]
}

@Suite struct ConvolutionFastPathTests {
    @Test(arguments: ConvolutionCase.all)
    func forwardMatchesReference(_ testCase: ConvolutionCase) {
        let (conv, x) = testCase.make()
        let reference = conv.referenceForward(x)
        expectFastMatchesReference(conv.forward(x), reference, "forward")
        // A budget of one float forces bands of a single output row; 2·R·OW gives bands of two.
        expectFastMatchesReference(EngineConfiguration(columnBudget: 1).apply { conv.forward(x) }, reference, "forward, 1-row bands")
        let twoRows = 2 * (conv.inputChannels / conv.groups) * conv.kernelSize.height * conv.kernelSize.width * reference.nchw.w
        expectFastMatchesReference(EngineConfiguration(columnBudget: twoRows).apply { conv.forward(x) }, reference, "forward, 2-row bands")
    }

    @Test(arguments: ConvolutionCase.all)
    func fusedReLUMatchesReference(_ testCase: ConvolutionCase) {
        let (conv, x) = testCase.make()
        let reference = relu(conv.referenceForward(x))
        let fused = conv.forward(x, fusingReLU: true)
        expectFastMatchesReference(fused, reference, "conv + ReLU")
        #expect(fused.scalars.allSatisfy { $0 >= 0 })
    }

    @Test(arguments: ConvolutionCase.all)
    func backwardMatchesReference(_ testCase: ConvolutionCase) {
        let (conv, x) = testCase.make()
        let outputShape = conv.referenceForward(x).shape
        var rng = SeededRandom(seed: 99)
        let dy = Tensor(randomNormal: outputShape, using: &rng)
        let reference = conv.referenceBackward(input: x, outputGradient: dy)
        for budget in [ColumnGeometry.defaultBudget, 1] {
            let fast = EngineConfiguration(columnBudget: budget).apply { conv.backward(input: x, outputGradient: dy) }
            expectFastMatchesReference(fast.input, reference.input, "dL/dx (budget \(budget))")
            expectFastMatchesReference(fast.weight, reference.weight, "dL/dw (budget \(budget))")
            #expect((fast.bias == nil) == !testCase.hasBias)
            if let fastBias = fast.bias, let referenceBias = reference.bias {
                expectFastMatchesReference(fastBias, referenceBias, "dL/db (budget \(budget))")
            }
        }
    }

    /// im2col by hand: a 1-channel 3×3 image, 2×2 kernel, stride 1, no padding → 4 columns,
    /// each the flattened 2×2 window of one output pixel.
    @Test func im2colColumnsByHand() {
        let image: [Float] = [1, 2, 3,
                              4, 5, 6,
                              7, 8, 9]
        let geometry = ColumnGeometry(channels: 1, image: Size2(3), kernel: 2, stride: 1, padding: 0, dilation: 1)
        var columns = [Float](repeating: -1, count: geometry.rows * 4)
        image.withUnsafeBufferPointer { i in
            columns.withUnsafeMutableBufferPointer { c in
                im2col(i.baseAddress!, geometry: geometry, outputRows: 0..<2, into: c.baseAddress!)
            }
        }
        // Row r = tap (u, v); column q = output pixel (i, j).
        #expect(columns == [1, 2, 4, 5,      // tap (0, 0)
                            2, 3, 5, 6,      // tap (0, 1)
                            4, 5, 7, 8,      // tap (1, 0)
                            5, 6, 8, 9])     // tap (1, 1)
    }

    /// col2im is the adjoint of im2col: ⟨im2col(x), c⟩ = ⟨x, col2im(c)⟩, with padding, stride and dilation.
    @Test func col2imIsTheAdjointOfIm2col() {
        let geometry = ColumnGeometry(channels: 2, image: Size2(height: 5, width: 6), kernel: 3, stride: Size2(height: 2, width: 1),
                                      padding: Padding(top: 2, left: 1, bottom: 0, right: 3), dilation: Size2(height: 1, width: 2))
        var rng = SeededRandom(seed: 3)
        let x = Tensor(randomUniform: [2, 5, 6], using: &rng)
        let columnCount = geometry.output.height * geometry.output.width
        let c = Tensor(randomUniform: [geometry.rows, columnCount], using: &rng)
        var columns = [Float](repeating: 0, count: geometry.rows * columnCount)
        var back = [Float](repeating: 0, count: x.count)
        x.scalars.withUnsafeBufferPointer { xs in
            columns.withUnsafeMutableBufferPointer { cs in
                im2col(xs.baseAddress!, geometry: geometry, outputRows: 0..<geometry.output.height, into: cs.baseAddress!)
            }
        }
        c.scalars.withUnsafeBufferPointer { cs in
            back.withUnsafeMutableBufferPointer { bs in
                col2im(cs.baseAddress!, geometry: geometry, outputRows: 0..<geometry.output.height, addingInto: bs.baseAddress!)
            }
        }
        let left = Tensor(shape: c.shape, scalars: columns).dot(c)
        let right = x.dot(Tensor(shape: x.shape, scalars: back))
        #expect(abs(left - right) <= 1e-5 * max(1, abs(left)), "⟨im2col x, c⟩ = \(left), ⟨x, col2im c⟩ = \(right)")
    }

    /// The band size for FCN's conv1_2 at 500×500 (pad 100 upstream): 576 rows × 698 columns per output row.
    @Test func bandForConv1_2() {
        let geometry = ColumnGeometry(channels: 64, image: Size2(698), kernel: 3, stride: 1, padding: 1, dilation: 1)
        #expect(geometry.output == Size2(698))
        let band = geometry.outputRowsPerChunk()
        #expect(band == ColumnGeometry.defaultBudget / (576 * 698))
        #expect(band * 576 * 698 <= ColumnGeometry.defaultBudget)
    }
}

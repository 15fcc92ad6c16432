// DirectConvolutionBackwardTests.swift — training's direct gradients equal the reference loops.
//
// `DirectConvolution.inputGradient` (the forward kernel on the turned filters) and
// `weightGradient` (`fcn_direct_weight_gradient`) against `Convolution.referenceBackward`, on the
// shapes the C loops branch on: output channels not a multiple of the register block, widths
// with a partial vector (the scalar tail of the weight gradient), 1×1 to 7×7 kernels, padding
// 0, 1, 2 and FCN's 100 (whose output pixels that see only padding are skipped), asymmetric
// padding, batches. Then one training step of a small net, where the executor picks these
// kernels, against the same step with every gradient by im2col. Skipped without AVX-512 or AVX2.
import Testing
@testable import FCN

@Suite(.enabled(if: DirectConvolution.isAvailable, "needs AVX-512 or AVX2 + FMA"))
struct DirectConvolutionBackwardTests {
    static func check(C: Int, O: Int, K: Size2, H: Int, W: Int, padding: Padding, batch: Int = 1, seed: UInt64) {
        var rng = SeededRandom(seed: seed)
        let conv = Convolution(weight: Tensor(randomNormal: [O, C, K.height, K.width], standardDeviation: 0.3, using: &rng),
                               bias: Tensor(randomNormal: [O], using: &rng), padding: padding)
        let x = Tensor(randomNormal: [batch, C, H, W], using: &rng)
        let out = conv.outputSize(height: H, width: W)
        let dy = Tensor(randomNormal: [batch, O, out.height, out.width], using: &rng)
        let reference = conv.referenceBackward(input: x, outputGradient: dy)
        let direct = DirectConvolution(conv)
        let label = "C \(C) O \(O) K \(K) \(H)×\(W) pad \(padding) batch \(batch)"
        let dW = direct.weightGradient(input: x, outputGradient: dy)
        #expect(dW.shape == reference.weight.shape)
        #expect(dW.relativeDifference(to: reference.weight) <= 1e-4, "\(label): dW differs by \(dW.relativeDifference(to: reference.weight))")
        if DirectConvolution.canComputeInputGradient(of: conv) {
            let dx = direct.inputGradient(dy)
            #expect(dx.shape == x.shape)
            #expect(dx.relativeDifference(to: reference.input) <= 1e-4, "\(label): dx differs by \(dx.relativeDifference(to: reference.input))")
        }
    }

    @Test(arguments: [
        (3, 8, 3, 12, 37, 1), (8, 16, 3, 9, 21, 1), (16, 11, 3, 7, 19, 0),   // conv1_1 … conv3_1 shapes; 11 = 8 + 3
        (5, 7, 1, 6, 17, 0), (4, 9, 5, 8, 23, 2), (2, 5, 7, 9, 30, 3),      // 1×1, 5×5, 7×7
        (3, 8, 3, 6, 7, 100),                                               // FCN's padding: most pixels see only zeros
    ])
    func equalsReference(C: Int, O: Int, K: Int, H: Int, W: Int, pad: Int) {
        Self.check(C: C, O: O, K: Size2(K), H: H, W: W, padding: Padding(pad), seed: UInt64(C * 1000 + O * 10 + W))
    }

    @Test func rectangularKernelAsymmetricPaddingAndBatch() {
        Self.check(C: 3, O: 10, K: Size2(height: 2, width: 3), H: 8, W: 27,
                   padding: Padding(top: 0, left: 2, bottom: 1, right: 1), batch: 2, seed: 5)
    }

    /// conv1_1's padding of 100 leaves the adjoint no padding to use: dL/dx is not direct there.
    @Test func inputGradientNeedsSmallPadding() {
        #expect(DirectConvolution.canComputeInputGradient(of: Convolution(weight: Tensor(zeros: [8, 3, 3, 3]), padding: 1)))
        #expect(!DirectConvolution.canComputeInputGradient(of: Convolution(weight: Tensor(zeros: [8, 3, 3, 3]), padding: 100)))
    }

    /// The executor's training step uses the direct gradients for a narrow layer and gives the
    /// im2col step's gradients (the `.portable` policy keeps im2col everywhere).
    @Test func trainingStepMatchesIm2col() throws {
        let description = NetworkDescription(name: "narrow", layers: [
            LayerDescription("conv1", .convolution(.init(outputs: 6, kernel: 3, padding: 1)), bottom: "data"),
            LayerDescription("relu1", .relu, bottom: "conv1"),
            LayerDescription("conv2", .convolution(.init(outputs: 5, kernel: 3, padding: 1)), bottom: "relu1"),
        ])
        var rng = SeededRandom(seed: 3)
        let x = Tensor(randomNormal: [1, 3, 11, 13], using: &rng)
        let parameters = try Network.initialParameters(for: description, inputShape: x.shape, using: &rng)
        let network = try Network(description, parameters: parameters)
        #expect(Convolution(weight: parameters["conv2.weight"]!, padding: 1).backwardKernel(for: .fastest) == .direct)
        func gradients(_ kernels: KernelPolicy) throws -> [String: Tensor] {
            var r = SeededRandom(seed: 9)
            let configuration = EngineConfiguration(threads: 2, kernels: kernels)
            let trace = try network.trainingForward(["data": x], using: &r, configuration: configuration)
            let dy = Tensor(shape: trace["conv2"]!.shape, scalars: (0..<trace["conv2"]!.count).map { Float($0 % 7) - 3 })
            return network.backward(trace, outputGradients: ["conv2": dy], configuration: configuration)
        }
        let direct = try gradients(.fastest), im2col = try gradients(.portable)
        for name in ["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias"] {
            let a = try #require(direct[name]), b = try #require(im2col[name])
            #expect(a.relativeDifference(to: b) <= 1e-5, "\(name): \(a.relativeDifference(to: b))")
        }
    }
}

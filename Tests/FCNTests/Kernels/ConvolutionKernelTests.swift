// ConvolutionKernelTests.swift — the one place that chooses a convolution's kernel chooses as its
// documentation says, every kernel it can choose equals the reference loops, and an engine
// configuration changes how a network runs but not what it computes.
import FCNKernels
import Testing
@testable import FCN

struct ConvolutionKernelTests {
    /// A convolution of C → O channels with a k×k kernel (weights are zeros: only shapes matter).
    func layer(_ c: Int, _ o: Int, kernel k: Int = 3, stride: Int = 1, padding: Int = 1) -> Convolution {
        Convolution(weight: Tensor(zeros: [o, c, k, k]), stride: Size2(stride), padding: Padding(padding))
    }

    @Test func theChoiceFollowsTheDocumentedRules() {
        let avx512 = AVX512Kernels.isAvailable, direct = DirectConvolution.isAvailable   // AVX-512, or AVX2 + FMA
        let conv1_1 = layer(3, 64, padding: 100), conv1_2 = layer(64, 64), conv4_2 = layer(512, 512)
        let score = layer(512, 21, kernel: 1, padding: 0), strided = layer(64, 64, stride: 2)
        // Fastest, inference.
        #expect(conv1_1.kernel(for: .fastest) == (direct ? .direct : .im2col))
        #expect(conv1_2.kernel(for: .fastest) == (avx512 ? .winogradFused : .winograd))
        #expect(conv4_2.kernel(for: .fastest) == .winograd)          // 512·512 > 256·256: OpenBLAS products
        #expect(score.kernel(for: .fastest) == .im2col)
        #expect(strided.kernel(for: .fastest) == .im2col)
        #expect(layer(32, 64).kernel(for: .fastest) == .im2col)        // fewer than 64 input channels
        // Portable: never a hand-written vector loop.
        #expect(conv1_1.kernel(for: .portable) == .im2col)
        #expect(conv1_2.kernel(for: .portable) == .winograd)
        // Training never uses Winograd, and computes narrow layers directly.
        #expect(conv1_2.kernel(for: .fastest, purpose: .training) == .im2col)
        #expect(conv1_1.kernel(for: .fastest, purpose: .training) == (direct ? .direct : .im2col))
        #expect(layer(16, 32).kernel(for: .fastest, purpose: .training) == (direct ? .direct : .im2col))
        #expect(layer(17, 32).kernel(for: .fastest, purpose: .training) == .im2col)
        // Reference: the loops, for every layer.
        for conv in [conv1_1, conv1_2, conv4_2, score, strided] {
            #expect(conv.kernel(for: .reference) == .reference)
            #expect(conv.kernel(for: .reference, purpose: .training) == .reference)
        }
    }

    @Test func everySupportedKernelEqualsTheReference() {
        var rng = SeededRandom(seed: 11)
        let cases = [
            Convolution(weight: Tensor(randomNormal: [16, 3, 3, 3], using: &rng), bias: Tensor(randomNormal: [16], using: &rng), padding: 4),
            Convolution(weight: Tensor(randomNormal: [8, 64, 3, 3], using: &rng), bias: Tensor(randomNormal: [8], using: &rng), padding: 1),
        ]
        for conv in cases {
            let x = Tensor(randomNormal: [1, conv.inputChannels, 9, 13], using: &rng)
            let reference = conv.referenceForward(x)
            // bf16 equals the reference only to bf16 accuracy: BFloat16ConvolutionTests holds it.
            for kernel in ConvolutionKernel.allCases where conv.supports(kernel) && kernel != .bfloat16 {
                let (worst, _) = worstRelativeError(reference: reference, alsoWithReLU: true) { relu in
                    conv.forward(x, fusingReLU: relu, using: kernel)
                }
                #expect(worst < 1e-4, "\(kernel.rawValue) on \(conv.inputChannels) channels: max relative difference \(worst)")
            }
        }
    }

    @Test func aConfigurationChangesHowNotWhat() throws {
        let description = NetworkDescription(name: "wide", layers: [
            LayerDescription("conv1", .convolution(.init(outputs: 64, kernel: 3, padding: 1)), bottom: "data"),
            LayerDescription("relu1", .relu, bottom: "conv1", top: "conv1"),
            LayerDescription("conv2", .convolution(.init(outputs: 8, kernel: 3, padding: 1)), bottom: "conv1"),
        ])
        var rng = SeededRandom(seed: 4)
        let net = try Network(description, parameters: Network.initialParameters(for: description, inputShape: [1, 3, 12, 10], using: &rng))
        let image = Tensor(randomUniform: [1, 3, 12, 10], in: -1...1, using: &rng)
        let automatic = try net.forward(image)
        for configuration in [EngineConfiguration(threads: 1), EngineConfiguration(threads: 3, kernels: .portable),
                              EngineConfiguration(kernels: .reference)] {
            let y = try net.forward(image, configuration: configuration)
            #expect(y.relativeDifference(to: automatic) < 1e-4, "\(configuration)")
        }
        // The configuration is in force during the call only.
        EngineConfiguration(threads: 1).apply { #expect(EngineConfiguration.current.threads == 1) }
        #expect(EngineConfiguration.current == .automatic)
        #expect(EngineConfiguration.inForce == .automatic)

        // A call that passes none keeps the one in force around it (it used to reset it to
        // .automatic: `fcn train --threads 1` ran its steps on every core). Observable here through
        // the kernels: inside a `.reference` call, the default gives the reference loops' bytes,
        // which the fastest kernels do not.
        let reference = try net.forward(image, configuration: EngineConfiguration(kernels: .reference))
        #expect(reference != automatic, "the test needs kernels whose rounding differs")
        let nested = try EngineConfiguration(kernels: .reference).apply { try net.forward(image) }
        #expect(nested == reference)
        EngineConfiguration(threads: 1).apply { #expect(EngineConfiguration.inForce.threads == 1) }
    }

    @Test func threadCountsAreBounded() {
        #expect(EngineConfiguration(threads: 0).threads == 1)
        #expect(EngineConfiguration(threads: -5).threads == 1)
        #expect(EngineConfiguration().threads == nil)
    }
}

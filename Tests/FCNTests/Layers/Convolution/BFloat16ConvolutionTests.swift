// BFloat16ConvolutionTests.swift — convolutions and whole FCNs with `Precision.bfloat16` against f32.
//
// Two levels, each with the tolerance it can promise:
// - the im2col + bf16 GEMM kernel against the *definition* run on bf16-rounded weights and input
//   (the same exact products, summed in Double there): f32 rounding, 1e-5 relative to max |y|;
//   and against the f32 definition: bf16 accuracy, below 2e-2 relative to max |y| but above 1e-5;
// - the shipped VGG-mini FCN-8s on validation scenes, bf16 against f32: argmax agreement ≥ 99 %
//   and max score difference ≤ 5e-2 × max |score|; weights packed once and reused; the executor's
//   choice of kernels; the error where bf16 cannot run.
// Skipped, with a note, on processors without AVX512-BF16 (the error test runs everywhere).
import FCNKernels
import FCNTraining
import Testing
@testable import FCN

@Suite struct BFloat16PrecisionErrorTests {
    /// bf16 under the portable kernels (or on a CPU without AVX512-BF16) is a thrown error, never f32.
    @Test func unsupportedPrecisionThrows() throws {
        let network = try EmbeddedModels.model(.fcn8s).network
        let x = Tensor(zeros: [1, 3, 16, 16])
        #expect(throws: UnsupportedPrecisionError.self) {
            _ = try network.forward(x, configuration: EngineConfiguration(kernels: .portable, precision: .bfloat16))
        }
        if !BFloat16.isAvailable {
            #expect(throws: UnsupportedPrecisionError.self) {
                _ = try network.forward(x, configuration: EngineConfiguration(precision: .bfloat16))
            }
        }
    }
}

@Suite(.enabled(if: BFloat16.isAvailable, "needs AVX512-BF16 (flag avx512_bf16): skipped on this CPU"))
struct BFloat16ConvolutionTests {
    static func rounded(_ t: Tensor) -> Tensor { Tensor(shape: t.shape, scalars: t.scalars.map(BFloat16.rounded)) }

    @Test(arguments: [
        (3, 10, 9, 13, 3, 1, 1), (17, 9, 8, 8, 1, 1, 0), (8, 70, 11, 7, 7, 1, 0),   // 3×3, 1×1 (pointwise), fc6-like 7×7
        (5, 12, 20, 15, 3, 2, 1), (64, 21, 6, 5, 1, 1, 0),                         // strided; score-layer-like
    ])
    func im2colKernelEqualsTheDefinitionOnRoundedOperands(C: Int, O: Int, H: Int, W: Int, k: Int, stride: Int, pad: Int) {
        var rng = SeededRandom(seed: UInt64(C * 100 + O + k))
        let conv = Convolution(weight: Tensor(randomNormal: [O, C, k, k], standardDeviation: 0.3, using: &rng),
                               bias: Tensor(randomNormal: [O], using: &rng), stride: Size2(stride), padding: Padding(pad))
        let x = Tensor(randomNormal: [2, C, H, W], using: &rng)
        let roundedConv = Convolution(weight: Self.rounded(conv.weight), bias: conv.bias, stride: Size2(stride), padding: Padding(pad))
        let reference = roundedConv.referenceForward(Self.rounded(x))
        #expect(conv.supports(.bfloat16))
        let (error, _) = worstRelativeError(reference: reference, alsoWithReLU: true) { relu in
            conv.forward(x, fusingReLU: relu, using: .bfloat16)
        }
        #expect(error <= 1e-5, "C \(C) O \(O) \(H)×\(W) k \(k) stride \(stride): max relative difference \(error)")
        // …and bf16-close, not f32-close, to the f32 definition (the rounding is really there).
        let f32Error = conv.forward(x, fusingReLU: false, using: .bfloat16).relativeDifference(to: conv.referenceForward(x))
        #expect(f32Error > 1e-5 && f32Error < 2e-2, "against f32: \(f32Error)")
    }

    @Test func kernelChoice() {
        var rng = SeededRandom(seed: 1)
        let conv3 = Convolution(weight: Tensor(randomNormal: [64, 64, 3, 3], using: &rng), padding: 1)
        let fc6 = Convolution(weight: Tensor(randomNormal: [16, 32, 7, 7], using: &rng))   // above the direct kernels' 16 channels
        let conv1 = Convolution(weight: Tensor(randomNormal: [8, 3, 3, 3], using: &rng), padding: 100)
        #expect(conv3.kernel(for: .fastest, precision: .bfloat16) == conv3.kernel(for: .fastest))   // 3×3: f32 Winograd
        #expect(fc6.kernel(for: .fastest, precision: .bfloat16) == .bfloat16)
        #expect(conv1.kernel(for: .fastest, precision: .bfloat16) == .direct)          // 3 channels: the f32 direct kernel
        #expect(fc6.kernel(for: .fastest, purpose: .training, precision: .bfloat16) == .im2col)   // training stays f32
        #expect(fc6.kernel(for: .portable, precision: .bfloat16) == .im2col)
        #expect(fc6.kernel(for: .fastest) == .im2col)
    }

    /// The shipped FCN-8s on validation scenes: bf16 agrees with f32 where it matters.
    @Test func shippedFCN8sAgreesWithFloat32() throws {
        let network = try EmbeddedModels.model(.fcn8s).network
        let world = SyntheticData.validationWorld(sceneSize: 96)
        var agree = 0, pixels = 0
        var worst: Float = 0
        for index in 0..<3 {
            let x = world.scene(index).image.caffeInput()                   // [1, 3, 96, 96]
            let f32 = try network.forward(x, configuration: EngineConfiguration(threads: 2))
            let bf16 = try network.forward(x, configuration: EngineConfiguration(threads: 2, precision: .bfloat16))
            #expect(bf16.shape == f32.shape)
            worst = max(worst, bf16.relativeDifference(to: f32))
            let a = try ScoreMap(f32).labels().labels, b = try ScoreMap(bf16).labels().labels
            agree += zip(a, b).filter { $0 == $1 }.count
            pixels += a.count
        }
        let agreement = Double(agree) / Double(pixels)
        #expect(agreement >= 0.99, "argmax agreement \(agreement)")
        #expect(worst <= 5e-2, "max |bf16 − f32| / max |f32| = \(worst)")
        #expect(network.packedWeights.count > 0)                            // packed on the first bf16 pass…
        let count = network.packedWeights.count
        let x = world.scene(0).image.caffeInput()
        let again = try network.forward(x, configuration: EngineConfiguration(threads: 2, precision: .bfloat16))
        let first = try network.forward(x, configuration: EngineConfiguration(threads: 2, precision: .bfloat16))
        #expect(network.packedWeights.count == count)                       // …and reused, not packed again
        #expect(again == first)                                             // the same bits every time
    }
}

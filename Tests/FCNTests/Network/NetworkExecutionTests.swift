// NetworkExecutionTests.swift — the executor: the paper's central claim (net surgery), fast and
// lean inference equal to plain execution, and backpropagation through a whole DAG.
import Testing
@testable import FCN

@Suite struct NetSurgeryEquivalenceTests {
    /// A classifier made of *valid* (unpadded) convolutions and 2×2 pools that always see an
    /// even size, ending in fc6 over a 6×6 grid (as AlexNet's): 224 → 220 → 110 → 108 → 54 →
    /// 52 → 26 → 24 → 12 → 6. Without padding inside the net, a cell of the convolutionalized
    /// output sees exactly the pixels of its 224×224 window, so the paper's claim holds exactly.
    /// (VGG pads its 3×3 convolutions by 1: there a window's border pixels see their real
    /// neighbours instead of zeros, and only the 224×224 case is exact — tested below.)
    let classifier = NetworkDescription(name: "valid-classifier", layers: [
        LayerDescription("conv1_1", .convolution(.init(outputs: 3, kernel: 3)), bottom: "data"),
        LayerDescription("relu1_1", .relu, bottom: "conv1_1", top: "conv1_1"),
        LayerDescription("conv1_2", .convolution(.init(outputs: 4, kernel: 3)), bottom: "conv1_1"),
        LayerDescription("relu1_2", .relu, bottom: "conv1_2", top: "conv1_2"),
        LayerDescription("pool1", .maxPooling(.init(kernel: 2, stride: 2)), bottom: "conv1_2"),
        LayerDescription("conv2", .convolution(.init(outputs: 4, kernel: 3)), bottom: "pool1"),
        LayerDescription("pool2", .maxPooling(.init(kernel: 2, stride: 2)), bottom: "conv2"),
        LayerDescription("conv3", .convolution(.init(outputs: 5, kernel: 3)), bottom: "pool2"),
        LayerDescription("pool3", .maxPooling(.init(kernel: 2, stride: 2)), bottom: "conv3"),
        LayerDescription("conv4", .convolution(.init(outputs: 5, kernel: 3)), bottom: "pool3"),
        LayerDescription("pool4", .maxPooling(.init(kernel: 2, stride: 2)), bottom: "conv4"),
        LayerDescription("pool5", .maxPooling(.init(kernel: 2, stride: 2)), bottom: "pool4"),
        LayerDescription("fc6", .linear(.init(outputs: 8)), bottom: "pool5"),
        LayerDescription("relu6", .relu, bottom: "fc6", top: "fc6"),
        LayerDescription("fc7", .linear(.init(outputs: 8)), bottom: "fc6"),
        LayerDescription("relu7", .relu, bottom: "fc7", top: "fc7"),
        LayerDescription("fc8", .linear(.init(outputs: 5)), bottom: "fc7"),
    ])

    /// Paper §3.1 / Fig. 2: the convolutionalized net on a 224×224 input returns the
    /// classifier's scores (as a 1×1 map), and on a larger input each cell of its output map is
    /// the classifier applied to the 224×224 window at 32× that cell's position.
    @Test func convolutionalizedNetIsTheClassifierAtEveryWindow() throws {
        var rng = SeededRandom(seed: 11)
        let parameters = try Network.initialParameters(for: classifier, inputShape: [1, 3, 224, 224], using: &rng)
        let fc = try Network(classifier, parameters: parameters)
        let convDescription = try NetSurgery.convolutionalized(classifier, inputShape: [1, 3, 224, 224])
        let conv = try Network(convDescription, parameters: NetSurgery.convolutionalParameters(parameters, convolutionalized: convDescription))

        let image = Tensor(randomUniform: [1, 3, 224 + 64, 224 + 32], in: -1...1, using: &rng)
        let classScores = try fc.forward(crop(image, top: 0, left: 0))      // [1, 5]
        let mapScores = try conv.forward(crop(image, top: 0, left: 0))      // [1, 5, 1, 1]
        #expect(classScores.shape == [1, 5] && mapScores.shape == [1, 5, 1, 1])
        #expect(mapScores.reshaped([1, 5]).relativeDifference(to: classScores) < 1e-5)

        // 288×256: a 3×2 map; cell (i, j) = classifier(window at (32i, 32j)).
        let map = try conv.forward(image)
        #expect(map.shape == [1, 5, 3, 2])
        for i in 0..<3 {
            for j in 0..<2 {
                let expected = try fc.forward(crop(image, top: 32 * i, left: 32 * j))
                let cell = Tensor(shape: [1, 5]) { map[0, $0[1], i, j] }
                let difference = cell.relativeDifference(to: expected)
                #expect(difference < 1e-5, "cell (\(i), \(j)): relative difference \(difference)")
            }
        }
    }

    /// VGG itself (narrow widths, the real layout with padded 3×3 convolutions and a 7×7 fc6):
    /// on 224×224 the convolutionalized net gives the classifier's scores, and weights in either
    /// form (fully connected `[O, C·7·7]` or convolution `[O, C, 7, 7]`) load into it.
    @Test func vggScoresAreIdenticalAt224() throws {
        let vgg = VGG.description(widths: [2, 3, 4, 4, 4], convolutionsPerBlock: [1, 1, 1, 1, 1], fullyConnected: 8, classes: 5)
        var rng = SeededRandom(seed: 12)
        let parameters = try Network.initialParameters(for: vgg, inputShape: [1, 3, 224, 224], using: &rng)
        let convDescription = try NetSurgery.convolutionalized(vgg, inputShape: [1, 3, 224, 224])
        let convParameters = try NetSurgery.convolutionalParameters(parameters, convolutionalized: convDescription)
        #expect(convParameters["fc6.weight"]!.shape == [8, 4, 7, 7])
        // Already-convolutional weights pass through unchanged.
        #expect(try NetSurgery.convolutionalParameters(convParameters, convolutionalized: convDescription) == convParameters)
        let image = Tensor(randomUniform: [1, 3, 224, 224], in: -1...1, using: &rng)
        let a = try Network(vgg, parameters: parameters).forward(image)
        let b = try Network(convDescription, parameters: convParameters).forward(image)
        #expect(b.reshaped([1, 5]).relativeDifference(to: a) < 1e-5)
    }

    func crop(_ x: Tensor, top: Int, left: Int) -> Tensor {
        Tensor(shape: [1, 3, 224, 224]) { x[0, $0[1], top + $0[2], left + $0[3]] }
    }
}

@Suite struct NetworkInferenceTests {
    /// A small FCN-8s (VGG-shaped, few channels) on an odd-sized image: the score has exactly
    /// the input's size, and the lean path (freed values, fused ReLU) equals the training path
    /// (everything kept, nothing fused).
    @Test func leanInferenceEqualsPlainExecution() throws {
        let backbone = VGG.backbone(widths: [3, 4, 5, 6, 6], convolutionsPerBlock: [1, 1, 1, 1, 1], fullyConnected: 8)
        let description = try FCN.description(.fcn8s, backbone: backbone, classes: 4)
        var rng = SeededRandom(seed: 5)
        var parameters = try Network.initialParameters(for: description, using: &rng)
        // Score layers start at zero; give them values so the test sees every path.
        for name in parameters.keys.sorted() where name.hasPrefix("score") {   // sorted: dictionary order differs per process
            parameters[name] = Tensor(randomNormal: parameters[name]!.shape, standardDeviation: 0.5, using: &rng)
        }
        let net = try Network(description, parameters: parameters)
        let image = Tensor(randomUniform: [1, 3, 13, 21], in: -1...1, using: &rng)
        let lean = try net.forward(image)
        #expect(lean.shape == [1, 4, 13, 21])
        var noDropout = SeededRandom(seed: 1)
        let plainNet = try Network(description.removingDropout(), parameters: parameters)
        let plain = try plainNet.trainingForward(["data": image], using: &noDropout)["score"]!
        let difference = lean.relativeDifference(to: plain)
        #expect(difference < 1e-5, "relative difference \(difference)")
    }

    /// Winograd is used for wide 3×3 layers; the reference loops give the same result.
    @Test func winogradAndIm2colAgreeInsideTheNetwork() throws {
        let description = NetworkDescription(name: "wide", layers: [
            LayerDescription("conv1", .convolution(.init(outputs: 128, kernel: 3, padding: 1)), bottom: "data"),
            LayerDescription("relu1", .relu, bottom: "conv1", top: "conv1"),
            LayerDescription("conv2", .convolution(.init(outputs: 8, kernel: 3, padding: 1)), bottom: "conv1"),
        ])
        var rng = SeededRandom(seed: 2)
        let net = try Network(description, parameters: Network.initialParameters(for: description, inputShape: [1, 3, 9, 11], using: &rng))
        let conv2 = Convolution(weight: net.parameters["conv2.weight"]!, bias: net.parameters["conv2.bias"], padding: 1)
        let kernel = conv2.kernel(for: .fastest)
        #expect(kernel == .winograd || kernel == .winogradFused)
        let image = Tensor(randomUniform: [1, 3, 9, 11], in: -1...1, using: &rng)
        let fast = try net.forward(["data": image], keeping: ["conv2"])["conv2"]!
        let plain = try net.forward(["data": image], keeping: ["conv2"], configuration: EngineConfiguration(kernels: .reference))["conv2"]!
        #expect(fast.relativeDifference(to: plain) < 1e-4)
    }

    @Test func wrongWeightsAreClearErrors() throws {
        let description = try FCN.description(.fcn32s, backbone: VGG.backbone(widths: [2, 2, 2, 2, 2], convolutionsPerBlock: [1, 1, 1, 1, 1], fullyConnected: 4), classes: 3)
        var rng = SeededRandom(seed: 3)
        var parameters = try Network.initialParameters(for: description, using: &rng)
        parameters["fc6.weight"] = Tensor(zeros: [4, 2, 6, 6])
        #expect(throws: ParameterError.shapeMismatch(name: "fc6.weight", expected: [4, 2, 7, 7], found: [4, 2, 6, 6])) {
            try Network(description, parameters: parameters)
        }
        parameters["fc6.weight"] = nil
        #expect(throws: ParameterError.missing(name: "fc6.weight", expectedShape: [4, 2, 7, 7])) {
            try Network(description, parameters: parameters)
        }
    }
}

@Suite struct BackpropagationTests {
    /// A DAG with every kind of layer, input `[1, 2, 7, 6]` with labels `[1, 1, 7, 6]`.
    static let dag = NetworkDescription(name: "dag", inputs: ["data", "label"], layers: [
        LayerDescription("conv1", .convolution(.init(outputs: 4, kernel: 3, padding: 2)), bottom: "data"),
        LayerDescription("relu1", .relu, bottom: "conv1", top: "conv1"),
        LayerDescription("norm1", .localResponseNormalization(.init(size: 3, alpha: 0.5, beta: 0.75, k: 2)), bottom: "conv1"),
        LayerDescription("pool1", .maxPooling(.init(kernel: 2, stride: 2)), bottom: "norm1"),
        LayerDescription("drop1", .dropout(ratio: 0.25), bottom: "pool1", top: "pool1"),
        LayerDescription("conv2", .convolution(.init(outputs: 3, kernel: 3, padding: 1)), bottom: "pool1"),
        LayerDescription("up", .transposedConvolution(.init(outputs: 3, kernel: 4, stride: 2, kernelKind: .learnable)), bottom: "conv2"),
        LayerDescription("score_skip", .convolution(.init(outputs: 3, kernel: 1)), bottom: "norm1"),
        // Sizes: data 7×6 → conv1 9×8 → pool1 5×4 → conv2 5×4 → up 12×10; the skip is 9×8.
        LayerDescription("upc", .crop(.init(offset: 1)), bottoms: ["up", "score_skip"]),
        LayerDescription("fuse", .sum(coefficients: [1, 0.5]), bottoms: ["upc", "score_skip"]),
        LayerDescription("score", .crop(.init(offset: 1)), bottoms: ["fuse", "data"]),
        LayerDescription("loss", .softmaxCrossEntropy(.init(ignoreLabel: 255, normalize: true)), bottoms: ["score", "label"]),
    ])

    /// Backpropagation through a DAG with every kind of layer — convolution, ReLU, pooling,
    /// LRN, dropout, transposed convolution, crop, a two-way skip sum and the per-pixel loss —
    /// agrees with finite differences of the loss for sampled parameters of every layer.
    @Test func wholeNetworkGradientsMatchFiniteDifferences() throws {
        let description = BackpropagationTests.dag
        var rng = SeededRandom(seed: 9)
        var parameters = try Network.initialParameters(for: description, inputShape: [1, 2, 7, 6], using: &rng)
        // Sorted: a dictionary's order changes from process to process (per-process hash seeds),
        // and the draws must land on the same tensors every run for the test to be repeatable.
        for name in parameters.keys.sorted() { parameters[name] = Tensor(randomNormal: parameters[name]!.shape, standardDeviation: 0.4, using: &rng) }
        let image = Tensor(randomUniform: [1, 2, 7, 6], in: -1...1, using: &rng)
        let labels = Tensor(shape: [1, 1, 7, 6]) { i in (i[2] + i[3]) % 5 == 0 ? 255 : Float((i[2] * 7 + i[3]) % 3) }
        let inputs = ["data": image, "label": labels]

        func loss(_ p: [String: Tensor]) throws -> Double {
            var r = SeededRandom(seed: 77)                   // the same dropout mask every time
            let trace = try Network(description, parameters: p, inputChannels: 2).trainingForward(inputs, using: &r)
            return Double(trace["loss"]!.scalars[0])
        }
        let net = try Network(description, parameters: parameters, inputChannels: 2)
        var r = SeededRandom(seed: 77)
        let trace = try net.trainingForward(inputs, using: &r)
        let gradients = net.backward(trace, outputGradients: ["loss": Tensor(shape: [1], scalars: [1])])
        #expect(Set(gradients.keys) == Set(parameters.keys))

        for name in parameters.keys.sorted() {
            let analytic = gradients[name]!
            // Probe up to 6 entries per tensor by central differences. ε is small (1e-3) because
            // ReLU and max pooling have kinks: a larger step can cross one and bend the slope.
            let count = analytic.count
            for k in stride(from: 0, to: count, by: max(1, count / 6)) {
                var plus = parameters, minus = parameters
                plus[name]!.scalars[k] += 1e-3
                minus[name]!.scalars[k] -= 1e-3
                let step = Double(plus[name]!.scalars[k]) - Double(minus[name]!.scalars[k])
                let numeric = (try loss(plus) - loss(minus)) / step
                let a = Double(analytic.scalars[k])
                #expect(abs(a - numeric) <= 2e-3 * max(1, abs(numeric)), "\(name)[\(k)]: analytic \(a), numeric \(numeric)")
            }
        }
    }
}

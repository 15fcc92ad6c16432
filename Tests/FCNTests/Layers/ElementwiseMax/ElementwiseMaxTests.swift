// ElementwiseMaxTests.swift — the max fusion (paper §4.2, footnote): by hand, fast = reference,
// its gradient against finite differences, its description rules (those of the sum), and an
// FCN-16s whose skip is fused by max instead of sum, run forward and backward.
import Testing
@testable import FCN

@Suite struct ElementwiseMaxTests {
    @Test func byHand() {
        let a = Tensor(shape: [1, 1, 1, 4], scalars: [1, 5, 3, -2])
        let b = Tensor(shape: [1, 1, 1, 4], scalars: [4, 2, 3, -1])
        let c = Tensor(shape: [1, 1, 1, 4], scalars: [0, 5, 7, -1])
        let r = ElementwiseMax().referenceForward([a, b, c])
        #expect(r.output.scalars == [4, 5, 7, -1])
        // Ties stay with the first input holding the maximum: 5 (a, c) → a; −1 (b, c) → b.
        #expect(r.argmax == [1, 0, 2, 1])
        let dy = Tensor(shape: [1, 1, 1, 4], scalars: [10, 20, 30, 40])
        let dx = ElementwiseMax().referenceBackward(argmax: r.argmax, outputGradient: dy, inputCount: 3)
        #expect(dx.map(\.scalars) == [[0, 20, 0, 0], [10, 0, 0, 40], [0, 0, 30, 0]])
    }

    /// The fast inference pass returns the reference's maximum exactly (it only compares), and
    /// the training pass's arg-max and gradients are the reference's.
    @Test(arguments: [1, 2, 3])
    func fastMatchesReference(inputs count: Int) {
        var rng = SeededRandom(seed: 21)
        let inputs = (0..<count).map { _ in Tensor(randomNormal: [2, 3, 5, 7], using: &rng) }
        let max = ElementwiseMax()
        let reference = max.referenceForward(inputs)
        let fast = max.forward(inputs)
        #expect(fast == reference.output, "max |Δ| \(fast.maxAbsoluteDifference(reference.output))")
        let training = max.forwardWithArgmax(inputs)
        #expect(training.output == reference.output && training.argmax == reference.argmax)
        let dy = Tensor(randomNormal: [2, 3, 5, 7], using: &rng)
        #expect(max.backward(argmax: training.argmax, outputGradient: dy, inputCount: count)
                == max.referenceBackward(argmax: reference.argmax, outputGradient: dy, inputCount: count))
    }

    /// ∂⟨max(x₀, x₁, x₂), r⟩/∂xᵢ by central differences. The inputs are kept at least 0.3 apart
    /// at every position, so no step of ε = 0.01 crosses a kink (where the gradient switches).
    @Test func gradientMatchesFiniteDifferences() {
        var rng = SeededRandom(seed: 22)
        let shape = [1, 2, 3, 4], count = 24
        // Position k ranks the three inputs by a rotation of (0, 1, 2), spaced 0.5, plus noise ±0.1.
        let inputs = (0..<3).map { i in
            Tensor(shape: shape, scalars: (0..<count).map { k in Float((i + k) % 3) * 0.5 + rng.nextFloat() * 0.2 - 0.1 })
        }
        let dy = Tensor(randomNormal: shape, using: &rng)
        let max = ElementwiseMax()
        let analytic = max.backward(argmax: max.forwardWithArgmax(inputs).argmax, outputGradient: dy, inputCount: 3)
        for i in inputs.indices {
            let numeric = numericalGradient(at: inputs[i]) { xi in
                var probe = inputs
                probe[i] = xi
                return max.referenceForward(probe).output.dot(dy)
            }
            expectGradientsClose(analytic[i], numeric, "input \(i)")
        }
    }

    /// Shape and coordinate rules are the sum's: same shapes in, the same shape out, the same
    /// map and receptive field; a single bottom or mismatched shapes are refused.
    @Test func descriptionRules() throws {
        func net(_ kind: LayerKind, _ bottoms: [String]) -> NetworkDescription {
            NetworkDescription(name: "t", layers: [
                LayerDescription("a", .convolution(.init(outputs: 2, kernel: 3, padding: 1)), bottom: "data"),
                LayerDescription("b", .convolution(.init(outputs: 2, kernel: 5, padding: 2)), bottom: "data"),
                LayerDescription("p", .maxPooling(.init(kernel: 2, stride: 2)), bottom: "a"),
                LayerDescription("fuse", kind, bottoms: bottoms),
            ])
        }
        let maxNet = net(.max, ["a", "b"]), sumNet = net(.sum(coefficients: [1, 1]), ["a", "b"])
        #expect(try maxNet.inferShapes(input: [1, 1, 8, 8]).layerOutputs["fuse"] == [1, 2, 8, 8])
        #expect(try maxNet.coordinateMaps().layerMaps["fuse"]! == sumNet.coordinateMaps().layerMaps["fuse"]!)
        #expect(try maxNet.receptiveFields()["fuse"]!! == sumNet.receptiveFields()["fuse"]!!)
        #expect(try maxNet.receptiveFields()["fuse"]!!.vertical.size == 5)
        #expect(try maxNet.multiplyAdds(inputShape: [1, 1, 8, 8]).map(\.layer) == ["a", "b"])   // comparisons are not counted
        #expect(throws: NetworkError.invalidParameter(layer: "fuse", problem: "an element-wise max needs at least two bottoms, got 1")) {
            try net(.max, ["a"]).validate()
        }
        #expect(throws: NetworkError.invalidParameter(layer: "fuse", problem: "cannot take the maximum of blobs of different shapes [[1, 2, 8, 8], [1, 2, 4, 4]]")) {
            try net(.max, ["a", "p"]).inferShapes(input: [1, 1, 8, 8])
        }
        #expect(try net(.max, ["a", "p"]).coordinateMaps().layerMaps["fuse"]! == nil)     // misaligned: no map
    }

    /// FCN-16s with its skip fused by max (issue #16's experiment): the same shapes and crop
    /// offsets as the sum, the lean inference pass equals the training pass, and backpropagation
    /// reaches every parameter on both sides of the fusion.
    @Test func fcn16sWithMaxFusionRuns() throws {
        let backbone = VGG.backbone(widths: [3, 4, 5, 6, 6], convolutionsPerBlock: [1, 1, 1, 1, 1], fullyConnected: 8)
        let sum = try FCN.description(.fcn16s, backbone: backbone, classes: 4)
        var description = sum
        let fuse = try #require(description.layers.firstIndex { if case .sum = $0.kind { true } else { false } })
        description.layers[fuse].kind = .max
        let input = [1, 3, 37, 29]
        let shapes = try description.inferShapes(input: input)
        #expect(shapes == (try sum.inferShapes(input: input)))
        #expect(shapes.layerOutputs["score"] == [1, 4, 37, 29])

        var rng = SeededRandom(seed: 23)
        var parameters = try Network.initialParameters(for: description, using: &rng)
        for name in parameters.keys.sorted() where name.hasPrefix("score") {   // sorted: dictionary order differs per process
            parameters[name] = Tensor(randomNormal: parameters[name]!.shape, standardDeviation: 0.5, using: &rng)
        }
        let image = Tensor(randomUniform: [1, 3, 37, 29], in: -1...1, using: &rng)
        let lean = try Network(description, parameters: parameters).forward(image)
        let plainNet = try Network(description.removingDropout(), parameters: parameters)
        var noDropout = SeededRandom(seed: 1)
        let trace = try plainNet.trainingForward(["data": image], using: &noDropout)
        let difference = lean.relativeDifference(to: trace["score"]!)
        #expect(difference < 1e-5, "relative difference \(difference)")

        let gradients = plainNet.backward(trace, outputGradients: ["score": Tensor(randomNormal: lean.shape, using: &rng)])
        #expect(Set(gradients.keys) == Set(parameters.keys))
        #expect(gradients["score_pool4.weight"]!.maxAbsolute() > 0 && gradients["score_fr.weight"]!.maxAbsolute() > 0,
                "both streams of the fusion learn")
    }

    /// Backpropagation through a max fusion against finite differences of the whole loss, on a
    /// small DAG (convolutions, pooling, upsampling, crops, the max, the per-pixel loss).
    @Test func wholeNetworkGradientsMatchFiniteDifferences() throws {
        let description = NetworkDescription(name: "max-dag", inputs: ["data", "label"], layers: [
            LayerDescription("conv1", .convolution(.init(outputs: 3, kernel: 3, padding: 2)), bottom: "data"),
            LayerDescription("relu1", .relu, bottom: "conv1", top: "conv1"),
            LayerDescription("pool1", .maxPooling(.init(kernel: 2, stride: 2)), bottom: "conv1"),
            LayerDescription("conv2", .convolution(.init(outputs: 3, kernel: 3, padding: 1)), bottom: "pool1"),
            LayerDescription("up", .transposedConvolution(.init(outputs: 3, kernel: 4, stride: 2, kernelKind: .learnable)), bottom: "conv2"),
            LayerDescription("score_skip", .convolution(.init(outputs: 3, kernel: 1)), bottom: "conv1"),
            // Sizes: data 7×6 → conv1 9×8 → pool1 5×4 → up 12×10; the skip is 9×8.
            LayerDescription("upc", .crop(.init(offset: 1)), bottoms: ["up", "score_skip"]),
            LayerDescription("fuse", .max, bottoms: ["upc", "score_skip"]),
            LayerDescription("score", .crop(.init(offset: 1)), bottoms: ["fuse", "data"]),
            LayerDescription("loss", .softmaxCrossEntropy(.init(ignoreLabel: 255, normalize: true)), bottoms: ["score", "label"]),
        ])
        var rng = SeededRandom(seed: 24)
        var parameters = try Network.initialParameters(for: description, inputShape: [1, 2, 7, 6], using: &rng)
        for name in parameters.keys.sorted() { parameters[name] = Tensor(randomNormal: parameters[name]!.shape, standardDeviation: 0.4, using: &rng) }
        let image = Tensor(randomUniform: [1, 2, 7, 6], in: -1...1, using: &rng)
        let labels = Tensor(shape: [1, 1, 7, 6]) { i in Float((i[2] * 7 + i[3]) % 3) }
        let inputs = ["data": image, "label": labels]
        func loss(_ p: [String: Tensor]) throws -> Double {
            var r = SeededRandom(seed: 1)
            return Double(try Network(description, parameters: p, inputChannels: 2).trainingForward(inputs, using: &r)["loss"]!.scalars[0])
        }
        let net = try Network(description, parameters: parameters, inputChannels: 2)
        var r = SeededRandom(seed: 1)
        let gradients = net.backward(try net.trainingForward(inputs, using: &r), outputGradients: ["loss": Tensor(shape: [1], scalars: [1])])
        #expect(Set(gradients.keys) == Set(parameters.keys))
        for name in parameters.keys.sorted() {
            let analytic = gradients[name]!
            // ε = 1e-3: small, because ReLU, pooling and the max have kinks a larger step could cross.
            for k in stride(from: 0, to: analytic.count, by: max(1, analytic.count / 6)) {
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

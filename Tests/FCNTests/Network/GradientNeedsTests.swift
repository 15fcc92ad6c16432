// GradientNeedsTests.swift — backward computes only what is read, and nothing it computes changes.
import Testing
@testable import FCN

@Suite struct GradientNeedsTests {
    /// The DAG of the finite-difference check: convolutions, LRN, pooling, dropout, a learnable
    /// upsampling, a skip, a loss.
    static let description = BackpropagationTests.dag

    func gradients(wanted: Set<String>?) throws -> (all: [String: Tensor], parameters: [String: Tensor]) {
        var rng = SeededRandom(seed: 5)
        let parameters = try Network.initialParameters(for: Self.description, inputShape: [1, 2, 7, 6], using: &rng)
        let net = try Network(Self.description, parameters: parameters, inputChannels: 2)
        let inputs = ["data": Tensor(randomUniform: [1, 2, 7, 6], in: -1...1, using: &rng),
                      "label": Tensor(shape: [1, 1, 7, 6]) { i in Float((i[2] + 2 * i[3]) % 3) }]
        var r = SeededRandom(seed: 1)
        let trace = try net.trainingForward(inputs, using: &r)
        return (net.backward(trace, outputGradients: ["loss": Tensor(shape: [1], scalars: [1])], parameters: wanted), parameters)
    }

    @Test func frozenParametersGetNoGradientAndTheRestAreUnchanged() throws {
        let (all, parameters) = try gradients(wanted: nil)
        #expect(Set(all.keys) == Set(parameters.keys))
        // Freeze the first layer and the upsampling, as FCN-32s-fixed and fixed bilinear kernels do.
        let learning: Set<String> = ["conv2.weight", "conv2.bias", "score_skip.weight", "score_skip.bias"]
        let (some, _) = try gradients(wanted: learning)
        #expect(Set(some.keys) == learning)
        for name in learning { #expect(some[name] == all[name], "\(name): skipping other gradients changed it") }
    }

    @Test func onlyTheLastLayerLearning() throws {
        let (all, _) = try gradients(wanted: nil)
        let (some, _) = try gradients(wanted: ["score_skip.weight"])
        #expect(Set(some.keys) == ["score_skip.weight"])
        #expect(some["score_skip.weight"] == all["score_skip.weight"])
    }

    @Test func theNeedsFollowTheGraph() throws {
        var rng = SeededRandom(seed: 5)
        let net = try Network(Self.description, parameters: try Network.initialParameters(for: Self.description, inputShape: [1, 2, 7, 6], using: &rng),
                              inputChannels: 2)
        // Learning only conv2: conv1, norm1, pool1 and the skip lie upstream or aside; nothing
        // there needs a gradient, and conv2 need not pass one to pool1.
        let needs = net.gradientNeeds(["conv2.weight"])
        #expect(needs["conv2"]?.parameters == true && needs["conv2"]?.input(0) == false)
        #expect(needs["up"]?.parameters == false && needs["up"]?.input(0) == true)
        #expect(needs["fuse"]?.input(0) == true && needs["fuse"]?.input(1) == false)
        #expect(needs["conv1"] == nil && needs["norm1"] == nil && needs["score_skip"] == nil && needs["pool1"] == nil)
    }
}

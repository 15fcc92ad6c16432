// SGDTests.swift — Caffe's update rule on numbers small enough to follow by hand.
import FCNTraining
import Testing
@testable import FCN

@Suite struct SGDTests {
    /// Two steps on w = 1 with constant gradient 0.5, η = 0.1, μ = 0.9, δ = 0.01:
    ///   v₁ = 0.1·(0.5 + 0.01·1) = 0.051,              w₁ = 0.949
    ///   v₂ = 0.9·0.051 + 0.1·(0.5 + 0.01·0.949) = 0.0459 + 0.050949 = 0.096849, w₂ = 0.852151
    @Test func twoStepsByHand() {
        var sgd = SGD(learningRate: 0.1, momentum: 0.9, weightDecay: 0.01)
        var params = ["w": Tensor(shape: [1], scalars: [1])]
        let grads = ["w": Tensor(shape: [1], scalars: [0.5])]
        sgd.step(parameters: &params, gradients: grads)
        #expect(abs(params["w"]!.scalars[0] - 0.949) < 1e-6)
        sgd.step(parameters: &params, gradients: grads)
        #expect(abs(params["w"]!.scalars[0] - 0.852151) < 1e-6)
    }

    @Test func biasesLearnTwiceAsFastWithoutDecayAndFrozenStayPut() {
        var sgd = SGD(learningRate: 0.1, momentum: 0, weightDecay: 0.5)
        var params = ["conv.bias": Tensor(shape: [1], scalars: [1]), "up.weight": Tensor(shape: [1], scalars: [1])]
        let grads = ["conv.bias": Tensor(shape: [1], scalars: [1]), "up.weight": Tensor(shape: [1], scalars: [1])]
        sgd.step(parameters: &params, gradients: grads, rules: ["up.weight": .frozen])
        #expect(abs(params["conv.bias"]!.scalars[0] - 0.8) < 1e-6)   // 1 − 2·0.1·1, no decay
        #expect(params["up.weight"]!.scalars[0] == 1)
    }

    /// Minimises a quadratic: SGD with momentum converges to its minimum.
    @Test func convergesOnAQuadratic() {
        var sgd = SGD(learningRate: 0.05, momentum: 0.9, weightDecay: 0)
        var params = ["x": Tensor(shape: [2], scalars: [3, -4])]
        for _ in 0..<300 {
            let x = params["x"]!
            // f = (x₀ − 1)² + 2·(x₁ + 2)²,  ∇f = (2(x₀ − 1), 4(x₁ + 2))
            let g = Tensor(shape: [2], scalars: [2 * (x.scalars[0] - 1), 4 * (x.scalars[1] + 2)])
            sgd.step(parameters: &params, gradients: ["x": g])
        }
        #expect(abs(params["x"]!.scalars[0] - 1) < 1e-3 && abs(params["x"]!.scalars[1] + 2) < 1e-3)
    }
}

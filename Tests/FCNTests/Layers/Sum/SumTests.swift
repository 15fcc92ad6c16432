// SumTests.swift — the weighted sum by hand, and its backward against finite differences.
import Testing
@testable import FCN

@Suite struct SumTests {
    @Test func byHand() {
        let a = Tensor(shape: [1, 1, 1, 3], scalars: [1, 2, 3])
        let b = Tensor(shape: [1, 1, 1, 3], scalars: [10, 20, 30])
        #expect(Sum(inputCount: 2).referenceForward([a, b]).scalars == [11, 22, 33])
        #expect(Sum(coefficients: [2, -0.5]).referenceForward([a, b]).scalars == [-3, -6, -9])
        #expect(Sum.scale(0.25).forward([a]).scalars == [0.25, 0.5, 0.75])
        let grads = Sum(coefficients: [2, -0.5]).referenceBackward(outputGradient: a)
        #expect(grads.count == 2)
        #expect(grads[0].scalars == [2, 4, 6])
        #expect(grads[1].scalars == [-0.5, -1, -1.5])
    }

    /// Three inputs with coefficients, and FCN-8s's single-input scales 0.01 and 0.0001.
    @Test(arguments: [[Float(1), 1], [0.5, -2, 3], [0.01], [0.0001]])
    func gradientMatchesFiniteDifferences(coefficients: [Float]) {
        var rng = SeededRandom(seed: 11)
        let inputs = coefficients.map { _ in Tensor(randomNormal: [1, 2, 3, 4], using: &rng) }
        let dy = Tensor(randomNormal: [1, 2, 3, 4], using: &rng)
        let sum = Sum(coefficients: coefficients)
        let analytic = sum.backward(outputGradient: dy)
        for i in inputs.indices {
            let numeric = numericalGradient(at: inputs[i]) { xi in
                var probe = inputs
                probe[i] = xi
                return sum.referenceForward(probe).dot(dy)
            }
            // Relative to the gradient's own size, so the tiny scales are really checked.
            let scale = max(numeric.maxAbsolute(), Float.leastNormalMagnitude)
            let difference = analytic[i].maxAbsoluteDifference(numeric) / scale
            #expect(difference <= 1e-3, "input \(i) of \(coefficients): relative difference \(difference)")
        }
    }
}

// ReLUTests.swift — ReLU by hand, fast = reference, backward against finite differences.
import Testing
@testable import FCN

/// Normal samples pushed at least 0.1 away from 0, where ReLU's kink would spoil a finite difference.
private func awayFromZero(_ shape: [Int], using rng: inout SeededRandom) -> Tensor {
    let x = Tensor(randomNormal: shape, using: &rng)
    return Tensor(shape: shape, scalars: x.scalars.map { $0 >= 0 ? $0 + 0.1 : $0 - 0.1 })
}

@Suite struct ReLUTests {
    @Test func byHand() {
        let x = Tensor(shape: [1, 1, 2, 3], scalars: [-2, -0.5, 0, 0.5, 2, -1])
        #expect(ReLU().referenceForward(x).scalars == [0, 0, 0, 0.5, 2, 0])
        #expect(ReLU(negativeSlope: 0.1).referenceForward(x).scalars == [-0.2, -0.05, 0, 0.5, 2, -0.1])
        let dy = Tensor(shape: [1, 1, 2, 3], scalars: [1, 2, 3, 4, 5, 6])
        #expect(ReLU().referenceBackward(input: x, outputGradient: dy).scalars == [0, 0, 0, 4, 5, 0])
        #expect(ReLU(negativeSlope: 0.5).referenceBackward(input: x, outputGradient: dy).scalars == [0.5, 1, 1.5, 4, 5, 3])
    }

    /// Shapes with one element, odd sizes, fc-like one-pixel planes, and more than one parallel chunk.
    @Test(arguments: [[1, 1, 1, 1], [2, 3, 7, 5], [2, 4096, 1, 1], [1, 3, 150, 151]], [Float(0), 0.2])
    func fastMatchesReference(shape: [Int], slope: Float) {
        var rng = SeededRandom(seed: UInt64(shape.reduce(0, +)))
        let x = Tensor(randomNormal: shape, using: &rng)
        let dy = Tensor(randomNormal: shape, using: &rng)
        let relu = ReLU(negativeSlope: slope)
        let forwardDifference = relu.forward(x).relativeDifference(to: relu.referenceForward(x))
        #expect(forwardDifference <= 1e-4, "forward: max relative difference \(forwardDifference)")
        var inPlace = x
        relu.forwardInPlace(&inPlace)
        #expect(inPlace == relu.referenceForward(x))
        let backwardDifference = relu.backward(input: x, outputGradient: dy)
            .relativeDifference(to: relu.referenceBackward(input: x, outputGradient: dy))
        #expect(backwardDifference <= 1e-4, "backward: max relative difference \(backwardDifference)")
    }

    @Test(arguments: [Float(0), 0.1])
    func gradientMatchesFiniteDifferences(slope: Float) {
        var rng = SeededRandom(seed: 3)
        let x = awayFromZero([2, 3, 4, 5], using: &rng)
        let dy = Tensor(randomNormal: x.shape, using: &rng)
        let relu = ReLU(negativeSlope: slope)
        let numeric = numericalGradient(at: x) { relu.referenceForward($0).dot(dy) }
        expectGradientsClose(relu.referenceBackward(input: x, outputGradient: dy), numeric, "ReLU slope \(slope)")
    }
}

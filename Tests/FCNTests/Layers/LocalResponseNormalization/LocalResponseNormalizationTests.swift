// LocalResponseNormalizationTests.swift — LRN by hand, fast = reference, and Caffe's backward
// formula against finite differences.
import Foundation
import Testing
@testable import FCN

@Suite struct LocalResponseNormalizationTests {
    /// One pixel, three channels (1, 2, 3), n = 3, α = 3 (so α/n = 1), β = 1, k = 1:
    /// scales 1 + (1 + 4) = 6, 1 + (1 + 4 + 9) = 15, 1 + (4 + 9) = 14 — the end windows are clipped.
    @Test func onePixelByHand() {
        let x = Tensor(shape: [1, 3, 1, 1], scalars: [1, 2, 3])
        let lrn = LocalResponseNormalization(localSize: 3, alpha: 3, beta: 1, k: 1)
        let expected = Tensor(shape: [1, 3, 1, 1], scalars: [1.0 / 6, 2.0 / 15, 3.0 / 14])
        #expect(lrn.referenceForward(x).maxAbsoluteDifference(expected) < 1e-6)
        #expect(lrn.forward(x).maxAbsoluteDifference(expected) < 1e-6)
        // With n = 1 every channel sees only itself: y = x / (1 + x²)^0.5 for α = 1, β = ½.
        let own = LocalResponseNormalization(localSize: 1, alpha: 1, beta: 0.5, k: 1).referenceForward(x)
        let ownExpected = Tensor(shape: [1, 3, 1, 1], scalars: [1 / Float(2).squareRoot(), 2 / Float(5).squareRoot(), 3 / Float(10).squareRoot()])
        #expect(own.maxAbsoluteDifference(ownExpected) < 1e-6)
    }

    /// AlexNet's settings and exaggerated ones, windows wider than the channel count, odd shapes.
    @Test(arguments: [([2, 7, 5, 3], 5, Float(1e-4), Float(0.75), Float(1)),
                      ([1, 4, 6, 6], 3, 2, 0.75, 2),
                      ([1, 3, 4, 5], 7, 1, 0.5, 1),
                      ([2, 16, 3, 9], 5, 5, 1.5, 0.5)])
    func fastMatchesReference(shape: [Int], localSize: Int, alpha: Float, beta: Float, k: Float) {
        var rng = SeededRandom(seed: UInt64(shape[1] * 13 + localSize))
        let x = Tensor(randomNormal: shape, using: &rng)
        let dy = Tensor(randomNormal: shape, using: &rng)
        let lrn = LocalResponseNormalization(localSize: localSize, alpha: alpha, beta: beta, k: k)
        let forwardDifference = lrn.forward(x).relativeDifference(to: lrn.referenceForward(x))
        #expect(forwardDifference <= 1e-4, "forward: max relative difference \(forwardDifference)")
        let backwardDifference = lrn.backward(input: x, outputGradient: dy)
            .relativeDifference(to: lrn.referenceBackward(input: x, outputGradient: dy))
        #expect(backwardDifference <= 1e-4, "backward: max relative difference \(backwardDifference)")
    }

    /// Caffe's closed-form backward against finite differences, with α large enough that the
    /// cross-channel term matters.
    @Test(arguments: [(3, Float(2), Float(0.75), Float(1)), (5, 4, 0.75, 2), (1, 1, 1.5, 1)])
    func gradientMatchesFiniteDifferences(localSize: Int, alpha: Float, beta: Float, k: Float) {
        var rng = SeededRandom(seed: 17)
        let x = Tensor(randomNormal: [2, 6, 3, 2], using: &rng)
        let dy = Tensor(randomNormal: x.shape, using: &rng)
        let lrn = LocalResponseNormalization(localSize: localSize, alpha: alpha, beta: beta, k: k)
        let numeric = numericalGradient(at: x, epsilon: 1e-3) { lrn.referenceForward($0).dot(dy) }
        expectGradientsClose(lrn.referenceBackward(input: x, outputGradient: dy), numeric,
                             "LRN n \(localSize) α \(alpha) β \(beta) k \(k)")
        expectGradientsClose(lrn.backward(input: x, outputGradient: dy), numeric, "fast LRN n \(localSize)")
    }
}

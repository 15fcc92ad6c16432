// CropTests.swift — the crop by hand, fast = reference, backward against finite differences.
import Testing
@testable import FCN

@Suite struct CropTests {
    /// A 4×5 plane cropped to 2×3 at offset (1, 2).
    @Test func byHand() {
        let a = Tensor(shape: [1, 1, 4, 5]) { i in Float(10 * i[2] + i[3]) }   // value = 10·row + column
        let crop = Crop(offset: Size2(height: 1, width: 2))
        let y = crop.referenceForward(a, size: Size2(height: 2, width: 3))
        #expect(y.shape == [1, 1, 2, 3])
        #expect(y.scalars == [12, 13, 14, 22, 23, 24])
        let da = crop.referenceBackward(inputShape: a.shape, outputGradient: y)
        #expect(da.scalars == [0, 0, 0, 0, 0,
                               0, 0, 12, 13, 14,
                               0, 0, 22, 23, 24,
                               0, 0, 0, 0, 0])
    }

    @Test(arguments: [([2, 3, 9, 8], Size2(height: 5, width: 4), Size2(height: 3, width: 2)),
                      ([1, 2, 7, 7], Size2(7), Size2(0)),
                      ([1, 21, 12, 12], Size2(3), Size2(5)),
                      ([3, 1, 6, 10], Size2(height: 1, width: 10), Size2(height: 5, width: 0))])
    func fastMatchesReference(shape: [Int], size: Size2, offset: Size2) {
        var rng = SeededRandom(seed: 5)
        let a = Tensor(randomNormal: shape, using: &rng)
        let crop = Crop(offset: offset)
        let y = crop.referenceForward(a, size: size)
        let forwardDifference = crop.forward(a, size: size).relativeDifference(to: y)
        #expect(forwardDifference <= 1e-4, "forward: max relative difference \(forwardDifference)")
        let dy = Tensor(randomNormal: y.shape, using: &rng)
        let backwardDifference = crop.backward(inputShape: shape, outputGradient: dy)
            .relativeDifference(to: crop.referenceBackward(inputShape: shape, outputGradient: dy))
        #expect(backwardDifference <= 1e-4, "backward: max relative difference \(backwardDifference)")
    }

    @Test func gradientMatchesFiniteDifferences() {
        var rng = SeededRandom(seed: 9)
        let a = Tensor(randomNormal: [2, 2, 6, 7], using: &rng)
        let crop = Crop(offset: Size2(height: 2, width: 1))
        let size = Size2(height: 3, width: 4)
        let dy = Tensor(randomNormal: [2, 2, 3, 4], using: &rng)
        let numeric = numericalGradient(at: a) { crop.referenceForward($0, size: size).dot(dy) }
        expectGradientsClose(crop.referenceBackward(inputShape: a.shape, outputGradient: dy), numeric, "crop")
    }
}

// MaxPoolingPairsTests.swift — the vector path of 2×2, stride-2 max pooling (VGG's pool1…pool5,
// paper §3) equals the reference exactly, including ceil mode's clipped last row and column.
import Testing
@testable import FCN

@Suite struct MaxPoolingPairsTests {
    /// Widths 1…19 cover no vector step, one or more steps and every scalar tail; odd heights and
    /// widths leave a clipped ceil-mode row or column for the general loop.
    @Test(arguments: [(1, 1), (2, 2), (3, 5), (4, 8), (5, 9), (6, 16), (7, 17), (2, 19), (11, 10)])
    func equalsReference(h: Int, w: Int) {
        var rng = SeededRandom(seed: UInt64(h * 100 + w))
        let x = Tensor(randomNormal: [2, 3, h, w], using: &rng)
        let pool = MaxPooling(kernel: 2, stride: 2)
        let reference = pool.referenceForward(x).output
        let fast = pool.forward(x)
        #expect(fast == reference, "\(h)×\(w): max relative difference \(fast.relativeDifference(to: reference))")
    }

    /// Caffe's rule at the edges of the float range: an all −∞ window gives −greatestFinite, NaN
    /// never wins, +∞ does.
    @Test func specialValuesFollowTheReference() {
        let n = Float.nan, i = Float.infinity
        // One 2×8 plane: four windows, [−∞ −∞ | −∞ −∞], [NaN 1 | 2 NaN], [∞ 0 | 0 0], [NaN NaN | NaN NaN].
        let x = Tensor(shape: [1, 1, 2, 8], scalars: [-i, -i, n, 1, i, 0, n, n,
                                                        -i, -i, 2, n, 0, 0, n, n])
        let pool = MaxPooling(kernel: 2, stride: 2)
        let fast = pool.forward(x).scalars
        let reference = pool.referenceForward(x).output.scalars
        #expect(fast == [-.greatestFiniteMagnitude, 2, i, -.greatestFiniteMagnitude])
        #expect(fast == reference)
    }
}

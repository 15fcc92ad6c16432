// TensorTests.swift — the NCHW tensor: layout, indexing, reshape, seeded randomness.
import Testing
@testable import FCN

@Suite struct TensorTests {
    @Test func rowMajorNCHWOffsets() {
        var x = Tensor(zeros: [2, 3, 4, 5])
        x[1, 2, 3, 4] = 7
        #expect(x.scalars[((1 * 3 + 2) * 4 + 3) * 5 + 4] == 7)
        #expect(x.strides == [60, 20, 5, 1])
        #expect(x.nchw == Tensor.NCHW(n: 2, c: 3, h: 4, w: 5))
    }

    @Test func initFromIndexVisitsRowMajorOrder() {
        let t = Tensor(shape: [2, 3]) { Float($0[0] * 10 + $0[1]) }
        #expect(t.scalars == [0, 1, 2, 10, 11, 12])
    }

    @Test func reshapeKeepsElements() {
        let t = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]).reshaped([3, 2])
        #expect(t.shape == [3, 2])
        #expect(t[2, 1] == 6)
    }

    @Test func seededRandomIsDeterministic() {
        var a = SeededRandom(seed: 7), b = SeededRandom(seed: 7), c = SeededRandom(seed: 8)
        let x = Tensor(randomNormal: [100], using: &a)
        #expect(x == Tensor(randomNormal: [100], using: &b))
        #expect(x != Tensor(randomNormal: [100], using: &c))
        let mean = x.sum() / 100
        #expect(abs(mean) < 0.35)
    }

    @Test func arithmeticAndComparison() {
        let a = Tensor(shape: [3], scalars: [1, -2, 3])
        let b = Tensor(shape: [3], scalars: [1, 2, 3])
        #expect((a + b).scalars == [2, 0, 6])
        #expect(a.dot(b) == 6)
        #expect(a.maxAbsoluteDifference(b) == 4)
        #expect(a.relativeDifference(to: b) == Float(4) / 3)
    }
}

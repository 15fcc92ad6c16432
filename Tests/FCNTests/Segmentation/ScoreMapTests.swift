// ScoreMapTests.swift — the arg-max with numpy's rules (first maximum, NaN wins), the softmax
// (each pixel sums to 1, no overflow for large scores), and the shapes a score map accepts.
import Foundation
import Testing
@testable import FCN

@Suite struct ScoreMapTests {
    @Test func labelsTakeTheFirstOfEqualMaxima() throws {
        // Four pixels, three classes [1, K, H, W] = [1, 3, 2, 2]; plane c holds class c's scores.
        let scores = try ScoreMap(Tensor(shape: [1, 3, 2, 2], scalars: [
            1, 7, 3, -1,      // class 0
            1, 2, 9, -1,      // class 1
            0, 7, 9, -1,      // class 2
        ]))
        // pixel 0: 0 and 1 tie → 0; pixel 1: 0 and 2 tie → 0; pixel 2: 1 and 2 tie → 1; pixel 3: all tie → 0.
        #expect(try scores.labels() == LabelMap(width: 2, height: 2, labels: [0, 0, 1, 0]))
        #expect(try scores.labels().label(x: 0, y: 1) == 1)
    }

    @Test func aNaNWinsAsInNumpy() throws {
        // numpy.argmax([1, nan, 5]) == 1 and argmax([nan, 2, nan]) == 0: the first NaN is the maximum.
        let scores = try ScoreMap(Tensor(shape: [1, 3, 1, 3], scalars: [1, .nan, 4, .nan, 2, 3, 5, .nan, .infinity]))
        #expect(try scores.labels().labels == [1, 0, 2])
    }

    @Test func probabilitiesSumToOneAndFollowTheScores() throws {
        let scores = try ScoreMap(Tensor(shape: [1, 3, 1, 2], scalars: [1, -2, 0, 5, 3, 0]))
        let p = scores.probabilities()
        #expect(p.shape == [1, 3, 1, 2])
        for x in 0..<2 {
            let sum = (0..<3).map { p[class: $0, y: 0, x: x] }.reduce(0, +)
            #expect(abs(sum - 1) < 1e-6, "pixel \(x) sums to \(sum)")
        }
        // Pixel 0 has scores (1, 0, 3): p₀ = e¹ / (e¹ + e⁰ + e³).
        #expect(abs(Double(p[class: 0, y: 0, x: 0]) - exp(1) / (exp(1) + 1 + exp(3))) < 1e-6)
        #expect(try p.labels() == scores.labels())                     // softmax keeps the order
    }

    @Test func probabilitiesAreStableForLargeScores() throws {
        // e^1000 overflows Float and Double; shifted by the maximum it is e^0 = 1.
        let scores = try ScoreMap(Tensor(shape: [1, 2, 1, 2], scalars: [1000, -1000, 1000 + log(3), -1000]))
        let p = scores.probabilities()
        #expect(p.tensor.scalars.allSatisfy { $0.isFinite })
        #expect(abs(p[class: 0, y: 0, x: 0] - 0.25) < 1e-4 && abs(p[class: 1, y: 0, x: 0] - 0.75) < 1e-4)
        #expect(p[class: 0, y: 0, x: 1] == 0.5 && p[class: 1, y: 0, x: 1] == 0.5)
    }

    @Test func refusesWhatIsNotAScoreMap() {
        for shape in [[1, 7], [2, 3, 4, 4], [1, 0, 4, 4], [1, 3, 4]] {
            #expect(throws: SegmentationError.notAScoreMap(shape: shape)) { try ScoreMap(Tensor(zeros: shape)) }
        }
        #expect(errorMessage { _ = try ScoreMap(Tensor(zeros: [1, 7])) }?.contains("[1, 7]") == true)
    }

    @Test func labelsNeedAtMost256Classes() throws {
        #expect(throws: Never.self) { try ScoreMap(Tensor(zeros: [1, 256, 1, 1])).labels() }
        let wide = try ScoreMap(Tensor(zeros: [1, 257, 1, 1]))
        #expect(throws: SegmentationError.tooManyClasses(classes: 257)) { try wide.labels() }
    }
}

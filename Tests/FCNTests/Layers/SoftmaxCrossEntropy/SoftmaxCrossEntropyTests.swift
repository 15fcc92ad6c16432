// SoftmaxCrossEntropyTests.swift — the per-pixel loss by hand, its stability, ignored pixels,
// both normalizations, fast = reference, and the gradient against finite differences.
import Foundation
import Testing
@testable import FCN

/// Random labels in 0..<classes with roughly a quarter of the pixels set to 255.
private func randomLabels(_ shape: [Int], classes: Int, using rng: inout SeededRandom) -> Tensor {
    Tensor(shape: shape, scalars: (0..<Tensor.elementCount(shape)).map { _ in
        rng.nextFloat() < 0.25 ? 255 : Float(Int(rng.nextFloat() * Float(classes)))
    })
}

@Suite struct SoftmaxCrossEntropyTests {
    /// Two classes, two pixels: pixel 0 has scores (0, 0) and label 1, pixel 1 has (1, 3) and label 0.
    /// Losses: log 2 and −log(e¹ / (e¹ + e³)) = log(1 + e²).
    let scores = Tensor(shape: [1, 2, 1, 2], scalars: [0, 1,      // class 0 at pixels 0, 1
                                                       0, 3])     // class 1
    let labels = Tensor(shape: [1, 1, 1, 2], scalars: [1, 0])

    @Test func twoPixelsByHand() {
        let pixel0 = log(2.0), pixel1 = log(1 + exp(2.0))
        let sum = SoftmaxCrossEntropy(normalization: .none)
        let mean = SoftmaxCrossEntropy(normalization: .validPixels)
        #expect(abs(sum.referenceForward(scores: scores, labels: labels) - (pixel0 + pixel1)) < 1e-6)
        #expect(abs(mean.referenceForward(scores: scores, labels: labels) - (pixel0 + pixel1) / 2) < 1e-6)
        // softmax − onehot: pixel 0 (½ − 0, ½ − 1), pixel 1 (p0 − 1, p1) with p0 = 1 / (1 + e²).
        let p0 = Float(1 / (1 + exp(2.0)))
        let expected = Tensor(shape: [1, 2, 1, 2], scalars: [0.5, p0 - 1, -0.5, 1 - p0])
        #expect(sum.referenceBackward(scores: scores, labels: labels).maxAbsoluteDifference(expected) < 1e-6)
        #expect(mean.referenceBackward(scores: scores, labels: labels).maxAbsoluteDifference(0.5 * expected) < 1e-6)
        #expect(abs(sum.forward(scores: scores, labels: labels) - (pixel0 + pixel1)) < 1e-6)
    }

    /// With pixel 1 labelled 255 only pixel 0 counts, under either normalization, and the ignored
    /// pixel's gradient is zero in every channel.
    @Test func ignoredPixelByHand() {
        let partly = Tensor(shape: [1, 1, 1, 2], scalars: [1, 255])
        for normalization in [SoftmaxCrossEntropy.Normalization.none, .validPixels] {
            let loss = SoftmaxCrossEntropy(normalization: normalization)
            #expect(abs(loss.referenceForward(scores: scores, labels: partly) - log(2.0)) < 1e-6)
            #expect(loss.referenceBackward(scores: scores, labels: partly).scalars == [0.5, 0, -0.5, 0])
            #expect(loss.backward(scores: scores, labels: partly).scalars == [0.5, 0, -0.5, 0])
        }
        // Without an ignore label 255 would be a class index; with every pixel ignored the loss is 0.
        let allIgnored = Tensor(repeating: 255, shape: [1, 1, 1, 2])
        #expect(SoftmaxCrossEntropy().referenceForward(scores: scores, labels: allIgnored) == 0)
        // Caffe's BATCH_SIZE divides by N = 2 here.
        let twice = Tensor(shape: [2, 2, 1, 2], scalars: scores.scalars + scores.scalars)
        let twiceLabels = Tensor(shape: [2, 1, 1, 2], scalars: labels.scalars + labels.scalars)
        let perImage = SoftmaxCrossEntropy(normalization: .none).referenceForward(scores: scores, labels: labels)
        #expect(abs(SoftmaxCrossEntropy(normalization: .batchSize).forward(scores: twice, labels: twiceLabels) - perImage) < 1e-6)
    }

    /// Scores of 1000 would overflow exp without the max subtraction.
    @Test func largeScoresStayFinite() {
        let big = Tensor(shape: [1, 2, 1, 2], scalars: [1000, 1000, 0, 999])
        let t = Tensor(shape: [1, 1, 1, 2], scalars: [0, 1])
        let loss = SoftmaxCrossEntropy(normalization: .none)
        let expected = log(1 + exp(-1000.0)) + log(1 + exp(1.0))       // ≈ 0 + 1.3133
        #expect(abs(loss.referenceForward(scores: big, labels: t) - expected) < 1e-6)
        #expect(abs(loss.forward(scores: big, labels: t) - expected) < 1e-5)
        #expect(loss.backward(scores: big, labels: t).isFinite)
    }

    @Test(arguments: [([2, 3, 5, 7], SoftmaxCrossEntropy.Normalization.validPixels),
                      ([1, 21, 9, 11], .none), ([3, 2, 1, 4], .batchSize)])
    func fastMatchesReference(shape: [Int], normalization: SoftmaxCrossEntropy.Normalization) {
        var rng = SeededRandom(seed: UInt64(shape[1]))
        let s = Tensor(randomNormal: shape, standardDeviation: 3, using: &rng)
        let t = randomLabels([shape[0], 1, shape[2], shape[3]], classes: shape[1], using: &rng)
        let loss = SoftmaxCrossEntropy(normalization: normalization)
        let reference = loss.referenceForward(scores: s, labels: t)
        let (fast, gradient) = loss.lossAndGradient(scores: s, labels: t, lossGradient: 0.5)
        let lossDifference = abs(fast - reference) / abs(reference)
        #expect(lossDifference <= 1e-4, "loss: \(fast) vs \(reference), relative difference \(lossDifference)")
        let gradientDifference = gradient.relativeDifference(to: loss.referenceBackward(scores: s, labels: t, lossGradient: 0.5))
        #expect(gradientDifference <= 1e-4, "gradient: max relative difference \(gradientDifference)")
    }

    /// Finite differences of the loss itself, with ignored pixels, under every normalization.
    @Test(arguments: [SoftmaxCrossEntropy.Normalization.none, .validPixels, .batchSize])
    func gradientMatchesFiniteDifferences(normalization: SoftmaxCrossEntropy.Normalization) {
        var rng = SeededRandom(seed: 21)
        let s = Tensor(randomNormal: [2, 4, 3, 3], using: &rng)
        let t = randomLabels([2, 1, 3, 3], classes: 4, using: &rng)
        #expect(t.scalars.contains(255) && t.scalars.contains { $0 < 255 })
        let loss = SoftmaxCrossEntropy(normalization: normalization)
        let numeric = numericalGradient(at: s) { loss.referenceForward(scores: $0, labels: t) }
        let analytic = loss.referenceBackward(scores: s, labels: t)
        // Relative to the gradient's size: `.validPixels` divides it by the pixel count.
        let difference = analytic.maxAbsoluteDifference(numeric) / numeric.maxAbsolute()
        #expect(difference <= 1e-3, "\(normalization): max |analytic − numeric| / max|numeric| = \(difference)")
    }
}

// ConfusionMatrixTests.swift — the four metrics on cases small enough to compute by hand.
import Testing
@testable import FCN

@Suite struct ConfusionMatrixTests {
    /// Three classes, ten pixels, one void pixel. By hand:
    ///   truth      0 0 0 0 1 1 1 2 2 255
    ///   predicted  0 0 0 1 1 1 0 2 1 2
    /// n = [[3,1,0],[1,2,0],[0,1,1]], t = [4,3,2], column sums [4,4,1], total 9.
    @Test func handComputedThreeClasses() {
        var m = ConfusionMatrix(classCount: 3)
        m.accumulate(groundTruth: [0, 0, 0, 0, 1, 1, 1, 2, 2, 255] as [Int],
                     prediction: [0, 0, 0, 1, 1, 1, 0, 2, 1, 2] as [Int])
        #expect(m.counts == [3, 1, 0, 1, 2, 0, 0, 1, 1])
        let s = m.scores
        // pixel accuracy: (3+2+1)/9
        #expect(abs(s.pixelAccuracy - 6.0 / 9.0) < 1e-12)
        // mean accuracy: (3/4 + 2/3 + 1/2)/3
        #expect(abs(s.meanAccuracy - (0.75 + 2.0 / 3.0 + 0.5) / 3) < 1e-12)
        // IU: 3/(4+4-3)=3/5, 2/(3+4-2)=2/5, 1/(2+1-1)=1/2
        #expect(abs(s.meanIU - (0.6 + 0.4 + 0.5) / 3) < 1e-12)
        // f.w. IU: (4·0.6 + 3·0.4 + 2·0.5)/9
        #expect(abs(s.frequencyWeightedIU - (2.4 + 1.2 + 1.0) / 9) < 1e-12)
    }

    /// A class absent from the ground truth: its accuracy is left out of the mean; its IU is
    /// left out if never predicted, and counts as 0 if predicted (numpy nanmean semantics).
    @Test func absentClassesFollowNanMean() {
        var neverPredicted = ConfusionMatrix(classCount: 3)
        neverPredicted.accumulate(groundTruth: [0, 1] as [Int], prediction: [0, 1] as [Int])
        #expect(neverPredicted.scores.meanIU == 1)
        #expect(neverPredicted.scores.meanAccuracy == 1)

        var predictedButAbsent = ConfusionMatrix(classCount: 3)
        predictedButAbsent.accumulate(groundTruth: [0, 1] as [Int], prediction: [0, 2] as [Int])
        // IU: class 0 → 1, class 1 → 0/1 = 0, class 2 → 0/1 = 0 → mean 1/3.
        #expect(abs(predictedButAbsent.scores.meanIU - 1.0 / 3.0) < 1e-12)
        // accuracy: class 0 → 1, class 1 → 0, class 2 absent → mean 1/2.
        #expect(predictedButAbsent.scores.meanAccuracy == 0.5)
    }

    /// Accumulating image by image equals accumulating everything at once (the set-level rule).
    @Test func accumulationIsOverTheWholeSet() {
        var rng = SeededRandom(seed: 3)
        let truth = (0..<200).map { _ in Int(rng.next() % 5) == 4 ? 255 : Int(rng.next() % 4) }
        let predicted = (0..<200).map { _ in Int(rng.next() % 4) }
        var whole = ConfusionMatrix(classCount: 4)
        whole.accumulate(groundTruth: truth, prediction: predicted)
        var parts = ConfusionMatrix(classCount: 4), other = ConfusionMatrix(classCount: 4)
        parts.accumulate(groundTruth: truth[..<77], prediction: predicted[..<77])
        other.accumulate(groundTruth: truth[77...], prediction: predicted[77...])
        parts.merge(other)
        #expect(parts == whole)
        #expect(whole.counts.reduce(0, +) == truth.filter { $0 != 255 }.count)
    }

    @Test func emptyMatrixGivesNaN() {
        let s = ConfusionMatrix(classCount: 2).scores
        #expect(s.pixelAccuracy.isNaN && s.meanIU.isNaN && s.meanAccuracy.isNaN && s.frequencyWeightedIU.isNaN)
    }
}

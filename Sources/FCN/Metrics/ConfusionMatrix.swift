// ConfusionMatrix.swift — the paper's four segmentation metrics (§4, "Metrics"), computed
// exactly as the authors' evaluation code (fcn.berkeleyvision.org `score.py`) does.
//
// The paper reports, with n_ij the number of pixels of class i predicted to belong to class j,
// t_i = Σ_j n_ij the number of pixels of class i, and n_cl the number of classes:
//
//     pixel accuracy            Σ_i n_ii / Σ_i t_i
//     mean accuracy             (1/n_cl) Σ_i n_ii / t_i
//     mean IU                   (1/n_cl) Σ_i n_ii / (t_i + Σ_j n_ji − n_ii)
//     frequency weighted IU     (Σ_k t_k)⁻¹ Σ_i t_i n_ii / (t_i + Σ_j n_ji − n_ii)
//
// Two details decide the numbers and are easy to get wrong:
// 1. The counts n_ij are accumulated over the *whole* set, and the ratios taken once at the
//    end (not averaged per image).
// 2. A class that never occurs in the ground truth has t_i = 0: its accuracy is 0/0 and is
//    left out of the mean (numpy's `nanmean`). Its IU is 0/0 — left out — if it was never
//    predicted either, but 0 (and counted) if it was predicted somewhere.
// The "void" label 255 along object boundaries is ignored: those pixels count nowhere. Any
// other ground-truth label outside 0..<n_cl is a mistake in the data (a VOC folder scored with a
// net of fewer classes, a label map drawn in the wrong palette): `accumulate(checking:…)`, what
// the evaluation uses, refuses it naming the file and the pixel, for a silently dropped class
// would make every number wrong without a sign.

import Foundation

/// A confusion matrix over `classCount` classes: rows are ground truth, columns predictions.
///
/// ```swift
/// var m = ConfusionMatrix(classCount: 21)
/// m.accumulate(groundTruth: labels, prediction: argmax)   // once per image
/// let scores = m.scores                                     // the paper's four numbers
/// ```
public struct ConfusionMatrix: Sendable, Equatable {
    /// K, the number of classes (labels 0..<K are counted, others ignored).
    public let classCount: Int
    /// `counts[i * classCount + j]` = pixels of true class i predicted as class j.
    public private(set) var counts: [Int]

    /// An empty K×K matrix.
    public init(classCount: Int) {
        precondition(classCount >= 1, "ConfusionMatrix: need at least one class")
        self.classCount = classCount
        counts = [Int](repeating: 0, count: classCount * classCount)
    }

    /// n_ij.
    public subscript(truth i: Int, predicted j: Int) -> Int { counts[i * classCount + j] }

    /// Adds one image (or any set of pixels). Ground-truth values outside `0..<classCount`
    /// (e.g. 255, "void") are skipped; a prediction outside the range is a programming error.
    public mutating func accumulate<G: Sequence, P: Sequence>(groundTruth: G, prediction: P)
    where G.Element: BinaryInteger, P.Element: BinaryInteger {
        var predictions = prediction.makeIterator()
        for truth in groundTruth {
            guard let predicted = predictions.next() else {
                preconditionFailure("ConfusionMatrix: fewer predictions than ground-truth pixels")
            }
            let i = Int(truth), j = Int(predicted)
            guard i >= 0 && i < classCount else { continue }      // void / ignored pixel
            precondition(j >= 0 && j < classCount, "ConfusionMatrix: predicted class \(j) outside 0..<\(classCount)")
            counts[i * classCount + j] += 1
        }
        precondition(predictions.next() == nil, "ConfusionMatrix: more predictions than ground-truth pixels")
    }

    /// Adds one image whose ground truth is checked first: every label must be a class
    /// (`0..<classCount`) or the void label 255 (when 255 is not itself a class).
    ///
    /// - Parameters:
    ///   - groundTruth: the true labels, row-major, `width` per row.
    ///   - prediction: the predicted labels, as many, each in `0..<classCount`.
    ///   - width: W, to give the bad pixel's position.
    ///   - source: the file (or scene) the labels come from, for the message.
    /// - Throws: ``LabelMapError/labelOutOfRange(file:x:y:label:classCount:)`` for the first bad
    ///   pixel, before anything is counted.
    public mutating func accumulate(checking groundTruth: [UInt8], prediction: [UInt8], width: Int, source: String) throws {
        let void = classCount <= LabelPalette.voidLabel ? UInt8(LabelPalette.voidLabel) : nil
        if let bad = groundTruth.firstIndex(where: { Int($0) >= classCount && $0 != void }) {
            throw LabelMapError.labelOutOfRange(file: source, x: bad % max(width, 1), y: bad / max(width, 1),
                                                label: Int(groundTruth[bad]), classCount: classCount)
        }
        accumulate(groundTruth: groundTruth, prediction: prediction)
    }

    /// Adds another matrix (e.g. from another thread or shard).
    public mutating func merge(_ other: ConfusionMatrix) {
        precondition(other.classCount == classCount, "ConfusionMatrix: class counts differ")
        for k in counts.indices { counts[k] += other.counts[k] }
    }

    /// t_i, the ground-truth pixel count of each class (row sums).
    public var truthTotals: [Int] {
        (0..<classCount).map { i in (0..<classCount).reduce(0) { $0 + self[truth: i, predicted: $1] } }
    }

    /// Σ_j n_ji, how often each class was predicted (column sums).
    public var predictionTotals: [Int] {
        (0..<classCount).map { j in (0..<classCount).reduce(0) { $0 + self[truth: $1, predicted: j] } }
    }

    /// Per-class IU, `nil` where it is 0/0 (class neither present nor predicted).
    public var intersectionOverUnion: [Double?] {
        let t = truthTotals, p = predictionTotals
        return (0..<classCount).map { i in
            let union = t[i] + p[i] - self[truth: i, predicted: i]
            return union == 0 ? nil : Double(self[truth: i, predicted: i]) / Double(union)
        }
    }

    /// Per-class accuracy n_ii / t_i, `nil` where the class is absent from the ground truth.
    public var classAccuracy: [Double?] {
        let t = truthTotals
        return (0..<classCount).map { i in t[i] == 0 ? nil : Double(self[truth: i, predicted: i]) / Double(t[i]) }
    }

    /// Σ_i n_ii, the pixels labelled right.
    public var correctCount: Int { (0..<classCount).reduce(0) { $0 + self[truth: $1, predicted: $1] } }

    /// Σ_i t_i, the pixels counted (ground truth in `0..<classCount`).
    public var countedCount: Int { counts.reduce(0, +) }

    /// The paper's four metrics. All are `nan` when no pixel was counted.
    public var scores: SegmentationScores {
        let t = truthTotals
        let total = t.reduce(0, +)
        let correct = correctCount
        let iu = intersectionOverUnion
        var weighted = 0.0
        for i in 0..<classCount where t[i] > 0 {
            weighted += Double(t[i]) / Double(total) * (iu[i] ?? 0)
        }
        return SegmentationScores(
            pixelAccuracy: Double(correct) / Double(total),
            meanAccuracy: mean(ofPresent: classAccuracy),
            meanIU: mean(ofPresent: iu),
            frequencyWeightedIU: total == 0 ? .nan : weighted
        )
    }

    private func mean(ofPresent values: [Double?]) -> Double {
        let present = values.compactMap { $0 }
        return present.isEmpty ? .nan : present.reduce(0, +) / Double(present.count)
    }
}

/// The four numbers of the paper's Tables 2–5.
public struct SegmentationScores: Sendable, Equatable, CustomStringConvertible {
    /// Σᵢ nᵢᵢ / Σᵢ tᵢ: the fraction of pixels labelled right.
    public var pixelAccuracy: Double
    /// (1/K) Σᵢ nᵢᵢ / tᵢ: per-class accuracy, averaged over the classes present.
    public var meanAccuracy: Double
    /// (1/K) Σᵢ nᵢᵢ / (tᵢ + Σⱼ nⱼᵢ − nᵢᵢ): intersection over union, averaged over the classes
    /// present or predicted.
    public var meanIU: Double
    /// (Σₖ tₖ)⁻¹ Σᵢ tᵢ nᵢᵢ / (tᵢ + Σⱼ nⱼᵢ − nᵢᵢ): IU weighted by class frequency.
    public var frequencyWeightedIU: Double

    /// The four scores in percent, as the paper prints them.
    public var description: String {
        func pct(_ x: Double) -> String { x.isNaN ? "  n/a" : String(format: "%5.1f", 100 * x) }
        return "pixel acc. \(pct(pixelAccuracy))  mean acc. \(pct(meanAccuracy))  mean IU \(pct(meanIU))  f.w. IU \(pct(frequencyWeightedIU))"
    }
}


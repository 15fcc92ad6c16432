// ValidationRecord.swift — training you can watch: the paper's metrics (§5 "Metrics": pixel
// accuracy, mean accuracy, mean IU, frequency-weighted IU) on held-out scenes every N steps of
// a stage, so a run shows whether it still learns, and which step gave the best net (the
// paper reports its nets on a held-out subset of VOC 2011 val, CVPR §4.1 footnote / PAMI §5).
//
// Written by `TrainingPipeline` as `<stage>.validation.csv`, one line per validation, beside
// the per-step `<stage>.history.csv`; read back by `fcn figures --run DIR` and on --resume.
// Validation only runs inference on the validation world (its own seed, never trained on):
// it draws nothing from the training generators, so a run with validation trains exactly as
// one without.

import FCN
import FCNCore
import Foundation

/// The four metrics of one validation of a stage, at a step.
public struct ValidationRecord: Hashable, Sendable, Codable {
    /// The step after which the network was scored (1-based, as ``TrainingRecord/step``).
    public var step: Int
    /// Pixel accuracy on the validation scenes.
    public var pixelAccuracy: Double
    /// Mean class accuracy.
    public var meanAccuracy: Double
    /// Mean intersection over union — the number the best model is chosen by.
    public var meanIU: Double
    /// Frequency-weighted intersection over union.
    public var frequencyWeightedIU: Double

    /// A record from the four metrics.
    public init(step: Int, pixelAccuracy: Double, meanAccuracy: Double, meanIU: Double, frequencyWeightedIU: Double) {
        self.step = step; self.pixelAccuracy = pixelAccuracy; self.meanAccuracy = meanAccuracy
        self.meanIU = meanIU; self.frequencyWeightedIU = frequencyWeightedIU
    }

    /// The header line of a `<stage>.validation.csv`.
    public static let header = "step,pixel_accuracy,mean_accuracy,mean_iu,frequency_weighted_iu"

    /// Scores `network` on `scenes` (the validation world's first scenes) after `step`.
    public static func score(_ network: Network, on scenes: [LabeledScene], classes: Int, step: Int) throws -> ValidationRecord {
        let s = try SegmentationEvaluation.evaluate(network, classes: classes, count: scenes.count) { scenes[$0] }.scores
        return ValidationRecord(step: step, pixelAccuracy: s.pixelAccuracy, meanAccuracy: s.meanAccuracy,
                                meanIU: s.meanIU, frequencyWeightedIU: s.frequencyWeightedIU)
    }

    /// The records as CSV text, header first.
    public static func csv(_ records: [ValidationRecord]) -> String {
        records.reduce(header + "\n") { text, r in
            text + "\(r.step),\(r.pixelAccuracy),\(r.meanAccuracy),\(r.meanIU),\(r.frequencyWeightedIU)\n"
        }
    }

    /// Reads a `<stage>.validation.csv` written by `TrainingPipeline`.
    ///
    /// - Throws: ``TrainingFileError`` naming the file and line: missing, wrong header, wrong
    ///   field count or a field that is not a number. A file with only the header is empty, not wrong.
    ///
    /// ```swift
    /// let curve = try ValidationRecord.read(from: URL(filePath: "runs/seed1/fcn32s.validation.csv"))
    /// curve.max { $0.meanIU < $1.meanIU }?.step      // the best step
    /// ```
    public static func read(from url: URL) throws -> [ValidationRecord] {
        try TrainingFileError.records(in: url, header: header, fields: header) { line in
            let step = try line.step()
            let values = line.fields.dropFirst().map { Double($0) }
            if let k = values.firstIndex(where: { $0 == nil }) { throw line.error("'\(line.fields[k + 1])' is not a number") }
            let v = values.map { $0! }
            return ValidationRecord(step: step, pixelAccuracy: v[0], meanAccuracy: v[1], meanIU: v[2], frequencyWeightedIU: v[3])
        }
    }
}

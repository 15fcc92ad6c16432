// TrainingReport.swift — the miniature Table 2: every trained segmentation stage scored on the
// held-out validation scenes with the paper's four metrics (§5 "Metrics", Table 2).
//
// Written as `table2.json` (rows with the four numbers, the seed, the steps and the
// validation set) and `table2.csv` next to the weights; the loss curves are the stages'
// `<stage>.history.csv` files.

import FCN
import FCNCore
import Foundation

/// One row of the miniature Table 2.
public struct TableRow: Codable, Sendable, Equatable {
    /// The stage's raw value ("fcn8s").
    public var stage: String
    /// The name printed in the table ("FCN-8s").
    public var name: String
    /// Steps trained.
    public var steps: Int
    /// The four metrics on the validation scenes (fractions, not percent).
    public var pixelAccuracy: Double
    /// Mean class accuracy.
    public var meanAccuracy: Double
    /// Mean intersection over union.
    public var meanIU: Double
    /// Frequency-weighted intersection over union.
    public var frequencyWeightedIU: Double
}

/// The scores of a training run's segmentation stages.
///
/// ```swift
/// let table = try TrainingReport.evaluate(pipeline, validationCount: 200)
/// print(table.text)
/// try table.write(to: pipeline.folder)        // table2.json, table2.csv
/// ```
public struct TrainingReport: Codable, Sendable {
    /// The seed of the training run.
    public var seed: UInt64
    /// The side of the scenes, in pixels.
    public var sceneSize: Int
    /// The seed of the validation scenes.
    public var validationSeed: UInt64
    /// The number of validation scenes.
    public var validationCount: Int
    /// One row per stage evaluated.
    public var rows: [TableRow]

    /// Scores every segmentation stage whose weights file exists in the pipeline's folder.
    public static func evaluate(_ pipeline: TrainingPipeline, validationCount: Int) throws -> TrainingReport {
        let world = SyntheticData.validationWorld(sceneSize: pipeline.sceneSize, drawing: pipeline.drawing)
        let scenes = (0..<validationCount).map { world.scene($0) }
        var rows: [TableRow] = []
        for stage in TrainingStage.segmentationStages where FileManager.default.fileExists(atPath: pipeline.weightsURL(stage).path) {
            let network = try Network(try stage.description(pipeline.model), parameters: PretrainedWeights.readTensors(pipeline.weightsURL(stage)))
            let s = try SegmentationEvaluation.evaluate(network, classes: VGGMini.segmentationClasses, count: scenes.count) { scenes[$0] }.scores
            rows.append(TableRow(stage: stage.rawValue, name: stage.displayName, steps: pipeline.steps[stage] ?? 0,
                                 pixelAccuracy: s.pixelAccuracy, meanAccuracy: s.meanAccuracy, meanIU: s.meanIU, frequencyWeightedIU: s.frequencyWeightedIU))
        }
        return TrainingReport(seed: pipeline.seed, sceneSize: pipeline.sceneSize, validationSeed: SyntheticData.validationSeed,
                              validationCount: validationCount, rows: rows)
    }

    /// The table as the paper prints it (percentages).
    public var text: String {
        func pct(_ x: Double) -> String { x.isNaN ? "  n/a" : String(format: "%5.1f", 100 * x) }
        var lines = ["seed \(seed), \(validationCount) validation scenes of \(sceneSize)×\(sceneSize)",
                     "                 pixel acc.  mean acc.  mean IU  f.w. IU"]
        for r in rows {
            lines.append(r.name.padding(toLength: 17, withPad: " ", startingAt: 0)
                         + "     \(pct(r.pixelAccuracy))      \(pct(r.meanAccuracy))    \(pct(r.meanIU))    \(pct(r.frequencyWeightedIU))")
        }
        return lines.joined(separator: "\n")
    }

    /// Writes `table2.json` and `table2.csv` into `folder`, atomically.
    public func write(to folder: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(self), to: folder.appending(path: "table2.json"))
        var csv = "stage,steps,pixel_accuracy,mean_accuracy,mean_iu,frequency_weighted_iu\n"
        for r in rows { csv += "\(r.stage),\(r.steps),\(r.pixelAccuracy),\(r.meanAccuracy),\(r.meanIU),\(r.frequencyWeightedIU)\n" }
        try AtomicFile.write(Data(csv.utf8), to: folder.appending(path: "table2.csv"))
    }
}

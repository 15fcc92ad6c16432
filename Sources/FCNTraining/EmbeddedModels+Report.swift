// EmbeddedModels+Report.swift — the measurements shipped with the trained VGG-mini models:
// the miniature Table 2 and each stage's training curve.
//
// Paper §4 (Table 2) and §4.3 (training). `scripts/train-embedded-models` copies `table2.json`
// and the `<stage>.history.csv` files of the run next to the weights in `Resources/Models/`;
// these accessors read them from the bundle with the readers of `TrainingReport+Reading.swift`.

import FCNCore
import FCN
import Foundation

extension EmbeddedModels {
    /// The miniature Table 2 of the shipped models (`Resources/Models/table2.json`).
    ///
    /// - Throws: ``TrainingFileError/missing(path:hint:)`` when it was not shipped, or
    ///   ``TrainingFileError/malformed(path:line:reason:)`` when it cannot be decoded.
    ///
    /// ```swift
    /// let table = try EmbeddedModels.trainingReport()
    /// table.rows.map(\.meanIU)
    /// ```
    public static func trainingReport() throws -> TrainingReport {
        try TrainingReport.read(from: try shippedFile("table2", extension: "json"))
    }

    /// The training curve of `stage` as shipped (`Resources/Models/<stage>.history.csv`), one
    /// record per step.
    ///
    /// - Throws: ``TrainingFileError``, naming the file (and the line if it is malformed).
    ///
    /// ```swift
    /// let curve = try EmbeddedModels.history(.fcn8s)
    /// curve.map(\.loss)
    /// ```
    public static func history(_ stage: TrainingStage) throws -> [TrainingRecord] {
        try TrainingRecord.readHistory(from: try shippedFile("\(stage.rawValue).history", extension: "csv"))
    }

    /// The bundle URL of `Models/<name>.<extension>`, or a `missing` error that says how to make it.
    static func shippedFile(_ name: String, extension ext: String) throws -> URL {
        if let url = bundledFile(name, extension: ext) { return url }
        throw TrainingFileError.missing(path: "Resources/Models/\(name).\(ext) in the FCN bundle",
                                        hint: "scripts/train-embedded-models copies it there from the training run")
    }
}

// TrainedFigures+Training.swift — the measured side of the staged training: the miniature
// Table 2 and every stage's training curves, from the files the training run wrote.
//
// Paper §4 (Table 2) and §4.3 (training). The numbers are read, not recomputed: the run's
// `table2.json` (its held-out evaluation) and the `<stage>.history.csv` files, as shipped next
// to the weights (`EmbeddedModels.trainingReport()`, `EmbeddedModels.history(_:)`).
import FCNTraining
import FCN

extension TrainedFigures {
    /// Table 2 (miniature) of the run that trained `models`.
    public static func trainingTable(_ models: TrainedModels) throws -> Figure {
        trainingTableFigure(try models.report())
    }

    /// The training curves of every stage: the classifier, then the segmentation stages.
    ///
    /// - Parameters:
    ///   - models: where the records come from (``TrainedModels/embedded`` for the shipped ones).
    ///   - window: the moving-average window in steps.
    public static func trainingCurves(_ models: TrainedModels, window: Int = 50) throws -> Figure {
        let classifier = StageCurve(name: TrainingStage.classifier.displayName, records: try models.history(.classifier))
        let segmentation = try TrainingStage.segmentationStages.map { StageCurve(name: $0.displayName, records: try models.history($0)) }
        return trainingCurvesFigure(classifier: classifier, segmentation: segmentation, pixelsPerScene: sceneSize * sceneSize,
                                    window: window)
    }
}

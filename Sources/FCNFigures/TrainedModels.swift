// TrainedModels.swift — where the figures drawn from trained nets get them: by default the
// VGG-mini models shipped in the FCN bundle (`EmbeddedModels`), with their Table 2 and curves.
//
// Paper §4 (the staged training whose results Fig. 2 right, Fig. 4, Table 2 and the loss curves
// show). A source is three closures, so tests can hand the figures other nets (freshly
// initialised ones) and fixture files, and the figures never reach for the bundle themselves.
import FCNTraining
import FCN

/// A source of trained VGG-mini nets and their training records.
///
/// ```swift
/// let fcn8s = try TrainedModels.embedded.network(.fcn8s)     // the shipped FCN-8s
/// let figure = try TrainedFigures.segmentationResults(.embedded)
/// ```
public struct TrainedModels: Sendable {
    /// The sizes of the nets the closures return.
    public var model: VGGMini
    /// The net of a stage, weights loaded (the classifier: `[N, 3, 112, 112]` → `[N, 6]`).
    public var network: @Sendable (TrainingStage) throws -> Network
    /// The miniature Table 2 of the run that trained them.
    public var report: @Sendable () throws -> TrainingReport
    /// A stage's training curve, one record per step.
    public var history: @Sendable (TrainingStage) throws -> [TrainingRecord]

    public init(model: VGGMini, network: @escaping @Sendable (TrainingStage) throws -> Network,
                report: @escaping @Sendable () throws -> TrainingReport,
                history: @escaping @Sendable (TrainingStage) throws -> [TrainingRecord]) {
        self.model = model; self.network = network; self.report = report; self.history = history
    }

    /// The models shipped in the FCN bundle (`Sources/FCN/Resources/Models/`).
    public static let embedded = TrainedModels(
        model: .standard,
        network: { try EmbeddedModels.model($0).network },        // each stage's ModelSpec, through the one loader
        report: { try EmbeddedModels.trainingReport() },
        history: { try EmbeddedModels.history($0) })

    /// Runs `body`; any error it throws that is not already a `FigureError` becomes
    /// ``FigureError/needsTrainedModel(figure:reason:)`` naming `figure`, so `fcn figures` says
    /// which figure could not be drawn and why (e.g. the weights file that was not shipped).
    public static func drawing(_ figure: String, _ body: () throws -> Figure) throws -> Figure {
        do {
            return try body()
        } catch let error as FigureError {
            throw error
        } catch {
            throw FigureError.needsTrainedModel(figure: figure, reason: "\(error)")
        }
    }
}

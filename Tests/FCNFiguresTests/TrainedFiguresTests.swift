// TrainedFiguresTests.swift — the figures drawn from trained nets (Fig. 1 prediction, Fig. 2
// heatmap, Fig. 4, feature maps, Table 2, training curves).
//
// Two suites. The first always runs: the figures are built from freshly initialised VGG-mini
// nets and fixture records (the drawing and data paths are the same as with trained weights),
// and a missing model must give a typed error. The second runs when the trained weights are
// shipped in the FCN bundle (CI has them): the catalogued figures themselves.
@testable import FCNTraining
import Foundation
import Testing
@testable import FCNFigures
@testable import FCN

/// VGG-mini nets with their initial (untrained) weights, and made-up records.
func untrainedModels() -> TrainedModels {
    TrainedModels(
        model: .standard,
        network: { stage in
            var rng = SeededRandom(seed: 11)
            let description = try stage.description(.standard)
            let side = stage == .classifier ? VGGMini.standard.classifierInputSize : TrainedFigures.sceneSize
            return try Network(description, parameters: Network.initialParameters(for: description, inputShape: [1, 3, side, side], using: &rng))
        },
        report: { fixtureReport },
        history: { _ in fixtureHistory })
}

/// A noisy decaying loss and a rising accuracy over 120 steps.
let fixtureHistory: [TrainingRecord] = (1...120).map { (step: Int) -> TrainingRecord in
    let t = Double(step)
    let loss: Double = 2 * exp(-t / 40) + 0.1 * Double(step % 7) / 7
    return TrainingRecord(step: step, loss: loss, pixelAccuracy: 1 - exp(-t / 30))
}

let fixtureReport = TrainingReport(seed: 1, sceneSize: 128, validationSeed: SyntheticData.validationSeed, validationCount: 200, rows: [
    TableRow(stage: "fcn32s", name: "FCN-32s", steps: 1000, pixelAccuracy: 0.9, meanAccuracy: 0.7, meanIU: 0.6, frequencyWeightedIU: 0.84),
    TableRow(stage: "fcn8s", name: "FCN-8s", steps: 500, pixelAccuracy: 0.93456, meanAccuracy: 0.75, meanIU: 0.62749, frequencyWeightedIU: 0.875),
])

/// The catalogued trained-model figures, built from `untrainedModels()`.
let untrainedFigures: [String: @Sendable () throws -> Figure] = [
    "dense-prediction": { try TrainedFigures.densePrediction(untrainedModels()) },
    "net-surgery-heatmap": { try TrainedFigures.netSurgery(untrainedModels()) },
    "segmentation-results": { try TrainedFigures.segmentationResults(untrainedModels(), count: 2) },
    "feature-maps": { try TrainedFigures.featureMaps(untrainedModels()) },
    "training-table": { try TrainedFigures.trainingTable(untrainedModels()) },
    "training-curves": { try TrainedFigures.trainingCurves(untrainedModels()) },
]

@Suite struct TrainedFiguresTests {
    @Test func everyTrainedFigureHasABuilderHere() {
        #expect(Set(untrainedFigures.keys) == Set(FigureCatalog.trainedModelFigures.keys))
        #expect(Set(FigureCatalog.trainedModelFigures.keys).isSubset(of: Set(FigureCatalog.names)))
    }

    @Test(arguments: untrainedFigures.keys.sorted())
    func rendersWithUntrainedNets(name: String) throws {
        try checkWritesAllThreeFormats(name, try untrainedFigures[name]!())
    }

    @Test func reRenderingTheNetsGivesIdenticalPNGBytes() throws {
        let a = try TrainedFigures.featureMaps(untrainedModels()).data(format: .png)
        let b = try TrainedFigures.featureMaps(untrainedModels()).data(format: .png)
        #expect(a == b)
    }

    @Test func aMissingModelIsATypedErrorNamingTheFigureAndTheFile() {
        var models = untrainedModels()
        models.network = { throw EmbeddedModelError.missing(stage: $0.rawValue) }
        #expect {
            try TrainedModels.drawing("dense-prediction") { try TrainedFigures.densePrediction(models) }
        } throws: { error in
            guard case FigureError.needsTrainedModel(let figure, let reason) = error else { return false }
            return figure == "dense-prediction" && reason.contains("fcn8s.safetensors")
                && "\(error)".hasPrefix("figure 'dense-prediction' needs the trained VGG-mini models")
        }
        models = untrainedModels()
        models.history = { try TrainingRecord.readHistory(from: URL(fileURLWithPath: "/nonexistent/\($0.rawValue).history.csv")) }
        #expect {
            try TrainedModels.drawing("training-curves") { try TrainedFigures.trainingCurves(models) }
        } throws: { error in
            guard case FigureError.needsTrainedModel(_, let reason) = error else { return false }
            return reason.contains("/nonexistent/classifier.history.csv")
        }
    }

    @Test func tableTwoPrintsPercentagesWithOneDecimal() {
        let rows = trainingTableRows(fixtureReport)
        #expect(rows[0] == ["FCN-32s", "1000", "90.0", "70.0", "60.0", "84.0"])
        #expect(rows[1] == ["FCN-8s", "500", "93.5", "75.0", "62.7", "87.5"])
    }

    @Test func movingAverageIsTrailing() {
        #expect(movingAverage([1, 2, 3, 4], window: 2) == [1, 1.5, 2.5, 3.5])
        #expect(movingAverage([4, 0, 2], window: 5) == [4, 2, 2])
        #expect(movingAverage([3, 5], window: 1) == [3, 5])
    }

    @Test func strongestChannelsAreThoseThatVaryMost() {
        // Channel c of a 4×4 map is a ramp with slope s[c]: variance ∝ s², so the order is by |s|.
        let slopes: [Float] = [0.5, 3, 0, -2, 1, 3]
        let x = Tensor(shape: [1, 6, 4, 4]) { i in slopes[i[1]] * Float(i[2] * 4 + i[3]) + 7 }
        #expect(FeatureMapLayer.strongest(x, count: 3) == [1, 3, 5])
        #expect(FeatureMapLayer.strongest(x, count: 6) == [0, 1, 2, 3, 4, 5])
        #expect(FeatureMapLayer.strongest(x, count: 2) == [1, 5])          // equal variances: lower index first
    }

    @Test func pixelAccuracyIgnoresVoid() {
        let scene = LabeledScene(image: RGBImage(width: 2, height: 2, pixels: [UInt8](repeating: 0, count: 12)), labels: [0, 1, ShapeClass.void, 2])
        let c = TrainedFigures.counts([0, 2, 5, 2], scene)
        #expect(c.right == 2 && c.counted == 3)
    }
}

/// Every stage and record the trained-model figures read is in the bundle.
let trainedModelsShipped = Set(EmbeddedModels.available) == Set(TrainingStage.allCases) && (try? EmbeddedModels.trainingReport()) != nil

@Suite(.enabled(if: trainedModelsShipped, "the trained VGG-mini weights and records are not in the FCN bundle"))
struct ShippedModelFiguresTests {
    @Test(arguments: FigureCatalog.trainedModelFigures.keys.sorted())
    func rendersFromTheShippedModels(name: String) throws {
        try checkWritesAllThreeFormats(name, try FigureCatalog.all[name]!())
    }

    @Test func reRenderingGivesIdenticalPNGBytes() throws {
        let a = try FigureCatalog.all["segmentation-results"]!().data(format: .png)
        let b = try FigureCatalog.all["segmentation-results"]!().data(format: .png)
        #expect(a == b)
    }
}

// TrainedFigures.swift — the figures that show what the trained nets do: Fig. 1's prediction,
// Fig. 4's refinement from FCN-32s to FCN-8s, and the feature maps of one scene.
//
// Paper §1 Fig. 1, §4.2 Fig. 4, §3 (layers as h × w × d arrays). The nets are the trained
// VGG-mini stages of a `TrainedModels` source (by default those shipped in the FCN bundle);
// the scenes are the held-out validation scenes (`SyntheticData.validationWorld`), never
// trained on. Everything is deterministic: fixed scenes, fixed weights, first-maximum argmax.
// Net surgery and the training records: `TrainedFigures+Surgery.swift`, `+Training.swift`.
import FCNTraining
import FCN
import Foundation

/// Builders of the figures that need trained models (see `FigureCatalog` for their names).
///
/// ```swift
/// let figure = try TrainedFigures.segmentationResults(.embedded)
/// try figure.write(to: URL(fileURLWithPath: "Figures/segmentation-results.png"))
/// ```
public enum TrainedFigures {
    /// The side of the scenes the segmentation stages were trained on (`TrainingPipeline.sceneSize`).
    public static let sceneSize = 128

    /// Fig. 1: validation scene `sceneIndex` through the trained FCN-8s; the blocks are its blobs
    /// with their shapes for this input, the right panel its argmax prediction.
    public static func densePrediction(_ models: TrainedModels, sceneIndex: Int = 3) throws -> Figure {
        let net = try models.network(.fcn8s)
        let scene = SyntheticData.validationWorld(sceneSize: sceneSize).scene(sceneIndex)
        let labels = try prediction(net, scene)
        let shapes = try net.description.inferShapes(input: [1, 3, sceneSize, sceneSize])
        let k = models.model.fc6Kernel
        let stages = models.model.convolutionsPerBlock.enumerated().map { ("pool\($0.offset + 1)", "\($0.element) conv, pool") }
            + [("fc6", "\(k)×\(k) conv"), ("fc7", "1×1 conv"), ("score_fr", "1×1 conv"), ("fuse_pool3", "2×up, 2 skips"), ("score", "8×up, crop")]
        return densePredictionFigure(
            image: pixels(scene), imageCaption: "input 3×\(sceneSize)×\(sceneSize) (validation scene \(sceneIndex))",
            blocks: stages.map { LayerBlock.from(shapes, layer: $0.0, operation: $0.1) },
            labels: labels, labelsTitle: "trained VGG-mini FCN-8s: \(percent(confusion([labels], [scene]).scores.pixelAccuracy)) pixels right",
            classNames: ShapeClass.allCases.map(\.name))
    }

    /// Fig. 4: validation scenes `0..<count`, each through FCN-32s, FCN-16s and FCN-8s, beside
    /// the ground truth; each column title carries the net's pixel accuracy over these scenes.
    public static func segmentationResults(_ models: TrainedModels, count: Int = 4) throws -> Figure {
        let stages: [TrainingStage] = [.fcn32s, .fcn16s, .fcn8s]
        let nets = try stages.map { try models.network($0) }
        let world = SyntheticData.validationWorld(sceneSize: sceneSize)
        let scenes = (0..<count).map { world.scene($0) }
        let predictions = try nets.map { net in try scenes.map { try prediction(net, $0) } }     // [net][scene]
        let titles = stages.indices.map { s in
            "\(stages[s].displayName) · \(percent(confusion(predictions[s], scenes).scores.pixelAccuracy))"
        }
        let rows = scenes.indices.map { i in
            SegmentationRow(image: pixels(scenes[i]),
                            panels: stages.indices.map { (title: titles[$0], labels: predictions[$0][i]) }
                                + [(title: "ground truth", labels: truth(scenes[i]))])
        }
        return segmentationResultsFigure(
            title: "Refining with skips (Fig. 4): trained VGG-mini FCNs",
            subtitle: "\(count) held-out validation scenes of \(sceneSize)×\(sceneSize) px; the % after each net is its pixel accuracy "
                + "over these scenes (void not counted).",
            rows: rows, classNames: ShapeClass.allCases.map(\.name), panelSize: 150)
    }

    /// The layers of the feature-map figure and how many channels of each are shown.
    public static let featureMapLayers: [(layer: String, channels: Int)] = [
        ("conv1_1", 8), ("conv3_2", 8), ("pool5", 8), ("fc7", 8), ("score", ShapeClass.count),
    ]

    /// Feature maps of the trained FCN-8s on validation scene `sceneIndex`: for each layer of
    /// ``featureMapLayers`` its most varying channels (all seven class scores for `score`).
    public static func featureMaps(_ models: TrainedModels, sceneIndex: Int = 3) throws -> Figure {
        let net = try models.network(.fcn8s)
        let scene = SyntheticData.validationWorld(sceneSize: sceneSize).scene(sceneIndex)
        let blobs = try net.forward(["data": SyntheticData.input(scene)], keeping: Set(featureMapLayers.map(\.layer)))
        let layers = featureMapLayers.map { entry -> FeatureMapLayer in
            let activation = blobs[entry.layer]!                                     // [1, C, H, W]
            let c = activation.shape[1]
            if entry.layer == "score" {
                return FeatureMapLayer(grid: FeatureMapGrid(activation, layer: "score", columns: c),
                                       note: "one channel per class, before the argmax", tileLabels: ShapeClass.allCases.map(\.name))
            }
            let chosen = FeatureMapLayer.strongest(activation, count: entry.channels)
            let note = chosen.count < c ? "the \(chosen.count) of \(c) channels that vary most" : "all \(c) channels"
            // The early layers' channels differ in strength by orders of magnitude: each on its own scale shows what it detects.
            let own = entry.layer.hasPrefix("conv")
            return FeatureMapLayer(grid: FeatureMapGrid(activation, layer: entry.layer, channels: chosen, columns: entry.channels,
                                                        sharedRange: !own), note: note)
        }
        return featureMapsFigure(
            title: "Inside the trained FCN-8s (VGG-mini): activations of one scene, fine to coarse",
            subtitle: "conv1_1 is larger than the image (padded by 100, §4.1); pool5 and fc7 are the stride-32 maps; "
                + "score is upsampled and cropped back to the image.",
            image: pixels(scene), imageCaption: "validation scene \(sceneIndex), \(sceneSize)×\(sceneSize) px", layers: layers)
    }

    // MARK: - Helpers

    /// The arg-max labels of `net` on `scene` (the library's in-memory segmentation).
    static func prediction(_ net: Network, _ scene: LabeledScene) throws -> LabelMap {
        try Segmentation.segment(scene.image, with: net).labels
    }

    /// The scene's pixels for drawing.
    static func pixels(_ scene: LabeledScene) -> RGBImage { scene.image }

    /// The scene's ground truth as a label map.
    static func truth(_ scene: LabeledScene) -> LabelMap {
        LabelMap(width: scene.width, height: scene.height, labels: scene.labels)
    }

    /// The confusion matrix of predictions against scenes' ground truth (void pixels are not counted).
    static func confusion(_ predictions: [LabelMap], _ scenes: [LabeledScene]) -> ConfusionMatrix {
        var m = ConfusionMatrix(classCount: ShapeClass.count)
        for (labels, scene) in zip(predictions, scenes) { m.accumulate(groundTruth: scene.labels, prediction: labels.labels) }
        return m
    }

    /// Pixels predicted right and pixels counted (void pixels of the ground truth are not counted).
    static func counts(_ labels: [Int], _ scene: LabeledScene) -> (right: Int, counted: Int) {
        let m = confusion([LabelMap(width: scene.width, height: scene.height, labels: labels.map(UInt8.init))], [scene])
        return (m.correctCount, m.countedCount)
    }

    static func percent(_ x: Double) -> String { String(format: "%.1f%%", 100 * x) }
}

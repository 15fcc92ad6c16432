// FigureCatalog.swift — every named figure the `fcn figures` command can draw.
//
// No paper section: the registry. A figure is added by writing a function in `Figures/`
// that returns a `Figure` and listing it here under a file-name-friendly name. Figures drawn
// from the trained VGG-mini models (`TrainedFigures`) are listed in `trainedModelFigures` too;
// without the shipped weights they throw `FigureError.needsTrainedModel` naming the missing file.
import FCNTraining
import FCN

/// The named figures, by name (the name is also the output file's base name).
///
/// ```swift
/// let f = try FigureCatalog.all["convolution-arithmetic"]!()
/// try f.write(to: URL(fileURLWithPath: "Figures/convolution-arithmetic.svg"))
/// ```
public enum FigureCatalog {
    /// Every figure of the project by name, each made on demand (they compute their numbers;
    /// those drawn from the trained models throw ``FigureError/needsTrainedModel(figure:reason:)``
    /// when the models are missing).
    public static let all: [String: @Sendable () throws -> Figure] = [
        "colormap-swatches": { colormapSwatches() },
        "convolution-arithmetic": { convolutionArithmetic() },
        "upsampling-sizes": { upsamplingSizesTable() },
        "shift-and-stitch": { shiftAndStitchFigure(ShiftAndStitchData.compute()) },
        "crop-offsets": { cropOffsetsFigure(Catalog.cropAlignments()) },
        "architecture-table": { Catalog.architectureTable() },
        "bilinear-upsampling": { bilinearUpsamplingFigure(BilinearUpsamplingData.compute()) },
        "skip-architecture": { skipArchitectureFigure(Catalog.skipArchitecture()) },
        "receptive-fields": { Catalog.receptiveFields() },
        "net-surgery": { Catalog.netSurgery() },
        // From the trained models shipped in the FCN bundle.
        "dense-prediction": { try TrainedModels.drawing("dense-prediction") { try TrainedFigures.densePrediction(.embedded) } },
        "net-surgery-heatmap": { try TrainedModels.drawing("net-surgery-heatmap") { try TrainedFigures.netSurgery(.embedded) } },
        "segmentation-results": { try TrainedModels.drawing("segmentation-results") { try TrainedFigures.segmentationResults(.embedded) } },
        "feature-maps": { try TrainedModels.drawing("feature-maps") { try TrainedFigures.featureMaps(.embedded) } },
        "training-table": { try TrainedModels.drawing("training-table") { try TrainedFigures.trainingTable(.embedded) } },
        "training-curves": { try TrainedModels.drawing("training-curves") { try TrainedFigures.trainingCurves(.embedded) } },
    ]

    /// The figures drawn from trained models, and the shipped stages each needs (the table and
    /// the curves need the run's records as well: table2.json and the history files).
    public static let trainedModelFigures: [String: [TrainingStage]] = [
        "dense-prediction": [.fcn8s],
        "net-surgery-heatmap": [.classifier],
        "segmentation-results": [.fcn32s, .fcn16s, .fcn8s],
        "feature-maps": [.fcn8s],
        "training-table": TrainingStage.segmentationStages,
        "training-curves": TrainingStage.allCases,
    ]

    /// The names in alphabetical order.
    public static var names: [String] { all.keys.sorted() }
}

/// The data the catalogued figures are drawn from, computed by the library. A `try!` here is a
/// programmer error: the descriptions are the library's own and known to be valid (tests run them).
enum Catalog {
    /// Every crop of FCN-32s, -16s and -8s (VGG16, 21 classes).
    static func cropAlignments() -> [CropAlignment] {
        [ModelSpec.fcn32s, .fcn16s, .fcn8s].flatMap { spec in try! CropAlignment.all(in: try! spec.description()) }
    }

    /// The FCN-8s DAG (VGG16, 500×500) and the predictions of FCN-32s, -16s, -8s.
    static func skipArchitecture(inputSize: Int = 500) -> SkipArchitecture {
        let nets = [ModelSpec.fcn32s, .fcn16s, .fcn8s].map { try! $0.description() }
        return try! SkipArchitecture.from(nets[2], inputShape: [1, 3, inputSize, inputSize], variants: nets)
    }

    /// VGG16's receptive fields (FCN trunk, conv1_1 padded by 100) on a synthetic `size`×`size` scene.
    static func receptiveFields(size: Int = 500) -> Figure {
        let net = try! FCN.description(.fcn32s)
        let fields = try! LayerField.fields(of: net, layers: ["conv1_2", "pool1", "pool2", "pool3", "pool4", "pool5", "fc6"])
        let scene = SceneGenerator(seed: 1, width: size, height: size).scene(3)
        return receptiveFieldFigure(image: scene.image, fields: fields,
                                    network: "VGG16 (fc6 = fc7 = score_fr)", pointsPerPixel: 400 / Double(size))
    }

    /// Fig. 2 at the paper's scale, shapes only: VGG16 at 224 with fully connected layers, and
    /// convolutionalized at `largeInput` (no VGG16 weights are shipped; `net-surgery-heatmap`
    /// draws the same figure for our trained VGG-mini with its heatmap).
    static func netSurgery(largeInput: Int = 500) -> Figure {
        let vgg = VGG.description()
        let small = [1, 3, 224, 224]
        let rows = try! TrainedFigures.surgeryRows(vgg, small: small, large: [1, 3, largeInput, largeInput],
                                                   titles: ("VGG16 classifier on 224×224: one vector of 1000 scores",
                                                            "Convolutionalized, on \(largeInput)×\(largeInput): a map of scores"))
        let subtitle = try! TrainedFigures.surgerySubtitle(vgg, try! NetSurgery.convolutionalized(vgg, inputShape: small), small: small)
        return netSurgeryFigure(classifier: rows.classifier, convolutional: rows.convolutional, subtitle: subtitle)
    }

    /// Table 1 for FCN-AlexNet and FCN-VGG16 (FCN-32s heads) on a 500×500 input.
    static func architectureTable() -> Figure {
        let input = [1, 3, 500, 500]
        let alex = try! ArchitectureAnalysis(try! FCN.alexNet(), inputShape: input)
        let vgg = try! ArchitectureAnalysis(try! FCN.description(.fcn32s), inputShape: input)
        return FCNFigures.architectureTable([ArchitectureRow(name: "FCN-AlexNet", analysis: alex, paper: (355, 32, 57, 8)),
                                            ArchitectureRow(name: "FCN-VGG16", analysis: vgg, paper: (404, 32, 134, 16))],
                                           inputDescription: "a 1×3×500×500 input, FCN-32s heads, 21 classes")
    }
}

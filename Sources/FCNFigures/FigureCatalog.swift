// FigureCatalog.swift — every named figure the `fcn figures` command can draw.
//
// No paper section: the registry. A figure is added by writing a function in `Figures/`
// that returns a `Figure` and listing it here under a file-name-friendly name.
import FCN

/// The named figures, by name (the name is also the output file's base name).
///
/// ```swift
/// let f = FigureCatalog.all["convolution-arithmetic"]!()
/// try f.write(to: URL(fileURLWithPath: "Figures/convolution-arithmetic.svg"))
/// ```
public enum FigureCatalog {
    public static let all: [String: @Sendable () -> Figure] = [
        "colormap-swatches": { colormapSwatches() },
        "convolution-arithmetic": { convolutionArithmetic() },
        "upsampling-sizes": { upsamplingSizesTable() },
        "shift-and-stitch": { shiftAndStitchFigure(ShiftAndStitchData.compute()) },
        "crop-offsets": { cropOffsetsFigure(Catalog.cropAlignments()) },
        "architecture-table": { Catalog.architectureTable() },
        "bilinear-upsampling": { bilinearUpsamplingFigure(BilinearUpsamplingData.compute()) },
        "skip-architecture": { skipArchitectureFigure(Catalog.skipArchitecture()) },
        "dense-prediction": { Catalog.densePrediction() },
    ]

    /// The names in alphabetical order.
    public static var names: [String] { all.keys.sorted() }
}

/// The data the catalogued figures are drawn from, computed by the library. A `try!` here is a
/// programmer error: the descriptions are the library's own and known to be valid (tests run them).
enum Catalog {
    /// Every crop of FCN-32s, -16s and -8s (VGG16, 21 classes).
    static func cropAlignments() -> [CropAlignment] {
        [FCNVariant.fcn32s, .fcn16s, .fcn8s].flatMap { v in try! CropAlignment.all(in: try! FCN.description(v)) }
    }

    /// The FCN-8s DAG (VGG16, 500×500) and the predictions of FCN-32s, -16s, -8s.
    static func skipArchitecture(inputSize: Int = 500) -> SkipArchitecture {
        let nets = [FCNVariant.fcn32s, .fcn16s, .fcn8s].map { try! FCN.description($0) }
        return try! SkipArchitecture.from(nets[2], inputShape: [1, 3, inputSize, inputSize], variants: nets)
    }

    /// Fig. 1: a synthetic scene through FCN-8s (VGG16, K = 7 synthetic classes) at `size`×`size`;
    /// the right panel is the scene's ground truth until a trained model supplies a prediction.
    static func densePrediction(size: Int = 500) -> Figure {
        let net = try! FCN.description(.fcn8s, classes: ShapeClass.count)
        let shapes = try! net.inferShapes(input: [1, 3, size, size])
        let stages: [(String, String)] = [
            ("pool1", "2 conv, pool"), ("pool2", "2 conv, pool"), ("pool3", "3 conv, pool"), ("pool4", "3 conv, pool"),
            ("pool5", "3 conv, pool"), ("fc6", "7×7 conv"), ("fc7", "1×1 conv"), ("score_fr", "1×1 conv"),
            ("fuse_pool3", "2×up, 2 skips"), ("score", "8×up, crop"),
        ]
        let scene = SceneGenerator(seed: 1, width: size, height: size).scene(3)
        return densePredictionFigure(
            image: RGBPixels(width: scene.width, height: scene.height, bytes: scene.rgb),
            imageCaption: "input 3×\(size)×\(size) (synthetic scene)",
            blocks: stages.map { LayerBlock.from(shapes, layer: $0.0, operation: $0.1) },
            labels: scene.labels.map(Int.init), labelsTitle: "ground truth (no trained model yet)",
            classNames: ShapeClass.allCases.map(\.name))
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

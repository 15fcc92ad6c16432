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
    /// Every figure of the project by name, each made on demand (they compute their numbers).
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
        "receptive-fields": { Catalog.receptiveFields() },
        "net-surgery": { Catalog.netSurgery() },
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

    /// VGG16's receptive fields (FCN trunk, conv1_1 padded by 100) on a synthetic `size`×`size` scene.
    static func receptiveFields(size: Int = 500) -> Figure {
        let net = try! FCN.description(.fcn32s)
        let fields = try! LayerField.fields(of: net, layers: ["conv1_2", "pool1", "pool2", "pool3", "pool4", "pool5", "fc6"])
        let scene = SceneGenerator(seed: 1, width: size, height: size).scene(3)
        return receptiveFieldFigure(image: RGBPixels(width: size, height: size, bytes: scene.rgb), fields: fields,
                                    network: "VGG16 (fc6 = fc7 = score_fr)", pointsPerPixel: 400 / Double(size))
    }

    /// Fig. 2, left half: VGG16 at 224 with fully connected layers, and convolutionalized at `largeInput`.
    static func netSurgery(largeInput: Int = 500) -> Figure {
        let vgg = VGG.description()
        let small = [1, 3, 224, 224], large = [1, 3, largeInput, largeInput]
        let conv = try! NetSurgery.convolutionalized(vgg, inputShape: small)
        func row(_ net: NetworkDescription, _ input: [Int], _ title: String) -> SurgeryRow {
            let shapes = try! net.inferShapes(input: input)
            let parameters = try! net.parameterShapes(inputShape: input)
            func operation(_ layer: String) -> String {
                switch (try! net.layer(named: layer)).kind {
                case .linear(let p): return "linear → \(p.outputs)"
                case .convolution(let p): return "\(p.kernel.height)×\(p.kernel.width) conv → \(p.outputs)"
                default: return ""
                }
            }
            let blocks = [LayerBlock.from(shapes, layer: "pool5", operation: "13 conv, 5 pools")]
                + ["fc6", "fc7", "fc8"].map { LayerBlock.from(shapes, layer: $0, operation: operation($0)) }
            let weights = ["fc6", "fc7", "fc8"].compactMap { l in
                parameters.first { $0.name == "\(l).weight" }.map { (layer: l, shape: "\($0.shape)") }
            }
            return SurgeryRow(title: title, inputSize: input[2], blocks: blocks, weights: weights)
        }
        return netSurgeryFigure(classifier: row(vgg, small, "VGG16 classifier on 224×224: one vector of 1000 scores"),
                                convolutional: row(conv, large, "Convolutionalized, on \(largeInput)×\(largeInput): a map of scores"))
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

// Segmentation.swift — one image through a trained FCN to a per-pixel labelling (CVPR 2015 §3
// "dense prediction", §4.2 inference; Fig. 1 shows the result).
//
// Two entry points, one path:
//   - in memory, `segment(_:with:)`: an `RGBImage` → Caffe preprocessing (BGR, minus the mean
//     pixel) → the net → a `ScoreMap` `[1, K, H, W]` → its arg-max `LabelMap`; the overlay is
//     `RGBImage.overlaid(with:)`. What chapters, figures and library users call.
//   - from files to files, `run(_:input:outputs:)`, what `fcn segment` does, a thin wrapper:
//       1. check that every output can be written (before any arithmetic: fail fast, write nothing);
//       2. read the input: a PNG/JPEG, or an `.npy` `[1, 3, H, W]` / `[3, H, W]` taken as already
//          preprocessed;
//       3.–5. the in-memory path;
//       6. write the scores (`.npy`), the labels (palette PNG in VOC colours) and the overlay.
// Shapes are inferred once per image, before the pass: they give the memory the pass needs
// (`MemoryEstimate`, refused if it does not fit) and K (a palette PNG holds at most 256 classes).
// (The executor checks them once more inside `Network.forward`.)
//
// Dimension letters: K classes, H×W the input size.

import FCNCore
import Foundation

/// Why a segmentation request was refused.
public enum SegmentationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input is not `.png`, `.jpg`, `.jpeg` or `.npy`.
    case unknownInputExtension(file: String)
    /// A `.npy` input is not `[1, 3, H, W]`.
    case badInputShape(file: String, shape: [Int])
    /// An output file cannot be written (missing or read-only folder, a folder in the way).
    case outputNotWritable(file: String, problem: String)
    /// An indexed PNG holds at most 256 classes.
    case tooManyClassesForPNG(file: String, classes: Int)
    /// A label is a byte: labels exist for at most 256 classes.
    case tooManyClasses(classes: Int)
    /// A score map must be `[1, K, H, W]`.
    case notAScoreMap(shape: [Int])
    /// The net predicted a class beyond the K it was scored with.
    case classCountMismatch(expected: Int, scene: String)

    /// A sentence naming the file and the problem.
    public var description: String {
        switch self {
        case .unknownInputExtension(let f): "\(f): unknown input format (expected .png, .jpg, .jpeg or .npy)"
        case .badInputShape(let f, let s): "\(f): array of shape \(s) is not an image [1, 3, H, W] or [3, H, W]"
        case .outputNotWritable(let f, let p): "cannot write \(f): \(p)"
        case .tooManyClassesForPNG(let f, let k): "cannot write \(f): \(k) classes do not fit an 8-bit palette PNG (256 at most)"
        case .tooManyClasses(let k): "\(k) classes do not fit 8-bit labels (256 at most)"
        case .notAScoreMap(let s): "scores of shape \(s) are not a score map [1, K, H, W]"
        case .classCountMismatch(let k, let scene): "\(scene): the net predicts classes beyond the \(k) it is scored with"
        }
    }
}

/// The files a segmentation writes (each optional).
public struct SegmentationOutputs: Sendable {
    /// Where to write the scores `[1, K, H, W]` (`.npy`), the label map (indexed PNG) and the
    /// colour overlay (PNG); `nil` skips that output.
    public var logits: URL?, labels: URL?, overlay: URL?
    /// The overlay's opacity, 0…1 (checked by the caller: `fcn segment --alpha`).
    public var overlayAlpha: Double
    /// Whether the overlay leaves the background (class 0) as the photograph, as well as void.
    public var overlayLeavesBackground: Bool
    /// Chooses the outputs to write; every one is optional.
    public init(logits: URL? = nil, labels: URL? = nil, overlay: URL? = nil, overlayAlpha: Double = 0.5,
                overlayLeavesBackground: Bool = false) {
        self.logits = logits; self.labels = labels; self.overlay = overlay
        self.overlayAlpha = overlayAlpha; self.overlayLeavesBackground = overlayLeavesBackground
    }
    /// The outputs chosen, in the order logits, labels, overlay.
    public var all: [URL] { [logits, labels, overlay].compactMap { $0 } }
}

/// What segmenting one image computed, in memory.
public struct SegmentationResult: Sendable {
    /// The picture segmented (for `.npy` input: the preprocessing undone).
    public var image: RGBImage
    /// The net's output, `[1, K, H, W]`.
    public var scores: ScoreMap
    /// The arg-max class of each pixel (``ScoreMap/labels()``).
    public var labels: LabelMap
    /// Seconds of each timed forward pass (warm-up excluded).
    public var forwardSeconds: [Double]

    /// The labels blended over the image (``RGBImage/overlaid(with:palette:alpha:leaving:)``);
    /// with 256 classes label 255 is a class, so no pixel is left unpainted.
    /// With `leavingBackground`, class 0 stays as the photograph too (an overlay meant to be read).
    public func overlay(palette: [LabelColor] = LabelPalette.pascalVOCColors, alpha: Double = 0.5,
                        leavingBackground: Bool = false) -> RGBImage {
        var unpainted: Set<UInt8> = scores.classCount > LabelPalette.voidLabel ? [] : [UInt8(LabelPalette.voidLabel)]
        if leavingBackground { unpainted.insert(0) }
        return image.overlaid(with: labels, palette: palette, alpha: alpha, unpainted: unpainted)
    }
}

/// What a file-to-file segmentation (``Segmentation/run(_:input:outputs:repeats:availableBytes:configuration:)``) computed.
public struct SegmentationRun: Sendable {
    /// The picture segmented (for `.npy` input: the preprocessing undone).
    public var image: RGBImage
    /// The net's output, `[1, K, H, W]`.
    public var scores: ScoreMap
    /// The arg-max labels; `nil` beyond 256 classes (then only the scores can be written).
    public var labels: LabelMap?
    /// Seconds of each timed forward pass (warm-up excluded).
    public var forwardSeconds: [Double]
}

/// Dense prediction with a trained FCN, in memory or from files to files.
///
/// ```swift
/// let photo = try RGBImage.decode(contentsOf: URL(filePath: "cat.jpg"))
/// let result = try Segmentation.segment(photo, with: net)
/// result.scores.shape          // [1, 21, H, W]
/// result.labels.label(x: 0, y: 0)
/// let shown = result.overlay()                      // an RGBImage
///
/// // The same, files to files (`fcn segment`):
/// try Segmentation.run(net, input: URL(filePath: "cat.jpg"),
///                      outputs: SegmentationOutputs(labels: URL(filePath: "cat-labels.png")))
/// ```
///
/// ### See Also
/// - ``ScoreMap``, ``LabelMap``, ``PretrainedWeights``, ``MemoryEstimate``, ``LabelPalette``.
public enum Segmentation {
    /// A network input and the picture to draw the overlay on.
    public struct Input: Sendable {
        /// `[1, 3, H, W]`, Caffe-preprocessed.
        public var tensor: Tensor
        /// The RGB image (for `.npy` input: the preprocessing undone).
        public var image: RGBImage
        /// An input from its tensor and the picture it shows.
        public init(tensor: Tensor, image: RGBImage) { self.tensor = tensor; self.image = image }
    }

    /// Reads an image or an `.npy` array (see the file comment for the conventions).
    public static func readInput(_ url: URL) throws -> Input {
        switch url.pathExtension.lowercased() {
        case "png", "jpg", "jpeg":
            let image = try RGBImage.decode(contentsOf: url)
            return Input(tensor: image.caffeInput(), image: image)
        case "npy":
            var x = try NPY.read(contentsOf: url)
            if x.rank == 3 { x = x.reshaped([1] + x.shape) }
            guard x.rank == 4, x.shape[0] == 1, x.shape[1] == 3, x.count > 0 else {
                throw SegmentationError.badInputShape(file: url.path, shape: x.shape)
            }
            return Input(tensor: x, image: RGBImage(caffeInput: x))
        default:
            throw SegmentationError.unknownInputExtension(file: url.path)
        }
    }

    /// Throws unless each output's folder exists and is writable, and the name is not a folder
    /// nor any other special file (``OutputFiles/check(_:inputs:)``).
    public static func checkWritable(_ outputs: SegmentationOutputs) throws {
        let manager = FileManager.default
        for url in outputs.all {
            let folder = url.deletingLastPathComponent().path
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
                throw SegmentationError.outputNotWritable(file: url.path, problem: "folder \(folder) does not exist")
            }
            guard manager.isWritableFile(atPath: folder) else {
                throw SegmentationError.outputNotWritable(file: url.path, problem: "folder \(folder) is not writable")
            }
            if manager.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue {
                throw SegmentationError.outputNotWritable(file: url.path, problem: "it is a folder")
            }
        }
        try OutputFiles.check(outputs.all, inputs: [])
    }

    /// Segments `image` in memory: Caffe preprocessing, `repeats + 1` forward passes (the first a
    /// warm-up, untimed unless `repeats` is 0), the arg-max.
    ///
    /// - Parameters:
    ///   - image: the picture.
    ///   - network: the segmentation net (`[1, 3, H, W]` in, `[1, K, H, W]` out, K ≤ 256).
    ///   - repeats: timed forward passes after the warm-up.
    ///   - availableBytes: if given, the pass is refused (``MemoryError``) before it starts when it
    ///     would need more; `nil` (the default) checks nothing, and the shapes are then inferred only
    ///     by the forward pass itself.
    ///   - configuration: threads and kernels of the forward passes.
    /// - Throws: ``NetworkError`` when the image does not fit the net (before any arithmetic),
    ///   ``SegmentationError/tooManyClasses(classes:)`` beyond 256 classes.
    public static func segment(_ image: RGBImage, with network: Network, repeats: Int = 0,
                               availableBytes: Int? = nil,
                               configuration: EngineConfiguration = .inForce) throws -> SegmentationResult {
        try segment(preprocessed: Input(tensor: image.caffeInput(), image: image), with: network, repeats: repeats,
                    availableBytes: availableBytes, configuration: configuration)
    }

    /// Segments an input already preprocessed (``readInput(_:)`` gives one from a file).
    public static func segment(preprocessed input: Input, with network: Network, repeats: Int = 0,
                               availableBytes: Int? = nil,
                               configuration: EngineConfiguration = .inForce) throws -> SegmentationResult {
        if availableBytes != nil { _ = try Plan(network, inputShape: input.tensor.shape, availableBytes: availableBytes) }
        let (scores, seconds) = try forward(network, input.tensor, repeats: repeats, configuration: configuration)
        return SegmentationResult(image: input.image, scores: scores, labels: try scores.labels(), forwardSeconds: seconds)
    }

    /// The whole file request: checks outputs and memory, reads `input`, runs `network` `repeats + 1`
    /// times (the first a warm-up, untimed unless `repeats` is 0), writes the outputs.
    ///
    /// - Parameters:
    ///   - network: the segmentation net (`[1, 3, H, W]` in, `[1, K, H, W]` out).
    ///   - input: a PNG or JPEG image (Caffe-preprocessed here), or a `.npy` tensor taken as
    ///     already preprocessed.
    ///   - outputs: the files to write.
    ///   - repeats: timed forward passes after the warm-up.
    ///   - availableBytes: memory the pass may use; by default the tightest of MemAvailable,
    ///     `RLIMIT_AS` and the cgroup limit (``MemoryLimits``).
    ///   - configuration: threads and kernels of the forward passes.
    @discardableResult
    public static func run(_ network: Network, input: URL, outputs: SegmentationOutputs, repeats: Int = 0,
                           availableBytes: Int? = MemoryEstimate.availableBytes(),
                           configuration: EngineConfiguration = .inForce) throws -> SegmentationRun {
        try checkWritable(outputs)
        try OutputFiles.check(outputs.all, inputs: [input])
        // An `.npy` header gives the shape: plan (shapes, memory) before reading the data. An image's
        // size is known once it is decoded. Either way the shapes are inferred once.
        var headerPlan: Plan?
        if input.pathExtension.lowercased() == "npy" {
            let shape = try NPY.shape(contentsOf: input)
            let image = shape.count == 3 ? [1] + shape : shape
            guard image.count == 4, image[0] == 1, image[1] == 3, image[2] > 0, image[3] > 0 else {
                throw SegmentationError.badInputShape(file: input.path, shape: shape)
            }
            headerPlan = try Plan(network, inputShape: image, availableBytes: availableBytes)
        }
        let x = try readInput(input)
        let plan = try headerPlan ?? Plan(network, inputShape: x.tensor.shape, availableBytes: availableBytes)
        if plan.classes > 256, let png = outputs.labels ?? outputs.overlay {
            throw SegmentationError.tooManyClassesForPNG(file: png.path, classes: plan.classes)
        }
        let (scores, seconds) = try forward(network, x.tensor, repeats: repeats, configuration: configuration)
        let result = plan.classes <= 256
            ? SegmentationResult(image: x.image, scores: scores, labels: try scores.labels(), forwardSeconds: seconds) : nil
        if let url = outputs.logits { try NPY.write(scores.tensor, to: url) }
        if let url = outputs.labels, let result { try result.labels.write(to: url) }
        if let url = outputs.overlay, let result {
            try result.overlay(alpha: outputs.overlayAlpha, leavingBackground: outputs.overlayLeavesBackground).write(to: url)
        }
        return SegmentationRun(image: x.image, scores: scores, labels: result?.labels, forwardSeconds: seconds)
    }

    /// What is known of one image's pass before it runs, from one shape inference.
    struct Plan {
        /// K, the channels of the net's output.
        var classes: Int

        /// Infers the shapes for `input` once, refuses the pass if it would not fit in memory.
        init(_ network: Network, inputShape: [Int], availableBytes: Int?) throws {
            let description = network.description
            let shapes = try description.inferShapes(input: inputShape)
            try MemoryEstimate(description, shapes: shapes, inputChannels: network.inputChannels)
                .check(available: availableBytes, parametersLoaded: true)
            classes = shapes[description.outputBlob ?? ""]?[1] ?? 0
        }
    }

    /// Runs the net `repeats + 1` times on `x` and times the passes after the first (all of them
    /// when `repeats` is 0).
    static func forward(_ network: Network, _ x: Tensor, repeats: Int,
                        configuration: EngineConfiguration) throws -> (ScoreMap, [Double]) {
        var scores = Tensor(zeros: [0])
        var seconds: [Double] = []
        for pass in 0...max(0, repeats) {
            let start = DispatchTime.now().uptimeNanoseconds
            scores = try network.forward(x, configuration: configuration)            // [1, K, H, W]
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            if pass > 0 || repeats == 0 { seconds.append(elapsed) }
        }
        return (try ScoreMap(scores), seconds)
    }
}

// Segmentation.swift — one image through a trained FCN to a per-pixel labelling, as `fcn segment`
// does it (paper §3 "dense prediction", §4.2 inference; Fig. 1 shows the result).
//
// The steps, each a function below so that tests run exactly what the command runs:
//   1. check that every output can be written (before any arithmetic: fail fast, write nothing);
//   2. read the input: a PNG/JPEG, preprocessed as Caffe's FCN data layer does (BGR, minus the
//      mean pixel), or an `.npy` `[1, 3, H, W]` / `[3, H, W]` taken as already preprocessed;
//   3. refuse it if the forward pass would not fit in memory (`MemoryEstimate`);
//   4. run the net (optionally several times, the first a warm-up) → scores `[1, K, H, W]`;
//   5. write the scores (`.npy`), the argmax labels (palette PNG in VOC colours) and the labels
//      blended over the image.
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

    /// A sentence naming the file and the problem.
    public var description: String {
        switch self {
        case .unknownInputExtension(let f): "\(f): unknown input format (expected .png, .jpg, .jpeg or .npy)"
        case .badInputShape(let f, let s): "\(f): array of shape \(s) is not an image [1, 3, H, W] or [3, H, W]"
        case .outputNotWritable(let f, let p): "cannot write \(f): \(p)"
        case .tooManyClassesForPNG(let f, let k): "cannot write \(f): \(k) classes do not fit an 8-bit palette PNG (256 at most)"
        }
    }
}

/// The files a segmentation writes (each optional).
public struct SegmentationOutputs: Sendable {
    /// Where to write the scores `[1, K, H, W]` (`.npy`), the label map (indexed PNG) and the
    /// colour overlay (PNG); `nil` skips that output.
    public var logits: URL?, labels: URL?, overlay: URL?
    /// Chooses the outputs to write; every one is optional.
    public init(logits: URL? = nil, labels: URL? = nil, overlay: URL? = nil) {
        self.logits = logits; self.labels = labels; self.overlay = overlay
    }
    var all: [URL] { [logits, labels, overlay].compactMap { $0 } }
}

/// What a segmentation computed.
public struct SegmentationResult: Sendable {
    /// The `score` blob, `[1, K, H, W]`.
    public var scores: Tensor
    /// The per-pixel argmax as a VOC-palette image (`nil` beyond 256 classes).
    public var labels: IndexedImage?
    /// Seconds of each timed forward pass (warm-up excluded).
    public var forwardSeconds: [Double]
}

/// Dense prediction with a trained FCN, from files to files.
///
/// ```swift
/// let result = try Segmentation.run(net, input: URL(filePath: "cat.jpg"),
///                                   outputs: SegmentationOutputs(labels: URL(filePath: "cat-labels.png")))
/// result.scores.shape          // [1, 21, H, W]
/// ```
///
/// ### See Also
/// - ``PretrainedWeights``, ``MemoryEstimate``, ``LabelPalette``.
public enum Segmentation {
    /// A network input and the picture to draw the overlay on.
    public struct Input: Sendable {
        /// `[1, 3, H, W]`, Caffe-preprocessed.
        public var tensor: Tensor
        /// The RGB image (for `.npy` input: the preprocessing undone).
        public var image: RGBImage
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

    /// Throws unless each output's folder exists and is writable, and the name is not a folder.
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
    }

    /// The whole request: checks outputs and memory, reads `input`, runs `network` `repeats + 1`
    /// times (the first a warm-up, untimed unless `repeats` is 0), writes the outputs.
    ///
    /// - Parameters:
    ///   - network: the segmentation net (`[1, 3, H, W]` in, `[1, K, H, W]` out).
    ///   - input: a PNG or JPEG image (Caffe-preprocessed here), or a `.npy` tensor taken as
    ///     already preprocessed.
    ///   - outputs: the files to write.
    ///   - repeats: timed forward passes after the warm-up.
    ///   - availableBytes: memory the pass may use; by default `/proc/meminfo`'s MemAvailable.
    ///   - configuration: threads and kernels of the forward passes.
    public static func run(_ network: Network, input: URL, outputs: SegmentationOutputs, repeats: Int = 0,
                           availableBytes: Int? = MemoryEstimate.availableBytes(),
                           configuration: EngineConfiguration = .automatic) throws -> SegmentationResult {
        try checkWritable(outputs)
        let x = try readInput(input)
        try MemoryEstimate(network.description, inputShape: x.tensor.shape, inputChannels: network.inputChannels)
            .check(available: availableBytes, parametersLoaded: true)
        let classes = try network.description.inferShapes(input: x.tensor.shape)[network.description.outputBlob ?? ""]?[1] ?? 0
        if classes > 256, let png = outputs.labels ?? outputs.overlay {
            throw SegmentationError.tooManyClassesForPNG(file: png.path, classes: classes)
        }
        var scores = Tensor(zeros: [0])
        var seconds: [Double] = []
        for pass in 0...max(0, repeats) {
            let start = DispatchTime.now().uptimeNanoseconds
            scores = try network.forward(x.tensor, configuration: configuration)     // [1, K, H, W]
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            if pass > 0 || repeats == 0 { seconds.append(elapsed) }
        }
        let labels = classes <= 256 ? labelImage(scores) : nil                   // checked above when written
        if let url = outputs.logits { try NPY.write(scores, to: url) }
        if let url = outputs.labels, let labels { try labels.write(to: url) }
        if let url = outputs.overlay, let labels { try overlay(labels, on: x.image).write(to: url) }
        return SegmentationResult(scores: scores, labels: labels, forwardSeconds: seconds)
    }

    /// The class of each pixel: the argmax over K of `scores` `[1, K, H, W]` (first maximum on
    /// ties, as numpy's `argmax` in Berkeley's `infer.py`), as a palette image in VOC colours.
    public static func labelImage(_ scores: Tensor) -> IndexedImage {
        precondition(scores.rank == 4 && scores.shape[0] == 1 && scores.shape[1] <= 256,
                     "Segmentation.labelImage: need [1, K ≤ 256, H, W], got \(scores.shape)")
        let (k, h, w) = (scores.shape[1], scores.shape[2], scores.shape[3])
        var indices = [UInt8](repeating: 0, count: h * w)
        var best = [Float](repeating: -.infinity, count: h * w)
        for c in 0..<k {
            for p in 0..<(h * w) where scores.scalars[c * h * w + p] > best[p] {
                best[p] = scores.scalars[c * h * w + p]
                indices[p] = UInt8(c)
            }
        }
        let palette = LabelPalette.pascalVOCColors.map { ($0.red, $0.green, $0.blue) }
        return IndexedImage(width: w, height: h, indices: indices, palette: palette)
    }

    /// The label colours blended over `image`: (1 − α)·pixel + α·colour, as in the paper's figures.
    public static func overlay(_ labels: IndexedImage, on image: RGBImage, alpha: Float = 0.5) -> RGBImage {
        precondition(labels.width == image.width && labels.height == image.height, "Segmentation.overlay: sizes differ")
        var out = image
        for p in 0..<(image.width * image.height) {
            let colour = labels.palette[Int(labels.indices[p])]
            for (channel, value) in [colour.0, colour.1, colour.2].enumerated() {
                let mixed = (1 - alpha) * Float(image.pixels[3 * p + channel]) + alpha * Float(value)
                out.pixels[3 * p + channel] = UInt8(min(255, max(0, mixed.rounded())))
            }
        }
        return out
    }
}

// PretrainedWeights.swift — loading trained FCN weights from a file into a network's parameter
// dictionary (paper §4–5: the published FCN-32s/16s/8s and FCN-AlexNet models).
//
// Two file formats, one naming scheme ("<layer>.weight", "<layer>.bias", as pytorch-fcn):
//   - `.safetensors`: tensors by those names. fc6/fc7 may be in convolution form
//     ([4096, 512, 7, 7]) or in the fully connected form of the classifier they came from
//     ([4096, 25088]); `NetSurgery.convolutionalParameters` reshapes the latter (§3.1).
//     F16/BF16/F64 are converted by the reader; a NaN or ±∞ is refused naming the tensor.
//   - `.caffemodel` (Berkeley's releases): each layer's blobs[0] is "<layer>.weight" and
//     blobs[1] "<layer>.bias". Layers without blobs (ReLU, pooling, crop…) are skipped.
//
// Caffe-compatibility decisions:
//   - FCN-8s-at-once's `scale_pool4` / `scale_pool3` are Caffe `Scale` layers whose one blob is
//     a [C] vector filled with the constant (0.01 / 0.0001). Our description has the constant
//     as a `Sum` coefficient, so the blob is checked to hold exactly that value, then dropped.
//   - A fixed bilinear upsampling kernel (`lr_mult: 0`) missing from the file is filled in
//     with the bilinear kernel it is by construction; a stored one is used as stored (Caffe
//     would use the stored numbers too).
//   - Everything else that is missing, left over or mis-shaped is an error naming the file,
//     the tensor and both shapes.

import FCNCore
import Foundation

/// Why weights could not be loaded. Every message names the file.
public enum WeightsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file is neither `.safetensors` nor `.caffemodel`.
    case unknownExtension(file: String)
    /// A tensor the architecture needs is not in the file.
    case missing(file: String, tensor: String, expected: [Int])
    /// The file has a tensor no layer of the architecture uses.
    case unexpected(file: String, tensor: String, shape: [Int])
    /// A tensor has a shape the architecture cannot use.
    case shapeMismatch(file: String, tensor: String, expected: [Int], found: [Int])
    /// The class count cannot be read from the file (no `score_fr.weight`).
    case noClassCount(file: String)
    /// The file's class count differs from the one requested.
    case classCountMismatch(file: String, inFile: Int, requested: Int)
    /// A Caffe `Scale` layer multiplies by another factor than the architecture's.
    case scaleMismatch(file: String, layer: String, expected: Float, found: Float)
    /// A Caffe layer has more than a weight and a bias.
    case tooManyBlobs(file: String, layer: String, count: Int)
    /// A tensor contains NaN or infinity (`first`: the first such element).
    case nonFinite(file: String, tensor: String, first: NonFiniteValue)
    /// `score_fr.weight` is not a score layer's `[K, C, 1, 1]` with K, C ≥ 1.
    case badScoreLayer(file: String, shape: [Int])
    /// A tensor the architecture needs, but the file does not hold, is too large to build.
    case tooLarge(file: String, tensor: String, shape: [Int], availableBytes: Int)

    /// A sentence naming the file, the tensor and the problem.
    public var description: String {
        switch self {
        case .unknownExtension(let f): "\(f): unknown weights format (expected .safetensors or .caffemodel)"
        case .missing(let f, let t, let e): "\(f): tensor '\(t)' is missing (expected shape \(e))"
        case .unexpected(let f, let t, let s): "\(f): tensor '\(t)' \(s) belongs to no layer of this architecture"
        case .shapeMismatch(let f, let t, let e, let s): "\(f): tensor '\(t)' has shape \(s), expected \(e)"
        case .noClassCount(let f): "\(f): no tensor 'score_fr.weight' (the class scores), so these are not an FCN's weights"
        case .classCountMismatch(let f, let k, let r): "\(f): the weights score \(k) classes, but --classes is \(r)"
        case .scaleMismatch(let f, let l, let e, let s): "\(f): Scale layer '\(l)' multiplies by \(s), this architecture by \(e)"
        case .tooManyBlobs(let f, let l, let n): "\(f): layer '\(l)' has \(n) blobs; a weight and a bias at most are expected"
        case .nonFinite(let f, let t, let first): "\(f): tensor '\(t)' contains NaN or infinity (first: \(first))"
        case .badScoreLayer(let f, let s):
            "\(f): tensor 'score_fr.weight' has shape \(s); a score layer's weight is [K, C, 1, 1] with K classes ≥ 1 and C ≥ 1 channels"
        case .tooLarge(let f, let t, let s, let a):
            "\(f): the architecture needs tensor '\(t)' of shape \(s), which does not fit in the \(a) bytes of memory available"
        }
    }
}

/// Trained weights from `.safetensors` or `.caffemodel` files, checked against an architecture.
///
/// ```swift
/// let url = URL(filePath: "fcn8s-heavy-pascal.caffemodel")
/// let description = try ModelSpec.fcn8s.with(classes: PretrainedWeights.classCount(in: url)).description()
/// let net = try Network(description, parameters: PretrainedWeights.load(url, for: description))
/// ```
/// ``LoadedModel/load(from:overriding:)`` does all of this and also finds the spec.
///
/// ### See Also
/// - ``LoadedModel``, ``SafetensorsFile``, ``CaffeModel``, ``NetSurgery/convolutionalParameters(_:convolutionalized:inputChannels:)``.
public enum PretrainedWeights {
    /// The file formats, by extension.
    public enum Format: Sendable {
        /// `.safetensors` (pytorch-fcn's names) and Caffe `.caffemodel`.
        case safetensors, caffeModel

        /// The format of `url` by its extension (case-insensitive).
        public init(_ url: URL) throws(WeightsError) {
            switch url.pathExtension.lowercased() {
            case "safetensors": self = .safetensors
            case "caffemodel": self = .caffeModel
            default: throw .unknownExtension(file: url.path)
            }
        }
    }

    /// The number of classes the weights score: the first dimension of `score_fr.weight`.
    public static func classCount(in url: URL) throws -> Int {
        let shape: [Int]?
        switch try Format(url) {
        case .safetensors: shape = try SafetensorsFile(contentsOf: url).shape(of: "score_fr.weight")
        case .caffeModel: shape = try CaffeModel(contentsOf: url).blobs(ofLayer: "score_fr")?.first?.shape
        }
        guard let shape else { throw WeightsError.noClassCount(file: url.path) }
        return try classCount(scoreWeightShape: shape, file: url.path)
    }

    /// K of a `score_fr.weight` of shape `[K, C, 1, 1]`, refusing any other shape.
    ///
    /// Why so strict: the class count sizes the rest of the net (the upsampling kernels are
    /// `[K, K, k, k]`), so a file declaring `[100000, 0, 1, 1]` — an empty tensor, zero bytes
    /// of data — would otherwise make us build a 640 GB bilinear kernel. With every dimension
    /// ≥ 1, K is bounded by the bytes the file really holds.
    static func classCount(scoreWeightShape shape: [Int], file: String) throws(WeightsError) -> Int {
        guard shape.count == 4, shape.allSatisfy({ $0 >= 1 }), shape[2] == 1, shape[3] == 1 else {
            throw .badScoreLayer(file: file, shape: shape)
        }
        return shape[0]
    }

    /// The class count to build with: the file's, or `requested` if given and equal to it.
    public static func classCount(in url: URL, requested: Int?) throws -> Int {
        let k = try classCount(in: url)
        if let requested, requested != k { throw WeightsError.classCountMismatch(file: url.path, inFile: k, requested: requested) }
        return k
    }

    /// Every tensor of the file, by "<layer>.weight" / "<layer>.bias", as stored (finite only).
    public static func readTensors(_ url: URL) throws -> [String: Tensor] {
        var tensors: [String: Tensor] = [:]
        switch try Format(url) {
        case .safetensors:
            // One open, one header parse: each tensor is read (pread) straight into its own
            // array, so peak memory is the weights once. (Opening the file once per tensor, as
            // an earlier version did to drop mapped pages, parsed the header n times: minutes
            // for a file with a few thousand extra tensors.)
            let file = try SafetensorsFile(contentsOf: url)
            for name in file.tensorNames {
                tensors[name] = try file.tensor(named: name, expectedShape: file.shape(of: name)!)   // refuses NaN/∞
            }
        case .caffeModel:
            for layer in try CaffeModel(contentsOf: url).layers where !layer.blobs.isEmpty {
                guard layer.blobs.count <= 2 else { throw WeightsError.tooManyBlobs(file: url.path, layer: layer.name, count: layer.blobs.count) }
                for (blob, suffix) in zip(layer.blobs, ["weight", "bias"]) {
                    if let bad = NonFiniteValue.first(in: blob) {
                        throw WeightsError.nonFinite(file: url.path, tensor: "\(layer.name).\(suffix)", first: bad)
                    }
                    tensors["\(layer.name).\(suffix)"] = blob
                }
            }
        }
        return tensors
    }

    /// Reads `url` and returns exactly the parameters `description` needs, in its shapes.
    public static func load(_ url: URL, for description: NetworkDescription, inputChannels: Int = 3) throws -> [String: Tensor] {
        try parameters(readTensors(url), for: description, file: url.path, inputChannels: inputChannels)
    }

    /// Fits `tensors` (read from `file`) to `description`: checks and drops Scale constants,
    /// fills missing fixed bilinear kernels, reshapes fully connected fc6/fc7 to convolutions,
    /// then requires every tensor to be present, of the right shape, and nothing else.
    /// A classifier (fully connected layers) needs its `inputShape`, which sizes fc6.
    public static func parameters(_ tensors: [String: Tensor], for description: NetworkDescription, file: String,
                                  inputChannels: Int = 3, inputShape: [Int]? = nil) throws -> [String: Tensor] {
        var tensors = tensors
        let classifier = description.hasFullyConnectedLayers
        let expected = try classifier
            ? description.parameterShapes(inputShape: inputShape ?? [1, inputChannels, 224, 224])
            : description.parameterShapes(inputChannels: inputChannels)
        // Scale layers of FCN-8s-at-once: a Sum with one coefficient c, stored by Caffe as a [C] blob of c's.
        for layer in description.layers {
            guard case .sum(let coefficients) = layer.kind, coefficients.count == 1,
                  let blob = tensors.removeValue(forKey: "\(layer.name).weight") else { continue }
            let c = coefficients[0]
            if let bad = blob.scalars.first(where: { abs($0 - c) > 1e-6 * abs(c) }) {
                throw WeightsError.scaleMismatch(file: file, layer: layer.name, expected: c, found: bad)
            }
        }
        // Every tensor the file has must fit before anything is built from the description.
        try checkShapes(of: tensors, against: expected, file: file)
        // Fixed bilinear kernels are known without the file — but their size comes from the
        // class count, so it is checked against the memory available before allocating.
        let missing = expected.filter { !$0.learnable && tensors[$0.name] == nil }
        if let available = MemoryLimits.availableBytes() {
            var total = 0
            for p in missing {
                let bytes = byteCount(p.shape)
                total = bytes.map { total.addingReportingOverflow($0) }.flatMap { $0.overflow ? nil : $0.partialValue } ?? Int.max
                if total > available { throw WeightsError.tooLarge(file: file, tensor: p.name, shape: p.shape, availableBytes: available) }
            }
        }
        for p in missing { tensors[p.name] = bilinearWeight(shape: p.shape) }
        do {
            if !classifier { tensors = try NetSurgery.convolutionalParameters(tensors, convolutionalized: description, inputChannels: inputChannels) }
        } catch ParameterError.shapeMismatch(let name, let e, let found) {
            throw WeightsError.shapeMismatch(file: file, tensor: name, expected: e, found: found)
        }
        for p in expected {
            guard let t = tensors[p.name] else { throw WeightsError.missing(file: file, tensor: p.name, expected: p.shape) }
            guard t.shape == p.shape else { throw WeightsError.shapeMismatch(file: file, tensor: p.name, expected: p.shape, found: t.shape) }
        }
        let names = Set(expected.map(\.name))
        if let extra = tensors.keys.sorted().first(where: { !names.contains($0) }) {
            throw WeightsError.unexpected(file: file, tensor: extra, shape: tensors[extra]!.shape)
        }
        return tensors
    }

    /// Throws for the first tensor of `tensors` that the architecture has (`expected`) in
    /// another shape, unless it is the fully connected form of a convolution weight
    /// (`[O, C·KH·KW]` for `[O, C, KH, KW]`, see `NetSurgery`). Element counts are compared
    /// with overflow checks: the expected shapes grow with a class count read from the file.
    static func checkShapes(of tensors: [String: Tensor], against expected: [ParameterShape], file: String) throws(WeightsError) {
        for p in expected {
            guard let t = tensors[p.name], t.shape != p.shape else { continue }
            let fullyConnected = t.rank == 2 && p.shape.count == 4 && t.shape[0] == p.shape[0] && byteCount(p.shape) == byteCount(t.shape)
            guard fullyConnected else { throw .shapeMismatch(file: file, tensor: p.name, expected: p.shape, found: t.shape) }
        }
    }

    /// The bytes of a float tensor of `shape`, or `nil` when that overflows.
    static func byteCount(_ shape: [Int]) -> Int? {
        var bytes = MemoryLayout<Float>.size
        for dimension in shape {
            let (product, overflow) = bytes.multipliedReportingOverflow(by: dimension)
            if overflow { return nil }
            bytes = product
        }
        return bytes
    }

    /// The bilinear upsampling kernel of a transposed convolution weight `[C, C, K, K]`:
    /// ``bilinearFilter(size:)`` on the diagonal, 0 elsewhere (K need not be 2·factor, e.g. 63).
    static func bilinearWeight(shape: [Int]) -> Tensor {
        let filter = bilinearFilter(size: shape[2])
        return Tensor(shape: shape) { i in                                 // [C, C, K, K]
            let (c, o, u, v) = (i[0], i[1], i[2], i[3])
            return c == o ? filter[u][v] : 0
        }
    }
}

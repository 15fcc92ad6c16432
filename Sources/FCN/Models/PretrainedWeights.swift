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
    /// A tensor contains NaN or infinity.
    case nonFinite(file: String, tensor: String)

    /// A sentence naming the file, the tensor and the problem.
    public var description: String {
        switch self {
        case .unknownExtension(let f): "\(f): unknown weights format (expected .safetensors or .caffemodel)"
        case .missing(let f, let t, let e): "\(f): tensor '\(t)' is missing (expected shape \(e))"
        case .unexpected(let f, let t, let s): "\(f): tensor '\(t)' \(s) belongs to no layer of this architecture"
        case .shapeMismatch(let f, let t, let e, let s): "\(f): tensor '\(t)' has shape \(s), expected \(e)"
        case .noClassCount(let f): "\(f): no tensor 'score_fr.weight', so the number of classes is unknown (pass --classes)"
        case .classCountMismatch(let f, let k, let r): "\(f): the weights score \(k) classes, but --classes is \(r)"
        case .scaleMismatch(let f, let l, let e, let s): "\(f): Scale layer '\(l)' multiplies by \(s), this architecture by \(e)"
        case .tooManyBlobs(let f, let l, let n): "\(f): layer '\(l)' has \(n) blobs; a weight and a bias at most are expected"
        case .nonFinite(let f, let t): "\(f): tensor '\(t)' contains NaN or infinity"
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
        guard let k = shape?.first else { throw WeightsError.noClassCount(file: url.path) }
        return k
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
            // One mapping per tensor, dropped once the tensor is copied out: the pages of the
            // file we have read then leave the resident set, so peak memory is the weights plus
            // the largest tensor (VGG16's fc6, 411 MB), not the weights twice.
            for name in try SafetensorsFile(contentsOf: url).tensorNames {
                let file = try SafetensorsFile(contentsOf: url)
                tensors[name] = try file.tensor(named: name, expectedShape: file.shape(of: name)!)   // refuses NaN/∞
            }
        case .caffeModel:
            for layer in try CaffeModel(contentsOf: url).layers where !layer.blobs.isEmpty {
                guard layer.blobs.count <= 2 else { throw WeightsError.tooManyBlobs(file: url.path, layer: layer.name, count: layer.blobs.count) }
                for (blob, suffix) in zip(layer.blobs, ["weight", "bias"]) {
                    guard blob.isFinite else { throw WeightsError.nonFinite(file: url.path, tensor: "\(layer.name).\(suffix)") }
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
        // Fixed bilinear kernels are known without the file.
        for p in expected where !p.learnable && tensors[p.name] == nil {
            tensors[p.name] = bilinearWeight(shape: p.shape)
        }
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

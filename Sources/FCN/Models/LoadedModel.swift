// LoadedModel.swift — the one loader: a weights file (or a shipped model) in, a spec and a
// ready network out. Shipped models, runs of `fcn train`, Berkeley's .caffemodel files and
// pytorch-fcn's safetensors all come through here, so `fcn segment`, `fcn evaluate`,
// `fcn info`, the chapters and the figures agree on what a file holds.
//
// The steps:
//   1. read every tensor (`PretrainedWeights.readTensors`: NaN/∞ refused, F16/BF16 converted);
//   2. the spec: the file's `fcn.model` metadata, else older `fcn train` keys, else recognised
//      from the tensor names and shapes (`ModelSpec+Recognition.swift`);
//   3. the `--arch` / `--backbone` / `--classes` overrides (`ModelSpec+Overrides.swift`);
//   4. the spec's description, and the tensors fitted to it (`PretrainedWeights.parameters`:
//      Scale constants checked, fc6/fc7 reshaped as in net surgery, CVPR §3.1; every
//      missing, extra or mis-shaped tensor an error naming the file).

import FCNCore
import Foundation

/// A network and the spec that says what it is.
///
/// ```swift
/// let model = try LoadedModel.load(from: URL(filePath: "runs/seed1/fcn8s.safetensors"))
/// model.spec.name                                    // "vgg-mini-fcn8s"
/// let scores = try model.network.forward(image.caffeInput())   // [1, K, H, W]
/// let atOnce = try LoadedModel.load(from: URL(filePath: "fcn8s-atonce.safetensors"),
///                                   overriding: .init(head: .fcn8sAtOnce))   // pytorch-fcn's file
/// ```
///
/// ### See Also
/// - ``ModelSpec``, ``EmbeddedModels/model(_:)``, ``PretrainedWeights``.
public struct LoadedModel: Sendable {
    /// How the spec was known.
    public enum Provenance: String, Sendable {
        /// The file's `fcn.model` metadata.
        case metadata
        /// The stage and sizes `fcn train` wrote before specs were recorded.
        case trainingMetadata = "training metadata"
        /// Recognised from the tensor names and shapes.
        case tensorShapes = "tensor shapes"
    }

    /// Which network.
    public var spec: ModelSpec
    /// The network, weights bound.
    public var network: Network
    /// The file the weights came from.
    public var file: URL
    /// How the spec was known (before the overrides).
    public var provenance: Provenance

    /// Loads `url` (`.safetensors` or `.caffemodel`), the spec corrected by `overrides`.
    ///
    /// - Throws: ``WeightsError``, ``SafetensorsError``, ``CaffeModelError`` for the file;
    ///   ``ModelSpecError`` when the network cannot be told or built; each names the file.
    public static func load(from url: URL, overriding overrides: ModelSpec.Overrides = .init()) throws -> LoadedModel {
        let tensors = try PretrainedWeights.readTensors(url)
        let metadata = try PretrainedWeights.Format(url) == .safetensors ? try SafetensorsFile(contentsOf: url).metadata : [:]
        return try load(tensors, metadata: metadata, file: url, overriding: overrides)
    }

    /// ``load(from:overriding:)`` on tensors and metadata already read from `file`.
    public static func load(_ tensors: [String: Tensor], metadata: [String: String], file: URL,
                            overriding overrides: ModelSpec.Overrides = .init()) throws -> LoadedModel {
        let fitted = try fit(tensors, metadata: metadata, file: file, overriding: overrides)
        return LoadedModel(spec: fitted.spec, network: try Network(fitted.description, parameters: fitted.parameters),
                           file: file, provenance: fitted.provenance)
    }

    /// Steps 2–4 without binding a network (`fcn convert` only rewrites the tensors).
    static func fit(_ tensors: [String: Tensor], metadata: [String: String], file: URL, overriding overrides: ModelSpec.Overrides)
        throws -> (spec: ModelSpec, description: NetworkDescription, parameters: [String: Tensor], provenance: Provenance) {
        let (found, provenance) = try identify(tensors, metadata: metadata, file: file.path)
        let spec = try overrides.applied(to: found, file: file.path)
        let description = try build(spec, file: file.path)
        let parameters = try PretrainedWeights.parameters(tensors, for: description, file: file.path, inputShape: spec.classifierInputShape)
        return (spec, description, parameters, provenance)
    }

    /// The spec of `tensors` and how it was known.
    static func identify(_ tensors: [String: Tensor], metadata: [String: String], file: String) throws(ModelSpecError) -> (ModelSpec, Provenance) {
        if let spec = try ModelSpec(metadata: metadata, file: file) { return (spec, .metadata) }
        if let spec = ModelSpec.trainingRunSpec(metadata) { return (spec, .trainingMetadata) }
        return (try ModelSpec.recognize(shapes: tensors.mapValues(\.shape), file: file), .tensorShapes)
    }

    /// `spec`'s description, a build problem named with `file`.
    static func build(_ spec: ModelSpec, file: String?) throws(ModelSpecError) -> NetworkDescription {
        do { return try spec.description() } catch { throw .cannotBuild(file: file, reason: error.description) }
    }
}

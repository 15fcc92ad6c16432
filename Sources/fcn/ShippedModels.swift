// ShippedModels.swift — the trained VGG-mini nets shipped inside the package, for `fcn segment`
// and `fcn evaluate` without `--weights`: `--arch` picks the head, and the shipped stage that
// plays it is found by `EmbeddedModels.stage(for:)`. They know only the synthetic shapes world
// (background, disc, ring, square, triangle, star, cross).
import FCN

/// Why the shipped models cannot serve a request.
enum EmbeddedModelRequestError: Error, CustomStringConvertible {
    case noEmbedded(String)
    case classCount(requested: Int)
    case notSegmentation(String)
    var description: String {
        switch self {
        case .noEmbedded(let name):
            "there is no embedded \(name) (the shipped models are VGG-mini fcn32s, fcn16s, fcn8s and fcn8s-atonce); pass --weights"
        case .classCount(let k):
            "the embedded models have \(VGGMini.segmentationClasses) classes (background and six shapes), not \(k); pass --weights for other class counts"
        case .notSegmentation(let what):
            "\(what) is a classifier, not a segmentation net; choose an FCN head with --arch (fcn32s, fcn16s, fcn8s, fcn8s-atonce)"
        }
    }
}

/// The shipped model `overrides` choose (default: VGG-mini FCN-8s).
func shippedModel(_ overrides: ModelSpec.Overrides) throws -> LoadedModel {
    if let k = overrides.classes, k != VGGMini.segmentationClasses { throw EmbeddedModelRequestError.classCount(requested: k) }
    let spec = overrides.spec(base: .vggMini(.fcn8s))
    guard spec.head.isFullyConvolutional else { throw EmbeddedModelRequestError.notSegmentation("--arch \(spec.head.rawValue)") }
    guard let stage = EmbeddedModels.stage(for: spec) else { throw EmbeddedModelRequestError.noEmbedded(spec.name) }
    return try EmbeddedModels.model(stage)
}

/// Refuses a classifier where a segmentation net is needed, naming where it came from.
func requireSegmentation(_ model: LoadedModel) throws {
    guard model.spec.head.isFullyConvolutional else { throw EmbeddedModelRequestError.notSegmentation(model.file.path) }
}

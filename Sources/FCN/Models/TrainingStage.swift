// TrainingStage.swift — the paper's staged training schedule, one case per stage (paper §4.1,
// §4.2, Table 2).
//
//   classifier     the "ImageNet stage": VGG-mini learns to name the dominant shape of an example.
//   fcn32s-fixed   net surgery, then only the new score layer learns (Table 2, first row).
//   fcn32s         net surgery, then every layer learns ("fine-tuning all layers", §4.1).
//   fcn16s         from FCN-32s; the new score_pool4 starts at zero (§4.2).
//   fcn8s          from FCN-16s; the new score_pool3 starts at zero (§4.2).
//   fcn8s-atonce   from the classifier, all three streams at once, pool4/pool3 scaled by
//                  0.01/0.0001 (Berkeley's `voc-fcn8s-atonce`).
//
// Hyper-parameters follow the paper where it says something: SGD momentum, weight decay 5e-4,
// biases at twice the rate without decay, fixed bilinear upsampling, minibatches of one image
// (the paper pairs them with momentum 0.99, §4.3; we use 0.9, see `defaults`), the per-pixel
// loss summed over the image (`normalize: false`),
// and a lower learning rate for each finer net than for the one it starts from (4× per stage).

/// One stage of the staged training.
public enum TrainingStage: String, CaseIterable, Hashable, Sendable, Codable {
    /// Classification pretraining: VGG-mini learns to name the dominant shape of an example (the
    /// paper starts from VGG16 trained on ImageNet).
    case classifier
    /// Net surgery, then FCN-32s with its trunk frozen: only the new score layer learns (Table 2,
    /// first row).
    case fcn32sFixed = "fcn32s-fixed"
    /// FCN-32s, fine-tuned throughout.
    case fcn32s
    /// FCN-16s, from FCN-32s; score_pool4 starts at zero.
    case fcn16s
    /// FCN-8s, from FCN-16s; score_pool3 starts at zero.
    case fcn8s
    /// FCN-8s trained in one stage from the classifier, with scaled skips.
    case fcn8sAtOnce = "fcn8s-atonce"

    /// The stage whose trained weights this one starts from (`nil`: random initialisation).
    public var parent: TrainingStage? {
        switch self {
        case .classifier: nil
        case .fcn32sFixed, .fcn32s, .fcn8sAtOnce: .classifier
        case .fcn16s: .fcn32s
        case .fcn8s: .fcn16s
        }
    }

    /// The FCN head trained in this stage (`nil` for the classifier).
    public var variant: FCNVariant? {
        switch self {
        case .classifier: nil
        case .fcn32sFixed, .fcn32s: .fcn32s
        case .fcn16s: .fcn16s
        case .fcn8s: .fcn8s
        case .fcn8sAtOnce: .fcn8sAtOnce
        }
    }

    /// The segmentation stages, in training order.
    public static let segmentationStages: [TrainingStage] = [.fcn32sFixed, .fcn32s, .fcn16s, .fcn8s, .fcn8sAtOnce]

    /// The row name of Table 2.
    public var displayName: String {
        switch self {
        case .classifier: "VGG-mini classifier"
        case .fcn32sFixed: "FCN-32s-fixed"
        case .fcn32s: "FCN-32s"
        case .fcn16s: "FCN-16s"
        case .fcn8s: "FCN-8s"
        case .fcn8sAtOnce: "FCN-8s at-once"
        }
    }

    /// The network trained in this stage.
    public func description(_ model: VGGMini) throws -> NetworkDescription {
        guard let variant else { return model.classifier() }
        return try model.fcn(variant)
    }
}

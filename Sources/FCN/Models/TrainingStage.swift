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

/// One stage of the staged training: a parent to start from and a network (``spec(_:)``) to train.
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

    /// The head trained in this stage (FCN-32s-fixed trains the FCN-32s head, its trunk frozen).
    public var head: ModelSpec.Head {
        switch self {
        case .classifier: .classifier
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

    /// The network trained in this stage: ``head`` on VGG-mini `model`, with the synthetic
    /// world's classes (six shapes for the classifier, background + six for the FCNs).
    public func spec(_ model: VGGMini) -> ModelSpec { .vggMini(head, model) }

    /// The network trained in this stage, as a description (``spec(_:)``'s).
    public func description(_ model: VGGMini) throws -> NetworkDescription {
        try spec(model).description()
    }

    /// The shipped stage that plays `head` on VGG-mini: FCN-32s is the fully fine-tuned one,
    /// FCN-32s-fixed is only a row of Table 2.
    public init(playing head: ModelSpec.Head) {
        switch head {
        case .classifier: self = .classifier
        case .fcn32s: self = .fcn32s
        case .fcn16s: self = .fcn16s
        case .fcn8s: self = .fcn8s
        case .fcn8sAtOnce: self = .fcn8sAtOnce
        }
    }
}

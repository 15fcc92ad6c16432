// ModelSpec.swift — "which network": a backbone, a head and a class count, plus what a user of
// the net needs besides its layers (class names, a palette, the input preprocessing).
//
// The paper builds every FCN the same way (CVPR §3.1, §4.1; PAMI §4.1): take a classifier
// (AlexNet, VGG16, GoogLeNet), convolutionalize it, "decapitate" it (drop fc8), and put a
// segmentation head on the trunk — one stride-32 prediction (FCN-32s), or fused with pool4
// (FCN-16s) and pool3 (FCN-8s) predictions (CVPR §4.2, Fig. 3). So a net is named by two
// independent choices, the trunk and the head, and a class count K:
//
//   backbone   vgg16 (configuration D), vgg-mini (the course's narrow VGG, with its widths),
//              alexnet (Berkeley's FCN-AlexNet trunk)
//   head       classifier (the net before surgery), fcn32s, fcn16s, fcn8s, fcn8s-atonce
//   classes    K (21 for PASCAL VOC, 7 for the synthetic world)
//
// This one value is what every command, figure and chapter uses to say which network; it
// builds the `NetworkDescription`, and it is stored as JSON in every weights file the project
// writes (`ModelSpec+Metadata.swift`), so a file says what it is.

import FCNCore

/// Which network: a backbone × a head × a class count, with class names, palette and
/// preprocessing.
///
/// ```swift
/// let berkeley = ModelSpec.fcn8s                                   // VGG16 FCN-8s, 21 VOC classes
/// let course = ModelSpec(backbone: .vggMini(.standard), head: .fcn8s)   // 7 classes
/// let net = try course.description()                                // "VGG-mini-FCN-8s"
/// course.classNames                                                  // ["background", "disc", …]
/// ```
///
/// ### See Also
/// - ``LoadedModel``, which reads a spec and its weights from a file.
/// - ``ModelSpec/Overrides``, the command line's `--arch`, `--backbone`, `--classes`.
public struct ModelSpec: Hashable, Sendable {
    /// The convolutional trunk (CVPR §4.1: "We cast ILSVRC classifiers into FCNs").
    public enum Backbone: Hashable, Sendable {
        /// VGG16 (configuration D), Berkeley's `voc-fcn*` nets.
        case vgg16
        /// The course's narrow VGG, with its widths, depths and classifier input.
        case vggMini(VGGMini)
        /// AlexNet as in Berkeley's `voc-fcn-alexnet`.
        case alexNet

        /// The command-line names, in the order `--help` lists them.
        public static let names = ["vgg16", "vgg-mini", "alexnet"]

        /// The backbone of a command-line name (`vgg-mini` is ``VGGMini/standard``).
        public init?(name: String) {
            switch name.lowercased() {
            case "vgg16": self = .vgg16
            case "vgg-mini": self = .vggMini(.standard)
            case "alexnet": self = .alexNet
            default: return nil
            }
        }

        /// The command-line name: `vgg16`, `vgg-mini` or `alexnet`.
        public var name: String {
            switch self {
            case .vgg16: "vgg16"
            case .vggMini: "vgg-mini"
            case .alexNet: "alexnet"
            }
        }

        /// The fully convolutional trunk an FCN head is put on.
        public var trunk: FCNBackbone {
            switch self {
            case .vgg16: VGG.backbone()
            case .vggMini(let model): model.backbone()
            case .alexNet: AlexNet.backbone()
            }
        }
    }

    /// Where the prediction is taken from and how it is upsampled (CVPR §4.2, Fig. 3).
    public enum Head: String, CaseIterable, Hashable, Sendable, Codable {
        /// The classifier itself (fc8 scores one label per image), before net surgery.
        case classifier
        /// One stride-32 prediction upsampled 32× (CVPR §4.1).
        case fcn32s
        /// FCN-32s plus the pool4 skip (CVPR §4.2).
        case fcn16s
        /// FCN-16s plus the pool3 skip (CVPR §4.2).
        case fcn8s
        /// FCN-8s with all streams trained at once, skips scaled by 0.01 and 0.0001
        /// (PAMI §4.2, Berkeley's `voc-fcn8s-atonce`).
        case fcn8sAtOnce = "fcn8s-atonce"

        /// The four segmentation heads, coarse to fine.
        public static let fcnHeads: [Head] = [.fcn32s, .fcn16s, .fcn8s, .fcn8sAtOnce]

        /// `false` for the classifier.
        public var isFullyConvolutional: Bool { self != .classifier }

        /// The name the paper prints ("FCN-8s"); "classifier" for the classifier.
        public var displayName: String {
            switch self {
            case .classifier: "classifier"
            case .fcn32s: "FCN-32s"
            case .fcn16s: "FCN-16s"
            case .fcn8s: "FCN-8s"
            case .fcn8sAtOnce: "FCN-8s-at-once"
            }
        }
    }

    /// How an image becomes the input tensor (Caffe's convention, see `ImagePreprocessing.swift`).
    public struct Preprocessing: Hashable, Sendable, Codable {
        /// The tensor's channel order: `"BGR"` for Caffe-trained nets.
        public var channelOrder: String
        /// The mean pixel subtracted, per channel in ``channelOrder``.
        public var mean: [Float]
        /// A preprocessing.
        public init(channelOrder: String, mean: [Float]) { self.channelOrder = channelOrder; self.mean = mean }
        /// BGR, ImageNet's mean pixel subtracted, no scaling: what ``RGBImage/caffeInput()`` does.
        public static let caffe = Preprocessing(channelOrder: "BGR",
                                                mean: [RGBImage.caffeMeanBGR.blue, RGBImage.caffeMeanBGR.green, RGBImage.caffeMeanBGR.red])
    }

    /// The trunk.
    public var backbone: Backbone
    /// The head.
    public var head: Head
    /// K, the number of classes scored.
    public var classes: Int
    /// One name per class, label order.
    public var classNames: [String]
    /// One colour per class, label order.
    public var palette: [LabelColor]
    /// How images are turned into inputs.
    public var preprocessing: Preprocessing

    /// A spec; what is not given takes the default of the backbone and head: 21 VOC classes
    /// for VGG16/AlexNet FCNs, 1000 for their classifiers, background + six shapes for VGG-mini
    /// FCNs, six shapes for its classifier; VOC's palette; Caffe's preprocessing.
    public init(backbone: Backbone, head: Head, classes: Int? = nil, classNames: [String]? = nil,
                palette: [LabelColor]? = nil, preprocessing: Preprocessing = .caffe) {
        self.backbone = backbone
        self.head = head
        let k = classes ?? Self.defaultClasses(backbone: backbone, head: head)
        self.classes = k
        self.classNames = classNames ?? Self.defaultClassNames(classes: k, backbone: backbone, head: head)
        self.palette = palette ?? Self.defaultPalette(classes: k)
        self.preprocessing = preprocessing
    }

    /// The network description this spec names.
    ///
    /// - Throws: ``FCNBuildError`` when the class count is not positive or the head needs a
    ///   skip the backbone does not offer (AlexNet has no pool4/pool3 taps).
    public func description() throws(FCNBuildError) -> NetworkDescription {
        guard classes >= 1 else { throw .invalidClassCount(classes) }
        switch (backbone, head) {
        case (.vgg16, .classifier): return VGG.description(classes: classes)
        case (.alexNet, .classifier): return AlexNet.description(classes: classes)
        case (.vggMini(let model), .classifier): return model.classifier(classes: classes)
        default: return try FCN.description(head, backbone: backbone.trunk, classes: classes)
        }
    }

    /// The input a classifier's fully connected layers are sized for (VGG16 224×224, AlexNet
    /// 227×227, VGG-mini its classifier input), `[1, 3, H, W]`; `nil` for an FCN, which takes
    /// any size (CVPR §3.1: that is what convolutionalization buys).
    public var classifierInputShape: [Int]? {
        switch (backbone, head) {
        case (.vgg16, .classifier): [1, 3, 224, 224]
        case (.alexNet, .classifier): [1, 3, 227, 227]
        case (.vggMini(let m), .classifier): [1, 3, m.classifierInputSize, m.classifierInputSize]
        default: nil
        }
    }

    /// This spec with `classes` classes; names and palette return to their defaults when the
    /// count changes.
    public func with(classes k: Int) -> ModelSpec {
        guard k != classes else { return self }
        return ModelSpec(backbone: backbone, head: head, classes: k, preprocessing: preprocessing)
    }

    /// The short name the command line and weights metadata use: `fcn8s` (VGG16 FCN-8s),
    /// `fcn-alexnet`, `vgg16`, `alexnet`, `vgg-mini-fcn8s`, `vgg-mini-classifier`.
    public var name: String {
        switch (backbone, head) {
        case (.vgg16, .classifier): "vgg16"
        case (.vgg16, _): head.rawValue
        case (.alexNet, .classifier): "alexnet"
        case (.alexNet, .fcn32s): "fcn-alexnet"
        default: "\(backbone.name)-\(head.rawValue)"
        }
    }

    // MARK: The published nets

    /// Berkeley's `voc-fcn32s`: VGG16, FCN-32s, 21 classes.
    public static let fcn32s = ModelSpec(backbone: .vgg16, head: .fcn32s)
    /// Berkeley's `voc-fcn16s`.
    public static let fcn16s = ModelSpec(backbone: .vgg16, head: .fcn16s)
    /// Berkeley's `voc-fcn8s`.
    public static let fcn8s = ModelSpec(backbone: .vgg16, head: .fcn8s)
    /// Berkeley's `voc-fcn8s-atonce`.
    public static let fcn8sAtOnce = ModelSpec(backbone: .vgg16, head: .fcn8sAtOnce)
    /// Berkeley's `voc-fcn-alexnet`: FCN-32s on AlexNet.
    public static let fcnAlexNet = ModelSpec(backbone: .alexNet, head: .fcn32s)
    /// The VGG16 ImageNet classifier (1000 classes).
    public static let vgg16 = ModelSpec(backbone: .vgg16, head: .classifier)
    /// The AlexNet ImageNet classifier (1000 classes).
    public static let alexNet = ModelSpec(backbone: .alexNet, head: .classifier)

    /// `head` on the course's VGG-mini `model` (default: the shipped sizes).
    public static func vggMini(_ head: Head, _ model: VGGMini = .standard) -> ModelSpec {
        ModelSpec(backbone: .vggMini(model), head: head)
    }

    // MARK: Defaults

    static func defaultClasses(backbone: Backbone, head: Head) -> Int {
        switch (backbone, head) {
        case (.vggMini, .classifier): VGGMini.classifierClasses
        case (.vggMini, _): VGGMini.segmentationClasses
        case (_, .classifier): 1000
        default: LabelPalette.pascalVOCClassNames.count
        }
    }

    static func defaultClassNames(classes: Int, backbone: Backbone, head: Head) -> [String] {
        let shapes = ShapeClass.allCases.map(\.name)
        switch (backbone, head, classes) {
        case (.vggMini, .classifier, shapes.count - 1): return Array(shapes.dropFirst())
        case (.vggMini, _, shapes.count) where head.isFullyConvolutional: return shapes
        case (_, _, LabelPalette.pascalVOCClassNames.count) where head.isFullyConvolutional: return LabelPalette.pascalVOCClassNames
        default: return (0..<max(classes, 0)).map { "class \($0)" }
        }
    }

    static func defaultPalette(classes: Int) -> [LabelColor] {
        (0..<max(classes, 0)).map { LabelPalette.pascalVOCColors[$0 % LabelPalette.pascalVOCColors.count] }
    }
}

// FCN.swift — the segmentation nets of the paper: FCN-32s, FCN-16s, FCN-8s (paper §4.1–4.2,
// Fig. 3), FCN-8s "at once" and FCN-AlexNet, as in Berkeley's `voc-fcn*/net.py`.
//
// A backbone (the convolutionalised classifier up to fc7) is followed by a head:
//   score_fr   1×1 convolution to K class scores at stride 32.
//   32s:  upscore (k 64, s 32) → score = crop(upscore, data).
//   16s:  upscore2 (k 4, s 2); score_pool4 = 1×1 conv on pool4, cropped to upscore2
//         (score_pool4c); fuse_pool4 = upscore2 + score_pool4c; upscore16 (k 32, s 16) → crop.
//   8s:   as 16s to fuse_pool4; upscore_pool4 (k 4, s 2); score_pool3 on pool3, cropped
//         (score_pool3c); fuse_pool3 = sum; upscore8 (k 16, s 8) → crop to the input.
//   8s at once: pool4 and pool3 are scaled by 0.01 and 0.0001 before scoring (scale_pool4,
//         scale_pool3), so that the skips start small when all streams are trained together.
// Upsampling kernels are fixed bilinear (`lr_mult: 0` in Berkeley's nets); all crop offsets are
// left to be derived from the coordinate maps, as `coord_map.crop` does.
//
// Dimension letters: K classes.

import FCNCore

/// The convolutional trunk an FCN head is put on.
///
/// ```swift
/// let backbone = VGG.backbone()                                         // conv1_1 … fc7, taps pool4 and pool3
/// let net = try FCN.description(.fcn8s, backbone: backbone, classes: 7)   // or ModelSpec(…).description()
/// ```
public struct FCNBackbone: Hashable, Sendable {
    /// The backbone's name, used in the network's name ("VGG16", "AlexNet", "VGG-mini").
    public var name: String
    /// Layers reading the input blob `"data"`, ending with the features at stride 32.
    public var layers: [LayerDescription]
    /// The blob the score layer reads (fc7 after ReLU and dropout).
    public var features: String
    /// Skip taps: blobs at stride 16 and 8, or `nil` if the backbone offers none.
    public var pool4: String?
    /// The stride-8 skip tap (FCN-8s), or `nil`.
    public var pool3: String?
    /// The kernel of FCN-32s's single upsampling (64 for VGG16, 63 for AlexNet in Berkeley's nets).
    public var upscoreKernel32: Int

    /// Creates a backbone from its layers and the names of the blobs an FCN head reads.
    public init(name: String, layers: [LayerDescription], features: String, pool4: String?, pool3: String?, upscoreKernel32: Int) {
        self.name = name; self.layers = layers; self.features = features
        self.pool4 = pool4; self.pool3 = pool3; self.upscoreKernel32 = upscoreKernel32
    }
}

/// A problem building an FCN.
public enum FCNBuildError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The head needs a skip tap the backbone does not offer.
    case missingSkip(backbone: String, head: ModelSpec.Head, tap: String)
    /// The classifier head is not an FCN head: it has fc layers, not a score layer on a trunk.
    case notFullyConvolutional(backbone: String)
    /// The class count is not positive.
    case invalidClassCount(Int)
    /// A sentence naming the backbone or the class count and the problem.
    public var description: String {
        switch self {
        case .missingSkip(let b, let h, let t): "backbone \(b) has no \(t) tap, which \(h.rawValue) needs"
        case .notFullyConvolutional(let b): "the classifier head of \(b) is built by ModelSpec(backbone:head: .classifier), not on an FCN trunk"
        case .invalidClassCount(let k): "class count \(k) must be ≥ 1"
        }
    }
}

/// Builders for fully convolutional networks.
///
/// ```swift
/// let fcn8s = try FCN.description(.fcn8s)                            // VGG16, 21 classes
/// let shapes = try fcn8s.inferShapes(input: [1, 3, 500, 500])        // score: [1, 21, 500, 500]
/// let alex = try FCN.description(.fcn32s, backbone: AlexNet.backbone())
/// ```
///
/// ### See Also
/// - ``ModelSpec``, which names a backbone × head × classes and builds through this.
/// - ``VGG/backbone(widths:convolutionsPerBlock:fullyConnected:firstPadding:fc6Kernel:dropout:)``, ``AlexNet/backbone(firstPadding:)``.
public enum FCN {
    /// The FCN `head` on `backbone` for `classes` classes (21 = PASCAL VOC background + 20).
    ///
    /// ``ModelSpec/description()`` calls this for every FCN head; call it directly for a trunk
    /// of your own (a VGG without conv1_1's padding, say).
    public static func description(_ head: ModelSpec.Head, backbone: FCNBackbone = VGG.backbone(), classes: Int = 21) throws(FCNBuildError) -> NetworkDescription {
        guard classes >= 1 else { throw .invalidClassCount(classes) }
        guard head.isFullyConvolutional else { throw .notFullyConvolutional(backbone: backbone.name) }
        var layers = backbone.layers
        func score(_ name: String, _ bottom: String) {
            layers.append(LayerDescription(name, .convolution(.init(outputs: classes, kernel: 1)), bottom: bottom))
        }
        func upsample(_ name: String, _ bottom: String, kernel: Int, stride: Int) {
            layers.append(LayerDescription(name, .transposedConvolution(.init(outputs: classes, kernel: Size2(kernel), stride: Size2(stride))), bottom: bottom))
        }
        func crop(_ name: String, _ from: String, to: String) {
            layers.append(LayerDescription(name, .crop(CropParameters()), bottoms: [from, to]))
        }
        func fuse(_ name: String, _ a: String, _ b: String) {
            layers.append(LayerDescription(name, .sum(coefficients: [1, 1]), bottoms: [a, b]))
        }
        /// score_<tap>, optionally on a scaled copy (at-once), cropped to `reference`, fused with it.
        func skip(_ tap: String?, tapName: String, scale: Float?, reference: String) throws(FCNBuildError) -> String {
            guard let tap else { throw .missingSkip(backbone: backbone.name, head: head, tap: tapName) }
            var input = tap
            if let scale {
                layers.append(LayerDescription("scale_\(tapName)", .sum(coefficients: [scale]), bottoms: [tap]))
                input = "scale_\(tapName)"
            }
            score("score_\(tapName)", input)
            crop("score_\(tapName)c", "score_\(tapName)", to: reference)
            fuse("fuse_\(tapName)", reference, "score_\(tapName)c")
            return "fuse_\(tapName)"
        }

        score("score_fr", backbone.features)
        let atOnce = head == .fcn8sAtOnce
        let last: String
        switch head {
        case .classifier: throw .notFullyConvolutional(backbone: backbone.name)   // checked above
        case .fcn32s:
            upsample("upscore", "score_fr", kernel: backbone.upscoreKernel32, stride: 32)
            last = "upscore"
        case .fcn16s:
            upsample("upscore2", "score_fr", kernel: 4, stride: 2)
            let fused = try skip(backbone.pool4, tapName: "pool4", scale: nil, reference: "upscore2")
            upsample("upscore16", fused, kernel: 32, stride: 16)
            last = "upscore16"
        case .fcn8s, .fcn8sAtOnce:
            upsample("upscore2", "score_fr", kernel: 4, stride: 2)
            let fused4 = try skip(backbone.pool4, tapName: "pool4", scale: atOnce ? 0.01 : nil, reference: "upscore2")
            upsample("upscore_pool4", fused4, kernel: 4, stride: 2)
            let fused3 = try skip(backbone.pool3, tapName: "pool3", scale: atOnce ? 0.0001 : nil, reference: "upscore_pool4")
            upsample("upscore8", fused3, kernel: 16, stride: 8)
            last = "upscore8"
        }
        crop("score", last, to: "data")
        let prefix = backbone.name == "VGG16" ? "" : "\(backbone.name)-"
        return NetworkDescription(name: prefix + head.displayName, inputs: ["data"], layers: layers)
    }

    /// Berkeley's `voc-fcn-alexnet`: FCN-32s on AlexNet.
    public static func alexNet(classes: Int = 21) throws(FCNBuildError) -> NetworkDescription {
        try description(.fcn32s, backbone: AlexNet.backbone(), classes: classes)
    }
}

// VGGMini.swift — "VGG-mini": a narrow VGG16 for the course's synthetic world, built with the
// same `VGG` builders so that analysis, net surgery and the FCN heads apply unchanged (paper
// §4.1: FCNs are made from a classifier by convolutionalization and a new head).
//
// Same architecture as VGG16, narrower and shallower so that the whole staged training of the
// paper (classifier → FCN-32s → 16s → 8s) runs on two CPU cores in minutes:
//   - five blocks of 3×3 convolutions, ReLU, 2×2 ceil max pools (strides 2 … 32), with
//     VGG's configuration A depths (1, 1, 2, 2, 2: the net VGG's authors trained from scratch
//     first, and used to initialise the deeper ones; half the work of VGG16's 2, 2, 3, 3, 3);
//   - fc6 (a convolution over the whole pool5 of the classifier input), fc7 1×1, as in VGG16;
//   - conv1_1 of the FCN padded by 100 (§4.1 footnote), ceil pools, fixed bilinear upsampling.
//
// The classifier's input. VGG16's 224×224 input gives a 7×7 pool5, and fc6 is 7×7 because of
// it: "fully connected layers … are convolutions with kernels that cover their entire input
// regions" (§3.1). VGG-mini's "ImageNet stage" examples are 112×112
// (`SceneGenerator.classificationExample`; objects somewhat larger than in the 128×128 scenes,
// as ImageNet's are larger than VOC's): pool5 is 4×4 and fc6 a 4×4 kernel, at a quarter of
// the cost of 224×224. fc6 cannot be much smaller: the valid fc6 convolution is what makes the
// stride-32 score map smaller than pool4 and pool3 after upsampling, so that the skip crops of
// FCN-16s/8s fit (with pad 100 they need a kernel ≥ 4; with 2×2 the 16s crop fails).

/// The sizes of a VGG-mini, its classifier and its fully convolutional nets.
///
/// ```swift
/// let mini = VGGMini.standard
/// let classifier = mini.classifier()                  // [N, 3, 112, 112] → [N, 6]
/// let fcn8s = try mini.fcn(.fcn8s)                    // [1, 3, H, W] → [1, 7, H, W]
/// let shapes = try fcn8s.inferShapes(input: [1, 3, 64, 64])
/// ```
///
/// ### See Also
/// - ``VGG``, ``FCN``, ``NetSurgery``; ``TrainingStage`` for the staged schedule.
public struct VGGMini: Hashable, Sendable {
    /// Channel widths per block (VGG16: 64, 128, 256, 512, 512).
    public var widths: [Int]
    /// 3×3 convolutions per block (VGG16: 2, 2, 3, 3, 3).
    public var convolutionsPerBlock: [Int]
    /// fc6 and fc7 width (VGG16: 4096).
    public var fullyConnected: Int
    /// The classifier's input side (VGG16: 224, pool5 7×7, so fc6 is 7×7; VGG-mini: 112, 4×4).
    public var classifierInputSize: Int
    /// The side of the classification examples pasted in the middle of the classifier input.
    public var exampleSize: Int
    /// The dropout ratio after fc6 and fc7 (VGG16: 0.5; VGG-mini: none, see below).
    ///
    /// Dropout regularises VGG16's 4096-wide fully connected layers; on VGG-mini's 128 units it
    /// mostly removes signal. With 0.5, every stage of the first training runs of this course
    /// collapsed to "background everywhere" (mean IU 12.4 for two seeds, the frequency of the
    /// background class); with no dropout and momentum 0.9 the same FCN-32s reached 19 mean IU
    /// after 1000 steps and kept improving. Our synthetic world is unlimited, so overfitting —
    /// what dropout is for — is not the problem a small net has here.
    public var dropout: Float

    /// The classifier's classes: the six shapes (``ShapeClass`` without background), label = raw value − 1.
    public static let classifierClasses = ShapeClass.count - 1
    /// The segmentation classes: background and the six shapes.
    public static let segmentationClasses = ShapeClass.count
    /// Name of the backbone (and prefix of the FCN names).
    public static let name = "VGG-mini"

    /// Creates a VGG-shaped model family.
    /// - Parameters:
    ///   - widths: Channels of the five convolution blocks.
    ///   - convolutionsPerBlock: 3×3 convolutions in each block.
    ///   - fullyConnected: Outputs of fc6 and fc7.
    ///   - classifierInputSize: The square input the classifier is trained on.
    ///   - exampleSize: The square crop a classification example is cut to.
    ///   - dropout: The dropout ratio after fc6 and fc7 (0: no dropout layers).
    public init(widths: [Int], convolutionsPerBlock: [Int], fullyConnected: Int, classifierInputSize: Int, exampleSize: Int,
                dropout: Float = 0) {
        precondition(widths.count == 5 && convolutionsPerBlock.count == 5, "VGGMini: five blocks, as VGG16")
        precondition(exampleSize <= classifierInputSize, "VGGMini: the example must fit in the classifier input")
        self.widths = widths; self.convolutionsPerBlock = convolutionsPerBlock; self.fullyConnected = fullyConnected
        self.classifierInputSize = classifierInputSize; self.exampleSize = exampleSize; self.dropout = dropout
    }

    /// The model the course trains and ships (`Resources/Models`): about 0.24 M parameters.
    public static let standard = VGGMini(widths: [8, 16, 32, 64, 64], convolutionsPerBlock: [1, 1, 2, 2, 2],
                                         fullyConnected: 128, classifierInputSize: 112, exampleSize: 112)

    /// A very small model for tests and `fcn train --tiny`: one 2-wide convolution per block,
    /// 4-wide fc layers — same code paths, milliseconds per step. Its classifier input is
    /// 112×112 like the standard model's, so fc6 is 4×4 and the FCN heads have the standard
    /// geometry. (It was 32×32 once, pool5 1×1 and fc6 1×1: the stride-32 stream then starts
    /// 3·16 px earlier than with a 4×4 fc6, and score_pool4c's derived crop offset is 2 − 3 = −1
    /// — FCN-16s could not be built at any scene size; see `tinyHeadsFitEverySize`.)
    public static let tiny = VGGMini(widths: [2, 2, 2, 2, 2], convolutionsPerBlock: [1, 1, 1, 1, 1],
                                     fullyConnected: 4, classifierInputSize: 112, exampleSize: 16)

    /// pool5's side at the classifier input: fc6's kernel (7 for VGG16's 224, 4 for VGG-mini's 112).
    public var fc6Kernel: Int {
        var side = classifierInputSize
        for _ in 0..<5 { side = MaxPooling.outputLength(input: side, kernel: 2, stride: 2, padBefore: 0, padAfter: 0, rounding: .ceil) }
        return side
    }

    /// The classifier: VGG's description with VGG-mini's sizes.
    public func classifier(classes: Int = classifierClasses) -> NetworkDescription {
        var d = VGG.description(widths: widths, convolutionsPerBlock: convolutionsPerBlock,
                                fullyConnected: fullyConnected, classes: classes, dropout: dropout)
        d.name = Self.name
        return d
    }

    /// The fully convolutional trunk: conv1_1 padded by 100, fc6 a `fc6Kernel`² convolution, fc7 1×1.
    public func backbone() -> FCNBackbone {
        var b = VGG.backbone(widths: widths, convolutionsPerBlock: convolutionsPerBlock,
                             fullyConnected: fullyConnected, firstPadding: 100, fc6Kernel: fc6Kernel, dropout: dropout)
        b.name = Self.name
        return b
    }

    /// An FCN head on VGG-mini for `classes` classes (default: background + six shapes); the
    /// same net as `ModelSpec.vggMini(head, self).description()`.
    public func fcn(_ head: ModelSpec.Head, classes: Int = segmentationClasses) throws(FCNBuildError) -> NetworkDescription {
        try FCN.description(head, backbone: backbone(), classes: classes)
    }
}

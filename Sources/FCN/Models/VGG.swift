// VGG.swift — the VGG classifier family as network descriptions (paper §4.1; Simonyan &
// Zisserman 2015, configuration D = "VGG16").
//
// Five blocks of 3×3 convolutions (padding 1, each followed by ReLU) separated by 2×2 stride-2
// max pools, then three fully connected layers. The widths and the fully connected size are
// parameters so that a narrow "VGG-mini" for the course is built by the same code; the layer
// names (`conv1_1` … `conv5_3`, `fc6`, `fc7`, `fc8`) are the ones Caffe and pytorch-fcn use, so
// weight files map onto them unchanged.

import FCNCore

/// Builders for VGG-style networks.
///
/// ```swift
/// let vgg16 = VGG.description()                       // 224×224 classifier, 1000 classes
/// let mini = VGG.description(widths: [8, 16, 32, 64, 64], fullyConnected: 128, classes: 10)
/// ```
///
/// ### See Also
/// - ``FCN``, which puts segmentation heads on ``VGG/backbone(widths:convolutionsPerBlock:fullyConnected:firstPadding:fc6Kernel:dropout:)``.
/// - ``NetSurgery``, which turns `fc6`–`fc8` into convolutions (paper §3.1).
public enum VGG {
    /// VGG16's channel widths per block.
    public static let vgg16Widths = [64, 128, 256, 512, 512]
    /// VGG16's number of 3×3 convolutions per block.
    public static let vgg16Depths = [2, 2, 3, 3, 3]

    /// The convolutional blocks: `conv<b>_<i>` + `relu<b>_<i>` (in place) and `pool<b>` after each
    /// block. `firstPadding` is conv1_1's padding (1 in VGG, 100 in FCN, §4.1 footnote).
    static func convolutionBlocks(widths: [Int], depths: [Int], firstPadding: Int) -> (layers: [LayerDescription], top: String) {
        precondition(widths.count == depths.count, "VGG: one width per block")
        var layers: [LayerDescription] = []
        var top = "data"
        for (b, (width, depth)) in zip(widths, depths).enumerated() {
            for i in 1...depth {
                let name = "conv\(b + 1)_\(i)"
                let pad = (b == 0 && i == 1) ? firstPadding : 1
                layers.append(LayerDescription(name, .convolution(.init(outputs: width, kernel: 3, padding: Padding(pad))), bottom: top))
                layers.append(LayerDescription("relu\(b + 1)_\(i)", .relu, bottom: name, top: name))
                top = name
            }
            layers.append(LayerDescription("pool\(b + 1)", .maxPooling(.init(kernel: 2, stride: 2)), bottom: top))
            top = "pool\(b + 1)"
        }
        return (layers, top)
    }

    /// The VGG classifier: convolution blocks, then fc6 and fc7 (`fullyConnected` wide, ReLU,
    /// dropout `dropout`) and fc8 (`classes` wide). Input `[N, 3, 224, 224]`; output `[N, classes]`.
    ///
    /// - Parameters:
    ///   - widths: channels of the five convolution blocks.
    ///   - convolutionsPerBlock: 3×3 convolutions in each block.
    ///   - fullyConnected: outputs of fc6 and fc7.
    ///   - classes: outputs of fc8.
    ///   - dropout: the ratio of fc6's and fc7's dropout layers (VGG16: 0.5); 0 leaves them out
    ///     (VGG-mini's 128-wide fc layers train badly with dropout, see `VGGMini.dropout`).
    public static func description(widths: [Int] = vgg16Widths, convolutionsPerBlock: [Int] = vgg16Depths,
                                   fullyConnected: Int = 4096, classes: Int = 1000, dropout: Float = 0.5) -> NetworkDescription {
        var (layers, top) = convolutionBlocks(widths: widths, depths: convolutionsPerBlock, firstPadding: 1)
        for i in [6, 7] {
            layers.append(LayerDescription("fc\(i)", .linear(.init(outputs: fullyConnected)), bottom: top))
            layers.append(LayerDescription("relu\(i)", .relu, bottom: "fc\(i)", top: "fc\(i)"))
            if dropout > 0 { layers.append(LayerDescription("drop\(i)", .dropout(ratio: dropout), bottom: "fc\(i)", top: "fc\(i)")) }
            top = "fc\(i)"
        }
        layers.append(LayerDescription("fc8", .linear(.init(outputs: classes)), bottom: top))
        let isVGG16 = widths == vgg16Widths && convolutionsPerBlock == vgg16Depths && fullyConnected == 4096
        return NetworkDescription(name: isVGG16 ? "VGG16" : "VGG", layers: layers)
    }

    /// The fully convolutional VGG trunk of Berkeley's FCNs: conv1_1 padded by `firstPadding`
    /// (100), ceil pools, fc6 as a `fc6Kernel`×`fc6Kernel` convolution (7 = 224/32) and fc7 as a
    /// 1×1 convolution, each with ReLU and dropout (ratio `dropout`, none if 0) in place. Skip
    /// taps at pool3 and pool4.
    public static func backbone(widths: [Int] = vgg16Widths, convolutionsPerBlock: [Int] = vgg16Depths,
                                fullyConnected: Int = 4096, firstPadding: Int = 100, fc6Kernel: Int = 7,
                                dropout: Float = 0.5) -> FCNBackbone {
        var (layers, top) = convolutionBlocks(widths: widths, depths: convolutionsPerBlock, firstPadding: firstPadding)
        for (i, k) in [(6, fc6Kernel), (7, 1)] {
            layers.append(LayerDescription("fc\(i)", .convolution(.init(outputs: fullyConnected, kernel: Size2(k))), bottom: top))
            layers.append(LayerDescription("relu\(i)", .relu, bottom: "fc\(i)", top: "fc\(i)"))
            if dropout > 0 { layers.append(LayerDescription("drop\(i)", .dropout(ratio: dropout), bottom: "fc\(i)", top: "fc\(i)")) }
            top = "fc\(i)"
        }
        let isVGG16 = widths == vgg16Widths && convolutionsPerBlock == vgg16Depths && fullyConnected == 4096
        return FCNBackbone(name: isVGG16 ? "VGG16" : "VGG", layers: layers, features: top,
                           pool4: widths.count >= 4 ? "pool4" : nil, pool3: widths.count >= 3 ? "pool3" : nil,
                           upscoreKernel32: 64)
    }
}

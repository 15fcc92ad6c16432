// AlexNet.swift — AlexNet as network descriptions (paper §4.1, Table 1; Krizhevsky et al. 2012,
// as released in Caffe: `bvlc_alexnet`).
//
// Five convolutions (conv2, conv4, conv5 split in two groups, a relic of training on two GPUs),
// local response normalisation, 3×3 stride-2 max pools and three fully connected layers.
// Two orders exist: `bvlc_alexnet` normalises *before* pooling (conv, relu, norm, pool), while
// CaffeNet — and Berkeley's `voc-fcn-alexnet/net.py` — pools first (conv, relu, pool, norm).
// Each builder below follows its source.

import FCNCore

/// Builders for AlexNet.
///
/// ```swift
/// let alexnet = AlexNet.description()          // input [N, 3, 227, 227], output [N, 1000]
/// ```
///
/// ### See Also
/// - ``FCN/description(_:backbone:classes:)`` with ``AlexNet/backbone(firstPadding:)`` for FCN-AlexNet.
public enum AlexNet {
    /// The convolutional part. `normalizeBeforePooling`: bvlc_alexnet order (true) or CaffeNet's (false).
    static func features(firstPadding: Int, normalizeBeforePooling: Bool) -> [LayerDescription] {
        var layers: [LayerDescription] = []
        func block(_ i: Int, conv: ConvolutionParameters, bottom: String, norm: Bool, pool: Bool) -> String {
            let c = "conv\(i)"
            layers.append(LayerDescription(c, .convolution(conv), bottom: bottom))
            layers.append(LayerDescription("relu\(i)", .relu, bottom: c, top: c))
            var top = c
            let lrn = { layers.append(LayerDescription("norm\(i)", .localResponseNormalization(LRNParameters()), bottom: top)); top = "norm\(i)" }
            let pooling = { layers.append(LayerDescription("pool\(i)", .maxPooling(.init(kernel: 3, stride: 2)), bottom: top)); top = "pool\(i)" }
            if norm && normalizeBeforePooling { lrn() }
            if pool { pooling() }
            if norm && !normalizeBeforePooling { lrn() }
            return top
        }
        var top = block(1, conv: .init(outputs: 96, kernel: 11, stride: 4, padding: Padding(firstPadding)), bottom: "data", norm: true, pool: true)
        top = block(2, conv: .init(outputs: 256, kernel: 5, padding: 2, groups: 2), bottom: top, norm: true, pool: true)
        top = block(3, conv: .init(outputs: 384, kernel: 3, padding: 1), bottom: top, norm: false, pool: false)
        top = block(4, conv: .init(outputs: 384, kernel: 3, padding: 1, groups: 2), bottom: top, norm: false, pool: false)
        _ = block(5, conv: .init(outputs: 256, kernel: 3, padding: 1, groups: 2), bottom: top, norm: false, pool: true)
        return layers
    }

    /// The `bvlc_alexnet` classifier: fc6, fc7 4096 wide (ReLU, dropout 0.5), fc8 `classes` wide.
    /// Input `[N, 3, 227, 227]` (pool5 is then 6×6×256 = 9216 features).
    public static func description(classes: Int = 1000) -> NetworkDescription {
        var layers = features(firstPadding: 0, normalizeBeforePooling: true)
        var top = "pool5"
        for i in [6, 7] {
            layers.append(LayerDescription("fc\(i)", .linear(.init(outputs: 4096)), bottom: top))
            layers.append(LayerDescription("relu\(i)", .relu, bottom: "fc\(i)", top: "fc\(i)"))
            layers.append(LayerDescription("drop\(i)", .dropout(ratio: 0.5), bottom: "fc\(i)", top: "fc\(i)"))
            top = "fc\(i)"
        }
        layers.append(LayerDescription("fc8", .linear(.init(outputs: classes)), bottom: top))
        return NetworkDescription(name: "AlexNet", layers: layers)
    }

    /// The trunk of Berkeley's FCN-AlexNet: conv1 padded by `firstPadding` (100), CaffeNet's
    /// pool-then-norm order, fc6 as a 6×6 convolution, fc7 as 1×1. No skip taps (the paper's
    /// skips are for VGG16); upsampled by a 63×63 stride-32 kernel.
    public static func backbone(firstPadding: Int = 100) -> FCNBackbone {
        var layers = features(firstPadding: firstPadding, normalizeBeforePooling: false)
        var top = "pool5"
        for (i, k) in [(6, 6), (7, 1)] {
            layers.append(LayerDescription("fc\(i)", .convolution(.init(outputs: 4096, kernel: Size2(k))), bottom: top))
            layers.append(LayerDescription("relu\(i)", .relu, bottom: "fc\(i)", top: "fc\(i)"))
            layers.append(LayerDescription("drop\(i)", .dropout(ratio: 0.5), bottom: "fc\(i)", top: "fc\(i)"))
            top = "fc\(i)"
        }
        return FCNBackbone(name: "AlexNet", layers: layers, features: top, pool4: nil, pool3: nil, upscoreKernel32: 63)
    }
}

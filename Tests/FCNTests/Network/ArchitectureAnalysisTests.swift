// ArchitectureAnalysisTests.swift — the paper's Table 1 (receptive field, stride, parameters,
// conv. layers) derived from the descriptions, checked against hand computations.
import Testing
@testable import FCN

/// Learnable parameters of a layer list, by the textbook formula: a convolution (or fully
/// connected layer) with `inputs` channels per group, `outputs` filters of k×k and a bias has
/// outputs·inputs·k² + outputs.
private func count(_ layers: [(inputs: Int, outputs: Int, kernel: Int)]) -> Int {
    layers.map { $0.outputs * $0.inputs * $0.kernel * $0.kernel + $0.outputs }.reduce(0, +)
}

/// VGG16's 13 convolutions, fc6 as a 7×7 convolution, fc7 as 1×1.
private let vgg16Trunk: [(inputs: Int, outputs: Int, kernel: Int)] = [
    (3, 64, 3), (64, 64, 3), (64, 128, 3), (128, 128, 3), (128, 256, 3), (256, 256, 3), (256, 256, 3),
    (256, 512, 3), (512, 512, 3), (512, 512, 3), (512, 512, 3), (512, 512, 3), (512, 512, 3),
    (512, 4096, 7), (4096, 4096, 1),
]
/// AlexNet: conv2, conv4, conv5 in two groups (each filter sees half the channels); fc6 6×6.
private let alexNetTrunk: [(inputs: Int, outputs: Int, kernel: Int)] = [
    (3, 96, 11), (48, 256, 5), (256, 384, 3), (192, 384, 3), (192, 256, 3), (256, 4096, 6), (4096, 4096, 1),
]

@Suite struct ArchitectureAnalysisTests {
    @Test func table1FCNVGG16() throws {
        let a = try ArchitectureAnalysis(FCN.description(.fcn32s), inputShape: [1, 3, 500, 500])
        #expect(a.receptiveField == 404)
        #expect(a.outputStride == 32)
        #expect(a.convolutionLayers == 16)
        let expected = count(vgg16Trunk + [(4096, 21, 1)])
        #expect(a.learnableParameters == expected)
        #expect(expected == 134_346_581)                            // ≈ 134M, Table 1
        #expect(a.fixedParameters == 21 * 21 * 64 * 64)             // the bilinear upscore, excluded
        #expect(a.cropOffsets == ["score": 19])
    }

    @Test func table1FCNAlexNet() throws {
        let a = try ArchitectureAnalysis(FCN.alexNet(), inputShape: [1, 3, 500, 500])
        #expect(a.receptiveField == 355)
        #expect(a.outputStride == 32)
        #expect(a.convolutionLayers == 8)
        let expected = count(alexNetTrunk + [(4096, 21, 1)])
        #expect(a.learnableParameters == expected)
        #expect(expected == 56_954_261)                             // ≈ 57M, Table 1
        #expect(a.cropOffsets == ["score": 18])
    }

    /// Skips add parameters (score_pool4, score_pool3) but neither depth nor receptive field.
    @Test func skipsDoNotChangeDepth() throws {
        for variant in ModelSpec.Head.fcnHeads {
            let a = try ArchitectureAnalysis(FCN.description(variant), inputShape: [1, 3, 64, 64])
            #expect(a.convolutionLayers == 16, "\(variant)")
            #expect(a.receptiveField == 404, "\(variant)")
        }
        let a8 = try ArchitectureAnalysis(FCN.description(.fcn8s), inputShape: [1, 3, 64, 64])
        #expect(a8.learnableParameters == count(vgg16Trunk + [(4096, 21, 1), (512, 21, 1), (256, 21, 1)]))
        #expect(a8.fixedParameters == 21 * 21 * (4 * 4 + 4 * 4 + 16 * 16))
    }

    /// The classifiers: Table 1's receptive field and depth come out of the convolutionalised net.
    @Test func classifiers() throws {
        let v = try ArchitectureAnalysis(VGG.description(), inputShape: [1, 3, 224, 224])
        #expect(v.convolutionalized)
        #expect(v.receptiveField == 404)
        #expect(v.outputStride == 32)
        #expect(v.convolutionLayers == 16)
        #expect(v.learnableParameters == count(vgg16Trunk + [(4096, 1000, 1)]))   // 138,357,544
        let a = try ArchitectureAnalysis(AlexNet.description(), inputShape: [1, 3, 227, 227])
        #expect(a.receptiveField == 355)
        #expect(a.convolutionLayers == 8)
        #expect(a.learnableParameters == count(alexNetTrunk + [(4096, 1000, 1)]))  // 60,965,224
    }
}

@Suite struct ReceptiveFieldTests {
    /// VGG16 by hand: each 3×3 conv adds 2 pixels times the stride so far, each pool 1 times it:
    /// 5, 6 | 10, 14, 16 | 24, 32, 40, 44 | 60, 76, 92, 100 | 132, 164, 196, 212 | fc6 212 + 6·32 = 404.
    @Test func vgg16ByHand() throws {
        let f = try FCN.description(.fcn8s).receptiveFields()
        let expected: [String: (size: Int, jump: Int)] = [
            "conv1_2": (5, 1), "pool1": (6, 2), "pool2": (16, 4), "pool3": (44, 8), "pool4": (100, 16),
            "pool5": (212, 32), "fc6": (404, 32), "score_fr": (404, 32), "score_pool4": (100, 16),
        ]
        for (layer, e) in expected {
            let rf = try #require(f[layer] ?? nil)
            #expect(rf.vertical.size == Rational(e.size) && rf.vertical.jump == Rational(e.jump), "\(layer): \(rf)")
        }
        // upscore2 (k 4, s 2): an output sees ⌊3/2⌋ + 1 = 2 inputs 32 apart → 436, stride 16.
        #expect((f["upscore2"] ?? nil)?.vertical.size == 436)
        #expect((f["upscore2"] ?? nil)?.vertical.jump == 16)
        // The fused map has the larger of the two fields.
        #expect((f["fuse_pool4"] ?? nil)?.vertical.size == 436)
        // The field's start is the coordinate map's shift: pool5 pixel 0 is centred at −83.5.
        #expect((f["pool5"] ?? nil)?.vertical.start == Rational(-167, 2))
    }

    /// Padding moves fields but never changes their size.
    @Test func paddingDoesNotChangeSize() throws {
        let padded = try NetworkDescription(name: "a", layers: VGG.backbone(firstPadding: 100).layers).receptiveFields()
        let plain = try NetworkDescription(name: "b", layers: VGG.backbone(firstPadding: 1).layers).receptiveFields()
        #expect((padded["fc7"] ?? nil)?.vertical.size == (plain["fc7"] ?? nil)?.vertical.size)
        #expect((padded["fc7"] ?? nil)?.vertical.start != (plain["fc7"] ?? nil)?.vertical.start)
    }

    /// A fully connected layer has no receptive field in this sense.
    @Test func linearHasNone() throws {
        let f = try VGG.description().receptiveFields()
        #expect((f["pool5"] ?? nil) != nil)
        #expect((f["fc6"] ?? nil) == nil)
        #expect((f["fc8"] ?? nil) == nil)
    }
}

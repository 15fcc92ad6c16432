// ModelTests.swift — the builders reproduce Berkeley's net.py layouts.
import Testing
@testable import FCN

@Suite struct ModelTests {
    /// FCN-8s's head, layer by layer, as voc-fcn8s/net.py writes it.
    @Test func fcn8sHead() throws {
        let net = try FCN.description(.fcn8s)
        let head = net.layers.drop { $0.name != "score_fr" }.map { "\($0.name):\($0.kind.caffeType):\($0.bottoms.joined(separator: ","))" }
        #expect(head == [
            "score_fr:Convolution:fc7", "upscore2:Deconvolution:score_fr",
            "score_pool4:Convolution:pool4", "score_pool4c:Crop:score_pool4,upscore2", "fuse_pool4:Eltwise:upscore2,score_pool4c",
            "upscore_pool4:Deconvolution:fuse_pool4",
            "score_pool3:Convolution:pool3", "score_pool3c:Crop:score_pool3,upscore_pool4", "fuse_pool3:Eltwise:upscore_pool4,score_pool3c",
            "upscore8:Deconvolution:fuse_pool3", "score:Crop:upscore8,data",
        ])
        let conv1 = try net.layer(named: "conv1_1")
        #expect(conv1.kind == .convolution(.init(outputs: 64, kernel: 3, padding: 100)))
        #expect(try net.layer(named: "upscore8").kind == .transposedConvolution(.init(outputs: 21, kernel: 16, stride: 8)))
        #expect(try net.layer(named: "relu1_1").tops == ["conv1_1"])          // in place, as in Caffe
        #expect(net.layers.count { $0.kind.caffeType == "Pooling" } == 5)
    }

    @Test func atOnceScalesTheSkips() throws {
        let net = try FCN.description(.fcn8sAtOnce)
        #expect(try net.layer(named: "scale_pool4").kind == .sum(coefficients: [0.01]))
        #expect(try net.layer(named: "scale_pool3").kind == .sum(coefficients: [0.0001]))
        #expect(try net.layer(named: "score_pool4").bottoms == ["scale_pool4"])
    }

    @Test func upsamplingKernels() throws {
        #expect(try FCN.description(.fcn32s).layer(named: "upscore").kind == .transposedConvolution(.init(outputs: 21, kernel: 64, stride: 32)))
        #expect(try FCN.description(.fcn16s).layer(named: "upscore16").kind == .transposedConvolution(.init(outputs: 21, kernel: 32, stride: 16)))
        #expect(try FCN.alexNet().layer(named: "upscore").kind == .transposedConvolution(.init(outputs: 21, kernel: 63, stride: 32)))
    }

    @Test func classCountAndErrors() throws {
        let s = try FCN.description(.fcn16s, classes: 60).inferShapes(input: [1, 3, 100, 120])
        #expect(s["score"] == [1, 60, 100, 120])
        #expect(throws: FCNBuildError.missingSkip(backbone: "AlexNet", head: .fcn8s, tap: "pool4")) {
            try FCN.description(.fcn8s, backbone: AlexNet.backbone())
        }
        #expect(throws: FCNBuildError.invalidClassCount(0)) { try FCN.description(.fcn32s, classes: 0) }
    }

    /// A narrow VGG-mini uses the same code and heads.
    @Test func vggMini() throws {
        let mini = try FCN.description(.fcn8s, backbone: VGG.backbone(widths: [8, 16, 32, 64, 64], fullyConnected: 128, fc6Kernel: 3), classes: 4)
        let s = try mini.inferShapes(input: [1, 3, 75, 90])
        #expect(s["score"] == [1, 4, 75, 90])
        #expect(s["fc7"]?[1] == 128)
        let a = try ArchitectureAnalysis(mini, inputShape: [1, 3, 75, 90])
        #expect(a.receptiveField == Rational(212 + 2 * 32))              // pool5's 212 plus a 3×3 fc6
        #expect(a.convolutionLayers == 16)
    }

    /// bvlc_alexnet normalises before pooling; Berkeley's FCN-AlexNet (CaffeNet order) after.
    @Test func alexNetOrders() throws {
        let classifier = AlexNet.description().layers.map(\.name)
        #expect(Array(classifier.prefix(4)) == ["conv1", "relu1", "norm1", "pool1"])
        let fcn = try FCN.alexNet().layers.map(\.name)
        #expect(Array(fcn.prefix(4)) == ["conv1", "relu1", "pool1", "norm1"])
    }
}

@Suite struct NetSurgeryTests {
    /// fc6 becomes a 7×7 convolution (VGG16) or 6×6 (AlexNet), fc7 and fc8 1×1; output [N, K, 1, 1].
    @Test func convolutionalizedShapes() throws {
        let vgg = try NetSurgery.convolutionalized(VGG.description(), inputShape: [1, 3, 224, 224])
        #expect(try vgg.layer(named: "fc6").kind == .convolution(.init(outputs: 4096, kernel: 7)))
        #expect(try vgg.layer(named: "fc7").kind == .convolution(.init(outputs: 4096, kernel: 1)))
        #expect(try vgg.inferShapes(input: [1, 3, 224, 224])["fc8"] == [1, 1000, 1, 1])
        // Fig. 2: on a larger image the same weights give a heatmap: pool5 is 16×12, so a 7×7 fc6 fits 10×6 times.
        #expect(try vgg.inferShapes(input: [1, 3, 512, 384])["fc8"] == [1, 1000, 10, 6])
        let alex = try NetSurgery.convolutionalized(AlexNet.description(), inputShape: [1, 3, 227, 227])
        #expect(try alex.layer(named: "fc6").kind == .convolution(.init(outputs: 4096, kernel: 6)))
    }

    /// The parameter list keeps its names and sizes; only the shapes gain the kernel axes.
    @Test func parametersAreReshapedOnly() throws {
        let before = try VGG.description().parameterShapes(inputShape: [1, 3, 224, 224])
        let after = try NetSurgery.convolutionalized(VGG.description(), inputShape: [1, 3, 224, 224]).parameterShapes(inputChannels: 3)
        #expect(before.map(\.name) == after.map(\.name))
        #expect(before.map(\.count) == after.map(\.count))
        #expect(after.first { $0.name == "fc6.weight" }?.shape == [4096, 512, 7, 7])
        // The same trunk Berkeley writes directly.
        let fcn = try FCN.description(.fcn32s).parameterShapes(inputChannels: 3)
        #expect(Array(after.prefix(30)) == Array(fcn.prefix(30)))       // conv1_1 … fc7
    }

    /// The weight reshape moves no number: w[o, f] with f = (c·H + h)·W + w lands at [o, c, h, w].
    @Test func weightReshape() {
        let fc = Tensor(shape: [2, 3 * 2 * 2]) { i in Float(i[0] * 100 + i[1]) }   // [O, C·H·W]
        let conv = NetSurgery.convolutionalWeight(fc, channels: 3, kernel: 2)
        #expect(conv.shape == [2, 3, 2, 2])
        #expect(conv[1, 2, 1, 0] == Float(100 + (2 * 2 + 1) * 2 + 0))
        #expect(conv.scalars == fc.scalars)
    }
}

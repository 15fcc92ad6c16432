// ShapeInferenceTests.swift — blob shapes of the Berkeley nets, Caffe's ceil pooling, and the
// errors for inputs that do not fit.
import Testing
@testable import FCN

@Suite struct ShapeInferenceTests {
    /// FCN-8s on 500×500, sizes worked by hand: conv1_1 500 + 200 − 2 = 698, pools (ceil)
    /// 349, 175, 88, 44, 22; fc6 22 − 6 = 16; upscore2 2·15 + 4 = 34; upscore_pool4 2·33 + 4 = 70;
    /// upscore8 8·69 + 16 = 568; score cropped to 500.
    @Test func fcn8sOn500() throws {
        let s = try FCN.description(.fcn8s).inferShapes(input: [1, 3, 500, 500])
        let expected: [String: [Int]] = [
            "conv1_1": [1, 64, 698, 698], "pool1": [1, 64, 349, 349], "pool2": [1, 128, 175, 175],
            "pool3": [1, 256, 88, 88], "pool4": [1, 512, 44, 44], "pool5": [1, 512, 22, 22],
            "fc6": [1, 4096, 16, 16], "fc7": [1, 4096, 16, 16], "score_fr": [1, 21, 16, 16],
            "upscore2": [1, 21, 34, 34], "score_pool4": [1, 21, 44, 44], "score_pool4c": [1, 21, 34, 34],
            "fuse_pool4": [1, 21, 34, 34], "upscore_pool4": [1, 21, 70, 70], "score_pool3c": [1, 21, 70, 70],
            "upscore8": [1, 21, 568, 568], "score": [1, 21, 500, 500],
        ]
        for (blob, shape) in expected { #expect(s[blob] == shape, "\(blob)") }
    }

    /// Every FCN returns a score map exactly the size of its input, for odd and tiny sizes too.
    @Test(arguments: [(333, 517), (1, 1), (500, 375), (17, 64)])
    func scoreMatchesInput(height: Int, width: Int) throws {
        var nets = try ModelSpec.Head.fcnHeads.map { v throws(FCNBuildError) in try FCN.description(v, classes: 5) }
        nets.append(try FCN.alexNet(classes: 5))
        for net in nets {
            let s = try net.inferShapes(input: [2, 3, height, width])
            #expect(s["score"] == [2, 5, height, width], "\(net.name) on \(height)×\(width)")
        }
    }

    /// Without conv1_1's padding of 100 a small image runs out of pixels, with a clear message.
    @Test func windowDoesNotFit() throws {
        let trunk = NetworkDescription(name: "VGG16 trunk, pad 1", layers: VGG.backbone(firstPadding: 1).layers)
        #expect(throws: NetworkError.windowDoesNotFit(layer: "fc6", window: 7, input: 1)) {
            try trunk.inferShapes(input: [1, 3, 32, 32])   // pool5 is 1×1, fc6 needs 7×7
        }
        let error = NetworkError.windowDoesNotFit(layer: "pool5", window: 2, input: 0)
        #expect(error.description == "layer pool5: a 2×2 window does not fit a 0×0 input")
    }

    /// Why pad 100 (paper §4.1): with VGG's own padding of 1 the upsampled score starts 80
    /// pixels *inside* the image, so no crop can align it — the offset would be −80.
    @Test func padHundredMakesTheFinalCropPossible() throws {
        let net = try FCN.description(.fcn32s, backbone: VGG.backbone(firstPadding: 1))
        #expect(throws: NetworkError.cropOffsetNegative(layer: "score", offset: "-80")) { try net.coordinateMaps() }
    }

    @Test func sumAndCropErrors() throws {
        let mismatched = NetworkDescription(name: "t", layers: [
            LayerDescription("p", .maxPooling(.init(kernel: 2, stride: 2)), bottom: "data"),
            LayerDescription("s", .sum(coefficients: [1, 1]), bottoms: ["data", "p"]),
        ])
        #expect(throws: NetworkError.sumShapeMismatch(layer: "s", shapes: [[1, 1, 4, 4], [1, 1, 2, 2]])) {
            try mismatched.inferShapes(input: [1, 1, 4, 4])
        }
        let tooBig = NetworkDescription(name: "t", layers: [
            LayerDescription("p", .maxPooling(.init(kernel: 2, stride: 2)), bottom: "data"),
            LayerDescription("c", .crop(CropParameters(offset: 0)), bottoms: ["p", "data"]),
        ])
        #expect(throws: NetworkError.cropTooLarge(layer: "c", offset: 0, size: 4, input: 2)) { try tooBig.inferShapes(input: [1, 1, 4, 4]) }
        let groups = NetworkDescription(name: "t", layers: [
            LayerDescription("g", .convolution(.init(outputs: 4, kernel: 1, groups: 2)), bottom: "data"),
        ])
        #expect(throws: NetworkError.self) { try groups.inferShapes(input: [1, 3, 4, 4]) }   // 3 channels, 2 groups
    }

    /// With Berkeley's loss layer, labels are a second input of one channel.
    @Test func lossLayer() throws {
        var net = try FCN.description(.fcn32s)
        net.inputs.append("label")
        net.layers.append(LayerDescription("loss", .softmaxCrossEntropy(SoftmaxLossParameters()), bottoms: ["score", "label"]))
        let s = try net.inferShapes(inputs: ["data": [1, 3, 40, 50], "label": [1, 1, 40, 50]])
        #expect(s["loss"] == [])
        #expect(throws: NetworkError.labelShapeMismatch(layer: "loss", scores: [1, 21, 40, 50], labels: [1, 1, 40, 49])) {
            try net.inferShapes(inputs: ["data": [1, 3, 40, 50], "label": [1, 1, 40, 49]])
        }
        #expect(throws: NetworkError.missingInputShape("label")) { try net.inferShapes(input: [1, 3, 40, 50]) }
    }

    /// The classifiers at their training sizes: VGG16 pool5 7×7 (25088 features), AlexNet 6×6 (9216).
    @Test func classifiers() throws {
        let v = try VGG.description().inferShapes(input: [1, 3, 224, 224])
        #expect(v["pool5"] == [1, 512, 7, 7])
        #expect(v["fc8"] == [1, 1000])
        let a = try AlexNet.description().inferShapes(input: [1, 3, 227, 227])
        #expect(a["conv1"] == [1, 96, 55, 55])
        #expect(a["pool1"] == [1, 96, 27, 27])
        #expect(a["pool2"] == [1, 256, 13, 13])
        #expect(a["pool5"] == [1, 256, 6, 6])
        #expect(a["fc8"] == [1, 1000])
    }
}

@Suite struct PoolingArithmeticTests {
    /// Caffe's ceil mode keeps a last, partial window; floor mode drops it.
    @Test(arguments: [(7, 2, 2, 0, 4, 3), (6, 2, 2, 0, 3, 3), (55, 3, 2, 0, 27, 27), (13, 3, 2, 0, 6, 6), (1, 2, 2, 0, 1, 0)])
    func lengths(input: Int, kernel: Int, stride: Int, pad: Int, ceil: Int, floor: Int) {
        #expect(MaxPooling.outputLength(input: input, kernel: kernel, stride: stride, padBefore: pad, padAfter: pad, rounding: .ceil) == ceil)
        #expect(MaxPooling.outputLength(input: input, kernel: kernel, stride: stride, padBefore: pad, padAfter: pad, rounding: .floor) == floor)
    }

    /// With padding, a last window starting inside the padding is removed:
    /// in 4, k 2, s 2, p 1 → ⌈4/2⌉ + 1 = 3, and (3 − 1)·2 = 4 < 4 + 1 keeps 3;
    /// in 3, k 3, s 2, p 1 → ⌈2/2⌉ + 1 = 2, kept; in 5, k 2, s 3, p 1 → ⌈5/3⌉ + 1 = 3, (3−1)·3 = 6 ≥ 6 → 2.
    @Test func paddedCeilCorrection() {
        #expect(MaxPooling.outputLength(input: 4, kernel: 2, stride: 2, padBefore: 1, padAfter: 1, rounding: .ceil) == 3)
        #expect(MaxPooling.outputLength(input: 3, kernel: 3, stride: 2, padBefore: 1, padAfter: 1, rounding: .ceil) == 2)
        #expect(MaxPooling.outputLength(input: 5, kernel: 2, stride: 3, padBefore: 1, padAfter: 1, rounding: .ceil) == 2)
    }
}

// CoordinateMapTests.swift — crop offsets derived from coordinate maps match Berkeley's nets.
import Testing
@testable import FCN

@Suite struct CoordinateMapTests {
    /// The published offsets (Berkeley's generated prototxts): derived here, never typed into the nets.
    @Test func fcnCropOffsets() throws {
        let cases: [(NetworkDescription, [String: Int])] = [
            (try FCN.description(.fcn32s), ["score": 19]),
            (try FCN.description(.fcn16s), ["score_pool4c": 5, "score": 27]),
            (try FCN.description(.fcn8s), ["score_pool4c": 5, "score_pool3c": 9, "score": 31]),
            (try FCN.description(.fcn8sAtOnce), ["score_pool4c": 5, "score_pool3c": 9, "score": 31]),
            (try FCN.alexNet(), ["score": 18]),
        ]
        for (net, expected) in cases {
            let offsets = try net.coordinateMaps().cropOffsets
            #expect(offsets.count == expected.count, "\(net.name)")
            for (layer, value) in expected {
                #expect(offsets[layer] == Size2(value), "\(net.name) \(layer): \(String(describing: offsets[layer]))")
            }
        }
    }

    /// The maps by hand for FCN-32s: pool5 has stride 32 and pixel 0 centred at −83.5
    /// (= −100 + ½ + 1 + 2 + 4 + 8, each pool adding half its window in the finer grid).
    @Test func fcn32sMapsByHand() throws {
        let maps = try FCN.description(.fcn32s).coordinateMaps().layerMaps
        let pool5 = try #require(maps["pool5"] ?? nil)
        #expect(pool5.vertical == AxisMap(scale: 32, shift: Rational(-167, 2)))
        // fc6 (7×7, no pad) moves the centre by 3 pixels of stride 32: −83.5 + 96 = 12.5.
        #expect((maps["fc6"] ?? nil)?.horizontal == AxisMap(scale: 32, shift: Rational(25, 2)))
        // upscore (k 64, s 32): stride 1, shift 12.5 − 31.5 = −19, hence the crop by 19.
        #expect((maps["upscore"] ?? nil)?.vertical == AxisMap(scale: 1, shift: -19))
        // After the crop the score sits exactly on the image.
        #expect((maps["score"] ?? nil) == CoordinateMap.identity)
    }

    /// A crop whose offset would be fractional or negative, or between different strides, is refused.
    @Test func impossibleCrops() throws {
        func net(_ extra: LayerDescription, reference: LayerDescription) -> NetworkDescription {
            NetworkDescription(name: "t", layers: [reference, extra,
                LayerDescription("c", .crop(CropParameters()), bottoms: [extra.top, reference.top])])
        }
        // Stride 2 against stride 1.
        let pool = LayerDescription("p", .maxPooling(.init(kernel: 2, stride: 2)), bottom: "data")
        let same = LayerDescription("r", .relu, bottom: "data")
        #expect(throws: NetworkError.cropScaleMismatch(layer: "c", from: "p", to: "r")) { try net(pool, reference: same).coordinateMaps() }
        // A 2×2 stride-1 window centres its output between pixels: offset −½.
        let even = LayerDescription("e", .convolution(.init(outputs: 1, kernel: 2, padding: 0)), bottom: "data")
        #expect(throws: NetworkError.cropOffsetNotAnInteger(layer: "c", offset: "-0.5")) { try net(even, reference: same).coordinateMaps() }
        // A 3×3 valid convolution shrinks the image: its pixel 0 is at image 1, so the offset is −1.
        let valid = LayerDescription("v", .convolution(.init(outputs: 1, kernel: 3)), bottom: "data")
        #expect(throws: NetworkError.cropOffsetNegative(layer: "c", offset: "-1")) { try net(valid, reference: same).coordinateMaps() }
    }

    @Test func explicitOffsetIsKept() throws {
        var net = try FCN.description(.fcn32s)
        let i = net.layers.firstIndex { $0.name == "score" }!
        net.layers[i].kind = .crop(CropParameters(offset: Size2(height: 3, width: 4)))
        #expect(try net.coordinateMaps().cropOffsets["score"] == Size2(height: 3, width: 4))
    }
}

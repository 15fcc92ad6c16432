// Chapter09Tests.swift — boundary distances, output strides, and the exact dilated (OS 16) head.
import FCNTraining
import Testing
import FCN
import FCNCourse
@testable import Chapter09

@Suite struct Chapter09Tests {
    @Test(.enabled(if: Set(EmbeddedModels.available).isSuperset(of: [.fcn32s, .fcn16s, .fcn8s]), "needs the shipped models"))
    func limits() throws {
        var lesson = Lesson(chapter: 9, title: "test", outputFolder: nil, echo: false)
        let setup = Chapter09Setup.quick
        let r = try chapter09(&lesson, setup: setup)
        #expect(r.outputStrides == [32, 16, 8, 16, 8])
        // Rarefaction: the OS 16 net's even cells are FCN-32s's cells, with the same receptive field.
        #expect(r.dilatedExactDifference < 1e-4)
        #expect(r.receptiveFields["dilated, OS 16"] == r.receptiveFields["FCN-32s"])
        let scene = SyntheticData.validationWorld(sceneSize: setup.sceneSize).scene(0)
        #expect(r.countedPixels == scene.labels.filter { Int($0) < ShapeClass.count }.count)
        #expect(r.bandAccuracy.count == 5 && r.bandAccuracy.allSatisfy { $0.count == setup.bands.count + 1 })
    }

    /// The chapter's claim: a finer output stride is more accurate near object boundaries —
    /// FCN-8s beats FCN-32s in the nearest band (≤ 2 px from the void band) by at least 5 points,
    /// and FCN-32s itself is less accurate near boundaries than far from them.
    @Test(.enabled(if: Set(EmbeddedModels.available).isSuperset(of: [.fcn32s, .fcn16s, .fcn8s]), "needs the shipped models"))
    func finerStrideIsBetterNearEdges() throws {
        var lesson = Lesson(chapter: 9, title: "test", outputFolder: nil, echo: false)
        let r = try chapter09(&lesson, setup: Chapter09Setup(validationScenes: 3, sceneSize: 128, decoderSteps: 2))
        print("Chapter09 bands: \(zip(r.names, r.bandAccuracy).map { "\($0) \($1)" })")
        let fcn32 = r.bandAccuracy[r.names.firstIndex(of: "FCN-32s")!], fcn8 = r.bandAccuracy[r.names.firstIndex(of: "FCN-8s")!]
        #expect(fcn8[0] > fcn32[0] + 0.05, "near-edge accuracy FCN-8s \(fcn8[0]) vs FCN-32s \(fcn32[0])")
        #expect(fcn32[0] < fcn32.last!, "FCN-32s near \(fcn32[0]) vs far \(fcn32.last!)")
        // §4.3's fine-tuning claim on the shipped models: score_fr alone reaches less than every layer.
        #expect(r.fineTuning.last < r.fineTuning.all, "FCN-32s-fixed \(r.fineTuning.last) vs FCN-32s \(r.fineTuning.all)")
    }

    /// The identity the decoder is built on: a 3×3 convolution of a channel concatenation equals
    /// the sum of two convolutions with the weight split along its input channels (float32
    /// rounding only: 1e-5 relative to the outputs' size).
    @Test func concatenationThenConvolutionIsASumOfConvolutions() {
        for (channels, seed) in [((5, 3), UInt64(9)), ((1, 7), 2), ((4, 4), 3)] {
            let r = concatenationIdentity(channels: channels, seed: seed)
            print("concat identity \(channels): max diff \(r.difference), scale \(r.scale)")
            #expect(r.scale > 1 && r.difference <= 1e-5 * r.scale, "channels \(channels): \(r.difference) of \(r.scale)")
        }
    }

    /// The decoder is built from the engine's layers with FCN-8s's geometry: strides 32, 16, 8,
    /// and a score the size of the input for any input FCN-8s accepts.
    @Test func decoderHasFCN8sGeometry() throws {
        let d = tinyDecoder(width: 4)
        #expect(try outputStride(d) == 8)
        let maps = try d.coordinateMaps()
        #expect(["dec5", "dec4", "dec3"].map { maps.layerMaps[$0]!!.vertical.scale.integerValue! } == [32, 16, 8])
        for (h, w) in [(64, 64), (70, 90), (128, 96)] {
            #expect(try d.inferShapes(input: [1, 3, h, w]).layerOutputs["score"] == [1, 7, h, w])
        }
        #expect(!d.layers.contains { if case .linear = $0.kind { true } else { false } })
    }

    /// A short run of both heads on the frozen trunk lowers each one's loss, and the chapter's
    /// decoder rows come from those trained nets (the quick setup; claims by direction).
    @Test(.enabled(if: Set(EmbeddedModels.available).isSuperset(of: [.fcn32s, .fcn16s, .fcn8s]), "needs the shipped models"))
    func decoderTrainingLowersTheLoss() throws {
        var lesson = Lesson(chapter: 9, title: "test", outputFolder: nil, echo: false)
        let r = try chapter09(&lesson, setup: .quick)
        #expect(r.decoder.names.count == 2 && r.decoderBandAccuracy.count == 4)
        for k in 0..<2 {
            #expect(r.decoder.lastLoss[k] < r.decoder.firstLoss[k], "\(r.decoder.names[k]): \(r.decoder.firstLoss[k]) → \(r.decoder.lastLoss[k])")
        }
        // The decoder learns more than FCN-8s's three 1×1 score layers: 3×3 filters on D channels.
        #expect(r.decoder.learnedParameters[1] > r.decoder.learnedParameters[0])
        #expect(r.concatenationDifference <= 1e-4)
        // The chapter's conclusion follows the sign it measured.
        let near = r.decoderBandAccuracy[3][0] - r.decoderBandAccuracy[2][0]
        // …unless a head has not learned the shapes yet, which it then says instead of comparing.
        let compared = lesson.transcript.contains { $0.contains(near > 0 ? "the decoder is more accurate near" : "the decoder is NOT more accurate near") }
        let declined = lesson.transcript.contains { $0.contains("still calls fewer than 5 % of the shape pixels a shape") }
        #expect(compared != declined, "the chapter must either compare the heads by the sign it measured or say why not")
    }

    @Test func boundaryDistanceCountsSteps() {
        // One row: two regions split by a void pixel, and a second row below.
        let labels: [UInt8] = [0, 0, 255, 1, 1,
                               0, 0, 0, 1, 1]
        #expect(boundaryDistance(labels, width: 5, height: 2) == [2, 1, 0, 1, 2,
                                            3, 2, 1, 2, 3])
    }

    @Test func dilatedHeadsKeepTheCropsIntegral() throws {
        let fcn32 = try VGGMini.standard.fcn(.fcn32s)
        for stride in [16, 8] {
            let d = try dilated(fcn32, outputStride: stride)
            #expect(try outputStride(d) == stride)
            #expect(try d.inferShapes(input: [1, 3, 70, 90]).layerOutputs["score"] == [1, 7, 70, 90])
        }
    }
}

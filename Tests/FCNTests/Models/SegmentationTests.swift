// SegmentationTests.swift — what `fcn segment` does, through the library functions it calls:
// odd-sized images give scores of exactly their size for every architecture, outputs decode,
// `.npy` inputs, fail-fast output checks (nothing written), the memory limit, argmax ties.
import FCNKernels
import Foundation
import Testing
@testable import FCN

@Suite struct SegmentationTests {
    /// A 47×33 RGB picture with some structure, written as PNG.
    func writeImage(to url: URL) throws -> RGBImage {
        let (w, h) = (47, 33)
        var pixels = [UInt8](repeating: 0, count: w * h * 3)
        for y in 0..<h {
            for x in 0..<w {
                pixels[(y * w + x) * 3 + 0] = UInt8((x * 5) % 256)
                pixels[(y * w + x) * 3 + 1] = UInt8((y * 7) % 256)
                pixels[(y * w + x) * 3 + 2] = (x - 20) * (x - 20) + (y - 15) * (y - 15) < 100 ? 240 : 30
            }
        }
        let image = RGBImage(width: w, height: h, pixels: pixels)
        try image.write(to: url)
        return image
    }

    @Test(arguments: FCNArchitecture.allCases)
    func oddSizedImageGivesScoresOfItsSize(_ arch: FCNArchitecture) throws {
        let scratch = ScratchFolder(); defer { scratch.cleanUp() }
        let image = try writeImage(to: scratch.file("in.png"))
        let description = try tinyDescription(arch, classes: 3)
        let net = try Network(description, parameters: randomParameters(description, seed: 7))
        let outputs = SegmentationOutputs(logits: scratch.file("scores.npy"), labels: scratch.file("labels.png"),
                                          overlay: scratch.file("overlay.png"))
        let result = try Segmentation.run(net, input: scratch.file("in.png"), outputs: outputs, repeats: 2)
        #expect(result.scores.shape == [1, 3, 33, 47])
        #expect(result.forwardSeconds.count == 2)                       // the warm-up is not timed
        #expect(try NPY.read(contentsOf: outputs.logits!) == result.scores.tensor)
        let labels = try IndexedImage.decode(contentsOf: outputs.labels!)
        #expect(labels.width == 47 && labels.height == 33)
        #expect(labels.indices.allSatisfy { $0 < 3 })
        #expect(labels.palette[1] == (128, 0, 0))                       // VOC's aeroplane red
        // The labels are the argmax of the written scores.
        #expect(labels.indices == result.labels?.labels)
        #expect(labels.indices == (try result.scores.labels()).labels)
        let overlay = try RGBImage.decode(contentsOf: outputs.overlay!)
        #expect(overlay == image.overlaid(with: LabelMap(labels), alpha: 0.5))
        #expect(overlay != image)
    }

    @Test func npyInputIsTakenAsPreprocessed() throws {
        let scratch = ScratchFolder(); defer { scratch.cleanUp() }
        let image = try writeImage(to: scratch.file("in.png"))
        let x = image.caffeInput()                                       // [1, 3, 33, 47]
        try NPY.write(x.reshaped([3, 33, 47]), to: scratch.file("in.npy"))
        let fromNPY = try Segmentation.readInput(scratch.file("in.npy"))
        #expect(fromNPY.tensor == x)
        #expect(fromNPY.image == image)                                  // preprocessing undone for display
        try NPY.write(Tensor(zeros: [2, 3, 4, 5]), to: scratch.file("batch.npy"))
        #expect(errorMessage { _ = try Segmentation.readInput(scratch.file("batch.npy")) }?.contains("[2, 3, 4, 5]") == true)
        let bmp = scratch.write([1, 2, 3], to: "in.bmp")
        #expect(errorMessage { _ = try Segmentation.readInput(bmp) }?.contains("in.bmp: unknown input format") == true)
    }

    @Test func missingOutputFolderFailsBeforeAnythingIsWritten() throws {
        let scratch = ScratchFolder(); defer { scratch.cleanUp() }
        _ = try writeImage(to: scratch.file("in.png"))
        let description = try tinyDescription(.fcn32s, classes: 3)
        let net = try Network(description, parameters: randomParameters(description, seed: 1))
        let outputs = SegmentationOutputs(logits: scratch.file("scores.npy"), labels: scratch.file("missing/labels.png"))
        let message = errorMessage { _ = try Segmentation.run(net, input: scratch.file("in.png"), outputs: outputs) }
        #expect(message?.contains("missing/labels.png") == true && message?.contains("does not exist") == true)
        #expect(scratch.contents == ["in.png"])
    }

    @Test func refusesAnInputThatDoesNotFitInMemory() throws {
        let vgg = try FCNArchitecture.fcn8s.description()
        let huge = try MemoryEstimate(vgg, inputShape: [1, 3, 30000, 30000])
        #expect(huge.peakBytes > 200 << 30)                              // conv1_1 alone: 64 × 30198² floats ≈ 217 GiB
        let message = errorMessage { try huge.check(available: 64 << 30) }
        #expect(message?.contains("needs ~") == true && message?.contains("64.0 GiB available") == true)
        // FCN-8s at 500×500: VGG16's 134 M weights plus a few hundred MB of activations.
        let usual = try MemoryEstimate(vgg, inputShape: [1, 3, 500, 500])
        #expect(usual.parameterBytes > 500_000_000 && usual.parameterBytes < 600_000_000)
        #expect(usual.activationBytes > 64 * 698 * 698 * 4 && usual.activationBytes < 1 << 30)
        #expect(throws: Never.self) { try usual.check(available: 8 << 30) }
        // Through the command's path: refused before any output exists.
        let scratch = ScratchFolder(); defer { scratch.cleanUp() }
        _ = try writeImage(to: scratch.file("in.png"))
        let description = try tinyDescription(.fcn32s, classes: 3)
        let net = try Network(description, parameters: randomParameters(description, seed: 1))
        let refused = errorMessage {
            _ = try Segmentation.run(net, input: scratch.file("in.png"), outputs: SegmentationOutputs(logits: scratch.file("s.npy")),
                                     availableBytes: 1000)
        }
        #expect(refused?.contains("GiB available") == true)
        #expect(scratch.contents == ["in.png"])
    }

    @Test func refusesPalettePNGsForMoreThan256Classes() throws {
        let scratch = ScratchFolder(); defer { scratch.cleanUp() }
        _ = try writeImage(to: scratch.file("in.png"))
        let description = NetworkDescription(name: "wide", layers: [LayerDescription("score", .convolution(.init(outputs: 257, kernel: 1)), bottom: "data")])
        let net = try Network(description, parameters: randomParameters(description, seed: 3))
        let message = errorMessage {
            _ = try Segmentation.run(net, input: scratch.file("in.png"), outputs: SegmentationOutputs(labels: scratch.file("l.png")))
        }
        #expect(message?.contains("257 classes") == true)
        // Scores alone are fine.
        let result = try Segmentation.run(net, input: scratch.file("in.png"), outputs: SegmentationOutputs(logits: scratch.file("s.npy")))
        #expect(result.scores.shape == [1, 257, 33, 47])
    }

    @Test func labelsAreTheFirstMaximum() throws {
        // Two pixels, three classes: pixel 0 tie between classes 1 and 2, pixel 1 class 0.
        let scores = Tensor(shape: [1, 3, 1, 2], scalars: [0, 5, 2, 1, 2, 1])   // [1, K, H, W]
        #expect(try ScoreMap(scores).labels().labels == [1, 0])
    }

    @Test func threadLimitStillRunsEveryIterationOnce() {
        for limit in [1, 2, 3] {
            let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: 10)
            counts.initialize(repeating: 0)
            EngineConfiguration(threads: limit).apply { parallelFor(10) { counts[$0] += 1 } }
            #expect(Array(counts) == Array(repeating: 1, count: 10))
            counts.deallocate()
        }
    }
}

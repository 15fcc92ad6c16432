// SegmentTests.swift — the in-memory segmentation and the file wrapper over it: same scores and
// labels, and the files `fcn segment` wrote before the wrapper existed, byte for byte.
import Foundation
import Testing
@testable import FCN

@Suite struct SegmentTests {
    /// A 29×19 picture with some structure.
    let image: RGBImage = {
        let (w, h) = (29, 19)
        var pixels = [UInt8](repeating: 0, count: w * h * 3)
        for y in 0..<h { for x in 0..<w {
            pixels[(y * w + x) * 3] = UInt8((x * 9) % 256)
            pixels[(y * w + x) * 3 + 1] = UInt8((y * 13) % 256)
            pixels[(y * w + x) * 3 + 2] = (x - 12) * (x - 12) + (y - 9) * (y - 9) < 40 ? 230 : 20
        } }
        return RGBImage(width: w, height: h, pixels: pixels)
    }()

    func network(classes: Int = 3) throws -> Network {
        let description = try tinyDescription(.fcn8s, classes: classes)
        return try Network(description, parameters: randomParameters(description, seed: 5))
    }

    @Test func inMemoryIsImageToScoresToLabels() throws {
        let net = try network()
        let result = try Segmentation.segment(image, with: net)
        #expect(result.scores.tensor == (try net.forward(image.caffeInput())))
        #expect(result.scores.shape == [1, 3, 19, 29])
        #expect(result.labels == (try result.scores.labels()))
        #expect(result.image == image)
        #expect(result.forwardSeconds.count == 1)
        #expect(result.overlay() == image.overlaid(with: result.labels, alpha: 0.5))
        #expect(throws: MemoryError.self) { try Segmentation.segment(image, with: net, availableBytes: 100) }
    }

    /// `fcn segment`'s files as the code before `ScoreMap` / `LabelMap` wrote them: labels by a
    /// first-maximum loop in a 256-colour VOC palette PNG, the overlay blended in `Float` at ½.
    func filesAsBefore(_ scores: Tensor, _ image: RGBImage) throws -> (labels: Data, overlay: Data) {
        let (k, h, w) = (scores.shape[1], scores.shape[2], scores.shape[3])
        var indices = [UInt8](repeating: 0, count: h * w)
        var best = [Float](repeating: -.infinity, count: h * w)
        for c in 0..<k { for p in 0..<(h * w) where scores.scalars[c * h * w + p] > best[p] {
            best[p] = scores.scalars[c * h * w + p]; indices[p] = UInt8(c)
        } }
        let palette = LabelPalette.pascalVOCColors.map { ($0.red, $0.green, $0.blue) }
        var overlay = image
        for p in 0..<(w * h) {
            let colour = palette[Int(indices[p])]
            for (channel, value) in [colour.0, colour.1, colour.2].enumerated() {
                let mixed = 0.5 * Float(image.pixels[3 * p + channel]) + 0.5 * Float(value)
                overlay.pixels[3 * p + channel] = UInt8(min(255, max(0, mixed.rounded())))
            }
        }
        return (try IndexedImage(width: w, height: h, indices: indices, palette: palette).pngData(), try overlay.pngData())
    }

    @Test func fileWrapperWritesTheSameFilesAsBefore() throws {
        let scratch = ScratchFolder(); defer { scratch.cleanUp() }
        try image.write(to: scratch.file("in.png"))
        let net = try network()
        let outputs = SegmentationOutputs(logits: scratch.file("s.npy"), labels: scratch.file("l.png"), overlay: scratch.file("o.png"))
        let run = try Segmentation.run(net, input: scratch.file("in.png"), outputs: outputs)
        let inMemory = try Segmentation.segment(image, with: net)
        #expect(run.scores == inMemory.scores && run.labels == inMemory.labels)
        let before = try filesAsBefore(inMemory.scores.tensor, image)
        #expect(try Data(contentsOf: outputs.labels!) == before.labels)
        #expect(try Data(contentsOf: outputs.overlay!) == before.overlay)
        #expect(try NPY.read(contentsOf: outputs.logits!) == inMemory.scores.tensor)
        #expect(scratch.contents == ["in.png", "l.png", "o.png", "s.npy"])
    }

    @Test func memoryEstimateFromInferredShapesIsTheSame() throws {
        let description = try FCNArchitecture.fcn8s.description()
        let shapes = try description.inferShapes(input: [1, 3, 211, 333])
        #expect(try MemoryEstimate(description, shapes: shapes) == MemoryEstimate(description, inputShape: [1, 3, 211, 333]))
    }
}

// Chapter03Tests.swift — Table 1 and the effect of conv1_1's 100-pixel pad, as the chapter derives them.
import Testing
import FCN
import FCNCourse
@testable import Chapter03

@Suite struct Chapter03Tests {
    @Test func receptiveFieldsAndPadding() throws {
        var lesson = Lesson(chapter: 3, title: "test", outputFolder: nil, echo: false)
        let r = try chapter03(&lesson)
        // Table 1.
        #expect(r.vggField == 404 && r.vggStride == 32 && r.vggConvolutionLayers == 16)
        #expect(r.alexField == 355 && r.alexConvolutionLayers == 8)
        #expect((133_000_000..<136_000_000).contains(r.vggParameters))
        #expect((56_000_000..<58_500_000).contains(r.alexParameters))
        // 500 + 200 → pool5 22 (ceil pools) → fc6 16×16.
        #expect(r.fc6OutputAt500 == [1, 4096, 16, 16])
        // Without the pad, fc6's 7×7 window does not fit a 100×100 image's pool5 (4×4).
        #expect(r.unpaddedError == .windowDoesNotFit(layer: "fc6", window: Size2(7), input: Size2(4)))
        #expect(r.smallestUnpaddedInput > 100)
        // …and the upsampled scores would start 80 px inside the image: no crop aligns them.
        #expect(r.unpaddedCropError == .cropOffsetNegative(layer: "score", offset: "-80"))
        #expect(r.paddedFc6Sizes[1] == 1 && r.paddedFc6Sizes[500] == 16)
        #expect(r.cropOffsets["FCN-32s score"] == 19)
        #expect(r.cropOffsets["FCN-8s score_pool4c"] == 5 && r.cropOffsets["FCN-8s score_pool3c"] == 9)
        #expect(r.cropOffsets["FCN-8s score"] == 31)
        // Table 1's reading: VGG16 costs several times AlexNet's arithmetic (CVPR: 210 vs 50 ms),
        // and FCN-8s's skips add little to FCN-32s's.
        #expect(r.multiplyAdds.vgg16 > 3 * r.multiplyAdds.alexNet, "\(r.multiplyAdds)")
        #expect(r.multiplyAdds.fcn8s > r.multiplyAdds.vgg16 && Double(r.multiplyAdds.fcn8s) < 1.05 * Double(r.multiplyAdds.vgg16))
        #expect(lesson.transcript.contains { $0.contains("FCN-GoogLeNet") && $0.contains("quoted") })
        // The exercise's claim: 4 px less padding keeps the skip crops and moves the final ones by 4.
        #expect(r.paddedCropOffsets["fcn8s"]??["score_pool4c"] == 5 && r.paddedCropOffsets["fcn8s"]??["score_pool3c"] == 9)
        #expect(r.paddedCropOffsets["fcn8s"]??["score"] == 27 && r.paddedCropOffsets["fcn32s"]??["score"] == 15)
    }

    /// `--input-size` changes the shapes and leaves the crop offsets (a property of the layers);
    /// `--padding` changes exactly the final crops, by the padding's difference from 100.
    @Test func optionsMoveWhatTheChapterSaysTheyMove() throws {
        var lesson = Lesson(chapter: 3, title: "test", outputFolder: nil, echo: false)
        let r = try chapter03(&lesson, setup: Chapter03Setup(inputSize: 333, padding: 90))
        #expect(r.fc6OutputAt500 != [1, 4096, 16, 16])
        #expect(r.cropOffsets["FCN-32s score"] == 19 && r.cropOffsets["FCN-8s score"] == 31)
        #expect(r.paddedCropOffsets["fcn8s"]??["score"] == 21 && r.paddedCropOffsets["fcn8s"]??["score_pool4c"] == 5)
        #expect(lesson.transcript.contains { $0.contains("333×333 image") })
    }
}

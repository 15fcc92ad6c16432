// VOCDatasetTests.swift — the VOC-layout writer and reader agree, and a broken folder gives
// an error that names the file.
import FCNTraining
import Foundation
import Testing
@testable import FCN

@Suite struct VOCDatasetTests {
    @Test func writeThenReadRoundTrips() throws {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        let world = SceneGenerator(seed: 11, width: 24, height: 20)
        let scenes = (0..<3).map { (id: "scene\($0)", scene: world.scene($0)) }
        try VOCDataset.write(scenes, split: "val", to: folder.url)
        let voc = VOCDataset(root: folder.url)
        #expect(try voc.ids(split: "val") == ["scene0", "scene1", "scene2"])
        for (id, scene) in scenes {
            let back = try voc.scene(id)
            #expect(back.width == 24 && back.height == 20)
            #expect(back.image == scene.image)
            #expect(back.labels == scene.labels)
            #expect(back.labels.contains(ShapeClass.void))
        }
        let labels = try voc.labels("scene0")
        #expect(labels.palette.count == 256 && labels.palette[1] == (128, 0, 0))   // VOC's colour of label 1
    }

    @Test func missingFilesAreNamed() {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        let voc = VOCDataset(root: folder.url)
        #expect(errorMessage { _ = try voc.ids(split: "train") }?.contains("ImageSets/Segmentation/train.txt") == true)
        #expect(errorMessage { _ = try voc.image("nothing") }?.contains("JPEGImages/nothing.jpg") == true)
    }
}

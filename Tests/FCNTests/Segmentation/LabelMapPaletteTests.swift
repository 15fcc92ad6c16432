// LabelMapPaletteTests.swift — labels ↔ palette PNG round trip, and labels painted in their colours.
import Foundation
import Testing
@testable import FCN

@Suite struct SegmentationLabelMapTests {
    @Test func writtenLabelsReadBackUnchanged() throws {
        let scratch = ScratchFolder(); defer { scratch.cleanUp() }
        let labels = LabelMap(width: 3, height: 2, labels: [0, 15, 20, 255, 1, 0])
        try labels.write(to: scratch.file("labels.png"))
        #expect(try LabelMap.read(contentsOf: scratch.file("labels.png")) == labels)
        // The file is a palette PNG in VOC colours, all 256 of them: what VOC's ground truth is.
        let raw = try IndexedImage.decode(contentsOf: scratch.file("labels.png"))
        #expect(raw.palette.count == 256 && raw.palette[15] == (192, 128, 128))
        #expect(LabelMap(raw) == labels)
        #expect(raw == labels.indexedImage())
    }

    @Test func coloredPaintsEveryPixelInItsLabelsColour() {
        let image = LabelMap(width: 2, height: 1, labels: [15, 255]).colored()
        #expect(image.pixels == [192, 128, 128, 224, 224, 192])      // person; void's (224, 224, 192)
        let custom = LabelMap(width: 1, height: 1, labels: [1]).colored(palette: [LabelColor(red: 0, green: 0, blue: 0),
                                                                                 LabelColor(red: 1, green: 2, blue: 3)])
        #expect(custom.pixels == [1, 2, 3])
    }
}

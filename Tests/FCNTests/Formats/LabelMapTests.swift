// LabelMapTests.swift — label maps read from palette PNGs (index = label) and from RGB PNGs in
// VOC colours; refusals are in MalformedCorpusTests.
import Foundation
import Testing
@testable import FCN

@Suite struct LabelMapTests {
    /// Labels 0, 15, 20 and 255 (void) in a 2 × 2 map, row-major.
    let labels: [UInt8] = [0, 15, 20, 255]

    @Test func indexedPNGGivesItsIndices() throws {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        // A palette that is *not* VOC's: the indices are the labels regardless of colour.
        let palette = (0..<256).map { (UInt8($0), UInt8(255 - $0), UInt8(7)) }
        let url = folder.file("indexed.png")
        try IndexedImage(width: 2, height: 2, indices: labels, palette: palette).write(to: url)
        let map = try LabelMap.read(contentsOf: url)
        #expect(map == LabelMap(width: 2, height: 2, labels: labels))
        #expect(map.label(x: 1, y: 0) == 15)
    }

    @Test func rgbPNGIsMappedThroughTheVOCPalette() throws {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        let pixels = labels.flatMap { label -> [UInt8] in
            let color = LabelPalette.pascalVOC(Int(label))
            return [color.red, color.green, color.blue]
        }
        let url = folder.file("rgb.png")
        try RGBImage(width: 2, height: 2, pixels: pixels).write(to: url)
        #expect(try LabelMap.read(contentsOf: url).labels == labels)
    }

    @Test func classCountBoundsTheLabels() throws {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        let url = folder.file("indexed.png")
        try IndexedImage(width: 2, height: 2, indices: labels, palette: LabelPalette.pascalVOCColors.map { ($0.red, $0.green, $0.blue) }).write(to: url)
        expectFailure(url, mentions: ["pixel (x 1, y 0) has label 15", "0…9 or 255"]) {
            _ = try LabelMap.read(contentsOf: url, classCount: 10)
        }
    }
}

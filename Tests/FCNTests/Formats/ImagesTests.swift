// ImagesTests.swift — PNG/JPEG decoding against independently written fixtures
// (make_image_fixtures.py), PNG round trips, and refusal of broken files.
import Foundation
import Testing
@testable import FCN

/// CRC-32 (the PNG/zlib polynomial), to hand-build valid PNG chunks in tests.
private func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
}

private func bigEndian(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.bigEndian, Array.init) }

@Suite struct ImagesTests {
    @Test func rgbPNGRoundTrip() throws {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        let pixels = (0..<(7 * 5 * 3)).map { UInt8(($0 * 37) % 256) }
        let image = RGBImage(width: 7, height: 5, pixels: pixels)
        let url = folder.file("rgb.png")
        try image.write(to: url)
        #expect(try RGBImage.decode(contentsOf: url) == image)
        expectFailure(url, mentions: ["not a palette"]) { _ = try IndexedImage.decode(contentsOf: url) }
        #expect(folder.contents == ["rgb.png"])
    }

    @Test func indexedPNGRoundTripKeepsIndices() throws {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        var palette: [(UInt8, UInt8, UInt8)] = []
        for i in 0..<256 { palette.append((UInt8(i), UInt8(255 - i), UInt8((i * 7) % 256))) }
        let indices: [UInt8] = [0, 1, 2, 255, 15, 15, 0, 255]  // 255: VOC's "void" border
        let labels = IndexedImage(width: 4, height: 2, indices: indices, palette: palette)
        let url = folder.file("labels.png")
        try labels.write(to: url)
        #expect(try IndexedImage.decode(contentsOf: url) == labels)
        // Read as RGB, each pixel shows its palette colour.
        let rgb = try RGBImage.decode(contentsOf: url)
        for (i, index) in indices.enumerated() {
            let colour = palette[Int(index)]
            #expect(Array(rgb.pixels[(3 * i)..<(3 * i + 3)]) == [colour.0, colour.1, colour.2])
        }
    }

    @Test func indexOutsidePaletteIsRefused() {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        let url = folder.file("bad.png")
        let labels = IndexedImage(width: 2, height: 1, indices: [0, 3], palette: [(0, 0, 0), (1, 1, 1)])
        expectFailure(url, mentions: ["index 3", "2-entry palette"]) { try labels.write(to: url) }
        #expect(folder.contents.isEmpty)
    }

    @Test func decodesSixteenBitGreyWithAlpha() throws {
        // Grey 0x1234 0xABCD 0xFFFF / 0x0000 0x8000 0x00FF: the high byte, replicated, alpha dropped.
        let image = try RGBImage.decode(contentsOf: fixture("grey_alpha16_3x2.png"))
        #expect(image.width == 3 && image.height == 2)
        #expect(image.pixels == [0x12, 0xAB, 0xFF, 0x00, 0x80, 0x00].flatMap { [$0, $0, $0] })
    }

    @Test func decodesFourBitPaletteAsIndices() throws {
        let labels = try IndexedImage.decode(contentsOf: fixture("palette4_5x2.png"))
        #expect(labels.width == 5 && labels.height == 2)
        #expect(labels.indices == [0, 1, 2, 1, 0, 2, 2, 0, 0, 1])
        #expect(labels.palette.count == 3)
        #expect(labels.palette[2] == (10, 20, 30))
        let rgb = try RGBImage.decode(contentsOf: fixture("palette4_5x2.png"))
        #expect(Array(rgb.pixels[0..<6]) == [255, 0, 0, 0, 128, 0])
    }

    @Test func decodesInterlacedPNG() throws {
        let image = try RGBImage.decode(contentsOf: fixture("interlaced_rgb8_5x5.png"))
        #expect(image.width == 5 && image.height == 5)
        var expected: [UInt8] = []
        for y in 0..<5 { for x in 0..<5 { expected += [UInt8(40 * x), UInt8(40 * y), UInt8(7 * x + 11 * y)] } }
        #expect(image.pixels == expected)
    }

    @Test func dropsAlphaFromRGBA() throws {
        let image = try RGBImage.decode(contentsOf: fixture("rgba8_2x2.png"))
        #expect(image.pixels == [1, 2, 3, 4, 5, 6, 7, 8, 9, 250, 251, 252])
    }

    @Test func decodesJPEGColourAndGrey() throws {
        // Two flat 8×8 blocks, (200, 30, 40) | (20, 100, 220), saved at quality 100: JPEG is lossy,
        // so allow a small error.
        let colour = try RGBImage.decode(contentsOf: fixture("blocks_16x8.jpg"))
        #expect(colour.width == 16 && colour.height == 8)
        let grey = try RGBImage.decode(contentsOf: fixture("blocks_grey_16x8.jpg"))
        #expect(grey.width == 16 && grey.height == 8)
        var worstColour = 0, worstGrey = 0
        for y in 0..<8 {
            for x in 0..<16 {
                let expected: [Double] = x < 8 ? [200, 30, 40] : [20, 100, 220]
                let luma = 0.299 * expected[0] + 0.587 * expected[1] + 0.114 * expected[2]
                for c in 0..<3 {
                    worstColour = max(worstColour, abs(Int(colour.pixels[(y * 16 + x) * 3 + c]) - Int(expected[c])))
                    worstGrey = max(worstGrey, abs(Int(grey.pixels[(y * 16 + x) * 3 + c]) - Int(luma.rounded())))
                }
            }
        }
        #expect(worstColour <= 3, "max colour error \(worstColour)")
        #expect(worstGrey <= 2, "max grey error \(worstGrey)")
    }

    @Test func formatIsSniffedNotTakenFromTheExtension() throws {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        let jpegBytes = try [UInt8](Data(contentsOf: fixture("blocks_16x8.jpg")))
        let url = folder.write(jpegBytes, to: "actually-a-jpeg.png")
        #expect(try RGBImage.decode(contentsOf: url).width == 16)
    }

    private func expectRefused(_ bytes: [UInt8], name: String, _ phrases: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        let url = folder.write(bytes, to: name)
        expectFailure(url, mentions: phrases, sourceLocation: sourceLocation) { _ = try RGBImage.decode(contentsOf: url) }
    }

    @Test func brokenImagesAreRefused() throws {
        let png = try [UInt8](RGBImage(width: 16, height: 16, pixels: (0..<768).map { UInt8($0 % 251) }).pngData())
        let jpeg = try [UInt8](Data(contentsOf: fixture("blocks_16x8.jpg")))
        expectRefused([], name: "empty.png", ["not a PNG or JPEG"])
        expectRefused(Array("GIF89a……".utf8), name: "anim.png", ["not a PNG or JPEG"])
        expectRefused(Array(png.prefix(png.count - 30)), name: "cut.png", ["invalid PNG"])
        expectRefused(Array(png.prefix(40)), name: "cut-early.png", ["invalid PNG"])
        expectRefused(Array(jpeg.prefix(jpeg.count / 2)), name: "cut.jpg", ["invalid JPEG"])
        expectRefused(Array(jpeg.prefix(4)), name: "tiny.jpg", ["invalid JPEG"])
        var corrupt = png
        corrupt[20] ^= 0xFF  // inside IHDR: the chunk's CRC no longer matches
        expectRefused(corrupt, name: "crc.png", ["invalid PNG"])
    }

    @Test func hugeImageIsRefusedBeforeAllocating() {
        // A valid IHDR announcing 20000 × 20000 RGB pixels (400 megapixels), then an empty IDAT
        // (libpng reads the header up to the first IDAT before reporting the size).
        let header: [UInt8] = Array("IHDR".utf8) + bigEndian(20_000) + bigEndian(20_000) + [8, 2, 0, 0, 0]
        let idat: [UInt8] = Array("IDAT".utf8)
        let bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
            + bigEndian(13) + header + bigEndian(crc32(header)) + bigEndian(0) + idat + bigEndian(crc32(idat))
        expectRefused(bytes, name: "huge.png", ["too large", "20000×20000"])
    }

    @Test func caffePreprocessingAndInverse() throws {
        let image = RGBImage(width: 2, height: 1, pixels: [10, 20, 30, 200, 100, 0])
        let x = image.caffeInput()
        #expect(x.shape == [1, 3, 1, 2])
        let mean = RGBImage.caffeMeanBGR
        // Channel 0 is blue, 1 green, 2 red; the mean is subtracted, nothing is scaled.
        #expect(x.scalars == [30 - mean.blue, 0 - mean.blue, 20 - mean.green, 100 - mean.green, 10 - mean.red, 200 - mean.red])
        #expect(RGBImage(caffeInput: x) == image)
        // Out-of-range values are clamped for display.
        var bright = x
        bright.scalars = bright.scalars.map { $0 + 1000 }
        #expect(RGBImage(caffeInput: bright).pixels == [UInt8](repeating: 255, count: 6))
    }
}

// OverlayTests.swift — labels blended over an image: the rounding, α = 0 and α = 1, void left alone.
import Foundation
import Testing
@testable import FCN

@Suite struct OverlayTests {
    /// A 4×3 picture with every byte different.
    let image = RGBImage(width: 4, height: 3, pixels: (0..<36).map { UInt8(7 * $0) })
    let labels = LabelMap(width: 4, height: 3, labels: [0, 1, 2, 3, 15, 255, 15, 20, 255, 0, 7, 7])

    @Test func blendsAndRoundsHalvesAwayFromZero() {
        let white = RGBImage(width: 3, height: 1, pixels: [UInt8](repeating: 255, count: 9))
        let out = white.overlaid(with: LabelMap(width: 3, height: 1, labels: [0, 1, UInt8(LabelPalette.voidLabel)]), alpha: 0.5)
        // background (0,0,0) half over white → 127.5 → 128; aeroplane (128,0,0) → (191.5, 127.5, 127.5).
        #expect(Array(out.pixels[0..<3]) == [128, 128, 128])
        #expect(Array(out.pixels[3..<6]) == [192, 128, 128])
        #expect(Array(out.pixels[6..<9]) == [255, 255, 255])             // void: the image, untouched
    }

    @Test func alphaZeroIsTheImage() {
        #expect(image.overlaid(with: labels, alpha: 0) == image)
    }

    @Test func alphaOneIsTheLabelColoursExceptVoid() {
        let out = image.overlaid(with: labels, alpha: 1)
        let flat = labels.colored()
        for p in 0..<12 {
            let expected = labels.labels[p] == 255 ? image.pixels[3 * p..<3 * p + 3] : flat.pixels[3 * p..<3 * p + 3]
            #expect(out.pixels[3 * p..<3 * p + 3] == expected, "pixel \(p)")
        }
        // With nothing left unpainted, α = 1 is exactly the flat colours.
        #expect(image.overlaid(with: labels, alpha: 1, leaving: nil) == flat)
    }
}

@Suite struct OverlayBackgroundTests {
    @Test func backgroundAndVoidCanBeLeftAsThePhoto() {
        let grey = RGBImage(width: 3, height: 1, pixels: [UInt8](repeating: 200, count: 9))
        let labels = LabelMap(width: 3, height: 1, labels: [0, 1, 255])
        let out = grey.overlaid(with: labels, alpha: 0.5, unpainted: [0, 255])
        #expect(Array(out.pixels[0..<3]) == [200, 200, 200], "background not darkened")
        #expect(Array(out.pixels[6..<9]) == [200, 200, 200], "void left")
        #expect(Array(out.pixels[3..<6]) == [164, 100, 100], "class 1 (128,0,0) blended at 0.5")
        #expect(grey.overlaid(with: labels, alpha: 0.5) == grey.overlaid(with: labels, alpha: 0.5, unpainted: [255]))
    }
}

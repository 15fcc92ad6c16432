// LabelPaletteTests.swift — the VOC palette against VOC's published colours.
import FCN
import Testing

@Suite struct LabelPaletteTests {
    @Test func knownVOCColours() {
        // Colours of VOC2012's ground-truth PNG palette, as listed in VOCdevkit's documentation.
        let known: [Int: (UInt8, UInt8, UInt8)] = [
            0: (0, 0, 0), 1: (128, 0, 0), 2: (0, 128, 0), 3: (128, 128, 0), 4: (0, 0, 128),
            7: (128, 128, 128), 8: (64, 0, 0), 15: (192, 128, 128), 20: (0, 64, 128), 255: (224, 224, 192),
        ]
        for (label, (r, g, b)) in known {
            #expect(LabelPalette.pascalVOC(label) == LabelColor(red: r, green: g, blue: b), "label \(label)")
        }
    }

    @Test func paletteHas256DistinctColoursAnd21Names() {
        #expect(LabelPalette.pascalVOCColors.count == 256)
        #expect(Set(LabelPalette.pascalVOCColors).count == 256)   // bit interleaving is one-to-one
        #expect(LabelPalette.pascalVOCClassNames.count == 21)
        #expect(LabelPalette.pascalVOCClassNames[15] == "person")
        #expect(LabelPalette.pascalVOCColors[LabelPalette.voidLabel] == LabelPalette.pascalVOC(255))
    }
}

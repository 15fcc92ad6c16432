// LabelPalette.swift — the PASCAL VOC colour for each class label, computed, not tabulated.
//
// Paper §5 (Experiments: PASCAL VOC 2011/2012 segmentation, 20 classes plus background).
// VOC's ground-truth PNGs are indexed images whose palette comes from VOCdevkit's
// `VOClabelcolormap.m`. That function spreads the bits of a label over the high bits of the
// three channels: bit 0 of the label goes to red bit 7, bit 1 to green bit 7, bit 2 to blue
// bit 7, bit 3 to red bit 6, and so on. Neighbouring labels therefore get very different
// colours, and label 255 ("void", the unlabelled border around objects) comes out as
// (224, 224, 192) with no special case.

/// An 8-bit RGB colour of a label palette.
public struct LabelColor: Hashable, Sendable, CustomStringConvertible {
    /// The colour's channels, 0–255.
    public var red: UInt8, green: UInt8, blue: UInt8
    /// A colour from its channels.
    public init(red: UInt8, green: UInt8, blue: UInt8) { self.red = red; self.green = green; self.blue = blue }
    /// "(r,g,b)".
    public var description: String { "(\(red),\(green),\(blue))" }
}

/// The PASCAL VOC label palette and class names.
///
/// ```swift
/// LabelPalette.pascalVOC(15)             // (192,128,128), the person class
/// LabelPalette.pascalVOC(LabelPalette.voidLabel)   // (224,224,192)
/// LabelPalette.pascalVOCClassNames[15]   // "person"
/// ```
public enum LabelPalette {
    /// The label of pixels that are not scored ("void" / "ignore"), as in VOC's PNGs.
    public static let voidLabel = 255

    /// The colour of `label` (0…255) in VOC's palette, by VOClabelcolormap.m's bit interleaving.
    public static func pascalVOC(_ label: Int) -> LabelColor {
        precondition((0...255).contains(label), "LabelPalette: label \(label) outside 0…255")
        var id = label
        var r = 0, g = 0, b = 0
        for j in 0..<8 {
            // The three lowest bits of what is left become bit (7 − j) of red, green, blue.
            r |= (id & 1) << (7 - j)
            g |= ((id >> 1) & 1) << (7 - j)
            b |= ((id >> 2) & 1) << (7 - j)
            id >>= 3
        }
        return LabelColor(red: UInt8(r), green: UInt8(g), blue: UInt8(b))
    }

    /// All 256 entries, indexable by label.
    public static let pascalVOCColors: [LabelColor] = (0..<256).map(pascalVOC)

    /// The 21 VOC class names: background (label 0), then the 20 object classes in label order.
    public static let pascalVOCClassNames: [String] = [
        "background", "aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat",
        "chair", "cow", "diningtable", "dog", "horse", "motorbike", "person", "pottedplant",
        "sheep", "sofa", "train", "tvmonitor",
    ]
}

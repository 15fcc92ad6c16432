// LabelMap+Reading.swift — read a ground-truth segmentation (one class label per pixel) from a
// PNG, checking every label (the type, which predictions share, is `Segmentation/LabelMap.swift`).
// Paper CVPR 2015 §4.2 and §5: PASCAL VOC's `SegmentationClass/*.png` give each pixel's class
// (0 background, 1–20 objects, 255 "void", not scored) as a palette index.
//
// Two encodings are accepted, recognised from the PNG itself:
//   - palette (indexed-colour) PNG: the index *is* the label, whatever colour the palette gives
//     it (VOC's own files);
//   - RGB (or grey, or with alpha) PNG: each colour is looked up in the VOC palette
//     (`LabelPalette.pascalVOCColors`), as produced by tools that "flatten" the VOC PNGs.
// A label must be a class (`0..<classCount`) or `LabelPalette.voidLabel`. Anything else — a
// colour outside the palette, a label beyond the classes, a JPEG (lossy, so its colours are
// not labels) — is refused with the pixel's position: training on a wrong label is silent.

import Foundation

/// Why a label map was refused. Every message names the file; pixel errors give the position
/// (x from the left, y from the top, 0-based) of the first bad pixel.
public enum LabelMapError: Error, CustomStringConvertible, Equatable {
    /// The file is not a PNG (JPEG label maps are refused: lossy compression changes colours).
    case notPNG(file: String)
    /// An RGB pixel whose colour is not in the VOC palette.
    case colorOutsidePalette(file: String, x: Int, y: Int, color: LabelColor)
    /// A label that is neither a class nor the void label.
    case labelOutOfRange(file: String, x: Int, y: Int, label: Int, classCount: Int)

    /// A sentence naming the file and the problem.
    public var description: String {
        switch self {
        case let .notPNG(file):
            return "\(file): a label map must be a PNG (lossless); JPEG colours are not labels"
        case let .colorOutsidePalette(file, x, y, color):
            return "\(file): pixel (x \(x), y \(y)) has colour \(color), which is not in the PASCAL VOC label palette"
        case let .labelOutOfRange(file, x, y, label, classCount):
            return "\(file): pixel (x \(x), y \(y)) has label \(label), but labels must be 0…\(classCount - 1) or \(LabelPalette.voidLabel) (void)"
        }
    }
}

extension LabelMap {
    /// Reads and checks a label map.
    /// - Parameters:
    ///   - url: a palette PNG (indices are labels) or an RGB PNG in VOC colours.
    ///   - classCount: the number of classes, 21 for PASCAL VOC (background + 20).
    /// - Throws: ``LabelMapError`` for a bad label, colour or format; ``ImageError`` when the
    ///   PNG itself cannot be read.
    public static func read(contentsOf url: URL, classCount: Int = LabelPalette.pascalVOCClassNames.count) throws -> LabelMap {
        precondition((1...255).contains(classCount), "LabelMap: classCount \(classCount) outside 1…255")
        let path = url.path
        let bytes = try ImageCodec.read(url)
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { throw LabelMapError.notPNG(file: path) }
        let image = try bytes.withUnsafeBytes { try ImageCodec.decode($0, path: path) }
        defer { ImageCodec.release(image) }
        let (width, height) = (image.width, image.height)
        var labels = [UInt8](repeating: 0, count: width * height)

        if let indices = image.raw.indices {
            for i in 0..<(width * height) { labels[i] = indices[i] }
        } else {
            // Colour → label, for the 256 palette colours (all distinct, by construction).
            var labelOf: [LabelColor: UInt8] = [:]
            for (label, color) in LabelPalette.pascalVOCColors.enumerated() { labelOf[color] = UInt8(label) }
            let rgb = image.raw.rgb!
            for i in 0..<(width * height) {
                let color = LabelColor(red: rgb[3 * i], green: rgb[3 * i + 1], blue: rgb[3 * i + 2])
                guard let label = labelOf[color] else {
                    throw LabelMapError.colorOutsidePalette(file: path, x: i % width, y: i / width, color: color)
                }
                labels[i] = label
            }
        }
        if let bad = labels.firstIndex(where: { Int($0) >= classCount && Int($0) != LabelPalette.voidLabel }) {
            throw LabelMapError.labelOutOfRange(file: path, x: bad % width, y: bad / width,
                                                label: Int(labels[bad]), classCount: classCount)
        }
        return LabelMap(width: width, height: height, labels: labels)
    }
}

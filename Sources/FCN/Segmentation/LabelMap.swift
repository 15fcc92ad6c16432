// LabelMap.swift — one class label per pixel: a net's prediction (the arg-max of a `ScoreMap`)
// and a data set's ground truth are the same kind of thing, so they are one type.
//
// Paper CVPR 2015 §4 and §5: PASCAL VOC's `SegmentationClass/*.png` give each pixel's class
// (0 background, 1–20 objects, 255 "void", not scored) as the index of a palette PNG, and the
// predictions are written the same way, in the same VOC colours (`LabelPalette`). Reading and
// checking such a PNG is `Formats/LabelMap+Reading.swift`; writing it, and painting labels as colours,
// is here. Layout: H rows top to bottom, W labels per row, no padding: `labels[y·W + x]`.

import Foundation

/// A segmentation: `height × width` class labels, rows top to bottom.
///
/// ```swift
/// let truth = try LabelMap.read(contentsOf: URL(filePath: "SegmentationClass/2007_000033.png"))
/// truth.labels[0]                 // label of the top-left pixel: 0…20, or 255 (void)
/// truth.label(x: 10, y: 4)
/// let predicted = try scores.labels()              // from a ScoreMap
/// try predicted.write(to: URL(filePath: "labels.png"))   // palette PNG, VOC colours
/// ```
///
/// ### See Also
/// - ``ScoreMap/labels()``, ``LabelPalette`` for the colours, ``IndexedImage`` for a raw palette image,
///   ``RGBImage/overlaid(with:palette:alpha:leaving:)``.
public struct LabelMap: Sendable, Equatable {
    /// Width W in pixels.
    public var width: Int
    /// Height H in pixels.
    public var height: Int
    /// `height × width` labels, row-major.
    public var labels: [UInt8]

    /// A label map from one class index per pixel, row by row (`labels.count == W·H`).
    public init(width: Int, height: Int, labels: [UInt8]) {
        precondition(width >= 0 && height >= 0 && labels.count == width * height,
                     "LabelMap: \(width)×\(height) needs \(width * height) labels, got \(labels.count)")
        self.width = width
        self.height = height
        self.labels = labels
    }

    /// The label of the pixel in column `x`, row `y`.
    public func label(x: Int, y: Int) -> UInt8 { labels[y * width + x] }

    /// The labels of a palette image (its indices), whatever colours its palette gives them.
    public init(_ image: IndexedImage) {
        self.init(width: image.width, height: image.height, labels: image.indices)
    }

    /// The labels as a palette image: index = label, with all 256 colours of `palette` (VOC's by default).
    public func indexedImage(palette: [LabelColor] = LabelPalette.pascalVOCColors) -> IndexedImage {
        IndexedImage(width: width, height: height, indices: labels, palette: palette.map { ($0.red, $0.green, $0.blue) })
    }

    /// Writes the labels as an 8-bit palette PNG in VOC colours, atomically — the format of VOC's
    /// ground truth, so ``read(contentsOf:classCount:)`` reads it back unchanged.
    public func write(to url: URL) throws {
        try indexedImage().write(to: url)
    }

    /// Each pixel painted in its label's colour (no blending): how the paper's figures show a
    /// segmentation. A label beyond `palette` is a programming error.
    public func colored(palette: [LabelColor] = LabelPalette.pascalVOCColors) -> RGBImage {
        var pixels = [UInt8](repeating: 0, count: 3 * labels.count)
        for (p, label) in labels.enumerated() {
            let color = palette[Int(label)]
            pixels[3 * p] = color.red; pixels[3 * p + 1] = color.green; pixels[3 * p + 2] = color.blue
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }
}

// Overlay.swift — segmentation labels or a heatmap blended over a photograph.
//
// Paper Fig. 1 and Fig. 6 show predictions this way: the image, and its per-pixel labels in
// the VOC palette laid over it. Blending is per pixel: out = (1 − α)·image + α·colour.
// Void pixels (label 255) are left as the image so that "not scored" stays visible.
import FCN

/// Pixel-wise blends of a label map or a heatmap with an RGB image.
///
/// ```swift
/// let shown = Overlay.labels(prediction, on: photo, alpha: 0.5)   // prediction: H·W labels
/// canvas.image(shown, in: rect)
/// ```
public enum Overlay {
    /// Blends each pixel's palette colour over `image`.
    ///
    /// - Parameters:
    ///   - labels: row-major H×W class labels (0…255), same size as `image`.
    ///   - image: the picture underneath.
    ///   - alpha: opacity of the label colours; 0 shows only the image, 1 only the labels.
    ///   - palette: colour of each label; VOC's by default.
    ///   - skipVoid: leave pixels labelled `LabelPalette.voidLabel` untouched.
    public static func labels(_ labels: [Int], on image: RGBPixels, alpha: Double = 0.5,
                              palette: [LabelColor] = LabelPalette.pascalVOCColors, skipVoid: Bool = true) -> RGBPixels {
        precondition(labels.count == image.width * image.height,
                     "Overlay: \(labels.count) labels for a \(image.width)×\(image.height) image")
        var out = image
        for (i, label) in labels.enumerated() {
            precondition((0..<palette.count).contains(label), "Overlay: label \(label) has no palette colour")
            if skipVoid && label == LabelPalette.voidLabel { continue }
            blend(&out.bytes, at: i, with: RGB(palette[label]), alpha: alpha)
        }
        return out
    }

    /// Blends a heatmap (e.g. one class's probability) over `image` through `colormap`.
    ///
    /// - Parameters:
    ///   - values: row-major H×W values, same size as `image`.
    ///   - image: the picture underneath.
    ///   - colormap: the colours of the values.
    ///   - range: values mapped to the colormap ends; `nil` spans the values.
    ///   - alpha: opacity of the heatmap.
    public static func heatmap(_ values: [Float], on image: RGBPixels, colormap: Colormap = .viridis,
                               range: ValueRange? = nil, alpha: Double = 0.5) -> RGBPixels {
        precondition(values.count == image.width * image.height,
                     "Overlay: \(values.count) values for a \(image.width)×\(image.height) image")
        let r = range ?? ValueRange(spanning: values)
        var out = image
        for (i, v) in values.enumerated() {
            blend(&out.bytes, at: i, with: colormap.color(at: r.fraction(Double(v))), alpha: alpha)
        }
        return out
    }

    /// out = (1 − α)·pixel + α·colour, rounded to the nearest byte.
    static func blend(_ bytes: inout [UInt8], at pixel: Int, with color: RGB, alpha: Double) {
        let (r, g, b) = color.bytes
        for (k, c) in [r, g, b].enumerated() {
            let o = 3 * pixel + k
            bytes[o] = UInt8(((1 - alpha) * Double(bytes[o]) + alpha * Double(c)).rounded())
        }
    }
}

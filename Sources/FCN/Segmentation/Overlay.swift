// Overlay.swift — a segmentation blended over its photograph, the way the paper shows results
// (CVPR 2015 Fig. 1, Fig. 4, Fig. 6; PAMI 2016 Fig. 1, 4, 6).
//
// Per pixel and channel: out = (1 − α)·pixel + α·colour, rounded to the nearest byte (halves
// away from zero), in `Double`. α = 0 gives the photograph, α = 1 the flat label colours. Pixels
// whose label is the void label (255, "not scored") are left as the photograph by default, so
// that what the ground truth does not judge stays visible. A reader of an overlay also wants the
// background (class 0, black in VOC's palette) left as the photograph — blended in, it only
// darkens the picture — so `overlaid(with:palette:alpha:unpainted:)` takes a set of labels to
// leave; `fcn segment` leaves {0, 255}. Layout: interleaved R G B, row-major.

extension RGBImage {
    /// The image with `labels` painted over it in `palette`'s colours at opacity `alpha`.
    ///
    /// ```swift
    /// let result = try Segmentation.segment(photo, with: net)
    /// let shown = photo.overlaid(with: result.labels, alpha: 0.5)
    /// try shown.write(to: URL(filePath: "overlay.png"))
    /// ```
    ///
    /// - Parameters:
    ///   - labels: one label per pixel, the image's size.
    ///   - palette: the colour of each label; VOC's by default. A label beyond it is a programming error.
    ///   - alpha: the labels' opacity, 0…1.
    ///   - unpainted: the label whose pixels are left unpainted (`nil`: paint every pixel); VOC's void
    ///     label by default. A net with 256 classes passes `nil`, for 255 is then a class.
    /// - Returns: an image of the same size.
    public func overlaid(with labels: LabelMap, palette: [LabelColor] = LabelPalette.pascalVOCColors, alpha: Double = 0.5,
                         leaving unpainted: UInt8? = UInt8(LabelPalette.voidLabel)) -> RGBImage {
        overlaid(with: labels, palette: palette, alpha: alpha, unpainted: Set(unpainted.map { [$0] } ?? []))
    }

    /// The image with `labels` painted over it at opacity `alpha`, except the pixels whose label
    /// is in `unpainted` (e.g. `[0, 255]`: background and void stay as the photograph).
    ///
    /// ```swift
    /// let shown = photo.overlaid(with: result.labels, alpha: 0.6, unpainted: [0, 255])
    /// ```
    public func overlaid(with labels: LabelMap, palette: [LabelColor] = LabelPalette.pascalVOCColors, alpha: Double = 0.5,
                         unpainted: Set<UInt8>) -> RGBImage {
        precondition(labels.width == width && labels.height == height,
                     "RGBImage.overlaid: \(labels.width)×\(labels.height) labels over a \(width)×\(height) image")
        precondition((0...1).contains(alpha), "RGBImage.overlaid: alpha \(alpha) outside 0…1")
        var out = self
        for (p, label) in labels.labels.enumerated() where !unpainted.contains(label) {
            let color = palette[Int(label)]
            out.blend(pixel: p, with: (color.red, color.green, color.blue), alpha: alpha)
        }
        return out
    }

    /// out = (1 − α)·pixel + α·colour at pixel `p` (row-major index), rounded to the nearest byte.
    /// The one blending rule of every overlay, labels here and heatmaps in the figures.
    package mutating func blend(pixel p: Int, with color: (UInt8, UInt8, UInt8), alpha: Double) {
        for (k, c) in [color.0, color.1, color.2].enumerated() {
            let o = 3 * p + k
            pixels[o] = UInt8(((1 - alpha) * Double(pixels[o]) + alpha * Double(c)).rounded())
        }
    }
}

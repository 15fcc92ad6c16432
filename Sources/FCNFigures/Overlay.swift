// Overlay.swift — a heatmap (one class's probability, say) blended over a photograph, as the
// paper's Fig. 2 shows the convolutionalized classifier's output (CVPR 2015 §3.1).
//
// Blending is the library's rule, per pixel: out = (1 − α)·image + α·colour
// (`RGBImage.blend`, `FCN/Segmentation/Overlay.swift`, which also lays label maps over images:
// `RGBImage.overlaid(with:palette:alpha:leaving:)`). Only the colormap is the figures' own.
import FCN

/// A heatmap blended with an RGB image.
///
/// ```swift
/// let shown = Overlay.heatmap(probabilities, on: photo, alpha: 0.6)   // probabilities: H·W values
/// canvas.image(shown, in: rect)
/// ```
public enum Overlay {
    /// Blends a heatmap (e.g. one class's probability) over `image` through `colormap`.
    ///
    /// - Parameters:
    ///   - values: row-major H×W values, same size as `image`.
    ///   - image: the picture underneath.
    ///   - colormap: the colours of the values.
    ///   - range: values mapped to the colormap ends; `nil` spans the values.
    ///   - alpha: opacity of the heatmap.
    public static func heatmap(_ values: [Float], on image: RGBImage, colormap: Colormap = .viridis,
                               range: ValueRange? = nil, alpha: Double = 0.5) -> RGBImage {
        precondition(values.count == image.width * image.height,
                     "Overlay: \(values.count) values for a \(image.width)×\(image.height) image")
        let r = range ?? ValueRange(spanning: values)
        var out = image
        for (i, v) in values.enumerated() {
            out.blend(pixel: i, with: colormap.color(at: r.fraction(Double(v))).bytes, alpha: alpha)
        }
        return out
    }
}

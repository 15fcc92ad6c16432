// TensorImage.swift — one 2-D slice of a tensor shown as coloured pixels, with a colour bar.
//
// No paper section: drawing infrastructure for feature maps and score maps (paper Fig. 1, 4).
// A slice is picked from an NCHW tensor (or CHW, or HW), mapped through a colormap over a
// stated value range, and drawn enlarged with nearest-neighbour sampling so that each tensor
// element stays a visible square.
import FCN

/// The (n, c) slice of a tensor as an image, with the value range used for colouring.
///
/// Dimension letters: N batch, C channel, H height, W width (row-major NCHW).
///
/// ```swift
/// let x = Tensor(shape: [1, 2, 4, 4]) { i in Float(i[2] * 4 + i[3]) }
/// let img = TensorImage(x, channel: 1)              // range 0…15 found from the slice
/// canvas.draw(img, in: Rect(x: 0, y: 0, width: 64, height: 64))
/// canvas.colorBar(img.colormap, range: img.range, in: Rect(x: 70, y: 0, width: 10, height: 64))
/// ```
public struct TensorImage: Sendable {
    /// Slice height and width.
    public let height: Int, width: Int
    /// The slice's values, row-major H×W.
    public let values: [Float]
    /// The colormap the values are drawn with.
    public let colormap: Colormap
    /// The values mapped to the ends of the colormap; values outside are clamped.
    public let range: ValueRange

    /// The image of one H×W slice of `tensor`, coloured by `colormap` over `range`.
    ///
    /// - Parameters:
    ///   - tensor: rank 4 (NCHW), 3 (CHW) or 2 (HW).
    ///   - batch: which image of a batch (ignored below rank 4).
    ///   - channel: which channel (ignored below rank 3).
    ///   - colormap: the colours of the values.
    ///   - range: the value range to colour; `nil` spans the slice's own minimum and maximum.
    public init(_ tensor: Tensor, batch: Int = 0, channel: Int = 0, colormap: Colormap = .viridis,
                range: ValueRange? = nil) {
        let s = tensor.shape
        precondition((2...4).contains(s.count), "TensorImage: need rank 2, 3 or 4, got shape \(s)")
        let h = s[s.count - 2], w = s[s.count - 1]
        let c = s.count >= 3 ? s[s.count - 3] : 1
        let n = s.count == 4 ? s[0] : 1
        precondition(batch < n && channel < c, "TensorImage: slice (\(batch), \(channel)) outside shape \(s)")
        let start = ((s.count == 4 ? batch : 0) * c + (s.count >= 3 ? channel : 0)) * h * w
        let values = Array(tensor.scalars[start..<(start + h * w)])   // H×W
        self.init(values: values, height: h, width: w, colormap: colormap, range: range)
    }

    /// From row-major H×W values.
    public init(values: [Float], height: Int, width: Int, colormap: Colormap = .viridis, range: ValueRange? = nil) {
        precondition(values.count == height * width, "TensorImage: \(height)×\(width) needs \(height * width) values")
        self.values = values; self.height = height; self.width = width
        self.colormap = colormap
        self.range = range ?? ValueRange(spanning: values)
    }

    /// The coloured pixels, one per element.
    public var pixels: RGBImage {
        var bytes = [UInt8](repeating: 0, count: height * width * 3)
        for (i, v) in values.enumerated() {
            let (r, g, b) = colormap.color(at: range.fraction(Double(v))).bytes
            bytes[3 * i] = r; bytes[3 * i + 1] = g; bytes[3 * i + 2] = b
        }
        return RGBImage(width: width, height: height, pixels: bytes)
    }
}

extension Canvas {
    /// Draws a tensor slice stretched into `rect`, pixels sharp, with a thin outline.
    public func draw(_ image: TensorImage, in rect: Rect, outline: Bool = true) {
        self.image(image.pixels, in: rect)
        if outline { stroke(rect, .grey, lineWidth: 0.5) }
    }

    /// A vertical colour bar: the colormap from `range.lower` (bottom) to `range.upper` (top),
    /// with both values printed to the right.
    public func colorBar(_ colormap: Colormap, range: ValueRange, in rect: Rect, font: Font = .regular(9),
                         steps: Int = 128) {
        // A column of `steps` pixels, top = t 1; the image drawer enlarges it without smoothing.
        var pixels = RGBImage(width: 1, height: steps, fill: .white)
        for y in 0..<steps { pixels[y, 0] = colormap.color(at: 1 - Double(y) / Double(steps - 1)) }
        image(pixels, in: rect)
        stroke(rect, .grey, lineWidth: 0.5)
        text(formatNumber(range.upper), at: Point(rect.maxX + 3, rect.minY), font: font, align: .left, baseline: .top)
        text(formatNumber(range.lower), at: Point(rect.maxX + 3, rect.maxY), font: font, align: .left, baseline: .baseline)
    }
}

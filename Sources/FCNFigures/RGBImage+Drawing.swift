// RGBImage+Drawing.swift — what the figures need of the library's one RGB image type
// (`FCN.RGBImage`, interleaved R G B bytes, row-major): filling it with a colour and reading or
// writing a pixel as an `RGB`.
//
// No paper section: drawing infrastructure. Byte offset of (row y, column x, channel c) is
// (y·width + x)·3 + c.
import FCN

extension RGBImage {
    /// An image filled with one colour.
    ///
    /// ```swift
    /// var img = RGBImage(width: 2, height: 1, fill: .white)
    /// img[0, 1] = RGB(1, 0, 0)          // row 0, column 1 becomes red
    /// img.pixels                        // [255,255,255, 255,0,0]
    /// ```
    public init(width: Int, height: Int, fill: RGB) {
        let (r, g, b) = fill.bytes
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for i in 0..<(width * height) { pixels[3 * i] = r; pixels[3 * i + 1] = g; pixels[3 * i + 2] = b }
        self.init(width: width, height: height, pixels: pixels)
    }

    /// The colour at row `y`, column `x`.
    public subscript(y: Int, x: Int) -> RGB {
        get {
            let o = (y * width + x) * 3
            return RGB(bytes: pixels[o], pixels[o + 1], pixels[o + 2])
        }
        set {
            let o = (y * width + x) * 3
            let (r, g, b) = newValue.bytes
            pixels[o] = r; pixels[o + 1] = g; pixels[o + 2] = b
        }
    }
}

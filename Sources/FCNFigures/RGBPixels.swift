// RGBPixels.swift — a plain 8-bit RGB image, the input to overlays and image drawing.
//
// No paper section: drawing infrastructure. Row-major, three bytes per pixel (R, G, B), no
// padding between rows: byte offset of (row y, column x, channel c) is (y·width + x)·3 + c.
// (A stand-in until the library's image type is connected.)

/// An 8-bit RGB image in row-major order, three bytes per pixel.
///
/// ```swift
/// var img = RGBPixels(width: 2, height: 1, fill: .white)
/// img[0, 1] = RGB(1, 0, 0)          // row 0, column 1 becomes red
/// img.bytes                         // [255,255,255, 255,0,0]
/// ```
public struct RGBPixels: Hashable, Sendable {
    /// Width and height in pixels.
    public let width: Int, height: Int
    /// `width · height · 3` bytes, R G B for each pixel in row-major order.
    public var bytes: [UInt8]

    /// An image from interleaved RGB bytes, row by row (`bytes.count == 3·width·height`).
    public init(width: Int, height: Int, bytes: [UInt8]) {
        precondition(width > 0 && height > 0, "RGBPixels: size must be positive, got \(width)×\(height)")
        precondition(bytes.count == width * height * 3,
                     "RGBPixels: \(width)×\(height) needs \(width * height * 3) bytes, got \(bytes.count)")
        self.width = width; self.height = height; self.bytes = bytes
    }

    /// An image filled with one colour.
    public init(width: Int, height: Int, fill: RGB) {
        let (r, g, b) = fill.bytes
        var bytes = [UInt8](repeating: 0, count: width * height * 3)
        for i in 0..<(width * height) { bytes[3 * i] = r; bytes[3 * i + 1] = g; bytes[3 * i + 2] = b }
        self.init(width: width, height: height, bytes: bytes)
    }

    /// The colour at row `y`, column `x`.
    public subscript(y: Int, x: Int) -> RGB {
        get {
            let o = (y * width + x) * 3
            return RGB(bytes: bytes[o], bytes[o + 1], bytes[o + 2])
        }
        set {
            let o = (y * width + x) * 3
            let (r, g, b) = newValue.bytes
            bytes[o] = r; bytes[o + 1] = g; bytes[o + 2] = b
        }
    }
}

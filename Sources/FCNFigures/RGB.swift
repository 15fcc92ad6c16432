// RGB.swift — a colour as three fractions in 0…1, the currency of every drawing call.
//
// No paper section: this is drawing infrastructure shared by all the figures.
import FCN

/// A colour with red, green and blue in 0…1 (sRGB, as Cairo takes them).
///
/// ```swift
/// let ink = RGB(0.1, 0.1, 0.1)
/// let voc = RGB(LabelPalette.pascalVOC(15))   // the person class, (192,128,128)/255
/// ```
public struct RGB: Hashable, Sendable {
    /// The channels, each in [0, 1].
    public var red: Double, green: Double, blue: Double
    /// A colour from channels in [0, 1].
    public init(_ red: Double, _ green: Double, _ blue: Double) {
        self.red = red; self.green = green; self.blue = blue
    }
    /// From 8-bit components.
    public init(bytes red: UInt8, _ green: UInt8, _ blue: UInt8) {
        self.init(Double(red) / 255, Double(green) / 255, Double(blue) / 255)
    }
    /// From a palette entry of the `FCN` library.
    public init(_ color: LabelColor) { self.init(bytes: color.red, color.green, color.blue) }
    /// From `0xRRGGBB`.
    public init(hex: UInt32) {
        self.init(bytes: UInt8((hex >> 16) & 0xff), UInt8((hex >> 8) & 0xff), UInt8(hex & 0xff))
    }

    /// The 8-bit components, rounded and clamped.
    public var bytes: (red: UInt8, green: UInt8, blue: UInt8) {
        func byte(_ v: Double) -> UInt8 { UInt8(max(0, min(255, (v * 255).rounded()))) }
        return (byte(red), byte(green), byte(blue))
    }

    /// `(1 − t)·self + t·other`, component by component.
    public func mixed(with other: RGB, _ t: Double) -> RGB {
        RGB(red + (other.red - red) * t, green + (other.green - green) * t, blue + (other.blue - blue) * t)
    }

    /// Relative luminance (Rec. 709 weights), used to pick black or white text on a fill.
    public var luminance: Double { 0.2126 * red + 0.7152 * green + 0.0722 * blue }

    /// Black.
    public static let black = RGB(0, 0, 0)
    /// White.
    public static let white = RGB(1, 1, 1)
    /// Text and outline ink: near-black reads softer than pure black.
    public static let ink = RGB(0.13, 0.13, 0.13)
    /// Mid grey, for secondary lines and NaN.
    public static let grey = RGB(0.55, 0.55, 0.55)
    /// Light grey, for grids and backgrounds.
    public static let lightGrey = RGB(0.88, 0.88, 0.88)
    /// A qualitative series palette (Tableau 10's first six), for lines and bars.
    public static let series: [RGB] = [
        RGB(hex: 0x4E79A7), RGB(hex: 0xF28E2B), RGB(hex: 0xE15759),
        RGB(hex: 0x76B7B2), RGB(hex: 0x59A14F), RGB(hex: 0xEDC948),
    ]
}

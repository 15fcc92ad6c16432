// FigureFiles.swift — reading back what the engine wrote: PNG header and pixels, PDF pages, SVG XML.
//
// Independent of the drawing code: the PNG header is parsed by hand from the file format
// (signature, then the IHDR chunk with big-endian width and height), pixels are decoded by
// Cairo's PNG reader, pages are counted in the PDF text, SVG is parsed by Foundation's XMLParser.
import CCairo
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A fresh empty folder under the system temporary folder.
func makeTemporaryFolder(_ name: String = #function) throws -> URL {
    let safe = name.filter { $0.isLetter || $0.isNumber }
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("FCNFiguresTests-\(safe)-\(UUID().uuidString.prefix(8))", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Width and height from a PNG's IHDR chunk, or nil if the bytes are not a PNG.
func pngSize(_ data: Data) -> (width: Int, height: Int)? {
    let bytes = [UInt8](data)
    let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    // 8 signature bytes, 4 length bytes, "IHDR", then width and height, 4 big-endian bytes each.
    guard bytes.count >= 24, Array(bytes[0..<8]) == signature, Array(bytes[12..<16]) == Array("IHDR".utf8) else { return nil }
    func be32(_ o: Int) -> Int { bytes[o..<(o + 4)].reduce(0) { $0 << 8 | Int($1) } }
    return (be32(16), be32(20))
}

/// The variance of all R, G, B samples of a PNG decoded by Cairo (0 for a blank image), or
/// nil if Cairo cannot read it.
func pngPixelVariance(_ url: URL) -> Double? {
    let surface = cairo_image_surface_create_from_png(url.path)!
    defer { cairo_surface_destroy(surface) }
    guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else { return nil }
    let w = Int(cairo_image_surface_get_width(surface)), h = Int(cairo_image_surface_get_height(surface))
    let stride = Int(cairo_image_surface_get_stride(surface))
    let data = cairo_image_surface_get_data(surface)!
    var sum = 0.0, sumSquares = 0.0
    for y in 0..<h {
        let row = UnsafeRawPointer(data + y * stride).assumingMemoryBound(to: UInt32.self)
        for x in 0..<w {
            for shift in [16, 8, 0] {   // R, G, B of a native-endian 0xAARRGGBB word
                let v = Double((row[x] >> UInt32(shift)) & 0xff)
                sum += v; sumSquares += v * v
            }
        }
    }
    let n = Double(3 * w * h)
    return sumSquares / n - (sum / n) * (sum / n)
}

/// The number of page objects (`/Type /Page`, not `/Type /Pages`) in a PDF.
func pdfPageCount(_ data: Data) -> Int {
    let text = String(decoding: data, as: UTF8.self)
    let pieces = text.components(separatedBy: "/Type /Page")
    return pieces.dropFirst().filter { !$0.hasPrefix("s") }.count
}

/// Whether `data` is well-formed XML.
func parsesAsXML(_ data: Data) -> Bool {
    XMLParser(data: data).parse()
}

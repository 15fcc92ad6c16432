// Images.swift — read PNG/JPEG photos and PNG label maps, write PNGs. The paper's data (§4.2,
// PASCAL VOC, SIFT Flow, NYUDv2) are JPEG photos with palette-PNG label maps, where each
// pixel's palette *index* is its class (0 background, 1–20 classes, 255 "void" border).
//
// Decoding and encoding happen in C (`CImageCodecs`, over libpng and libjpeg); this file turns
// its status codes into `ImageError`s that name the file, and writes files atomically.
// The format is recognised from the first bytes, never from the file extension.

import CImageCodecs
import Foundation

/// Why an image could not be read or written. Every message names the file.
public enum ImageError: Error, CustomStringConvertible, Equatable {
    /// The file cannot be opened or read.
    case cannotOpen(file: String, reason: String)
    /// The bytes are neither PNG nor JPEG.
    case notAnImage(file: String)
    /// The decoder refused the data (truncated, corrupt, unsupported variant).
    case corrupt(file: String, format: String, problem: String)
    /// The image has more pixels than ``RGBImage/maximumPixelCount``.
    case tooLarge(file: String, problem: String)
    /// A label map was expected, but the PNG has no palette.
    case notIndexed(file: String)
    /// The image to encode is invalid (no pixels, index beyond the palette, …).
    case cannotEncode(file: String, problem: String)

    /// A sentence naming the file and the problem.
    public var description: String {
        switch self {
        case let .cannotOpen(file, reason): return "\(file): cannot open image: \(reason)"
        case let .notAnImage(file): return "\(file): not a PNG or JPEG image (unrecognised first bytes)"
        case let .corrupt(file, format, problem): return "\(file): invalid \(format) image: \(problem)"
        case let .tooLarge(file, problem): return "\(file): image too large: \(problem)"
        case let .notIndexed(file): return "\(file): not a palette (indexed-colour) PNG, so not a label map"
        case let .cannotEncode(file, problem): return "\(file): cannot encode PNG: \(problem)"
        }
    }
}

/// An 8-bit RGB image, rows top to bottom, pixels interleaved `R G B R G B …`.
///
/// ```swift
/// let photo = try RGBImage.decode(contentsOf: URL(filePath: "2007_000033.jpg"))
/// photo.width; photo.height                    // 500, 366
/// try photo.write(to: URL(filePath: "copy.png"))
/// ```
///
/// ### See Also
/// - ``IndexedImage`` for label maps, ``RGBImage/caffeInput()`` for the network input.
public struct RGBImage: Sendable, Equatable {
    /// Width W in pixels.
    public var width: Int
    /// Height H in pixels.
    public var height: Int
    /// `height × width × 3` bytes.
    public var pixels: [UInt8]

    /// Decoding refuses images with more pixels than this, before allocating anything.
    public static let maximumPixelCount = 100_000_000

    /// An image from interleaved 8-bit RGB pixels, row by row (`pixels.count == 3·W·H`).
    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width >= 0 && height >= 0 && pixels.count == width * height * 3,
                     "RGBImage: \(width)×\(height) needs \(width * height * 3) bytes, got \(pixels.count)")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// Reads a PNG (any colour type and depth; alpha dropped, 16-bit reduced to 8) or a JPEG.
    public static func decode(contentsOf url: URL) throws -> RGBImage {
        let image = try ImageCodec.decode(url)
        defer { ImageCodec.release(image) }
        return RGBImage(width: image.width, height: image.height,
                        pixels: Array(UnsafeBufferPointer(start: image.raw.rgb, count: image.width * image.height * 3)))
    }

    /// Decodes `bytes` as if they were the file `name`: the entry point of the fuzzer.
    @_spi(Fuzzing) public static func decode(bytes: some Collection<UInt8>, name: String) throws -> RGBImage {
        let image = try Array(bytes).withUnsafeBytes { try ImageCodec.decode($0, path: name) }
        defer { ImageCodec.release(image) }
        return RGBImage(width: image.width, height: image.height,
                        pixels: Array(UnsafeBufferPointer(start: image.raw.rgb, count: image.width * image.height * 3)))
    }

    /// The image encoded as an RGB PNG.
    public func pngData() throws -> Data {
        try pixels.withUnsafeBufferPointer { buffer in
            try ImageCodec.encode(name: "(memory)", width: width, height: height) { output, size, message in
                cic_png_encode_rgb(buffer.baseAddress, UInt32(width), UInt32(height), output, size, message, ImageCodec.messageSize)
            }
        }
    }

    /// Writes the image as an RGB PNG, atomically.
    public func write(to url: URL) throws {
        try AtomicFile.write(ImageCodec.renaming(url) { try pngData() }, to: url)
    }
}

/// An 8-bit palette image: a label map whose pixel values are class indices, with the colours
/// that display them (PASCAL VOC's `SegmentationClass/*.png` are such images).
///
/// ```swift
/// let labels = try IndexedImage.decode(contentsOf: URL(filePath: "2007_000033.png"))
/// labels.indices[0]          // class of the top-left pixel (255 = void)
/// labels.palette[15]         // (192, 128, 128): the colour of class 15, person
/// ```
public struct IndexedImage: Sendable, Equatable {
    /// Width W in pixels.
    public var width: Int
    /// Height H in pixels.
    public var height: Int
    /// `height × width` palette indices.
    public var indices: [UInt8]
    /// The colours of indices `0..<palette.count` (at most 256).
    public var palette: [(UInt8, UInt8, UInt8)]

    /// An image from one palette index per pixel, row by row, and its palette of RGB colours.
    public init(width: Int, height: Int, indices: [UInt8], palette: [(UInt8, UInt8, UInt8)]) {
        precondition(width >= 0 && height >= 0 && indices.count == width * height,
                     "IndexedImage: \(width)×\(height) needs \(width * height) indices, got \(indices.count)")
        self.width = width
        self.height = height
        self.indices = indices
        self.palette = palette
    }

    /// Equal sizes, indices and palette colours.
    public static func == (a: IndexedImage, b: IndexedImage) -> Bool {
        a.width == b.width && a.height == b.height && a.indices == b.indices
            && a.palette.count == b.palette.count && zip(a.palette, b.palette).allSatisfy { $0 == $1 }
    }

    /// Reads a palette PNG, keeping the raw indices. Other images throw ``ImageError/notIndexed(file:)``.
    public static func decode(contentsOf url: URL) throws -> IndexedImage {
        let image = try ImageCodec.decode(url)
        defer { ImageCodec.release(image) }
        guard let indices = image.raw.indices else { throw ImageError.notIndexed(file: url.path) }
        // The C palette is a fixed array (imported as a 768-element tuple): read it as bytes.
        let flat: [UInt8] = withUnsafeBytes(of: image.raw.palette) { Array($0) }
        var palette: [(UInt8, UInt8, UInt8)] = []
        for entry in 0..<Int(image.raw.palette_count) {
            palette.append((flat[3 * entry], flat[3 * entry + 1], flat[3 * entry + 2]))
        }
        return IndexedImage(width: image.width, height: image.height,
                            indices: Array(UnsafeBufferPointer(start: indices, count: image.width * image.height)),
                            palette: palette)
    }

    /// The image encoded as an 8-bit palette PNG.
    /// - Throws: ``ImageError/cannotEncode(file:problem:)`` if an index is beyond the palette.
    public func pngData() throws -> Data {
        let flatPalette = palette.flatMap { [$0.0, $0.1, $0.2] }
        return try indices.withUnsafeBufferPointer { buffer in
            try ImageCodec.encode(name: "(memory)", width: width, height: height) { output, size, message in
                cic_png_encode_indexed(buffer.baseAddress, UInt32(width), UInt32(height), flatPalette,
                                       Int32(palette.count), output, size, message, ImageCodec.messageSize)
            }
        }
    }

    /// Writes the image as an 8-bit palette PNG, atomically.
    public func write(to url: URL) throws {
        try AtomicFile.write(ImageCodec.renaming(url) { try pngData() }, to: url)
    }
}

/// The glue between Swift and `CImageCodecs`.
enum ImageCodec {
    static let messageSize = 512

    /// A decoded `cic_image` whose C buffers must be released with ``release(_:)``.
    struct Decoded {
        var raw: cic_image
        var width: Int { Int(raw.width) }
        var height: Int { Int(raw.height) }
    }

    /// The largest image file read: far above any photo of ``RGBImage/maximumPixelCount``
    /// pixels in a sane encoding, low enough that reading the file cannot exhaust memory.
    static let maximumFileSize = 1 << 30

    static func decode(_ url: URL) throws -> Decoded {
        try read(url).withUnsafeBytes { try decode($0, path: url.path) }
    }

    /// The bytes of the image file `url`, refused before reading when larger than
    /// ``maximumFileSize``.
    static func read(_ url: URL) throws(ImageError) -> [UInt8] {
        let file: InputFile
        do { file = try InputFile(url: url) } catch { throw .cannotOpen(file: url.path, reason: error.reason) }
        guard file.size <= maximumFileSize else {
            throw .tooLarge(file: url.path, problem: "the file has \(file.size) bytes, more than the \(maximumFileSize)-byte limit for images")
        }
        do { return try file.bytes(0..<file.size) } catch { throw .cannotOpen(file: url.path, reason: error.reason) }
    }

    /// Decodes the bytes of a PNG or JPEG; `path` is used in error messages.
    static func decode(_ bytes: UnsafeRawBufferPointer, path: String) throws -> Decoded {
        let isPNG = bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let isJPEG = bytes.starts(with: [0xFF, 0xD8, 0xFF])
        guard isPNG || isJPEG else { throw ImageError.notAnImage(file: path) }
        if isPNG {
            try checkChunkLengths(png: bytes, path: path)
            try checkDeclaredSize(png: bytes, path: path)
        }

        var raw = cic_image()
        var message = [CChar](repeating: 0, count: messageSize)
        let base = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let status = isPNG
            ? cic_png_decode(base, bytes.count, UInt64(RGBImage.maximumPixelCount), &raw, &message, messageSize)
            : cic_jpeg_decode(base, bytes.count, UInt64(RGBImage.maximumPixelCount), UInt64(decoderMemoryLimit(fileSize: bytes.count)),
                              &raw, &message, messageSize)
        let text = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        switch status {
        case CIC_OK: return Decoded(raw: raw)
        case CIC_ERROR_TOO_LARGE: throw ImageError.tooLarge(file: path, problem: text)
        default: throw ImageError.corrupt(file: path, format: isPNG ? "PNG" : "JPEG", problem: text.isEmpty ? "decoder failed" : text)
        }
    }

    /// The most memory libjpeg may allocate for its own buffers, for a file of `fileSize` bytes.
    ///
    /// A progressive JPEG keeps all its DCT coefficients, 128 bytes per 8×8 block, and
    /// allocates them for the *declared* size before reading any scan. But its first (DC) scan
    /// spends at least one bit on every block (a Huffman code is ≥ 1 bit; DC scans have no
    /// runs), so a real file has at least blocks/8 bytes and needs at most 1024 bytes of
    /// coefficients per byte of file. We allow 1100 per byte (tables, row buffers), at least
    /// 32 MiB, at most 1 GiB and never more than the process may allocate (``MemoryLimits``):
    /// a 600-byte file declaring 10 000 × 10 000 pixels gets 32 MiB, not 600 MB.
    static func decoderMemoryLimit(fileSize: Int) -> Int {
        let (scaled, overflow) = fileSize.multipliedReportingOverflow(by: 1100)
        return min(1 << 30, max(32 << 20, overflow ? Int.max : scaled), MemoryLimits.availableBytes() ?? Int.max)
    }

    static func release(_ image: Decoded) {
        var raw = image.raw
        cic_image_free(&raw)
    }

    /// Runs a C encoder and copies its malloc'ed output into `Data`.
    static func encode(name: String, width: Int, height: Int,
                       _ body: (UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>, UnsafeMutablePointer<Int>, UnsafeMutablePointer<CChar>) -> cic_status) throws -> Data {
        guard width > 0, height > 0, width <= Int(UInt32.max), height <= Int(UInt32.max) else {
            throw ImageError.cannotEncode(file: name, problem: "size \(width)×\(height) has no pixels or is too large")
        }
        var output: UnsafeMutablePointer<UInt8>?
        var size = 0
        var message = [CChar](repeating: 0, count: messageSize)
        let status = message.withUnsafeMutableBufferPointer { body(&output, &size, $0.baseAddress!) }
        defer { cic_free(output) }
        guard status == CIC_OK, let output else {
            throw ImageError.cannotEncode(file: name, problem: message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })
        }
        return Data(bytes: output, count: size)
    }

    /// Runs `body`, replacing the placeholder file name of an encoding error with `url`'s path.
    static func renaming(_ url: URL, _ body: () throws -> Data) throws -> Data {
        do { return try body() } catch ImageError.cannotEncode(_, let problem) {
            throw ImageError.cannotEncode(file: url.path, problem: problem)
        }
    }
}

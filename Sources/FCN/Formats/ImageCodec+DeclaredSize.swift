// ImageCodec+DeclaredSize.swift — refuse a PNG whose header declares more pixels than its bytes
// can possibly hold, before the decoder allocates the pixel buffer. Infrastructure for the image
// readers (`Images.swift`); no paper section.
//
// A PNG's pixels are deflate-compressed, and deflate cannot do better than 1032:1 (a 258-byte
// match costs at least 2 bits). So a file of N bytes decompresses to at most 1032 · N bytes.
// A 100-byte file claiming 10 000 × 10 000 RGB pixels (300 MB) is therefore truncated or
// forged, and we say so instead of allocating 300 MB and failing later. Images above
// `RGBImage.maximumPixelCount` are left to the decoder, which refuses them as too large.
//
// JPEG has no such bound (progressive JPEGs code long runs of empty blocks in one symbol);
// libjpeg's memory is limited instead (`max_memory_to_use`, see image_codecs.c).
//
// Before that, every chunk's declared length is checked against the bytes that follow it:
// libpng allocates an ancillary chunk (tEXt, iCCP, …) at its declared length *before* reading
// it, so a 60-byte file claiming a 2³¹-byte tEXt chunk made it allocate 2 GiB.

extension ImageCodec {
    /// The best compression ratio deflate can reach.
    static let maximumDeflateRatio = 1032

    /// Throws ``ImageError/corrupt(file:format:problem:)`` when a chunk of the PNG `bytes`
    /// declares more bytes than the file has left (one pass over the chunk headers, up to IEND).
    static func checkChunkLengths(png bytes: UnsafeRawBufferPointer, path: String) throws {
        func bigEndian32(_ offset: Int) -> Int { bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) } }
        var offset = 8                                   // after the signature
        while offset + 8 <= bytes.count {                // length (4) and type (4) are there
            let length = bigEndian32(offset)
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)].map { (32...126).contains($0) ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
            let remaining = bytes.count - offset - 12    // after length, type and CRC
            guard length <= remaining else {
                throw ImageError.corrupt(file: path, format: "PNG", problem:
                    "truncated PNG data: chunk '\(type)' at byte \(offset) declares \(length) bytes, but only \(max(0, remaining)) follow it")
            }
            if type == "IEND" { return }
            offset += 12 + length
        }
    }

    /// Throws ``ImageError/corrupt(file:format:problem:)`` when the PNG `bytes` declare more
    /// pixel data than they can hold; returns quietly when the header cannot be read (the
    /// decoder then explains what is wrong).
    static func checkDeclaredSize(png bytes: UnsafeRawBufferPointer, path: String) throws {
        // Signature (8 bytes), then the IHDR chunk: length (4), "IHDR", width (4), height (4),
        // bit depth (1), colour type (1), all big-endian.
        guard bytes.count >= 26, Array(bytes[12..<16]) == Array("IHDR".utf8) else { return }
        func bigEndian32(_ offset: Int) -> Int { bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) } }
        let (width, height) = (bigEndian32(16), bigEndian32(20))
        let bitDepth = Int(bytes[24])
        // Samples per pixel of colour types 0 (grey), 2 (RGB), 3 (palette), 4 (grey+alpha), 6 (RGBA).
        let samples: [UInt8: Int] = [0: 1, 2: 3, 3: 1, 4: 2, 6: 4]
        // Width and height are below 2³², their product may not fit in an Int: check first.
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        guard let channels = samples[bytes[25]], !overflow, pixels <= RGBImage.maximumPixelCount else { return }
        // Pixel bits only, no filter bytes: a lower bound, also for interlaced images.
        let pixelBytes = (pixels * channels * bitDepth + 7) / 8  // ≤ 10⁸ · 4 · 16: no overflow
        let capacity = maximumDeflateRatio * bytes.count
        guard pixelBytes <= capacity else {
            throw ImageError.corrupt(file: path, format: "PNG", problem:
                "header declares \(width)×\(height) pixels (\(pixelBytes) bytes of pixel data), more than the file's \(bytes.count) bytes can hold even at deflate's best ratio of \(maximumDeflateRatio):1; the file is truncated or corrupt")
        }
    }
}

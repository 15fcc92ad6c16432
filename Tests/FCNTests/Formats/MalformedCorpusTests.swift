// MalformedCorpusTests.swift — every file of the malformed corpus (Formats/Malformed/, written
// by scripts/make-malformed-corpus) is refused by its reader with a typed error whose message
// names the file and the problem, and reading it writes nothing next to it.
import Foundation
import Testing
@testable import FCN

/// The reader a corpus file is fed to, and the error type it must throw.
enum CorpusReader: String, Sendable {
    case safetensors, npy, caffemodel, image, labelmap

    /// Reads `url` fully: for safetensors, every tensor through the model-loader accessor.
    func read(_ url: URL) throws {
        switch self {
        case .safetensors:
            let file = try SafetensorsFile(contentsOf: url)
            for name in file.tensorNames { _ = try file.tensor(named: name, expectedShape: file.shape(of: name)!) }
        case .npy: _ = try NPY.read(contentsOf: url)
        case .caffemodel: _ = try CaffeModel(contentsOf: url)
        case .image: _ = try RGBImage.decode(contentsOf: url)
        case .labelmap: _ = try LabelMap.read(contentsOf: url)
        }
    }

    /// Whether `error` is one of the typed errors this reader may throw.
    func isTyped(_ error: any Error) -> Bool {
        switch self {
        case .safetensors: return error is SafetensorsError
        case .npy: return error is NPYError
        case .caffemodel: return error is CaffeModelError
        case .image: return error is ImageError
        case .labelmap: return error is LabelMapError || error is ImageError
        }
    }
}

/// One corpus file and phrases its error message must contain (besides the file's path).
struct MalformedCase: Sendable, CustomTestStringConvertible {
    let reader: CorpusReader
    let file: String
    let phrases: [String]
    init(_ reader: CorpusReader, _ file: String, _ phrases: String...) {
        self.reader = reader
        self.file = file
        self.phrases = phrases
    }
    var url: URL { malformedFolder.appending(path: "\(reader.rawValue)/\(file)") }
    var testDescription: String { "\(reader.rawValue)/\(file)" }
}

let malformedFolder = URL(filePath: #filePath).deletingLastPathComponent().appending(path: "Malformed")

let malformedCases: [MalformedCase] = [
    // safetensors: length field, header, offsets, shapes, dtypes, values.
    .init(.safetensors, "empty.safetensors", "the file is empty"),
    .init(.safetensors, "truncated-in-length.safetensors", "truncated header length (5 bytes, need 8)"),
    .init(.safetensors, "truncated-in-header.safetensors", "exceeds the", "bytes after the length field"),
    .init(.safetensors, "truncated-in-data.safetensors", "data_offsets [0, 24] lie outside the 10-byte data section"),
    .init(.safetensors, "header-length-beyond-file.safetensors", "header length 1000 exceeds the 2 bytes after the length field"),
    .init(.safetensors, "header-length-beyond-cap.safetensors", "header length 1099511627776 exceeds the 104857600-byte limit"),
    .init(.safetensors, "header-length-max.safetensors", "header length 18446744073709551615 exceeds the 104857600-byte limit"),
    .init(.safetensors, "header-not-utf8.safetensors", "header is not valid UTF-8"),
    .init(.safetensors, "header-invalid-json.safetensors", "header is not valid JSON"),
    .init(.safetensors, "header-not-object.safetensors", "header is not a JSON object"),
    .init(.safetensors, "entry-not-object.safetensors", "entry 'w' is not an object"),
    .init(.safetensors, "metadata-not-strings.safetensors", "__metadata__ value for 'epoch' is not a string"),
    .init(.safetensors, "offsets-out-of-bounds.safetensors", "data_offsets [0, 48] lie outside the 24-byte data section"),
    .init(.safetensors, "offsets-reversed.safetensors", "data_offsets [24, 0] lie outside"),
    .init(.safetensors, "offsets-negative.safetensors", "data_offsets [-24, 0] lie outside"),
    .init(.safetensors, "offsets-huge.safetensors", "data_offsets [0, 4611686018427387904] lie outside"),
    .init(.safetensors, "offsets-overlapping.safetensors", "tensor 'b' overlaps the previous tensor"),
    .init(.safetensors, "offsets-gap.safetensors", "gap in the data before tensor 'a'"),
    .init(.safetensors, "trailing-data.safetensors", "tensors cover 24 bytes but the data section has 28"),
    .init(.safetensors, "size-mismatch.safetensors", "tensor 'w' with shape [5] and dtype F32 needs 20 bytes, data_offsets give 24"),
    .init(.safetensors, "shape-negative.safetensors", "tensor 'w' has no valid shape"),
    .init(.safetensors, "shape-fraction.safetensors", "tensor 'w' has no valid shape"),
    .init(.safetensors, "shape-boolean.safetensors", "tensor 'w' has no valid shape"),
    .init(.safetensors, "shape-not-list.safetensors", "tensor 'w' has no valid shape"),
    .init(.safetensors, "shape-beyond-int64.safetensors", "tensor 'w' has no valid shape"),
    .init(.safetensors, "shape-product-overflows.safetensors", "tensor 'w' shape [4611686018427387904, 4611686018427387904] is larger than the file"),
    .init(.safetensors, "shape-zero-with-overflow.safetensors", "tensor 'w' shape [4611686018427387904, 4611686018427387904, 0] is larger than the file"),
    .init(.safetensors, "dtype-unknown.safetensors", "tensor 'w' has unknown dtype 'F33'"),
    .init(.safetensors, "dtype-missing.safetensors", "tensor 'w' has no dtype string"),
    .init(.safetensors, "dtype-unsupported.safetensors", "tensor 'w' has dtype I64"),
    .init(.safetensors, "duplicate-names.safetensors", "duplicate entry 'w' in header"),
    .init(.safetensors, "nan-weights.safetensors", "tensor 'w' contains NaN or infinity"),
    .init(.safetensors, "inf-weights-f16.safetensors", "tensor 'w' contains NaN or infinity", "first: inf at index [1]"),
    // Round 2 (issue #18): sizes against offsets before allocating; the first non-finite index.
    .init(.safetensors, "shape-zero-dim-with-bytes.safetensors", "tensor 'w' with shape [0, 3] and dtype F32 needs 0 bytes, data_offsets give 24"),
    .init(.safetensors, "nan-first-index.safetensors", "tensor 'w' contains NaN or infinity (first: nan at index [1, 0])"),
    .init(.safetensors, "inf-weights-bf16.safetensors", "tensor 'w' contains NaN or infinity (first: -inf at index [1])"),

    // .npy: magic, version, header length, header dict, dtype, order, data size.
    .init(.npy, "empty.npy", "the file is empty"),
    .init(.npy, "wrong-magic.npy", "wrong magic"),
    .init(.npy, "unsupported-version.npy", "unsupported format version 9.0"),
    .init(.npy, "truncated-length-field.npy", "truncated header"),
    .init(.npy, "header-length-beyond-file.npy", "header length 60000 exceeds the file"),
    .init(.npy, "header-length-v2-max.npy", "header length 4294967295 exceeds the file"),
    .init(.npy, "header-not-text.npy", "header is not text"),
    .init(.npy, "dtype-int64.npy", "unsupported .npy dtype '<i8'"),
    .init(.npy, "dtype-big-endian.npy", "unsupported .npy dtype '>f4'"),
    .init(.npy, "fortran-order.npy", "Fortran (column-major) order"),
    .init(.npy, "truncated-data.npy", "truncated data: shape [2, 3] needs 24 bytes, found 20"),
    .init(.npy, "trailing-data.npy", "4 unexpected bytes after the data"),
    .init(.npy, "header-not-dict.npy", "bad header", "expected '{'"),
    .init(.npy, "header-missing-shape.npy", "bad header", "missing 'shape' tuple"),
    .init(.npy, "header-duplicate-key.npy", "bad header", "duplicate key 'descr'"),
    .init(.npy, "header-unterminated-string.npy", "bad header", "unterminated string"),
    .init(.npy, "header-text-after-dict.npy", "bad header", "unexpected text after the dict"),
    .init(.npy, "shape-negative.npy", "bad header", "expected an integer"),
    .init(.npy, "shape-integer-too-large.npy", "bad header", "integer too large"),
    .init(.npy, "shape-product-overflows.npy", "truncated data", "needs more than the 24 bytes present"),
    .init(.npy, "shape-absurd.npy", "truncated data: shape [100000, 100000, 100000] needs more than the 24 bytes present"),
    // Round 2 (issue #18): inputs must be finite, like weights (NonFiniteValue.swift).
    .init(.npy, "nan-value.npy", "the array contains NaN or infinity (first: nan at index [0, 1, 0, 1])"),
    .init(.npy, "inf-value-f8.npy", "the array contains NaN or infinity (first: inf at index [2])"),
    .init(.npy, "shape-zero-with-data.npy", "24 unexpected bytes after the data"),

    // .caffemodel: protobuf wire errors, then blob checks (naming layer and blob).
    .init(.caffemodel, "empty.caffemodel", "the file is empty"),
    .init(.caffemodel, "garbage.caffemodel", "protocol buffer decoding failed"),
    .init(.caffemodel, "truncated.caffemodel", "protocol buffer decoding failed"),
    // A known field with the wrong wire type is an unknown field to protobuf: no layers left.
    .init(.caffemodel, "wrong-wire-type.caffemodel", "no layers found"),
    .init(.caffemodel, "invalid-wire-type.caffemodel", "protocol buffer decoding failed"),
    .init(.caffemodel, "negative-length.caffemodel", "protocol buffer decoding failed"),
    .init(.caffemodel, "absurd-length.caffemodel", "protocol buffer decoding failed"),
    .init(.caffemodel, "no-layers.caffemodel", "no layers found"),
    .init(.caffemodel, "both-layer-kinds.caffemodel", "uses both 'layer' and legacy 'layers' fields"),
    .init(.caffemodel, "blob-count-mismatch.caffemodel", "layer 'conv1' blob 0: shape [2, 3] needs 6 values, the blob has 5"),
    .init(.caffemodel, "blob-legacy-count-mismatch.caffemodel", "layer 'fc6' blob 0: shape [1, 1, 2, 4] needs 8 values, the blob has 6"),
    .init(.caffemodel, "blob-dim-negative.caffemodel", "layer 'conv1' blob 0: invalid shape [2, -3]"),
    .init(.caffemodel, "blob-dim-too-large.caffemodel", "layer 'conv1' blob 0: invalid shape [1099511627776]"),
    .init(.caffemodel, "blob-shape-overflows.caffemodel", "shape [2147483648, 2147483648, 2147483648] is absurdly large"),
    .init(.caffemodel, "blob-legacy-negative.caffemodel", "negative dimension in shape [-2, 1, 1, 3]"),
    .init(.caffemodel, "blob-float-and-double.caffemodel", "has both float and double data"),

    // Images: not an image, truncated, corrupt, zero-sized, too large.
    .init(.image, "empty.png", "not a PNG or JPEG image"),
    .init(.image, "not-an-image.png", "not a PNG or JPEG image"),
    .init(.image, "truncated.png", "invalid PNG image", "truncated PNG data"),
    .init(.image, "truncated.jpg", "invalid JPEG image", "Premature end of JPEG file"),
    .init(.image, "bad-crc.png", "invalid PNG image", "CRC error"),
    .init(.image, "zero-size.png", "invalid PNG image", "Invalid IHDR data"),
    .init(.image, "zero-size.jpg", "invalid JPEG image", "Empty JPEG image"),
    .init(.image, "huge-declared-size.png", "image too large", "PNG is 100000×100000 pixels"),
    .init(.image, "declared-size-max.png", "invalid PNG image", "PNG unsigned integer out of range"),
    .init(.image, "declared-size-beyond-data.png", "invalid PNG image", "declares 10000×10000 pixels", "truncated or corrupt"),
    // Round 2 (issue #18): chunk lengths are checked against the file before libpng allocates
    // them; libjpeg's memory is bounded by the file's size.
    .init(.image, "text-chunk-2gib.png", "invalid PNG image", "chunk 'tEXt' at byte 33 declares 2147483647 bytes, but only"),
    .init(.image, "chunk-length-4gib.png", "invalid PNG image", "chunk 'zTXt' at byte 33 declares 4294967295 bytes"),
    .init(.image, "idat-beyond-file.png", "truncated PNG data: chunk 'IDAT' at byte 33 declares 100000 bytes"),
    .init(.image, "progressive-huge-declared.jpg", "image too large", "JPEG declares 10000×10000 pixels", "bytes of decoder memory allowed for a 641-byte file"),

    // Label maps: colours and labels outside the VOC palette and classes, lossy formats.
    .init(.labelmap, "rgb-colour-outside-palette.png", "pixel (x 1, y 1) has colour (12,34,56)", "not in the PASCAL VOC label palette"),
    .init(.labelmap, "grey-label-map.png", "pixel (x 1, y 0) has colour (15,15,15)"),
    .init(.labelmap, "rgb-label-out-of-range.png", "pixel (x 1, y 0) has label 100", "0…20 or 255"),
    .init(.labelmap, "indexed-label-out-of-range.png", "pixel (x 2, y 0) has label 21"),
    .init(.labelmap, "jpeg-label-map.jpg", "a label map must be a PNG"),
    .init(.labelmap, "text-chunk-2gib-label.png", "chunk 'tEXt' at byte 33 declares 2147483647 bytes"),
]

@Suite struct MalformedCorpusTests {
    /// (a) a typed error, (b) naming the file and the problem, (c) nothing written next to
    /// the file and the file itself unchanged. The file is copied into a scratch folder first
    /// so (c) can be checked on a folder that holds nothing else.
    @Test(arguments: malformedCases)
    func malformedFileIsRefused(_ entry: MalformedCase) throws {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        // Copied and compared without `Data(contentsOf:)`, which leaks its read buffer for empty
        // files (FoundationEssentials, Swift 6.3; seen under AddressSanitizer).
        let url = folder.file(entry.file)
        try FileManager.default.copyItem(at: entry.url, to: url)

        do {
            try entry.reader.read(url)
            Issue.record("\(entry.testDescription) was accepted")
        } catch {
            #expect(entry.reader.isTyped(error), "untyped error \(type(of: error)): \(error)")
            let message = String(describing: error)
            #expect(message.contains(url.path), "message does not name the file: \(message)")
            for phrase in entry.phrases {
                #expect(message.contains(phrase), "message lacks '\(phrase)': \(message)")
            }
        }
        #expect(folder.contents == [entry.file])
        #expect(FileManager.default.contentsEqual(atPath: url.path, andPath: entry.url.path))
    }

    /// The table above and the committed corpus list the same files.
    @Test func everyCorpusFileHasACase() throws {
        var onDisk: Set<String> = []
        for reader in ["safetensors", "npy", "caffemodel", "image", "labelmap"] {
            for name in try FileManager.default.contentsOfDirectory(atPath: malformedFolder.appending(path: reader).path) {
                onDisk.insert("\(reader)/\(name)")
            }
        }
        let listed = Set(malformedCases.map(\.testDescription))
        #expect(onDisk.subtracting(listed).sorted() == [], "corpus files without a case")
        #expect(listed.subtracting(onDisk).sorted() == [], "cases without a corpus file")
    }
}

// NPY.swift — read and write NumPy's `.npy` array files, the bridge to Python for cross-checks
// (score maps, activations, references computed with numpy/Caffe). No paper section.
//
// The format (numpy.lib.format):
//
//     "\x93NUMPY"  magic, 6 bytes
//     major, minor version bytes (1.0; 2.0 and 3.0 only widen the header length field)
//     header length: UInt16 little-endian (v1) or UInt32 (v2, v3)
//     header: a Python dict literal in ASCII (UTF-8 for v3), e.g.
//             {'descr': '<f4', 'fortran_order': False, 'shape': (1, 21, 500, 500), }
//             padded with spaces and ended by '\n' so the data starts at a multiple of 64
//     data: the elements, row-major ("C order") when fortran_order is False
//
// We read `<f4` (float32) and `<f8` (float64, rounded to Float), C order only; we write `<f4`.

import FCNCore
import Foundation

/// Why an `.npy` file was refused. Every message names the file.
public enum NPYError: Error, CustomStringConvertible, Equatable {
    /// The file cannot be opened (missing, not a regular file, no permission).
    case cannotOpen(file: String, reason: String)
    /// Reading the file failed after it was opened (it shrank under us, an I/O error).
    case cannotRead(file: String, reason: String)
    /// The header or the data size is invalid.
    case malformed(file: String, problem: String)
    /// The element type is not one this reader converts to `Float`.
    case unsupportedDType(file: String, descr: String)
    /// The array is stored column-major (`fortran_order: True`).
    case fortranOrder(file: String)
    /// The array contains NaN or infinity (`first`: the first such element).
    case nonFinite(file: String, first: NonFiniteValue)
    /// The array would not fit in the memory available to the process.
    case tooLarge(file: String, neededBytes: Int, availableBytes: Int)

    /// A sentence naming the file and the problem.
    public var description: String {
        switch self {
        case let .cannotOpen(file, reason): return "\(file): cannot open .npy file: \(reason)"
        case let .cannotRead(file, reason): return "\(file): cannot read .npy file: \(reason)"
        case let .malformed(file, problem): return "\(file): not a valid .npy file: \(problem)"
        case let .unsupportedDType(file, descr):
            return "\(file): unsupported .npy dtype '\(descr)' (supported: '<f4' float32, '<f8' float64)"
        case let .fortranOrder(file):
            return "\(file): .npy array is in Fortran (column-major) order; save it with numpy.ascontiguousarray"
        case let .nonFinite(file, first):
            return "\(file): the array contains NaN or infinity (first: \(first)); arrays read by this library must be finite"
        case let .tooLarge(file, needed, available):
            return "\(file): the array needs \(needed) bytes of memory, only \(available) are available (see MemoryLimits)"
        }
    }
}

/// Reading and writing NumPy `.npy` files.
///
/// ```swift
/// try NPY.write(scores, to: URL(filePath: "scores.npy"))   // numpy.load("scores.npy")
/// let reference = try NPY.read(contentsOf: URL(filePath: "caffe_scores.npy"))
/// let shape = try NPY.shape(contentsOf: URL(filePath: "input.npy"))   // header only
/// ```
///
/// Arrays must be finite: a NaN or ±∞ is refused naming the first one's index, as NaN weights
/// are (``NonFiniteValue`` explains the policy). Sizes come from the header and are checked
/// against the file and the available memory before any data is read.
public enum NPY {
    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    /// Reads an `.npy` file of float32 or float64 (converted) in C order.
    /// - Throws: ``NPYError``; ``NPYError/nonFinite(file:first:)`` for a NaN or ±∞,
    ///   ``NPYError/tooLarge(file:neededBytes:availableBytes:)`` when the array would not fit
    ///   in memory (checked from the header, before the data is read).
    public static func read(contentsOf url: URL) throws -> Tensor {
        try read(open(url), path: url.path, availableBytes: MemoryLimits.availableBytes())
    }

    /// The shape an `.npy` file declares, from its header alone (validated against the file's
    /// size, as ``read(contentsOf:)`` does), without reading the data.
    public static func shape(contentsOf url: URL) throws -> [Int] {
        try Layout(open(url), path: url.path).shape
    }

    /// Parses `bytes` as if they were the file `name`: the entry point of the fuzzer.
    @_spi(Fuzzing) public static func read(bytes: some Collection<UInt8>, name: String) throws -> Tensor {
        try Array(bytes).withUnsafeBytes { try read(InputFile(copying: $0), path: name, availableBytes: nil) }
    }

    static func open(_ url: URL) throws(NPYError) -> InputFile {
        do { return try InputFile(url: url) } catch { throw .cannotOpen(file: url.path, reason: error.reason) }
    }

    /// Reads the array of `file` (`path` is used in error messages), refusing it when the
    /// `Float`s would need more than `availableBytes` (`nil`: no memory check).
    static func read(_ file: InputFile, path: String, availableBytes: Int?) throws -> Tensor {
        let layout = try Layout(file, path: path)
        let needed = layout.count * MemoryLayout<Float>.size   // ≤ 4 × the file: no overflow
        if let availableBytes, needed > availableBytes {
            throw NPYError.tooLarge(file: path, neededBytes: needed, availableBytes: availableBytes)
        }
        let scalars: [Float]
        do {
            scalars = layout.elementSize == 4
                ? try file.float32s(at: layout.dataStart, count: layout.count)
                : try file.converted(at: layout.dataStart, count: layout.count, elementSize: 8) { raw, i in
                    Float(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))))
                }
        } catch let failure as InputFile.Failure {
            throw NPYError.cannotRead(file: path, reason: failure.reason)
        }
        let tensor = Tensor(shape: layout.shape, scalars: scalars)
        if let bad = NonFiniteValue.first(in: tensor) { throw NPYError.nonFinite(file: path, first: bad) }
        return tensor
    }

    /// Where the data of an `.npy` file is and what it holds: the header parsed and every size
    /// in it checked against the file, reading only the header's bytes.
    struct Layout {
        var shape: [Int]
        var count: Int          // elements
        var elementSize: Int    // 4 (<f4) or 8 (<f8)
        var dataStart: Int      // byte offset of the data

        init(_ file: InputFile, path: String) throws {
            func malformed(_ problem: String) -> NPYError { .malformed(file: path, problem: problem) }
            func read(_ range: Range<Int>) throws -> [UInt8] {
                do { return try file.bytes(range) } catch { throw NPYError.cannotRead(file: path, reason: error.reason) }
            }
            let size = file.size
            guard size > 0 else { throw malformed("the file is empty") }
            let prefix = try read(0..<min(size, 12))
            guard prefix.count >= 8, Array(prefix[0..<6]) == magic else { throw malformed("wrong magic (not an .npy file)") }
            let major = prefix[6]
            let lengthFieldSize: Int
            switch major {
            case 1: lengthFieldSize = 2
            case 2, 3: lengthFieldSize = 4
            default: throw malformed("unsupported format version \(major).\(prefix[7])")
            }
            guard prefix.count >= 8 + lengthFieldSize else { throw malformed("truncated header") }
            let headerLength = prefix[8..<(8 + lengthFieldSize)].reversed().reduce(0) { $0 << 8 | Int($1) }  // little-endian
            let headerStart = 8 + lengthFieldSize
            guard headerLength <= size - headerStart else {
                throw malformed("header length \(headerLength) exceeds the file (\(size) bytes)")
            }
            guard let text = String(bytes: try read(headerStart..<(headerStart + headerLength)), encoding: .utf8) else {
                throw malformed("header is not text")
            }
            let header: NPYHeader
            do { header = try NPYHeader(parsing: text) } catch { throw malformed("bad header \(text.debugDescription): \(error.problem)") }
            if header.fortranOrder { throw NPYError.fortranOrder(file: path) }
            switch header.descr {
            case "<f4": elementSize = 4
            case "<f8": elementSize = 8
            default: throw NPYError.unsupportedDType(file: path, descr: header.descr)
            }

            dataStart = headerStart + headerLength
            let available = size - dataStart
            var count = 1
            for dimension in header.shape {
                let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
                guard !overflow, product <= available else { throw malformed("truncated data: shape \(header.shape) needs more than the \(available) bytes present") }
                count = product
            }
            guard count * elementSize == available else {
                throw malformed(count * elementSize > available
                    ? "truncated data: shape \(header.shape) needs \(count * elementSize) bytes, found \(available)"
                    : "\(available - count * elementSize) unexpected bytes after the data")
            }
            self.shape = header.shape
            self.count = count
        }
    }

    /// Writes `tensor` as a version 1.0 `<f4` C-order `.npy` file, atomically, with the same
    /// header bytes numpy writes (so `numpy.save` of the same array gives an identical file).
    public static func write(_ tensor: Tensor, to url: URL) throws {
        try AtomicFile.write(to: url) { sink in
            try sink.write(headerBytes(shape: tensor.shape))
            try tensor.scalars.withUnsafeBytes { try sink.write($0) }  // Float is little-endian
        }
    }

    /// Magic, version 1.0, length and the padded dict literal for a `<f4` C-order array.
    static func headerBytes(shape: [Int]) -> [UInt8] {
        // Python's repr of a tuple: "()", "(5,)", "(1, 21, 500, 500)".
        let tuple = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var dict = "{'descr': '<f4', 'fortran_order': False, 'shape': \(tuple), }"
        // numpy ≥ 1.24 leaves room for the first axis to grow to 21 digits, so a header can be
        // rewritten in place when appending; we copy that to produce byte-identical files.
        if let first = shape.first { dict += String(repeating: " ", count: max(0, 21 - String(first).count)) }
        let unpadded = magic.count + 2 + 2 + dict.utf8.count + 1  // + 1 for the final "\n"
        dict += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        let length = UInt16(dict.utf8.count)
        return magic + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)] + Array(dict.utf8)
    }
}

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
    /// The file cannot be opened or read.
    case cannotOpen(file: String, reason: String)
    /// The header or the data size is invalid.
    case malformed(file: String, problem: String)
    /// The element type is not one this reader converts to `Float`.
    case unsupportedDType(file: String, descr: String)
    /// The array is stored column-major (`fortran_order: True`).
    case fortranOrder(file: String)

    /// A sentence naming the file and the problem.
    public var description: String {
        switch self {
        case let .cannotOpen(file, reason): return "\(file): cannot open .npy file: \(reason)"
        case let .malformed(file, problem): return "\(file): not a valid .npy file: \(problem)"
        case let .unsupportedDType(file, descr):
            return "\(file): unsupported .npy dtype '\(descr)' (supported: '<f4' float32, '<f8' float64)"
        case let .fortranOrder(file):
            return "\(file): .npy array is in Fortran (column-major) order; save it with numpy.ascontiguousarray"
        }
    }
}

/// Reading and writing NumPy `.npy` files.
///
/// ```swift
/// try NPY.write(scores, to: URL(filePath: "scores.npy"))   // numpy.load("scores.npy")
/// let reference = try NPY.read(contentsOf: URL(filePath: "caffe_scores.npy"))
/// ```
public enum NPY {
    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    /// Reads an `.npy` file of float32 or float64 (converted) in C order.
    public static func read(contentsOf url: URL) throws -> Tensor {
        let file: MappedFile
        do { file = try MappedFile(url: url) } catch { throw NPYError.cannotOpen(file: url.path, reason: error.reason) }
        return try read(file.bytes, path: url.path)
    }

    /// Parses `bytes` as if they were the file `name`: the entry point of the fuzzer.
    @_spi(Fuzzing) public static func read(bytes: UnsafeRawBufferPointer, name: String) throws -> Tensor {
        try read(bytes, path: name)
    }

    /// Parses the bytes of an `.npy` file; `path` is used in error messages.
    static func read(_ bytes: UnsafeRawBufferPointer, path: String) throws -> Tensor {
        func malformed(_ problem: String) -> NPYError { .malformed(file: path, problem: problem) }

        guard bytes.count > 0 else { throw malformed("the file is empty") }
        guard bytes.count >= 8, Array(bytes[0..<6]) == magic else { throw malformed("wrong magic (not an .npy file)") }
        let major = bytes[6]
        let lengthFieldSize: Int
        switch major {
        case 1: lengthFieldSize = 2
        case 2, 3: lengthFieldSize = 4
        default: throw malformed("unsupported format version \(major).\(bytes[7])")
        }
        guard bytes.count >= 8 + lengthFieldSize else { throw malformed("truncated header") }
        let headerLength = lengthFieldSize == 2
            ? Int(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt16.self)))
            : Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt32.self)))
        let headerStart = 8 + lengthFieldSize
        guard headerLength <= bytes.count - headerStart else {
            throw malformed("header length \(headerLength) exceeds the file (\(bytes.count) bytes)")
        }
        guard let text = String(bytes: bytes[headerStart..<(headerStart + headerLength)], encoding: .utf8) else {
            throw malformed("header is not text")
        }
        let header: NPYHeader
        do { header = try NPYHeader(parsing: text) } catch { throw malformed("bad header \(text.debugDescription): \(error.problem)") }
        if header.fortranOrder { throw NPYError.fortranOrder(file: path) }
        let elementSize: Int
        switch header.descr {
        case "<f4": elementSize = 4
        case "<f8": elementSize = 8
        default: throw NPYError.unsupportedDType(file: path, descr: header.descr)
        }

        let dataStart = headerStart + headerLength
        let available = bytes.count - dataStart
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
        let data = UnsafeRawBufferPointer(rebasing: bytes[dataStart...])
        let scalars: [Float] = elementSize == 4
            ? float32Array(littleEndian: data, count: count)
            : (0..<count).map { Float(Double(bitPattern: UInt64(littleEndian: data.loadUnaligned(fromByteOffset: 8 * $0, as: UInt64.self)))) }
        return Tensor(shape: header.shape, scalars: scalars)
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

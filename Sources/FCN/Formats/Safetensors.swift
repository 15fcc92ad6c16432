// Safetensors.swift — read the safetensors weight format, the library's native format for
// trained FCN weights (the paper's models, §4–5, are distributed as Caffe files; we convert
// them once to safetensors, see `CaffeModel.swift`).
//
// The format (https://github.com/huggingface/safetensors):
//
//     [8 bytes]  N, unsigned little-endian: the header length
//     [N bytes]  UTF-8 JSON: {"name": {"dtype": "F32", "shape": [O, C, KH, KW],
//                                      "data_offsets": [begin, end]}, …,
//                             "__metadata__": {"key": "value", …}}   (metadata optional)
//     [rest]     the data: tensor bytes, little-endian, row-major; offsets are relative to
//                the start of this section, and tensors tile it exactly (no gaps, no overlap).
//
// The file is untrusted input. Everything is checked before a byte of tensor data is read, and
// every failure is a `SafetensorsError` that names the file and the problem.
//
// NaN and ±∞: the format allows them and `tensor(named:)` returns them as stored. A model
// loader should use `tensor(named:expectedShape:)`, which refuses non-finite values (and a
// wrong shape) naming the tensor and the first bad index — a NaN weight poisons every output
// silently otherwise. `.npy` inputs follow the same policy (`NonFiniteValue.swift`).
//
// Reading: the header is read and checked at `init`; each tensor is read with `pread` straight
// into its array when asked for (`InputFile.swift`), so a file truncated meanwhile is an error,
// and no size from the header is allocated before it has been checked against the file.

import FCNCore
import Foundation

/// Why a safetensors file was refused. Every message names the file.
public enum SafetensorsError: Error, CustomStringConvertible, Equatable {
    /// The file cannot be opened (missing, not a regular file, no permission).
    case cannotOpen(file: String, reason: String)
    /// Reading the file failed after it was opened (it shrank under us, an I/O error).
    case cannotRead(file: String, reason: String)
    /// The bytes do not follow the format (header length, JSON, offsets, …).
    case malformed(file: String, problem: String)
    /// The file stores a tensor in a dtype this library does not convert (e.g. I64).
    case unsupportedDType(file: String, tensor: String, dtype: String)
    /// The file has no tensor of that name.
    case noSuchTensor(file: String, tensor: String, available: [String])
    /// The tensor has another shape than expected.
    case shapeMismatch(file: String, tensor: String, expected: [Int], found: [Int])
    /// The tensor contains NaN or infinity (`first`: the first such element).
    case nonFinite(file: String, tensor: String, first: NonFiniteValue)
    /// The caller asked to write something the format cannot hold (bad or duplicate name).
    case invalidArgument(file: String, problem: String)

    /// A sentence naming the file and the problem.
    public var description: String {
        switch self {
        case let .cannotOpen(file, reason): return "\(file): cannot open safetensors file: \(reason)"
        case let .cannotRead(file, reason): return "\(file): cannot read safetensors file: \(reason)"
        case let .malformed(file, problem): return "\(file): not a valid safetensors file: \(problem)"
        case let .unsupportedDType(file, tensor, dtype):
            return "\(file): tensor '\(tensor)' has dtype \(dtype); supported: F32, F16, BF16, F64"
        case let .noSuchTensor(file, tensor, available):
            let list = available.prefix(8).joined(separator: ", ") + (available.count > 8 ? ", …" : "")
            return "\(file): no tensor named '\(tensor)' (the file has: \(list))"
        case let .shapeMismatch(file, tensor, expected, found):
            return "\(file): tensor '\(tensor)' has shape \(found), expected \(expected)"
        case let .nonFinite(file, tensor, first): return "\(file): tensor '\(tensor)' contains NaN or infinity (first: \(first))"
        case let .invalidArgument(file, problem): return "cannot write \(file): \(problem)"
        }
    }
}

/// The element types of the safetensors format, with their sizes in bytes.
enum SafetensorsDType: String, CaseIterable {
    case F64, F32, F16, BF16, I64, I32, I16, I8, U64, U32, U16, U8, BOOL
    case F8_E4M3, F8_E5M2

    var byteSize: Int {
        switch self {
        case .F64, .I64, .U64: return 8
        case .F32, .I32, .U32: return 4
        case .F16, .BF16, .I16, .U16: return 2
        case .I8, .U8, .BOOL, .F8_E4M3, .F8_E5M2: return 1
        }
    }
}

/// A safetensors file opened for reading: header parsed and validated; tensor data is read
/// (with `pread`, see `InputFile`) only when a tensor is asked for.
///
/// ```swift
/// let file = try SafetensorsFile(contentsOf: URL(filePath: "fcn32s.safetensors"))
/// file.tensorNames                                    // ["conv1_1.bias", "conv1_1.weight", …]
/// let w = try file.tensor(named: "conv1_1.weight",
///                         expectedShape: [64, 3, 3, 3])  // F16/BF16/F64 are converted to Float
/// ```
///
/// ### See Also
/// - ``Safetensors/write(_:metadata:to:)-([String:Tensor],_,_)``
public final class SafetensorsFile: @unchecked Sendable {  // immutable after init
    /// Where one tensor lives in the data section.
    struct Entry {
        let dtype: SafetensorsDType
        let shape: [Int]
        let begin: Int, end: Int  // byte offsets relative to the data section
    }

    /// The file's path, as used in error messages.
    public let path: String
    /// The tensor names, sorted.
    public let tensorNames: [String]
    /// The free-form string metadata (`__metadata__`), empty when absent.
    public let metadata: [String: String]

    let entries: [String: Entry]
    let file: InputFile
    let dataStart: Int

    /// The largest header accepted; real headers are a few kB to a few MB.
    public static let maximumHeaderLength = 100 << 20

    /// Opens and validates `url`. Tensor data is read later, on demand.
    public convenience init(contentsOf url: URL) throws {
        let file: InputFile
        do { file = try InputFile(url: url) } catch { throw SafetensorsError.cannotOpen(file: url.path, reason: error.reason) }
        try self.init(file: file, path: url.path)
    }

    /// Parses `bytes` (copied) as if they were the file `name`: the entry point of the fuzzer.
    @_spi(Fuzzing) public convenience init(bytes: some Collection<UInt8>, name: String) throws {
        let file = Array(bytes).withUnsafeBytes { InputFile(copying: $0) }
        try self.init(file: file, path: name)
    }

    /// Validates the header of `file`; `path` is used in error messages. Only the length
    /// field and the header are read here, each after its size has been checked.
    init(file: InputFile, path: String) throws {
        self.path = path
        self.file = file
        func malformed(_ problem: String) -> SafetensorsError { .malformed(file: path, problem: problem) }
        func read(_ range: Range<Int>) throws -> [UInt8] {
            do { return try file.bytes(range) } catch { throw SafetensorsError.cannotRead(file: path, reason: error.reason) }
        }

        let size = file.size
        guard size > 0 else { throw malformed("the file is empty") }
        guard size >= 8 else { throw malformed("truncated header length (\(size) bytes, need 8)") }
        let headerLength = try read(0..<8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }  // little-endian
        guard headerLength <= UInt64(Self.maximumHeaderLength) else {
            throw malformed("header length \(headerLength) exceeds the \(Self.maximumHeaderLength)-byte limit")
        }
        guard Int(headerLength) <= size - 8 else {
            throw malformed("header length \(headerLength) exceeds the \(size - 8) bytes after the length field")
        }
        let headerBytes = try read(8..<(8 + Int(headerLength)))
        dataStart = 8 + Int(headerLength)
        let dataSize = size - dataStart

        guard String(bytes: headerBytes, encoding: .utf8) != nil else { throw malformed("header is not valid UTF-8") }
        let headerData = Data(headerBytes)
        let json: Any
        do { json = try JSONSerialization.jsonObject(with: headerData) } catch {
            throw malformed("header is not valid JSON")
        }
        guard let header = json as? [String: Any] else { throw malformed("header is not a JSON object") }
        // JSONSerialization keeps one of two equal keys silently; a second scan finds them.
        if let duplicate = JSONKeyScanner.firstDuplicateTopLevelKey(in: headerData) {
            throw malformed("duplicate entry '\(duplicate)' in header")
        }

        var metadata: [String: String] = [:]
        var entries: [String: Entry] = [:]
        for (name, value) in header {
            if name == "__metadata__" {
                guard let dictionary = value as? [String: Any] else { throw malformed("__metadata__ is not an object") }
                for (key, item) in dictionary {
                    guard let text = item as? String else { throw malformed("__metadata__ value for '\(key)' is not a string") }
                    metadata[key] = text
                }
                continue
            }
            entries[name] = try Self.parseEntry(name: name, value, dataSize: dataSize, malformed: malformed)
        }

        // The tensors must tile the data section exactly, in offset order.
        var expectedBegin = 0
        for (name, entry) in entries.sorted(by: { ($0.value.begin, $0.value.end) < ($1.value.begin, $1.value.end) }) {
            guard entry.begin == expectedBegin else {
                throw malformed(entry.begin < expectedBegin
                    ? "tensor '\(name)' overlaps the previous tensor (begins at \(entry.begin), previous ends at \(expectedBegin))"
                    : "gap in the data before tensor '\(name)' (begins at \(entry.begin), previous ends at \(expectedBegin))")
            }
            expectedBegin = entry.end
        }
        guard expectedBegin == dataSize else {
            throw malformed("tensors cover \(expectedBegin) bytes but the data section has \(dataSize)")
        }

        self.entries = entries
        self.metadata = metadata
        tensorNames = entries.keys.sorted()
    }

    /// Checks one header entry: known dtype, non-negative shape, offsets inside the data whose
    /// length matches shape × dtype size (with overflow checks: the numbers are untrusted).
    private static func parseEntry(name: String, _ value: Any, dataSize: Int,
                                   malformed: (String) -> SafetensorsError) throws -> Entry {
        guard let info = value as? [String: Any] else { throw malformed("entry '\(name)' is not an object") }
        guard let dtypeName = info["dtype"] as? String else { throw malformed("tensor '\(name)' has no dtype string") }
        guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
            throw malformed("tensor '\(name)' has unknown dtype '\(dtypeName)'")
        }
        guard let shape = JSONKeyScanner.integers(info["shape"]), shape.allSatisfy({ $0 >= 0 }) else {
            throw malformed("tensor '\(name)' has no valid shape (need a list of non-negative integers)")
        }
        guard let offsets = JSONKeyScanner.integers(info["data_offsets"]), offsets.count == 2 else {
            throw malformed("tensor '\(name)' has no valid data_offsets (need [begin, end])")
        }
        let (begin, end) = (offsets[0], offsets[1])
        guard begin >= 0, begin <= end, end <= dataSize else {
            throw malformed("tensor '\(name)' data_offsets [\(begin), \(end)] lie outside the \(dataSize)-byte data section")
        }
        // Every non-zero dimension takes part in the overflow check, even when another one is 0:
        // an empty tensor of shape [2⁶², 2⁶², 0] still has to be counted (`Tensor` multiplies
        // its dimensions left to right) and would overflow there. Found in review, reproduced
        // with FuzzSafetensors (Fuzz/README.md).
        var byteCount = dtype.byteSize
        for dimension in shape where dimension > 0 {
            let (product, overflow) = byteCount.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw malformed("tensor '\(name)' shape \(shape) is larger than the file") }
            byteCount = product
        }
        if shape.contains(0) { byteCount = 0 }
        guard end - begin == byteCount else {
            throw malformed("tensor '\(name)' with shape \(shape) and dtype \(dtypeName) needs \(byteCount) bytes, data_offsets give \(end - begin)")
        }
        return Entry(dtype: dtype, shape: shape, begin: begin, end: end)
    }

    /// The shape of a tensor, or `nil` when there is no tensor of that name.
    public func shape(of name: String) -> [Int]? { entries[name]?.shape }

    /// The tensor `name`, converted to `Float` (F32 as is; F16, BF16 and F64 rounded).
    /// NaN and ±∞ are returned as stored; see ``tensor(named:expectedShape:)``.
    public func tensor(named name: String) throws -> Tensor {
        guard let entry = entries[name] else {
            throw SafetensorsError.noSuchTensor(file: path, tensor: name, available: tensorNames)
        }
        let count = Tensor.elementCount(entry.shape)
        let offset = dataStart + entry.begin   // entry.end − entry.begin == count × dtype size, checked in init
        let scalars: [Float]
        do {
            switch entry.dtype {
            case .F32:
                scalars = try file.float32s(at: offset, count: count)
            case .F64:
                scalars = try file.converted(at: offset, count: count, elementSize: 8) { raw, i in
                    Float(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))))
                }
            case .F16:
                scalars = try file.converted(at: offset, count: count, elementSize: 2) { raw, i in
                    Float(Float16(bitPattern: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))))
                }
            case .BF16:
                // bfloat16 is the top half of a float32: shift the 16 bits back into place.
                scalars = try file.converted(at: offset, count: count, elementSize: 2) { raw, i in
                    Float(bitPattern: UInt32(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) << 16)
                }
            default:
                throw SafetensorsError.unsupportedDType(file: path, tensor: name, dtype: entry.dtype.rawValue)
            }
        } catch let failure as InputFile.Failure {
            throw SafetensorsError.cannotRead(file: path, reason: "tensor '\(name)': \(failure.reason)")
        }
        return Tensor(shape: entry.shape, scalars: scalars)
    }

    /// The tensor `name`, refused unless it has exactly `expectedShape` and only finite values:
    /// the accessor model loaders use, so a bad file fails with the tensor's name.
    public func tensor(named name: String, expectedShape: [Int]) throws -> Tensor {
        if let found = shape(of: name), found != expectedShape {
            throw SafetensorsError.shapeMismatch(file: path, tensor: name, expected: expectedShape, found: found)
        }
        let tensor = try tensor(named: name)
        if let bad = NonFiniteValue.first(in: tensor) { throw SafetensorsError.nonFinite(file: path, tensor: name, first: bad) }
        return tensor
    }
}

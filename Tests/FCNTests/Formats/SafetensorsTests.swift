// SafetensorsTests.swift — safetensors round trips, hand-built F16/BF16/F64 files, and one test
// per way a file can be malformed.
import Foundation
import Testing
@testable import FCN

/// A safetensors file assembled by hand: header text + data bytes, so tests do not depend on
/// the writer under test.
private func safetensorsBytes(header: String, data: [UInt8], declaredLength: UInt64? = nil) -> [UInt8] {
    let headerBytes = Array(header.utf8)
    let length = declaredLength ?? UInt64(headerBytes.count)
    return withUnsafeBytes(of: length.littleEndian, Array.init) + headerBytes + data
}

private func littleEndianBytes<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
    values.flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) }
}

@Suite struct SafetensorsTests {
    @Test func roundTripKeepsTensorsAndMetadata() throws {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        var rng = SeededRandom(seed: 3)
        let tensors = [
            "conv1.weight": Tensor(randomNormal: [4, 3, 3, 3], using: &rng),
            "conv1.bias": Tensor(randomNormal: [4], using: &rng),
            "scalar": Tensor(shape: [], scalars: [.infinity]),
            "empty": Tensor(zeros: [0, 5]),
        ]
        let url = folder.file("model.safetensors")
        try Safetensors.write(tensors, metadata: ["source": "test", "format": "pt"], to: url)

        let file = try SafetensorsFile(contentsOf: url)
        #expect(file.tensorNames == ["conv1.bias", "conv1.weight", "empty", "scalar"])
        #expect(file.metadata == ["source": "test", "format": "pt"])
        for (name, tensor) in tensors {
            #expect(try file.tensor(named: name) == tensor, "\(name)")
            #expect(file.shape(of: name) == tensor.shape)
        }
        // The data section starts at a multiple of 8 bytes.
        let bytes = try [UInt8](Data(contentsOf: url))
        let headerLength = bytes[0..<8].reversed().reduce(0) { $0 << 8 | Int($1) }
        #expect((8 + headerLength) % 8 == 0)
        #expect(folder.contents == ["model.safetensors"])
    }

    @Test func writerIsDeterministic() throws {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        let tensors = ["b": Tensor(shape: [2], scalars: [1, 2]), "a": Tensor(shape: [1, 1], scalars: [3])]
        try Safetensors.write(tensors, to: folder.file("1.safetensors"))
        try Safetensors.write([("a", tensors["a"]!), ("b", tensors["b"]!)], to: folder.file("2.safetensors"))
        #expect(try Data(contentsOf: folder.file("1.safetensors")) == Data(contentsOf: folder.file("2.safetensors")))
    }

    @Test func writerRefusesDuplicateAndReservedNames() {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        let url = folder.file("bad.safetensors")
        let t = Tensor(zeros: [1])
        expectFailure(url, mentions: ["duplicate tensor name 'x'"]) { try Safetensors.write([("x", t), ("x", t)], to: url) }
        expectFailure(url, mentions: ["__metadata__"]) { try Safetensors.write([("__metadata__", t)], to: url) }
        #expect(folder.contents.isEmpty)
    }

    @Test func convertsF16BF16AndF64() throws {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        // F16: 1, −2, 0.5, 65504 (largest half).  BF16: 1, −2, 3.140625.  F64: 1/3, −1e10.
        let f16 = littleEndianBytes([UInt16(0x3C00), 0xC000, 0x3800, 0x7BFF])
        let bf16 = littleEndianBytes([UInt16(0x3F80), 0xC000, 0x4049])
        let f64 = littleEndianBytes([(1.0 / 3.0).bitPattern, (-1e10).bitPattern])
        let header = #"{"h":{"dtype":"F16","shape":[2,2],"data_offsets":[0,8]},"#
            + #""b":{"dtype":"BF16","shape":[3],"data_offsets":[8,14]},"#
            + #""d":{"dtype":"F64","shape":[2],"data_offsets":[14,30]},"__metadata__":{"k":"v"}}"#
        let url = folder.write(safetensorsBytes(header: header, data: f16 + bf16 + f64), to: "mixed.safetensors")
        let file = try SafetensorsFile(contentsOf: url)
        #expect(try file.tensor(named: "h") == Tensor(shape: [2, 2], scalars: [1, -2, 0.5, 65504]))
        #expect(try file.tensor(named: "b") == Tensor(shape: [3], scalars: [1, -2, 3.140625]))
        #expect(try file.tensor(named: "d") == Tensor(shape: [2], scalars: [Float(1.0 / 3.0), -1e10]))
        #expect(file.metadata == ["k": "v"])
    }

    @Test func checkedAccessorRefusesWrongShapeAndNonFinite() throws {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        let url = folder.file("w.safetensors")
        try Safetensors.write(["ok": Tensor(zeros: [2, 3]), "nan": Tensor(shape: [1], scalars: [.nan])], to: url)
        let file = try SafetensorsFile(contentsOf: url)
        #expect(try file.tensor(named: "ok", expectedShape: [2, 3]) == Tensor(zeros: [2, 3]))
        expectFailure(url, mentions: ["'ok'", "[2, 3]", "expected [3, 2]"]) { _ = try file.tensor(named: "ok", expectedShape: [3, 2]) }
        expectFailure(url, mentions: ["'nan'", "NaN"]) { _ = try file.tensor(named: "nan", expectedShape: [1]) }
        expectFailure(url, mentions: ["no tensor named 'missing'", "nan"]) { _ = try file.tensor(named: "missing") }
        #expect(try file.tensor(named: "nan").scalars[0].isNaN)  // the plain accessor returns what is stored
    }

    /// Writes `bytes` and expects opening the file to fail with all `phrases` in the message.
    private func expectRefused(_ bytes: [UInt8], _ phrases: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        let url = folder.write(bytes, to: "bad.safetensors")
        expectFailure(url, mentions: phrases, sourceLocation: sourceLocation) { _ = try SafetensorsFile(contentsOf: url) }
    }

    private let f32x2 = littleEndianBytes([Float(1).bitPattern, Float(2).bitPattern])

    @Test func malformedFilesAreRefused() {
        expectRefused([], ["empty"])
        expectRefused([1, 0, 0], ["truncated header length"])
        expectRefused(safetensorsBytes(header: "{}", data: [], declaredLength: 100), ["header length 100 exceeds"])
        expectRefused(safetensorsBytes(header: "{}", data: [], declaredLength: 1 << 40), ["limit"])
        expectRefused(safetensorsBytes(header: #"{"a": "#, data: []), ["not valid JSON"])
        expectRefused(safetensorsBytes(header: "[1, 2]", data: []), ["not a JSON object"])
        expectRefused([2, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFE], ["UTF-8"])
        expectRefused(safetensorsBytes(header: #"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,16]}}"#, data: f32x2),
                      ["'x'", "outside the 8-byte data section"])
        expectRefused(safetensorsBytes(header: #"{"x":{"dtype":"F33","shape":[2],"data_offsets":[0,8]}}"#, data: f32x2),
                      ["'x'", "unknown dtype 'F33'"])
        expectRefused(safetensorsBytes(header: #"{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"x":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: f32x2),
                      ["duplicate entry 'x'"])
        expectRefused(safetensorsBytes(header: #"{"x":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: f32x2),
                      ["'x'", "shape [3]", "needs 12 bytes", "give 8"])
        expectRefused(safetensorsBytes(header: #"{"x":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#, data: f32x2),
                      ["'x'", "shape"])
        expectRefused(safetensorsBytes(header: #"{"x":{"dtype":"F32","shape":[4611686018427387904, 4],"data_offsets":[0,8]}}"#, data: f32x2),
                      ["'x'", "larger than the file"])
        expectRefused(safetensorsBytes(header: #"{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"y":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, data: f32x2),
                      ["overlaps"])
        expectRefused(safetensorsBytes(header: #"{"x":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: f32x2),
                      ["gap", "'x'"])
        expectRefused(safetensorsBytes(header: #"{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, data: f32x2),
                      ["cover 4 bytes", "has 8"])
        expectRefused(safetensorsBytes(header: #"{"__metadata__":{"k":1}}"#, data: []), ["__metadata__", "'k'"])
    }

    @Test func escapedDuplicateKeyIsFound() {
        // "\u0078" is "x": the same key spelled differently.
        expectRefused(safetensorsBytes(header: #"{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"\u0078":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: f32x2),
                      ["duplicate entry 'x'"])
    }

    @Test func nestedKeysAreNotDuplicates() throws {
        // Both entries have "dtype", "shape", … keys: only top-level names must be unique.
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        let header = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
        let url = folder.write(safetensorsBytes(header: header, data: f32x2), to: "ok.safetensors")
        let file = try SafetensorsFile(contentsOf: url)
        #expect(try file.tensor(named: "b").scalars == [2])
    }

    @Test func unsupportedDTypeIsNamedOnRead() throws {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        let header = #"{"steps":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}"#
        let url = folder.write(safetensorsBytes(header: header, data: littleEndianBytes([Int64(5)])), to: "i64.safetensors")
        let file = try SafetensorsFile(contentsOf: url)  // opening is fine: the dtype is known
        expectFailure(url, mentions: ["'steps'", "I64"]) { _ = try file.tensor(named: "steps") }
    }

    @Test func missingFileIsNamed() {
        let url = URL(filePath: "/nonexistent/weights.safetensors")
        expectFailure(url, mentions: ["No such file"]) { _ = try SafetensorsFile(contentsOf: url) }
    }
}

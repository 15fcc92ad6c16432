// NPYTests.swift — .npy round trips, files written by numpy, and malformed files.
import Foundation
import Testing
@testable import FCN

@Suite struct NPYTests {
    /// The array of `make_npy_fixtures.py`: arange(24).reshape(2, 3, 4) · 0.25 − 3.
    let numpyArray = Tensor(shape: [2, 3, 4]) { i in Float((i[0] * 3 + i[1]) * 4 + i[2]) * 0.25 - 3 }

    @Test func readsFloat32WrittenByNumpy() throws {
        #expect(try NPY.read(contentsOf: fixture("float32_2x3x4.npy")) == numpyArray)
    }

    @Test func readsFloat64WrittenByNumpy() throws {
        let t = try NPY.read(contentsOf: fixture("float64_3.npy"))
        #expect(t == Tensor(shape: [3], scalars: [Float(1.0 / 3.0), -2.5, 1e10]))
    }

    @Test func writesTheSameBytesAsNumpy() throws {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        let url = folder.file("ours.npy")
        try NPY.write(numpyArray, to: url)
        #expect(try Data(contentsOf: url) == Data(contentsOf: fixture("float32_2x3x4.npy")))
    }

    @Test func roundTripsAnyRank() throws {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        var rng = SeededRandom(seed: 11)
        for shape in [[], [5], [1, 21, 7, 9], [0, 3]] {
            let url = folder.file("t.npy")
            let t = Tensor(randomNormal: shape, using: &rng)
            try NPY.write(t, to: url)
            let bytes = try Data(contentsOf: url)
            let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            #expect((10 + headerLength) % 64 == 0, "data must start 64-byte aligned for shape \(shape)")
            #expect(try NPY.read(contentsOf: url) == t, "shape \(shape)")
        }
        #expect(folder.contents == ["t.npy"])
    }

    /// A v1.0 file with the given header text (not padded) and data.
    private func npy(_ header: String, data: [UInt8] = [], version: UInt8 = 1) -> [UInt8] {
        let text = Array(header.utf8)
        let length: [UInt8] = version == 1
            ? [UInt8(text.count & 0xFF), UInt8(text.count >> 8)]
            : [UInt8(text.count & 0xFF), UInt8(text.count >> 8), 0, 0]
        return [0x93] + Array("NUMPY".utf8) + [version, 0] + length + text + data
    }

    private let twoFloats: [UInt8] = [0, 0, 0x80, 0x3F, 0, 0, 0, 0x40]  // 1.0, 2.0

    @Test func readsVersion2() throws {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        let url = folder.write(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\n", data: twoFloats, version: 2), to: "v2.npy")
        #expect(try NPY.read(contentsOf: url) == Tensor(shape: [2], scalars: [1, 2]))
    }

    private func expectRefused(_ bytes: [UInt8], _ phrases: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        let url = folder.write(bytes, to: "bad.npy")
        expectFailure(url, mentions: phrases, sourceLocation: sourceLocation) { _ = try NPY.read(contentsOf: url) }
    }

    @Test func malformedFilesAreRefused() throws {
        let good = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\n"
        expectRefused([], ["empty"])
        expectRefused(Array("PK\u{3}\u{4} not numpy".utf8), ["wrong magic"])
        expectRefused(npy(good, data: [0, 0, 0x80, 0x3F]), ["truncated data", "needs 8 bytes, found 4"])
        expectRefused(npy(good, data: twoFloats + [0]), ["1 unexpected bytes"])
        expectRefused(npy("{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }", data: twoFloats), ["'<i4'"])
        expectRefused(npy("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", data: twoFloats), ["'>f4'"])
        expectRefused(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, }", data: twoFloats), ["bad header"])
        expectRefused(npy("{'descr': '<f4', 'shape': (2,), }", data: twoFloats), ["fortran_order"])
        expectRefused(npy("__import__('os').system('true')", data: twoFloats), ["bad header"])
        expectRefused(Array(npy(good).prefix(20)), ["header length"])
        expectRefused(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }"), ["too large"])
        expectRefused(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4), }"), ["truncated data"])
        expectFailure(fixture("fortran_2x3.npy"), mentions: ["Fortran"]) { _ = try NPY.read(contentsOf: fixture("fortran_2x3.npy")) }
    }
}

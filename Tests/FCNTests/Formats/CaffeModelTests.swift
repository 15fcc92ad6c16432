// CaffeModelTests.swift — .caffemodel decoding against fixtures encoded by protoc
// (scripts/make-caffemodel-fixture), and refusal of broken files.
import Foundation
import Testing
@testable import FCN

@Suite struct CaffeModelTests {
    @Test func currentFormatWithShapesAndDoubleData() throws {
        let model = try CaffeModel(contentsOf: fixture("tiny_v2.caffemodel"))
        #expect(model.name == "tiny")
        #expect(model.layers.map(\.name) == ["conv", "relu", "fc"])
        #expect(model.layers.map(\.type) == ["Convolution", "ReLU", "InnerProduct"])
        let conv = try #require(model.blobs(ofLayer: "conv"))
        #expect(conv[0] == Tensor(shape: [2, 3, 3, 3]) { i in Float(((i[0] * 3 + i[1]) * 3 + i[2]) * 3 + i[3] - 27) / 8 })
        #expect(conv[1] == Tensor(shape: [2], scalars: [0.25, -1.5]))
        #expect(model.blobs(ofLayer: "relu") == [])
        let fc = try #require(model.blobs(ofLayer: "fc"))
        #expect(fc[0] == Tensor(shape: [3, 4]) { i in Float(i[0] * 4 + i[1]) / 4 - 1 })  // from double_data
        #expect(fc[1] == Tensor(shape: [3], scalars: [1, 2, 3]))
    }

    @Test func legacyFormatWithPackedAndUnpackedData() throws {
        let model = try CaffeModel(contentsOf: fixture("tiny_v1.caffemodel"))
        #expect(model.name == "tiny_legacy")
        #expect(model.layers.map(\.name) == ["conv1", "fc6", "unpacked"])
        #expect(model.layers.map(\.type) == ["Convolution", "InnerProduct", "InnerProduct"])
        let conv = try #require(model.blobs(ofLayer: "conv1"))
        #expect(conv[0] == Tensor(shape: [2, 1, 2, 2]) { i in Float((i[0] * 2 + i[2]) * 2 + i[3]) / 2 })  // stays 4-D
        #expect(conv[1] == Tensor(shape: [2], scalars: [0.5, -0.5]))                                        // 1×1×1×2 → [2]
        let fc = try #require(model.blobs(ofLayer: "fc6"))
        #expect(fc[0] == Tensor(shape: [3, 2], scalars: [0, -1, -2, -3, -4, -5]))                          // 1×1×3×2 → [3, 2]
        #expect(fc[1] == Tensor(shape: [3], scalars: [10, 20, 30]))
        // Written with one tag per float (unpacked), as early Caffe did.
        let unpacked = try #require(model.blobs(ofLayer: "unpacked"))
        #expect(unpacked[0] == Tensor(shape: [2, 2], scalars: [1.5, -2, 3.25, 0]))
        #expect(unpacked[1] == Tensor(shape: [2], scalars: [7, 8]))
    }

    private func expectRefused(_ bytes: [UInt8], _ phrases: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        let url = folder.write(bytes, to: "bad.caffemodel")
        expectFailure(url, mentions: phrases, sourceLocation: sourceLocation) { _ = try CaffeModel(contentsOf: url) }
    }

    /// Protocol-buffer building blocks, to hand-write small broken nets.
    private func varint(_ value: UInt64) -> [UInt8] {
        var value = value, out: [UInt8] = []
        repeat {
            out.append(UInt8(value & 0x7F) | (value > 0x7F ? 0x80 : 0))
            value >>= 7
        } while value > 0
        return out
    }
    private func field(_ number: UInt64, _ payload: [UInt8]) -> [UInt8] { varint(number << 3 | 2) + varint(UInt64(payload.count)) + payload }
    private func varintField(_ number: UInt64, _ value: UInt64) -> [UInt8] { varint(number << 3) + varint(value) }
    /// A net with one current-format layer "L" holding `blob`.
    private func net(blob: [UInt8]) -> [UInt8] { field(100, field(1, Array("L".utf8)) + field(7, blob)) }
    private func packedFloats(_ values: [Float]) -> [UInt8] {
        field(5, values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) })
    }

    @Test func brokenFilesAreRefused() throws {
        expectRefused([], ["empty"])
        expectRefused(Array("this is not a protocol buffer at all \u{1}\u{2}\u{3}".utf8), ["decoding failed"])
        let original = try [UInt8](Data(contentsOf: fixture("tiny_v2.caffemodel")))
        expectRefused(Array(original.prefix(original.count / 2)), ["decoding failed"])   // truncated
        expectRefused(field(1, Array("only a name".utf8)), ["no layers"])
        // Shape [2, 2] with 3 values.
        expectRefused(net(blob: field(7, field(1, varint(2) + varint(2))) + packedFloats([1, 2, 3])),
                      ["layer 'L' blob 0", "shape [2, 2] needs 4 values, the blob has 3"])
        // Shape with an absurd dimension.
        expectRefused(net(blob: field(7, field(1, varint(1 << 40) + varint(1 << 40))) + packedFloats([1])),
                      ["layer 'L' blob 0"])
        // Legacy shape with a negative dimension (int32 −1 is a 10-byte varint).
        expectRefused(net(blob: varintField(1, UInt64(bitPattern: -1)) + packedFloats([1])), ["negative dimension"])
        // Both the current and the legacy layer lists.
        expectRefused(net(blob: []) + field(2, field(4, Array("old".utf8))), ["both"])
    }
}

// HostileWeightsTests.swift — weight files crafted to make the loader allocate absurd memory or
// do quadratic work are refused quickly, with a message naming the file and the tensor.
import Foundation
import Testing
@testable import FCN

@Suite struct HostileWeightsTests {
    let weights = modelFixture("tiny_fcn8s.safetensors")

    /// The example of issue #18: `score_fr.weight` declared `[100000, 0, 1, 1]` — an empty
    /// tensor, zero bytes — made the loader build FCN-8s' [K, K, 4, 4] bilinear kernel for
    /// K = 100 000 (640 GB) before checking anything.
    @Test func anEmptyScoreLayerDoesNotSizeTheNetwork() throws {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        var tensors = try PretrainedWeights.readTensors(weights)
        tensors["score_fr.weight"] = Tensor(shape: [100000, 0, 1, 1], scalars: [])
        let url = folder.file("hostile.safetensors")
        try Safetensors.write(tensors, to: url)
        expectFailure(url, mentions: ["'score_fr.weight' has shape [100000, 0, 1, 1]", "[K, C, 1, 1]"]) {
            _ = try PretrainedWeights.classCount(in: url)
        }
        expectFailure(url, mentions: ["'score_fr.weight' has shape [100000, 0, 1, 1]"]) {
            try PretrainedWeights.convert(url, to: folder.file("out.safetensors"))
        }
        // Loading into a net built for that class count: the shape check comes before the
        // fixed kernels are built from the declared size.
        let description = try tinyDescription(.fcn8s, classes: 100000)
        expectFailure(url, mentions: ["tensor 'score_fr.weight' has shape [100000, 0, 1, 1], expected [100000, 8, 1, 1]"]) {
            _ = try PretrainedWeights.load(url, for: description)
        }
        #expect(folder.contents == ["hostile.safetensors"])
    }

    /// A net whose fixed upsampling kernels (not in the file) would not fit in memory is
    /// refused before they are built.
    @Test func missingFixedKernelsTooLargeForMemoryAreRefused() throws {
        let description = try tinyDescription(.fcn8s, classes: 1 << 20)                 // [2²⁰, 2²⁰, 4, 4]: 64 TB
        let message = errorMessage { _ = try PretrainedWeights.parameters([:], for: description, file: "w.safetensors") }
        #expect(message?.contains("w.safetensors: the architecture needs tensor 'upscore2.weight'") == true, "\(message ?? "accepted")")
        #expect(message?.contains("does not fit in the") == true)
    }

    /// 20 000 extra tensors: loading opened and parsed the header once per tensor (quadratic,
    /// minutes). Linear now; the size alone makes a quadratic loader unbearably slow.
    @Test func manyExtraTensorsAreReportedWithoutQuadraticWork() throws {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        var tensors = try PretrainedWeights.readTensors(weights)
        for i in 0..<20_000 { tensors[String(format: "zz_extra_%05d.weight", i)] = Tensor(shape: [1], scalars: [Float(i)]) }
        let url = folder.file("padded.safetensors")
        try Safetensors.write(tensors, to: url)
        let file = try SafetensorsFile(contentsOf: url)
        #expect(file.tensorNames.count == tensors.count)
        let description = try tinyDescription(.fcn8s, classes: PretrainedWeights.classCount(in: url))
        expectFailure(url, mentions: ["tensor 'zz_extra_00000.weight' [1] belongs to no layer of this architecture"]) {
            _ = try PretrainedWeights.load(url, for: description)
        }
        // And every tensor is read once, by one open of the file.
        #expect(try PretrainedWeights.readTensors(url).count == tensors.count)
    }

    /// Many tensors in overlapping and duplicate layouts: the offset check sorts once.
    @Test func manyOverlappingTensorsAreRefusedByTheSortedCheck() throws {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        var header: [String] = []
        for i in 0..<20_000 { header.append("\"t\(i)\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}") }
        let json = Array(("{" + header.joined(separator: ",") + "}").utf8)
        var bytes = withUnsafeBytes(of: UInt64(json.count).littleEndian) { Array($0) } + json
        bytes += [0, 0, 0, 0]
        let url = folder.write(bytes, to: "overlap.safetensors")
        expectFailure(url, mentions: ["overlaps the previous tensor"]) { _ = try SafetensorsFile(contentsOf: url) }
    }

    /// NaN in a caffemodel blob is refused naming the tensor and the first bad index, like
    /// safetensors and .npy.
    @Test func nonFiniteMessagesGiveTheFirstIndex() throws {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        let url = folder.file("nan.safetensors")
        try Safetensors.write(["w": Tensor(shape: [2, 3], scalars: [0, 1, 2, 3, .nan, 5])], to: url)
        expectFailure(url, mentions: ["tensor 'w' contains NaN or infinity (first: nan at index [1, 1])"]) {
            _ = try SafetensorsFile(contentsOf: url).tensor(named: "w", expectedShape: [2, 3])
        }
        let npy = folder.file("inf.npy")
        try NPY.write(Tensor(shape: [1, 3, 1, 2], scalars: [0, 1, 2, 3, 4, -.infinity]), to: npy)
        expectFailure(npy, mentions: ["the array contains NaN or infinity (first: -inf at index [0, 2, 0, 1])"]) {
            _ = try NPY.read(contentsOf: npy)
        }
    }
}

// CheckpointFuzzRegressionTests.swift — inputs `FuzzCheckpoint` found that trapped, kept as
// regression cases (Formats/Malformed/checkpoint/). Each must be a typed refusal naming the file.
@_spi(Fuzzing) import FCNTraining
import Foundation
import Testing

@Suite struct CheckpointFuzzRegressionTests {
    static let folder = URL(filePath: #filePath).deletingLastPathComponent()
        .appending(path: "../Formats/Malformed/checkpoint").standardizedFileURL

    /// A mutated checkpoint whose `model` metadata lists fewer than five VGG-mini blocks: it
    /// reached `VGGMini`'s five-block precondition (a trap) before the sizes were checked.
    @Test func modelSizesAreCheckedBeforeTheModelIsBuilt() throws {
        let url = Self.folder.appending(path: "fuzz-model-not-five-blocks.safetensors")
        let bytes = [UInt8](try Data(contentsOf: url))
        do {
            _ = try Checkpoint(bytes: bytes, name: url.lastPathComponent, requiringChecksum: false)
            Issue.record("the damaged checkpoint was accepted")
        } catch let error as CheckpointError {
            let message = "\(error)"
            #expect(message.contains(url.lastPathComponent), "\(message)")
            #expect(message.contains("five blocks") || message.contains("out of range"), "\(message)")
        }
    }
}

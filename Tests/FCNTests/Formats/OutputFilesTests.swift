// OutputFilesTests.swift — a command's outputs are refused, before any work, when one is an
// input (by device and inode: through `..`, a symbolic or a hard link too), when two are the
// same file, or when one is a special file.
import Foundation
import Testing
@testable import FCN

@Suite struct OutputFilesTests {
    @Test func anOutputThatIsAnInputIsRefusedHoweverItIsSpelled() throws {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        let input = folder.write([1, 2, 3], to: "in.safetensors")
        try FileManager.default.createDirectory(at: folder.file("sub"), withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: folder.file("link.safetensors").path, withDestinationPath: input.path)
        #expect(link(input.path, folder.file("hard.safetensors").path) == 0)
        for spelling in ["in.safetensors", "sub/../in.safetensors", "./in.safetensors", "link.safetensors", "hard.safetensors"] {
            let output = URL(filePath: folder.url.path + "/" + spelling)
            expectFailure(output, mentions: ["it is the input \(input.path)", "would destroy the input"]) {
                try OutputFiles.check([output], inputs: [input])
            }
        }
        // The conversion refuses before reading or writing anything.
        let converted = URL(filePath: folder.url.path + "/sub/../in.safetensors")
        expectFailure(converted, mentions: ["it is the input"]) { try PretrainedWeights.convert(input, to: converted) }
        #expect(try Data(contentsOf: input) == Data([1, 2, 3]))
        #expect(folder.contents == ["hard.safetensors", "in.safetensors", "link.safetensors", "sub"])
    }

    @Test func twoOutputsThatAreOneFileAreRefused() throws {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        try FileManager.default.createDirectory(at: folder.file("sub"), withIntermediateDirectories: false)
        let a = folder.file("labels.png"), b = URL(filePath: folder.url.path + "/sub/../labels.png")   // neither exists yet
        expectFailure(b, mentions: ["is the same file as the output \(a.path)"]) { try OutputFiles.check([a, b], inputs: []) }
        try OutputFiles.check([a, folder.file("overlay.png")], inputs: [])
    }

    @Test func specialOutputsAreRefused() throws {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        let fifo = folder.file("out.npy")
        #expect(mkfifo(fifo.path, 0o644) == 0)
        expectFailure(fifo, mentions: ["it is a FIFO (named pipe)", "an output must be a regular file"]) {
            try OutputFiles.check([fifo], inputs: [])
        }
        let outputs = SegmentationOutputs(logits: fifo)
        expectFailure(fifo, mentions: ["it is a FIFO"]) { try Segmentation.checkWritable(outputs) }
    }
}

// AtomicFileTests.swift — atomic writes: content, replacement, clear errors, no leftovers.
import Foundation
import Testing
@testable import FCN

@Suite struct AtomicFileTests {
    @Test func writesAndReplaces() throws {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        let target = folder.file("out.bin")
        try AtomicFile.write(Data([1, 2, 3]), to: target)
        #expect(try Data(contentsOf: target) == Data([1, 2, 3]))
        try AtomicFile.write(Data([9]), to: target)
        #expect(try Data(contentsOf: target) == Data([9]))
        #expect(folder.contents == ["out.bin"])  // no temporary left behind
    }

    @Test func streamingWriteConcatenates() throws {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        let target = folder.file("stream.bin")
        try AtomicFile.write(to: target) { sink in
            try sink.write([UInt8]([1, 2]))
            try sink.write(Data([3]))
        }
        #expect(try Data(contentsOf: target) == Data([1, 2, 3]))
        let permissions = try FileManager.default.attributesOfItem(atPath: target.path)[.posixPermissions] as? Int
        #expect(permissions.map { $0 & 0o444 == 0o444 } == true, "file should be readable by all, got \(String(describing: permissions))")
    }

    @Test func missingFolderIsAClearError() {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        let target = folder.file("no-such-folder/out.bin")
        expectFailure(target, mentions: ["does not exist"]) { try AtomicFile.write(Data([1]), to: target) }
        // A "folder" that is a file.
        let plain = folder.write([0], to: "plain")
        let inside = plain.appending(path: "out.bin")
        expectFailure(inside, mentions: ["not a folder"]) { try AtomicFile.write(Data([1]), to: inside) }
        #expect(folder.contents == ["plain"])
    }

    @Test func failedWriteLeavesNothingBehind() throws {
        struct Boom: Error {}
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        let target = folder.file("keep.bin")
        try AtomicFile.write(Data([7, 7]), to: target)
        expectFailure(target, mentions: ["Boom", "unchanged"]) {
            try AtomicFile.write(to: target) { sink in
                try sink.write([UInt8](repeating: 0, count: 1000))
                throw Boom()
            }
        }
        #expect(folder.contents == ["keep.bin"])            // the temporary is gone
        #expect(try Data(contentsOf: target) == Data([7, 7]))  // the old file is intact
    }

    @Test func renameOntoAFolderFailsCleanly() throws {
        // A destination that is a non-empty folder makes rename(2) fail after the data is written.
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        let target = folder.file("occupied")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: false)
        #expect(FileManager.default.createFile(atPath: target.appending(path: "inside").path, contents: Data()))
        expectFailure(target, mentions: ["rename"]) { try AtomicFile.write(Data([1]), to: target) }
        #expect(folder.contents == ["occupied"])
    }
}

@Suite struct OutputFolderTests {
    @Test func createsNestedFoldersAndExplainsFailures() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fcn-folder-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let nested = root.appendingPathComponent("a/b/c")
        try AtomicFile.createFolder(nested)
        try AtomicFile.createFolder(nested)                       // already there: fine
        var isFolder: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: nested.path, isDirectory: &isFolder) && isFolder.boolValue)

        let file = root.appendingPathComponent("plain")
        try Data("x".utf8).write(to: file)
        #expect(throws: AtomicFileError.cannotCreateFolder(folder: file.path, reason: "a file of that name exists")) {
            try AtomicFile.createFolder(file)
        }
        do {
            try AtomicFile.createFolder(file.appendingPathComponent("below"))
            Issue.record("creating a folder below a file should fail")
        } catch {
            #expect("\(error)".contains("cannot create output folder") && "\(error)".contains("Not a directory"))
        }
    }
}

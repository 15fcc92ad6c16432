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

    @Test func aFolderDestinationIsRefusedBeforeWriting() throws {
        // rename(2) onto a non-empty folder would fail only after the data is written.
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        let target = folder.file("occupied")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: false)
        #expect(FileManager.default.createFile(atPath: target.appending(path: "inside").path, contents: Data()))
        var ran = false
        expectFailure(target, mentions: ["it is a directory", "must be a regular file"]) {
            try AtomicFile.write(to: target) { _ in ran = true }
        }
        #expect(!ran, "the body ran although the destination was refused")
        #expect(folder.contents == ["occupied"])
    }

    @Test func specialFileDestinationsAreRefusedAndKept() throws {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        let fifo = folder.file("pipe")
        #expect(mkfifo(fifo.path, 0o644) == 0)
        expectFailure(fifo, mentions: ["it is a FIFO (named pipe)"]) { try AtomicFile.write(Data([1]), to: fifo) }
        expectFailure(URL(filePath: "/dev/null"), mentions: ["it is a character device"]) {
            try AtomicFile.write(Data([1]), to: URL(filePath: "/dev/null"))
        }
        var info = stat()
        #expect(stat(fifo.path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFIFO, "the FIFO was replaced")
        #expect(stat("/dev/null", &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR, "/dev/null was replaced")
        // Through a symbolic link too.
        let link = folder.file("link")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: fifo.path)
        expectFailure(link, mentions: ["it is a FIFO"]) { try AtomicFile.write(Data([1]), to: link) }
        #expect(folder.contents == ["link", "pipe"])
    }

    @Test func replacedFileKeepsItsPermissions() throws {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        let target = folder.file("secret.bin")
        try AtomicFile.write(Data([1]), to: target)
        #expect(chmod(target.path, 0o600) == 0)
        try AtomicFile.write(Data([2]), to: target)
        var info = stat()
        #expect(stat(target.path, &info) == 0)
        #expect(info.st_mode & 0o7777 == 0o600, "mode became \(String(info.st_mode & 0o7777, radix: 8))")
        #expect(chmod(target.path, 0o640) == 0)
        try AtomicFile.write(Data([3]), to: target)
        #expect(stat(target.path, &info) == 0 && info.st_mode & 0o7777 == 0o640)
    }

    @Test func temporaryNameCarriesThePID() throws {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        var during: [String] = []
        try AtomicFile.write(to: folder.file("out.bin")) { sink in
            try sink.write([UInt8]([1]))
            during = folder.contents
        }
        #expect(during.count == 1)
        #expect(during.first?.hasPrefix(".out.bin.tmp-\(getpid())-") == true, "temporary named \(during)")
        #expect(during.first.flatMap(AtomicFile.creatorPID(ofTemporary:)) == getpid())
        #expect(folder.contents == ["out.bin"])
    }

    @Test func creatorPIDParsesOnlyOurPattern() {
        #expect(AtomicFile.creatorPID(ofTemporary: ".a.png.tmp-1234-Ab3dE9") == 1234)
        #expect(AtomicFile.creatorPID(ofTemporary: ".x.tmp-1.tmp-99-zzzzzz") == 99)   // the last ".tmp-<pid>-" counts
        for name in ["a.png.tmp-1234-Ab3dE9", ".a.png.tmp-Ab3dE9", ".a.png.tmp--Ab3dE9", ".a.png.tmp-12-Ab3d",
                     ".a.png.tmp-12-Ab3d!9", ".a.png.tmp-0-abcdef", ".a.png", "", ".a.png.tmp-99999999999999-abcdef"] {
            #expect(AtomicFile.creatorPID(ofTemporary: name) == nil, "\(name) taken for a temporary")
        }
    }

    @Test func staleTemporariesOfDeadProcessesAreRemoved() throws {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        // A PID that certainly ended: a child we started and waited for.
        let child = Process()
        child.executableURL = URL(filePath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        let dead = child.processIdentifier
        let stale = folder.write([0], to: ".old.png.tmp-\(dead)-aB3xY9")
        let alive = folder.write([0], to: ".old.png.tmp-\(getpid())-aB3xY9")    // a write of ours "in progress"
        let foreign = folder.write([0], to: ".old.png.tmp-aB3xY9")               // not our naming: never touched
        let folderOfTheDead = folder.file(".old.tmp-\(dead)-zzzzzz")
        try FileManager.default.createDirectory(at: folderOfTheDead, withIntermediateDirectories: false)  // not a file
        try AtomicFile.write(Data([1]), to: folder.file("new.png"))
        let names = folder.contents
        #expect(!names.contains(stale.lastPathComponent), "the stale temporary of PID \(dead) is still there")
        #expect(names.contains(alive.lastPathComponent) && names.contains(foreign.lastPathComponent))
        #expect(names.contains(folderOfTheDead.lastPathComponent) && names.contains("new.png"))
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

// InputFileTests.swift — every reader refuses what is not a regular file (FIFO, device,
// directory, socket) before reading, without blocking, naming the file and what it is; and a
// file truncated after it was opened is an error naming it, not a SIGBUS.
import Foundation
import Synchronization
import Testing
@testable import FCN

/// Special files for one test: a FIFO, a directory and a listening-less Unix socket in a
/// scratch folder, plus `/dev/zero`.
struct SpecialFiles {
    let folder = ScratchFolder()
    var fifo: URL { folder.file("pipe.safetensors") }
    var directory: URL { folder.file("folder.npy") }
    var socket: URL { folder.file("socket.png") }
    let zero = URL(filePath: "/dev/zero")

    init() {
        #expect(mkfifo(fifo.path, 0o644) == 0)
        try! FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
        let descriptor = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let path = Array(socket.path.utf8)
            raw.copyBytes(from: path.prefix(raw.count - 1))
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0, "cannot create a socket file")
        close(descriptor)
    }

    /// (file, the kind its refusal must name).
    var all: [(URL, String)] {
        [(fifo, "a FIFO (named pipe)"), (directory, "a directory"), (socket, "a socket"), (zero, "a character device")]
    }

    func cleanUp() { folder.cleanUp() }
}

/// Runs `body` on another thread and fails (instead of hanging) if it has not returned within
/// `seconds`; a FIFO reader stuck in `open` is then released by opening the FIFO ourselves.
func expectReturns(within seconds: Double, unblocking fifo: URL? = nil, sourceLocation: SourceLocation = #_sourceLocation,
                   _ body: @escaping @Sendable () -> Void) {
    let done = DispatchSemaphore(value: 0)
    Thread.detachNewThread { body(); done.signal() }
    if done.wait(timeout: .now() + seconds) == .timedOut {
        Issue.record("did not return within \(seconds) s (blocked)", sourceLocation: sourceLocation)
        if let fifo { let d = open(fifo.path, O_RDWR); _ = done.wait(timeout: .now() + 5); close(d) }
    }
}

@Suite struct InputFileTests {
    /// Every reader of the library, by file.
    static let readers: [(String, @Sendable (URL) throws -> Void)] = [
        ("safetensors", { _ = try SafetensorsFile(contentsOf: $0) }),
        ("npy", { _ = try NPY.read(contentsOf: $0) }),
        ("npy header", { _ = try NPY.shape(contentsOf: $0) }),
        ("caffemodel", { _ = try CaffeModel(contentsOf: $0) }),
        ("image", { _ = try RGBImage.decode(contentsOf: $0) }),
        ("indexed image", { _ = try IndexedImage.decode(contentsOf: $0) }),
        ("label map", { _ = try LabelMap.read(contentsOf: $0) }),
        ("weights", { _ = try PretrainedWeights.readTensors($0.deletingPathExtension().appendingPathExtension("safetensors")) }),
    ]

    @Test func specialFilesAreRefusedWithoutBlocking() {
        let files = SpecialFiles()
        defer { files.cleanUp() }
        for (url, kind) in files.all {
            for (reader, read) in Self.readers {
                // The weights reader goes by extension: give it a .safetensors name of the same kind.
                let target = reader == "weights" && url.pathExtension != "safetensors" ? files.fifo : url
                let expectedKind = target == url ? kind : "a FIFO (named pipe)"
                let message = Mutex<String?>(nil)
                expectReturns(within: 10, unblocking: files.fifo) {
                    let text = errorMessage { try read(target) }
                    message.withLock { $0 = text }
                }
                let text = message.withLock { $0 } ?? "(accepted)"
                #expect(text.contains(target.path), "\(reader): message does not name \(target.path): \(text)")
                #expect(text.contains("it is \(expectedKind), not a regular file"), "\(reader) on \(target.lastPathComponent): \(text)")
            }
        }
        #expect(files.folder.contents == ["folder.npy", "pipe.safetensors", "socket.png"])
    }

    @Test func aFileTruncatedAfterOpeningIsAnErrorNotASignal() throws {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        let url = folder.file("w.safetensors")
        let big = Tensor(shape: [1 << 18], scalars: (0..<(1 << 18)).map { Float($0) })     // 1 MiB of data
        try Safetensors.write(["a": Tensor(shape: [2], scalars: [1, 2]), "b": big], to: url)
        let file = try SafetensorsFile(contentsOf: url)
        #expect(try file.tensor(named: "a") == Tensor(shape: [2], scalars: [1, 2]))
        // As `cp new old` would: truncate in place while the file is open.
        #expect(truncate(url.path, 4096) == 0)
        expectFailure(url, mentions: ["cannot read safetensors file", "tensor 'b'", "the file shrank while it was being read"]) {
            _ = try file.tensor(named: "b")
        }
        // The same for the low-level reader used by every format.
        let raw = try InputFile(url: url)
        #expect(truncate(url.path, 10) == 0)
        #expect(throws: InputFile.Failure.self) { _ = try raw.bytes(0..<100) }
    }

    @Test func aPathThatDoesNotExistIsNamed() {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        let missing = folder.file("missing.npy")
        expectFailure(missing, mentions: ["cannot open .npy file", "No such file or directory"]) { _ = try NPY.read(contentsOf: missing) }
    }
}

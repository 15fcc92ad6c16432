// AtomicFile.swift — write a file so that readers see either the old file or the complete new
// one, never half of it. Infrastructure for every output of the library (weights, arrays,
// images, figures, checkpoints); no paper section.
//
// The recipe (POSIX):
//   1. create a temporary file with a unique name *in the destination folder* (`mkstemp`),
//      so the final `rename` never crosses file systems;
//   2. write all bytes, then `fsync` so they are on disk before the name points at them;
//   3. `rename` the temporary over the destination — atomic on POSIX file systems;
//   4. on any failure, delete the temporary: a failed write leaves nothing behind.
//
// Hardening against a hostile or unlucky destination (each explained where it is done):
//   - the destination must be a regular file or absent: `rename` over a device node or a FIFO
//     would replace it by a regular file (as root: `/dev/null` becomes our PNG);
//   - a replaced file keeps its permission bits (a 0600 file stays 0600);
//   - the temporary's name carries our PID (`.name.tmp-<pid>-XXXXXX`) and is registered with
//     a SIGINT/SIGTERM handler that removes it (`cic_pending_files.h`); files left by a
//     SIGKILL, whose PID is dead, are removed by the next write in that folder
//     (`AtomicFile+Cleanup.swift`).
// Refusing to write over one of the command's *inputs* needs to know the inputs: see
// ``OutputFiles/check(_:inputs:)``.

import CImageCodecs
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why an atomic write failed. Every message names the destination file.
public enum AtomicFileError: Error, CustomStringConvertible, Equatable {
    /// The destination folder does not exist (or is not a folder).
    case missingFolder(file: String, folder: String)
    /// The temporary file could not be created (permissions, read-only file system, …).
    case cannotCreate(file: String, reason: String)
    /// Writing, syncing or renaming failed after the temporary was created.
    case writeFailed(file: String, reason: String)
    /// The caller's body threw; the temporary was removed and the destination left untouched.
    case aborted(file: String, reason: String)
    /// An output folder could not be created.
    case cannotCreateFolder(folder: String, reason: String)
    /// The destination exists and is not a regular file (a device node, FIFO, folder, socket).
    case notARegularFile(file: String, kind: String)
    /// The destination is the same file as an input of the command.
    case sameAsInput(file: String, input: String)
    /// Two outputs of one command name the same file.
    case sameOutputTwice(file: String, other: String)

    /// A sentence naming the file or folder and the problem.
    public var description: String {
        switch self {
        case let .missingFolder(file, folder):
            return "cannot write \(file): folder \(folder) does not exist (or is not a folder)"
        case let .cannotCreate(file, reason):
            return "cannot write \(file): cannot create a temporary file in its folder (\(reason))"
        case let .writeFailed(file, reason):
            return "cannot write \(file): \(reason)"
        case let .aborted(file, reason):
            return "writing \(file) was abandoned, file left unchanged: \(reason)"
        case let .cannotCreateFolder(folder, reason):
            return "cannot create output folder \(folder): \(reason)"
        case let .notARegularFile(file, kind):
            return "cannot write \(file): it is \(kind); an output must be a regular file or not exist yet"
        case let .sameAsInput(file, input):
            return "cannot write \(file): it is the input \(input); writing it would destroy the input"
        case let .sameOutputTwice(file, other):
            return "cannot write \(file): it is the same file as the output \(other)"
        }
    }
}

/// Atomic file writes: temporary file in the same folder, write, `fsync`, `rename`.
///
/// ```swift
/// try AtomicFile.write(Data("hello\n".utf8), to: URL(filePath: "out/greeting.txt"))
/// try AtomicFile.write(to: url) { sink in          // streaming, for large files
///     try sink.write(header)
///     try sink.write(body)
/// }
/// ```
///
/// ### See Also
/// - ``Safetensors/write(_:metadata:to:)-([String:Tensor],_,_)``, ``NPY/write(_:to:)``, ``RGBImage/write(to:)``.
public enum AtomicFile {
    /// The open temporary file handed to a streaming write's body.
    public struct Sink: ~Copyable {
        fileprivate let descriptor: Int32
        fileprivate let path: String

        /// Appends raw bytes (loops over short writes and `EINTR`).
        package func write(_ buffer: UnsafeRawBufferPointer) throws {
            guard var base = buffer.baseAddress else { return }
            var remaining = buffer.count
            while remaining > 0 {
                let written = Glibc.write(descriptor, base, remaining)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw AtomicFileError.writeFailed(file: path, reason: String(cString: strerror(errno)))
                }
                remaining -= written
                base += written
            }
        }

        /// Appends the bytes of `data`.
        public func write(_ data: Data) throws {
            try data.withUnsafeBytes { try write($0) }
        }

        /// Appends the bytes of `bytes`.
        public func write(_ bytes: [UInt8]) throws {
            try bytes.withUnsafeBytes { try write($0) }
        }
    }

    /// Writes `data` to `url` atomically.
    public static func write(_ data: Data, to url: URL) throws {
        try write(to: url) { try $0.write(data) }
    }

    /// Writes whatever `body` appends to the sink to `url` atomically. If `body` throws, the
    /// temporary is removed, the destination is untouched and the error is rethrown wrapped in
    /// ``AtomicFileError/aborted(file:reason:)`` (or as is, when it already is an `AtomicFileError`).
    public static func write(to url: URL, _ body: (borrowing Sink) throws -> Void) throws {
        let path = url.path
        let folder = url.deletingLastPathComponent().path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw AtomicFileError.missingFolder(file: path, folder: folder)
        }
        let existing = try destinationStatus(path)
        removeStaleTemporaries(in: folder)
        cic_pending_install_handlers()

        // mkstemp replaces the trailing XXXXXX with a unique suffix and opens the file O_EXCL.
        var template = Array("\(folder)/\(temporaryPrefix(for: url.lastPathComponent))XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw AtomicFileError.cannotCreate(file: path, reason: String(cString: strerror(errno)))
        }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        // From here until the rename, SIGINT/SIGTERM remove the temporary (pending_files.c).
        let slot = cic_pending_add(temporary)
        var closed = false
        var renamed = false
        defer {
            if !closed { close(descriptor) }
            if !renamed { unlink(temporary) }
            cic_pending_remove(slot)
        }

        // mkstemp creates the file readable by its owner only. A replaced file keeps its
        // permission bits; a new one gets the usual 0644 (less umask).
        if let existing {
            fchmod(descriptor, existing.st_mode & 0o7777)
        } else {
            let mask = umask(0)
            umask(mask)
            fchmod(descriptor, 0o644 & ~mask)
        }

        do {
            try body(Sink(descriptor: descriptor, path: path))
        } catch let error as AtomicFileError {
            throw error
        } catch {
            throw AtomicFileError.aborted(file: path, reason: String(describing: error))
        }
        guard fsync(descriptor) == 0 else {
            throw AtomicFileError.writeFailed(file: path, reason: "fsync: \(String(cString: strerror(errno)))")
        }
        closed = true
        guard close(descriptor) == 0 else {
            throw AtomicFileError.writeFailed(file: path, reason: "close: \(String(cString: strerror(errno)))")
        }
        testPauseBeforeRename()
        // The destination may have become a special file while we wrote: check once more.
        _ = try destinationStatus(path)
        guard rename(temporary, path) == 0 else {
            throw AtomicFileError.writeFailed(file: path, reason: "rename: \(String(cString: strerror(errno)))")
        }
        renamed = true
    }

    /// The status of the existing destination `path` (following symlinks), `nil` when there is
    /// none. Throws ``AtomicFileError/notARegularFile(file:kind:)`` for anything but a regular
    /// file: renaming over `/dev/null` or a FIFO would replace it.
    static func destinationStatus(_ path: String) throws(AtomicFileError) -> stat? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }   // absent (or a dangling symlink: rename replaces the link)
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw .notARegularFile(file: path, kind: InputFile.kind(of: info.st_mode))
        }
        return info
    }

    /// For the kill tests only: with `FCN_TEST_PAUSE_BEFORE_RENAME=<seconds>` in the
    /// environment, every write waits that long with its temporary complete but not yet
    /// renamed, so a test can send a signal at exactly that moment.
    private static func testPauseBeforeRename() {
        guard let text = ProcessInfo.processInfo.environment["FCN_TEST_PAUSE_BEFORE_RENAME"],
              let seconds = Double(text), seconds > 0 else { return }
        Thread.sleep(forTimeInterval: min(seconds, 60))
    }
}

extension AtomicFile {
    /// Creates `folder` (and its parents) if it does not exist, with an error that names the
    /// folder and says why in plain words (Foundation's own error is an NSError dump).
    public static func createFolder(_ folder: URL) throws(AtomicFileError) {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder) {
            if isFolder.boolValue { return }
            throw .cannotCreateFolder(folder: folder.path, reason: "a file of that name exists")
        }
        // mkdir each missing component ourselves, so that errno gives the real reason.
        var path = ""
        for component in folder.standardizedFileURL.path.split(separator: "/", omittingEmptySubsequences: true) {
            path += "/" + component
            if FileManager.default.fileExists(atPath: path) { continue }
            if mkdir(path, 0o755) != 0 && errno != EEXIST {
                throw .cannotCreateFolder(folder: folder.path, reason: "\(path): \(String(cString: strerror(errno)))")
            }
        }
    }
}

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
        public func write(_ buffer: UnsafeRawBufferPointer) throws {
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

        // mkstemp replaces the trailing XXXXXX with a unique suffix and opens the file O_EXCL.
        var template = Array("\(folder)/.\(url.lastPathComponent).tmp-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw AtomicFileError.cannotCreate(file: path, reason: String(cString: strerror(errno)))
        }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var closed = false
        var renamed = false
        defer {
            if !closed { close(descriptor) }
            if !renamed { unlink(temporary) }
        }

        // mkstemp creates the file readable by its owner only; give it the usual 0644 (less umask).
        let mask = umask(0)
        umask(mask)
        fchmod(descriptor, 0o644 & ~mask)

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
        guard rename(temporary, path) == 0 else {
            throw AtomicFileError.writeFailed(file: path, reason: "rename: \(String(cString: strerror(errno)))")
        }
        renamed = true
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

// InputFile.swift — the one door through which the library reads a file: only regular files
// pass, and bytes are read with `pread` into buffers we own. Infrastructure for every reader
// (weights, arrays, images, label maps, checkpoints); no paper section.
//
// Two hazards of paths typed by a user, and what this file does about them:
//
//   - Special files. `open` of a FIFO blocks until some writer appears — forever, on a hostile
//     command line; `/dev/zero` never ends; a directory or a socket holds no file data. So the
//     path is `stat`ed first and refused unless it is a regular file, then opened with
//     `O_NONBLOCK` (should the path be swapped for a FIFO between the two calls, `open` returns
//     instead of blocking) and `fstat`ed again, and the descriptor must be the same regular file
//     (device and inode) that was checked.
//   - Files changing under us. A memory mapping of a file that another process truncates
//     raises SIGBUS on the next read of a lost page: the process dies with nothing to report
//     (`cp new.safetensors old.safetensors` during a run does exactly that). `pread` into our
//     own memory returns a short count instead, which becomes an error naming the file.
//     Readers `pread` straight into their destination (a tensor's `[Float]`), so the peak
//     memory stays one copy of the data, as it was with a mapping.
//
// Every size a reader allocates from is checked against `size` (the file's size when it was
// opened) before the allocation; `InputFile` itself never allocates more than it is asked to.

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A regular file opened for reading (or bytes handed over in memory, for the fuzzers).
///
/// `pread` does not move a shared file position, so concurrent reads from several threads are
/// safe; the object is immutable after `init`: hence `@unchecked Sendable`.
package final class InputFile: @unchecked Sendable {
    /// The file's size in bytes when it was opened.
    let size: Int
    private let descriptor: Int32                       // -1 for in-memory bytes
    private let memory: UnsafeMutableRawBufferPointer?  // the copy, for in-memory bytes

    /// Why a file could not be opened or read; callers wrap `reason` in their own format's
    /// error together with the file name.
    package struct Failure: Error { package let reason: String }

    /// Opens `url` for reading, refusing anything that is not a regular file (see the file
    /// comment for why, and why in this order).
    init(url: URL) throws(Failure) {
        let path = url.path
        var before = stat()
        guard stat(path, &before) == 0 else { throw Failure(reason: String(cString: strerror(errno))) }
        try Self.requireRegular(before)
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        guard descriptor >= 0 else { throw Failure(reason: String(cString: strerror(errno))) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw Failure(reason: reason)
        }
        do { try Self.requireRegular(info) } catch { close(descriptor); throw error }
        guard info.st_dev == before.st_dev, info.st_ino == before.st_ino else {
            close(descriptor)
            throw Failure(reason: "the file was replaced while it was being opened")
        }
        // O_NONBLOCK has no effect on regular files; clear it anyway, reads are plain reads.
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        self.descriptor = descriptor
        self.size = Int(info.st_size)
        self.memory = nil
    }

    /// A private copy of `source`, for parsing bytes that did not come from a file (fuzzing).
    init(copying source: UnsafeRawBufferPointer) {
        descriptor = -1
        size = source.count
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, source.count), alignment: 16)
        if source.count > 0 { buffer.copyMemory(from: source) }
        memory = buffer
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
        memory?.deallocate()
    }

    /// Throws unless `info` describes a regular file, naming what it is instead.
    static func requireRegular(_ info: stat) throws(Failure) {
        guard (info.st_mode & S_IFMT) != S_IFREG else { return }
        throw Failure(reason: "it is \(kind(of: info.st_mode)), not a regular file")
    }

    /// "a directory", "a FIFO (named pipe)", … for the file type bits of `mode`.
    static func kind(of mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFREG: return "a regular file"
        case S_IFDIR: return "a directory"
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        case S_IFLNK: return "a symbolic link"
        default: return "a special file"
        }
    }

    /// Fills `destination` with the bytes at `offset…`; the range must lie within `size`
    /// (callers check it against the file's format first).
    /// - Throws: `Failure` when the file ends early — it shrank after it was opened — or the
    ///   read fails.
    func read(at offset: Int, into destination: UnsafeMutableRawBufferPointer) throws(Failure) {
        precondition(offset >= 0 && destination.count <= size - offset, "InputFile: read beyond the size checked at open")
        guard let base = destination.baseAddress, destination.count > 0 else { return }
        if let memory {
            destination.copyMemory(from: UnsafeRawBufferPointer(rebasing: memory[offset..<(offset + destination.count)]))
            return
        }
        var done = 0
        while done < destination.count {
            let n = pread(descriptor, base + done, destination.count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(reason: "read failed at byte \(offset + done): \(String(cString: strerror(errno)))")
            }
            if n == 0 {
                throw Failure(reason: "the file shrank while it was being read (it was \(size) bytes when opened, "
                              + "now ends before byte \(offset + destination.count))")
            }
            done += n
        }
    }

    /// The bytes in `range` (within `size`), as an array.
    func bytes(_ range: Range<Int>) throws(Failure) -> [UInt8] {
        var failure: Failure?
        let result = [UInt8](unsafeUninitializedCapacity: range.count) { buffer, initialized in
            do throws(Failure) { try read(at: range.lowerBound, into: UnsafeMutableRawBufferPointer(buffer)) } catch { failure = error }
            initialized = range.count
        }
        if let failure { throw failure }
        return result
    }

    /// The whole file `url` as UTF-8 text (a split list, a small table), refused when larger
    /// than `limit` bytes or not valid UTF-8.
    package static func text(contentsOf url: URL, limit: Int = 64 << 20) throws(Failure) -> String {
        let file = try InputFile(url: url)
        guard file.size <= limit else { throw Failure(reason: "the file has \(file.size) bytes, more than the \(limit)-byte limit") }
        guard let text = String(validating: try file.bytes(0..<file.size), as: UTF8.self) else {
            throw Failure(reason: "the file is not UTF-8 text")
        }
        return text
    }

    /// `count` little-endian float32 values at `offset`, read straight into the array.
    /// `Float` is little-endian IEEE 754 on every platform Swift targets, so the file's bytes
    /// already are the array's bytes.
    func float32s(at offset: Int, count: Int) throws(Failure) -> [Float] {
        assert(1.littleEndian == 1, "InputFile.float32s assumes a little-endian machine")
        var failure: Failure?
        let result = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            do throws(Failure) { try read(at: offset, into: UnsafeMutableRawBufferPointer(buffer)) } catch { failure = error }
            initialized = count
        }
        if let failure { throw failure }
        return result
    }

    /// `count` values of `elementSize` bytes at `offset`, each converted to `Float` by
    /// `convert` (given the bytes and the element's index in them). Read in chunks of at most
    /// 1 MiB, so converting a large F16 tensor does not hold its bytes twice.
    func converted(at offset: Int, count: Int, elementSize: Int,
                   _ convert: (UnsafeRawBufferPointer, Int) -> Float) throws(Failure) -> [Float] {
        let chunk = max(1, (1 << 20) / elementSize)
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk * elementSize, alignment: 16)
        defer { scratch.deallocate() }
        var result: [Float] = []
        result.reserveCapacity(count)
        var start = 0
        while start < count {
            let n = min(chunk, count - start)
            let part = UnsafeMutableRawBufferPointer(rebasing: scratch[0..<(n * elementSize)])
            try read(at: offset + start * elementSize, into: part)
            for i in 0..<n { result.append(convert(UnsafeRawBufferPointer(part), i)) }
            start += n
        }
        return result
    }
}

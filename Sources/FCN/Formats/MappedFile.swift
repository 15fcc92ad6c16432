// MappedFile.swift — the read-only bytes of a file, memory-mapped when possible. Infrastructure
// for the weight readers (a VGG16 FCN is ~0.5 GB: mapping it costs no copy and no time until a
// tensor is actually read); no paper section.

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of a file, read-only. Mapped with `mmap` (unmapped in `deinit`), or read into
/// memory when mapping fails (e.g. on file systems that do not support it).
///
/// Immutable after `init`, and the mapping is `PROT_READ`, so sharing across threads is safe:
/// hence `@unchecked Sendable`.
///
/// Caveat of any mapping: if another process truncates the file in place while it is mapped,
/// reading the lost pages raises SIGBUS. Files written by ``AtomicFile`` are replaced by
/// `rename`, which leaves an existing mapping of the old file intact.
final class MappedFile: @unchecked Sendable {
    /// The file's bytes; valid as long as this object lives.
    let bytes: UnsafeRawBufferPointer
    private let mapped: Bool

    /// Opens `url` for reading.
    /// - Throws: `MappedFile.Failure` with a human-readable reason, which callers wrap in their
    ///   own format's error together with the file name.
    init(url: URL) throws(Failure) {
        let path = url.path
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw Failure(reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw Failure(reason: String(cString: strerror(errno))) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw Failure(reason: "not a regular file") }
        let size = Int(info.st_size)
        if size == 0 {
            // mmap refuses length 0; an empty buffer is the honest answer.
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            mapped = false
            return
        }
        if let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED {
            bytes = UnsafeRawBufferPointer(start: address, count: size)
            mapped = true
            return
        }
        // Fallback: read the whole file into memory we own.
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        var done = 0
        while done < size {
            let n = read(descriptor, buffer.baseAddress! + done, size - done)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                buffer.deallocate()
                throw Failure(reason: n == 0 ? "file shrank while reading" : String(cString: strerror(errno)))
            }
            done += n
        }
        bytes = UnsafeRawBufferPointer(buffer)
        mapped = false
    }

    /// A private copy of `source`, for parsing bytes that did not come from a file (fuzzing).
    init(copying source: UnsafeRawBufferPointer) {
        mapped = false
        guard source.count > 0 else { bytes = UnsafeRawBufferPointer(start: nil, count: 0); return }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: source.count, alignment: 16)
        buffer.copyMemory(from: source)
        bytes = UnsafeRawBufferPointer(buffer)
    }

    deinit {
        guard let base = bytes.baseAddress else { return }
        if mapped {
            munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
        } else {
            UnsafeMutableRawBufferPointer(mutating: bytes).deallocate()
        }
    }

    /// Tells the kernel that the bytes in `range` will not be needed soon, so that their pages
    /// stop counting towards this process's resident memory.
    ///
    /// Why: reading a mapped tensor faults its pages in, and they stay resident (and count in
    /// the peak RSS) as long as the mapping lives, although the tensor has been copied into its
    /// own array — loading a 0.5 GB FCN would otherwise hold 1 GB. `MADV_DONTNEED` on a
    /// read-only private file mapping simply drops the pages; touching them again reads them
    /// back from the file, so the bytes never change. The range is widened to whole pages
    /// (a neighbour's shared page may be dropped too — harmless for the same reason).
    func release(_ range: Range<Int>) {
        guard mapped, let base = bytes.baseAddress, !range.isEmpty else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = range.lowerBound / page * page
        let end = min(bytes.count, (range.upperBound + page - 1) / page * page)
        _ = madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, Int32(MADV_DONTNEED))
    }

    /// Why a file could not be opened.
    struct Failure: Error { let reason: String }

    /// Reads a little-endian integer at `offset` (caller checks bounds).
    func littleEndian<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T {
        T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}

/// `count` little-endian float32 values from `raw` (which may be unaligned), as `[Float]`.
/// One bulk copy: `Float` is little-endian IEEE 754 on every platform Swift targets, so the
/// file's bytes already are the array's bytes. (The element-by-element form would be
/// `Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))`.)
func float32Array(littleEndian raw: UnsafeRawBufferPointer, count: Int) -> [Float] {
    precondition(raw.count >= 4 * count, "float32Array: \(raw.count) bytes cannot hold \(count) floats")
    assert(1.littleEndian == 1, "float32Array assumes a little-endian machine")
    return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
        if count > 0 { UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[0..<(4 * count)])) }
        initialized = count
    }
}

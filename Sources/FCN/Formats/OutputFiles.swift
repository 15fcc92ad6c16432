// OutputFiles.swift — refuse a command's outputs before any work when writing them would
// destroy something: an input, another output, a special file. Infrastructure for the
// commands (`fcn segment`, `fcn convert`); no paper section.
//
// Paths are compared as the kernel sees files, not as strings: `a.png`, `./a.png`,
// `sub/../a.png`, a symbolic link to it and a hard link are all the same (device, inode).
// An output that does not exist yet cannot be an input; two outputs that do not exist yet
// are compared by their folder's (device, inode) and their name.

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks on the files a command is about to write.
///
/// ```swift
/// try OutputFiles.check([URL(filePath: "out.safetensors")], inputs: [URL(filePath: "in.caffemodel")])
/// ```
public enum OutputFiles {
    /// Throws ``AtomicFileError`` unless every output is a regular file or absent
    /// (``AtomicFileError/notARegularFile(file:kind:)``), none is the same file as an input
    /// (``AtomicFileError/sameAsInput(file:input:)``), and no two outputs are the same file
    /// (``AtomicFileError/sameOutputTwice(file:other:)``).
    public static func check(_ outputs: [URL], inputs: [URL]) throws(AtomicFileError) {
        var inputIdentities: [Identity: URL] = [:]
        for input in inputs { if let id = Identity(existing: input.path) { inputIdentities[id] = input } }
        var seen: [Identity: URL] = [:]
        for output in outputs {
            _ = try AtomicFile.destinationStatus(output.path)
            if let id = Identity(existing: output.path), let input = inputIdentities[id] {
                throw .sameAsInput(file: output.path, input: input.path)
            }
            guard let id = Identity(existing: output.path) ?? Identity(planned: output) else { continue }
            if let other = seen[id] { throw .sameOutputTwice(file: output.path, other: other.path) }
            seen[id] = output
        }
    }

    /// A file as the kernel names it: (device, inode), or, for a file not created yet, its
    /// folder's (device, inode) and its name.
    struct Identity: Hashable {
        var device: UInt64, inode: UInt64
        var name: String?

        /// The identity of the existing file at `path` (symlinks followed), `nil` if there is none.
        init?(existing path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            device = UInt64(info.st_dev); inode = UInt64(info.st_ino); name = nil
        }

        /// The identity of the not-yet-existing file `url`: its folder's and its name.
        init?(planned url: URL) {
            guard let folder = Identity(existing: url.deletingLastPathComponent().path) else { return nil }
            self = folder
            name = url.lastPathComponent
        }
    }
}

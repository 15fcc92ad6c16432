// AtomicRename.swift — write a figure beside its destination, then rename it into place.
//
// No paper section: file infrastructure. A reader (or a make rule) never sees a half-written
// figure: `rename(2)` inside one folder replaces the destination in a single step. This helper
// stays private to FCNFigures; the library's general `AtomicFile` may replace it later.
import Foundation

/// A temporary path in the destination's own folder (same file system, so `rename` is atomic).
/// The name starts with a dot so that a crash leaves a hidden file, not a bogus figure.
func temporaryPath(besides destination: URL) -> URL {
    let folder = destination.deletingLastPathComponent()
    let unique = "\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"
    return folder.appendingPathComponent(".\(destination.lastPathComponent).\(unique).tmp")
}

/// Moves `temporary` onto `destination`, replacing it; removes `temporary` on failure.
func renameIntoPlace(_ temporary: URL, _ destination: URL) throws {
    if rename(temporary.path, destination.path) != 0 {
        let reason = String(cString: strerror(errno))
        try? FileManager.default.removeItem(at: temporary)
        throw FigureError.rename(path: destination.path, reason: reason)
    }
}

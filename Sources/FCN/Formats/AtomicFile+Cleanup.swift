// AtomicFile+Cleanup.swift — the names of the atomic writer's temporary files, and removing the
// ones a killed process left behind. Infrastructure; no paper section.
//
// A write that is interrupted by SIGINT or SIGTERM removes its temporary itself (the signal
// handler of `pending_files.c`). SIGKILL — the OOM killer, `kill -9`, a CI timeout — cannot be
// caught, and leaves `.name.tmp-<pid>-XXXXXX` next to the destination. Our temporaries carry
// the PID of the process that created them, so a later write in the same folder can tell an
// orphan (its PID is dead) from a write in progress (its PID is alive: another process, or a
// concurrent write of this one), and removes only orphans, only regular files owned by the
// same user, only of exactly our naming pattern.
//
// Caveat: PIDs are per PID namespace. Two containers writing into one shared folder could see
// each other's live writers as dead; we accept that (the victim's rename then fails with an
// error naming the file, nothing is corrupted).

import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The folders this process has already cleaned (each once: a folder of 10 000 outputs is
/// not listed 10 000 times).
private let cleanedFolders = Mutex<Set<String>>([])

extension AtomicFile {
    /// `.<name>.tmp-<pid>-`, to which `mkstemp` appends six random characters.
    static func temporaryPrefix(for name: String, pid: Int32 = getpid()) -> String {
        ".\(name).tmp-\(pid)-"
    }

    /// The PID in a temporary file name of ours, or `nil` if `name` does not follow the
    /// pattern `.<name>.tmp-<pid>-XXXXXX` exactly.
    static func creatorPID(ofTemporary name: String) -> Int32? {
        let characters = Array(name.utf8)
        guard characters.count > 6, characters.first == UInt8(ascii: "."),
              characters.suffix(6).allSatisfy({ isalnum(Int32($0)) != 0 }) else { return nil }
        var end = characters.count - 6                       // the '-' before the random part
        guard characters[end - 1] == UInt8(ascii: "-") else { return nil }
        end -= 1
        var start = end
        while start > 0, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(characters[start - 1]) { start -= 1 }
        let marker = Array(".tmp-".utf8)
        guard start < end, start >= marker.count + 1, Array(characters[(start - marker.count)..<start]) == marker,
              let pid = Int32(String(decoding: characters[start..<end], as: UTF8.self)), pid > 0 else { return nil }
        return pid
    }

    /// Removes the temporaries of dead processes from `folder`, once per folder and process.
    /// Best effort: anything that cannot be listed, checked or removed is left alone.
    static func removeStaleTemporaries(in folder: String) {
        let key = URL(filePath: folder).standardizedFileURL.path
        guard cleanedFolders.withLock({ $0.insert(key).inserted }) else { return }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names {
            guard let pid = creatorPID(ofTemporary: name), !isAlive(pid) else { continue }
            let path = folder + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_uid == geteuid() else { continue }
            unlink(path)
        }
    }

    /// Whether a process `pid` exists (`kill` with signal 0 only checks; EPERM: it exists,
    /// owned by someone else).
    static func isAlive(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }
}

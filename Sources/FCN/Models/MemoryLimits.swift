// MemoryLimits.swift — how many more bytes this process may allocate: the tightest of the three
// limits Linux may impose. Infrastructure for `MemoryEstimate` and the file readers; no paper
// section (paper §3: memory is what bounds an FCN's input size in practice).
//
// Free memory on the machine is not the whole story. A process can be limited more tightly:
//   1. the machine: `MemAvailable` in /proc/meminfo (what can be allocated without swapping);
//   2. its address space: `RLIMIT_AS` (`ulimit -v`), counted against the *virtual* size,
//      which /proc/self/statm gives in pages (first field);
//   3. its control group (containers, systemd units, CI runners):
//        v2: `memory.max` − `memory.current` in the process's cgroup folder (and each parent:
//            the tightest ancestor wins), under /sys/fs/cgroup;
//        v1: `memory.limit_in_bytes` − `memory.usage_in_bytes` under /sys/fs/cgroup/memory.
// Exceeding 2 or 3 does not slow the machine down: malloc fails (the Swift runtime then traps)
// or the kernel's OOM killer ends the process. So a check against MemAvailable alone lets a
// run that fits the machine but not the limit abort. `availableBytes()` is the minimum of the
// limits that are known; "max"/unlimited values and unreadable files are left out.

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The memory this process may still allocate, from every limit Linux may impose.
///
/// ```swift
/// MemoryLimits.availableBytes()          // e.g. 3_221_225_472 under a 3 GiB cgroup limit
/// MemoryLimits.current().machine        // MemAvailable alone
/// ```
public struct MemoryLimits: Sendable, Equatable {
    /// `MemAvailable` of /proc/meminfo, in bytes.
    public var machine: Int?
    /// `RLIMIT_AS` minus the current virtual size, in bytes (`nil`: no limit).
    public var addressSpace: Int?
    /// The tightest cgroup (v2 or v1) limit minus its current usage, in bytes (`nil`: none).
    public var controlGroup: Int?

    /// The tightest of the known limits, or `nil` when none is known (not Linux).
    public var tightest: Int? { [machine, addressSpace, controlGroup].compactMap { $0 }.min() }

    /// The limits of this process now. `root` replaces `/` for the files read (tests point it
    /// at a fake /proc and /sys); the address-space limit is only read for the real root.
    public static func current(root: String = "") -> MemoryLimits {
        MemoryLimits(machine: meminfoAvailable(read(root + "/proc/meminfo")),
                     addressSpace: root.isEmpty ? addressSpaceAvailable() : nil,
                     controlGroup: controlGroupAvailable(root: root))
    }

    /// The bytes this process may still allocate: ``tightest`` of ``current(root:)``.
    public static func availableBytes() -> Int? { current().tightest }

    /// Values at or above this are "no limit" (cgroup v1 writes 2⁶³ − 4096 for unlimited).
    static let unlimited = 1 << 60

    // MARK: - The three sources

    /// "MemAvailable:   12345678 kB" → bytes.
    static func meminfoAvailable(_ text: String?) -> Int? {
        guard let text else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
            let fields = line.split(separator: " ")
            if fields.count >= 2, let kib = Int(fields[1]) { return kib * 1024 }
        }
        return nil
    }

    /// `RLIMIT_AS` minus the virtual size now (never negative), or `nil` without a limit.
    static func addressSpaceAvailable() -> Int? {
        var limit = rlimit()
        guard getrlimit(RLIMIT_AS_VALUE, &limit) == 0, limit.rlim_cur != rlim_t.max,   // RLIM_INFINITY
              limit.rlim_cur < rlim_t(unlimited) else { return nil }
        let pages = read("/proc/self/statm")?.split(separator: " ").first.flatMap { Int($0) } ?? 0
        let used = pages * Int(sysconf(Int32(_SC_PAGESIZE)))
        return max(0, Int(limit.rlim_cur) - used)
    }

    /// The tightest limit − usage over the process's cgroup and its ancestors (v2), or its v1
    /// memory cgroup; `nil` when no limit is set.
    static func controlGroupAvailable(root: String) -> Int? {
        let membership = read(root + "/proc/self/cgroup") ?? ""
        var tightest: Int?
        func consider(limit: String?, usage: String?) {
            guard let limit = limit.flatMap(integer), limit < unlimited else { return }
            let available = max(0, limit - (usage.flatMap(integer) ?? 0))
            tightest = min(tightest ?? available, available)
        }
        for line in membership.split(separator: "\n") {
            // "hierarchy-ID:controllers:path"; v2 is "0::/path", v1 memory is "N:memory:/path".
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            let path = String(fields[2])
            if fields[0] == "0" && fields[1].isEmpty {
                var folder = path
                while true {   // the process's own cgroup, then each parent up to the root
                    let base = root + "/sys/fs/cgroup" + (folder == "/" ? "" : folder)
                    consider(limit: read(base + "/memory.max"), usage: read(base + "/memory.current"))
                    if folder == "/" || folder.isEmpty { break }
                    folder = (folder as NSString).deletingLastPathComponent
                }
            } else if fields[1].split(separator: ",").contains("memory") {
                for folder in Set([path, "/"]) {   // inside a container the v1 path may not exist: try the root
                    let base = root + "/sys/fs/cgroup/memory" + (folder == "/" ? "" : folder)
                    consider(limit: read(base + "/memory.limit_in_bytes"), usage: read(base + "/memory.usage_in_bytes"))
                }
            }
        }
        return tightest
    }

    // MARK: - Helpers

    /// A small text file (procfs, sysfs), or `nil` if it cannot be read.
    static func read(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    /// The whole text as a non-negative integer ("max" and garbage → `nil`).
    static func integer(_ text: String) -> Int? {
        Int(text.trimmingCharacters(in: .whitespacesAndNewlines)).flatMap { $0 >= 0 ? $0 : nil }
    }
}

#if canImport(Glibc)
/// Glibc imports `RLIMIT_AS` as an enum case; `getrlimit` wants its raw value.
private let RLIMIT_AS_VALUE = __rlimit_resource_t(RLIMIT_AS.rawValue)
#else
private let RLIMIT_AS_VALUE = RLIMIT_AS
#endif

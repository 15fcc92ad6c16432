// MemoryLimitsTests.swift — the memory a process may allocate is the tightest of MemAvailable,
// RLIMIT_AS and the cgroup (v2 or v1) limit. The files are read from a fake root folder, so
// each limit can be set without changing the machine. (Beside the format tests because the
// readers — .npy, .caffemodel, images — are what these limits protect.)
import Foundation
import Testing
@testable import FCN

@Suite struct MemoryLimitsTests {
    /// A fake `/` holding the given files.
    func root(_ files: [String: String]) throws -> ScratchFolder {
        let folder = ScratchFolder()
        for (path, text) in files {
            let url = folder.url.appending(path: String(path.dropFirst()))
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return folder
    }

    let meminfo = "MemTotal:       16000000 kB\nMemAvailable:    8000000 kB\n"

    @Test func cgroupV2TightestAncestorWins() throws {
        let fake = try root([
            "/proc/meminfo": meminfo,
            "/proc/self/cgroup": "0::/ci.slice/job\n",
            "/sys/fs/cgroup/ci.slice/job/memory.max": "max\n",
            "/sys/fs/cgroup/ci.slice/job/memory.current": "100\n",
            "/sys/fs/cgroup/ci.slice/memory.max": "3000000000\n",
            "/sys/fs/cgroup/ci.slice/memory.current": "1000000000\n",
        ])
        defer { fake.cleanUp() }
        let limits = MemoryLimits.current(root: fake.url.path)
        #expect(limits.machine == 8_000_000 * 1024)
        #expect(limits.controlGroup == 2_000_000_000)
        #expect(limits.tightest == 2_000_000_000)
    }

    @Test func cgroupV1LimitAndItsUnlimitedValue() throws {
        let limited = try root([
            "/proc/meminfo": meminfo,
            "/proc/self/cgroup": "5:cpu,cpuacct:/docker/x\n4:memory:/docker/x\n",
            "/sys/fs/cgroup/memory/docker/x/memory.limit_in_bytes": "1073741824\n",
            "/sys/fs/cgroup/memory/docker/x/memory.usage_in_bytes": "73741824\n",
        ])
        defer { limited.cleanUp() }
        #expect(MemoryLimits.current(root: limited.url.path).tightest == 1_000_000_000)

        let unlimited = try root([
            "/proc/meminfo": meminfo,
            "/proc/self/cgroup": "4:memory:/\n",
            "/sys/fs/cgroup/memory/memory.limit_in_bytes": "9223372036854771712\n",
            "/sys/fs/cgroup/memory/memory.usage_in_bytes": "5000\n",
        ])
        defer { unlimited.cleanUp() }
        #expect(MemoryLimits.current(root: unlimited.url.path).controlGroup == nil)
        #expect(MemoryLimits.current(root: unlimited.url.path).tightest == 8_000_000 * 1024)
    }

    @Test func usageAboveTheLimitMeansNothingIsAvailable() throws {
        let fake = try root([
            "/proc/self/cgroup": "0::/\n",
            "/sys/fs/cgroup/memory.max": "1000\n",
            "/sys/fs/cgroup/memory.current": "5000\n",
        ])
        defer { fake.cleanUp() }
        #expect(MemoryLimits.current(root: fake.url.path).tightest == 0)
        #expect(MemoryLimits.current(root: fake.url.path).machine == nil)      // no meminfo: unknown, not zero
    }

    @Test func theRealLimitsAreNoLooserThanMemAvailable() {
        let limits = MemoryLimits.current()
        if let machine = limits.machine { #expect(limits.tightest! <= machine) }
        if let group = limits.controlGroup { #expect(limits.tightest! <= group) }
        if let space = limits.addressSpace { #expect(limits.tightest! <= space) }
    }
}

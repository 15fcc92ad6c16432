// HostileInputSweepTests.swift — the real `fcn` and chapter executables given what a hostile
// user would give them: FIFOs, /dev/zero, folders where files are read; device nodes, FIFOs
// and the input itself where files are written; a memory limit (ulimit -v) tighter than the
// machine; and signals in the middle of a write. Every run has a timeout, so a hang fails the
// test instead of hanging CI. Expected each time: a one-line message naming the file and the
// problem, a non-zero status, no crash, nothing written, no temporary left behind.
import Foundation
import Testing
@testable import FCN

/// A finished (or killed) run of an executable.
struct Run {
    var status: Int32
    var signaled: Bool
    var stderr: String
    var timedOut: Bool
}

/// Starts `program`; standard error goes to a file (a pipe could fill up and block the child).
func start(_ program: URL, _ arguments: [String], environment: [String: String] = [:], stderr: URL) throws -> Process {
    let p = Process()
    p.executableURL = program
    p.arguments = arguments
    p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    p.standardInput = FileHandle.nullDevice
    p.standardOutput = FileHandle.nullDevice
    FileManager.default.createFile(atPath: stderr.path, contents: nil)
    p.standardError = try FileHandle(forWritingTo: stderr)
    try p.run()
    return p
}

/// Waits up to `seconds` for `p`; kills it with SIGKILL after that.
func finish(_ p: Process, within seconds: Double, stderr: URL) -> Run {
    let deadline = Date().addingTimeInterval(seconds)
    while p.isRunning && Date() < deadline { usleep(20_000) }
    let timedOut = p.isRunning
    if timedOut { kill(p.processIdentifier, SIGKILL) }
    p.waitUntilExit()
    let text = (try? String(contentsOf: stderr, encoding: .utf8)) ?? ""
    try? FileManager.default.removeItem(at: stderr)
    return Run(status: p.terminationStatus, signaled: p.terminationReason == .uncaughtSignal, stderr: text, timedOut: timedOut)
}

/// Runs `program` to completion or for at most `seconds`.
func runWithTimeout(_ program: URL, _ arguments: [String], environment: [String: String] = [:], seconds: Double = 120) throws -> Run {
    let log = FileManager.default.temporaryDirectory.appendingPathComponent("fcn-stderr-\(UUID().uuidString)")
    return finish(try start(program, arguments, environment: environment, stderr: log), within: seconds, stderr: log)
}

/// Every entry under `folder` with its file type, recursively ("pipe.png FIFO").
func inventory(_ folder: URL) -> [String] {
    guard let names = FileManager.default.subpaths(atPath: folder.path) else { return [] }
    return names.sorted().map { name in
        var info = stat()
        lstat(folder.path + "/" + name, &info)
        return "\(name) \(InputFile.kind(of: info.st_mode))"
    }
}

@Suite(.serialized) struct HostileInputSweepTests {
    struct Case: CustomStringConvertible, Sendable {
        var program = "fcn"
        var arguments: [String]            // "$DIR" is replaced by the scratch folder
        var message: [String]              // pieces the error must contain
        var checkNothingWritten = true
        var description: String { "\(program) \(arguments.joined(separator: " "))" }
    }

    static let fifo = "it is a FIFO (named pipe), not a regular file"
    static let device = "it is a character device, not a regular file"
    static let folder = "it is a directory, not a regular file"
    static let labels = ["--labels", "$DIR/out/labels.png"]

    static let cases: [Case] = [
        // Special files where a file is read.
        Case(arguments: ["segment", "--input", "$DIR/pipe.png"] + labels, message: ["$DIR/pipe.png", fifo]),
        Case(arguments: ["segment", "--input", "$DIR/zero.png"] + labels, message: ["$DIR/zero.png", device]),
        Case(arguments: ["segment", "--input", "$DIR/folder.png"] + labels, message: ["$DIR/folder.png", folder]),
        Case(arguments: ["segment", "--input", "$DIR/pipe.npy"] + labels, message: ["$DIR/pipe.npy", fifo]),
        Case(arguments: ["segment", "--input", "$DIR/zero.npy"] + labels, message: ["$DIR/zero.npy", device]),
        Case(arguments: ["segment", "--weights", "$DIR/pipe.safetensors", "--input", "$DIR/input.png"] + labels,
             message: ["$DIR/pipe.safetensors", fifo]),
        Case(arguments: ["segment", "--weights", "$DIR/zero.safetensors", "--input", "$DIR/input.png"] + labels,
             message: ["$DIR/zero.safetensors", device]),
        Case(arguments: ["segment", "--weights", "$DIR/folder.safetensors", "--input", "$DIR/input.png"] + labels,
             message: ["$DIR/folder.safetensors", folder]),
        Case(arguments: ["segment", "--weights", "$DIR/pipe.caffemodel", "--input", "$DIR/input.png"] + labels,
             message: ["$DIR/pipe.caffemodel", fifo]),
        Case(arguments: ["convert", "$DIR/pipe.safetensors", "$DIR/out/converted.safetensors"], message: ["$DIR/pipe.safetensors", fifo]),
        Case(arguments: ["convert", "$DIR/zero.caffemodel", "$DIR/out/converted.safetensors"], message: ["$DIR/zero.caffemodel", device]),
        Case(arguments: ["evaluate", "--weights", "$DIR/pipe.safetensors", "--arch", "fcn8s"], message: ["$DIR/pipe.safetensors", fifo]),
        Case(program: "Chapter08", arguments: ["--weights", "$DIR/pipe.safetensors", "--no-figures"], message: ["$DIR/pipe.safetensors", fifo]),
        Case(arguments: ["train", "--stage", "classifier", "--tiny", "--steps", "2", "--out", "$DIR/run", "--resume"],
             message: ["$DIR/run/classifier.checkpoint.safetensors", fifo], checkNothingWritten: false),
        // Special files and the input where a file is written.
        Case(arguments: ["segment", "--input", "$DIR/input.png", "--labels", "$DIR/pipe-out.png"],
             message: ["$DIR/pipe-out.png", "it is a FIFO (named pipe); an output must be a regular file"]),
        Case(arguments: ["segment", "--input", "$DIR/input.png", "--logits", "$DIR/null.npy"],
             message: ["$DIR/null.npy", "it is a character device; an output must be a regular file"]),
        Case(arguments: ["segment", "--input", "$DIR/input.png", "--overlay", "$DIR/out/../input.png"],
             message: ["$DIR/out/../input.png", "it is the input $DIR/input.png"]),
        Case(arguments: ["segment", "--input", "$DIR/input.png", "--labels", "$DIR/link.png"],
             message: ["$DIR/link.png", "it is the input $DIR/input.png"]),
        Case(arguments: ["segment", "--weights", "$DIR/w.safetensors", "--input", "$DIR/input.png", "--logits", "$DIR/./w.safetensors"],
             message: ["$DIR/./w.safetensors", "it is the input $DIR/w.safetensors"]),
        Case(arguments: ["segment", "--input", "$DIR/input.png", "--labels", "$DIR/out/x.png", "--overlay", "$DIR/out/../out/x.png"],
             message: ["$DIR/out/../out/x.png", "the same file as the output $DIR/out/x.png"]),
        Case(arguments: ["convert", "$DIR/w.safetensors", "$DIR/out/../w.safetensors"],
             message: ["$DIR/out/../w.safetensors", "it is the input $DIR/w.safetensors"]),
    ]

    /// The scratch folder every case starts from.
    static func makeFolder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fcn-hostile-\(UUID().uuidString)")
        let manager = FileManager.default
        try manager.createDirectory(at: dir.appendingPathComponent("out"), withIntermediateDirectories: true)
        try manager.createDirectory(at: dir.appendingPathComponent("run"), withIntermediateDirectories: true)
        for name in ["pipe.png", "pipe.npy", "pipe.safetensors", "pipe.caffemodel", "pipe-out.png", "run/classifier.checkpoint.safetensors"] {
            #expect(mkfifo(dir.appendingPathComponent(name).path, 0o644) == 0)
        }
        for name in ["zero.png", "zero.npy", "zero.safetensors", "zero.caffemodel"] {
            try manager.createSymbolicLink(atPath: dir.appendingPathComponent(name).path, withDestinationPath: "/dev/zero")
        }
        for name in ["folder.png", "folder.safetensors"] {
            try manager.createDirectory(at: dir.appendingPathComponent(name), withIntermediateDirectories: false)
        }
        try manager.copyItem(at: fixture("rgba8_2x2.png"), to: dir.appendingPathComponent("input.png"))
        try manager.createSymbolicLink(atPath: dir.appendingPathComponent("link.png").path, withDestinationPath: dir.appendingPathComponent("input.png").path)
        try Data("not weights".utf8).write(to: dir.appendingPathComponent("w.safetensors"))
        // A device node of our own (a copy of /dev/null): if the refusal regressed, only this
        // node would be replaced, not the real /dev/null. Needs root; otherwise a symlink.
        if mknod(dir.appendingPathComponent("null.npy").path, S_IFCHR | 0o666, dev_t(0x0103)) != 0 {   // dev_t(0x0103): makedev(1, 3)
            try manager.createSymbolicLink(atPath: dir.appendingPathComponent("null.npy").path, withDestinationPath: "/dev/null")
        }
        return dir
    }

    @Test(arguments: cases)
    func refusesWithoutHangingOrWriting(_ c: Case) throws {
        guard let program = builtExecutable(c.program) else {
            Issue.record("\(c.program) was not built next to the tests; run `swift build --build-tests` first")
            return
        }
        let dir = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let before = inventory(dir)
        let run = try runWithTimeout(program, c.arguments.map { $0.replacingOccurrences(of: "$DIR", with: dir.path) }, seconds: 60)
        #expect(!run.timedOut, "hung (killed after 60 s)")
        #expect(run.status != 0 && !run.signaled, "exit status \(run.status), stderr: \(run.stderr)")
        for piece in c.message.map({ $0.replacingOccurrences(of: "$DIR", with: dir.path) }) {
            #expect(run.stderr.contains(piece), "stderr does not mention \"\(piece)\": \(run.stderr)")
        }
        #expect(!run.stderr.contains("Fatal error") && !run.stderr.contains("Stack dump") && !run.stderr.contains("Error Domain"),
                "crashed or dumped a raw error: \(run.stderr)")
        if c.checkNothingWritten { #expect(inventory(dir) == before, "files were written or replaced") }
        var info = stat()
        #expect(stat("/dev/null", &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR, "/dev/null is no longer a device")
    }

    /// `.npy` inputs whose headers declare 10.8 GB and 1.2 GB images (sparse files: no disk
    /// used) under a 3 GB address-space limit. Refused from the header, by the limit; the
    /// second needs ~6.4 GiB, which fits most machines' MemAvailable: checking only that, or
    /// reading the data first, ran out of address space and aborted.
    @Test func aMemoryLimitTighterThanTheMachineIsRespected() throws {
        guard let program = builtExecutable("fcn") else {
            Issue.record("fcn was not built next to the tests; run `swift build --build-tests` first")
            return
        }
        let dir = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, side) in [("huge.npy", 30_000), ("large.npy", 10_000)] {
            let url = dir.appendingPathComponent(name)
            let header = NPY.headerBytes(shape: [1, 3, side, side])
            FileManager.default.createFile(atPath: url.path, contents: Data(header))
            #expect(truncate(url.path, off_t(header.count + 4 * 3 * side * side)) == 0)
            let before = inventory(dir)
            let command = "ulimit -v 3000000 && exec \"$0\" segment --input \"$1\" --labels \"$2\""
            let run = try runWithTimeout(URL(filePath: "/bin/sh"), ["-c", command, program.path, url.path, dir.path + "/out/labels.png"], seconds: 120)
            #expect(!run.timedOut, "\(name): hung")
            #expect(run.status == 1 && !run.signaled, "\(name): exit status \(run.status) (signal: \(run.signaled)), stderr: \(run.stderr)")
            #expect(run.stderr.contains("an input of shape [1, 3, \(side), \(side)] needs"), "\(name): \(run.stderr)")
            #expect(run.stderr.contains("GiB available"), "\(name): \(run.stderr)")
            #expect(inventory(dir) == before)
        }
    }
}

/// `fcn segment` interrupted during its write: SIGINT and SIGTERM remove the temporary file;
/// after a SIGKILL (which cannot be caught) the next write in that folder removes it.
/// `FCN_TEST_PAUSE_BEFORE_RENAME` holds each write with its temporary complete but not yet
/// renamed, so the signal lands inside the write every time.
@Suite(.serialized) struct SegmentKillTests {
    /// A child started with SIGINT and SIGTERM unblocked and at their default disposition, as
    /// from a shell. (Foundation's `Process` passes on the test runner's signal mask, which
    /// blocks them, so the signal would wait forever.)
    struct Child {
        let pid: pid_t

        init(_ program: URL, _ arguments: [String], environment: [String: String] = [:], stderr: URL) throws {
            var attributes = posix_spawnattr_t()
            posix_spawnattr_init(&attributes)
            defer { posix_spawnattr_destroy(&attributes) }
            var empty = sigset_t(), defaults = sigset_t()
            sigemptyset(&empty)
            sigemptyset(&defaults)
            sigaddset(&defaults, SIGINT)
            sigaddset(&defaults, SIGTERM)
            posix_spawnattr_setsigmask(&attributes, &empty)
            posix_spawnattr_setsigdefault(&attributes, &defaults)
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 2, stderr.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            let argv = ([program.path] + arguments).map { strdup($0) } + [nil]
            let env = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
            defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
            var pid = pid_t()
            let rc = posix_spawn(&pid, program.path, &actions, &attributes, argv, envp)
            guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EINVAL) }
            self.pid = pid
        }

        /// Waits up to `seconds` (then SIGKILL); returns (exit status, killing signal).
        func wait(within seconds: Double) -> (status: Int32, signal: Int32, timedOut: Bool) {
            let deadline = Date().addingTimeInterval(seconds)
            var status: Int32 = 0
            var done = waitpid(pid, &status, WNOHANG) == pid
            while !done && Date() < deadline { usleep(20_000); done = waitpid(pid, &status, WNOHANG) == pid }
            if !done { kill(pid, SIGKILL); waitpid(pid, &status, 0) }
            let signal = status & 0x7f                       // WTERMSIG; 0 when it exited
            return ((status >> 8) & 0xff, signal, !done)
        }
    }

    /// Starts a segmentation writing `out/scores.npy` and waits until its temporary exists.
    static func startWrite(_ program: URL, in dir: URL, stderr: URL) throws -> (Child, String?) {
        let out = dir.appendingPathComponent("out")
        let child = try Child(program, ["segment", "--input", dir.appendingPathComponent("input.png").path,
                                        "--logits", out.appendingPathComponent("scores.npy").path],
                              environment: ["FCN_TEST_PAUSE_BEFORE_RENAME": "30"], stderr: stderr)
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline && kill(child.pid, 0) == 0 {
            if let temporary = try FileManager.default.contentsOfDirectory(atPath: out.path).first(where: { $0.hasPrefix(".scores.npy.tmp-") }) {
                return (child, temporary)
            }
            usleep(10_000)
        }
        return (child, nil)
    }

    @Test(arguments: [SIGINT, SIGTERM])
    func aCaughtSignalDuringTheWriteLeavesNoTemporary(_ signal: Int32) throws {
        guard let program = builtExecutable("fcn") else {
            Issue.record("fcn was not built next to the tests; run `swift build --build-tests` first")
            return
        }
        let dir = try HostileInputSweepTests.makeFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = dir.appendingPathComponent("stderr.txt")
        let (child, temporary) = try Self.startWrite(program, in: dir, stderr: log)
        #expect(temporary?.hasPrefix(".scores.npy.tmp-\(child.pid)-") == true, "no temporary with the PID appeared: \(String(describing: temporary))")
        kill(child.pid, signal)
        let end = child.wait(within: 30)
        let stderr = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(!end.timedOut, "still running 30 s after the signal")
        #expect(end.signal == signal, "ended with status \(end.status), signal \(end.signal); stderr: \(stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("out").path) == [], "left behind")
    }

    @Test func theTemporaryOfAKilledWriteIsRemovedByTheNextWrite() throws {
        guard let program = builtExecutable("fcn") else {
            Issue.record("fcn was not built next to the tests; run `swift build --build-tests` first")
            return
        }
        let dir = try HostileInputSweepTests.makeFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out")
        let log = dir.appendingPathComponent("stderr.txt")
        let (child, temporary) = try Self.startWrite(program, in: dir, stderr: log)
        kill(child.pid, SIGKILL)
        _ = child.wait(within: 30)
        let left = try FileManager.default.contentsOfDirectory(atPath: out.path)
        #expect(temporary != nil && left == [temporary!], "SIGKILL should leave the temporary: \(left)")
        // The next run writing into that folder (another output) removes the orphan.
        let next = try runWithTimeout(program, ["segment", "--input", dir.appendingPathComponent("input.png").path,
                                                "--labels", out.appendingPathComponent("labels.png").path], seconds: 60)
        #expect(next.status == 0, "second run failed: \(next.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["labels.png"])
    }
}

// KillAndResumeTests.swift — `fcn train` killed with SIGKILL at arbitrary moments (possibly in
// the middle of writing a checkpoint) resumes to exactly the weights of an uninterrupted run.
//
// SIGKILL cannot be caught: no handler runs, no cleanup happens. What makes this safe is that
// every checkpoint is written to a temporary file and renamed into place (AtomicFile), so the
// checkpoint on disk is always a whole old one or a whole new one, and that training is a
// pure function of (seed, stage, step), so resuming from any checkpoint replays the same steps.
import Foundation
import Testing
@testable import FCN

@Suite struct KillAndResumeTests {
    static func train(_ binary: URL, out: URL, resume: Bool) throws -> Process {
        let p = Process()
        p.executableURL = binary
        p.arguments = ["train", "--stage", "classifier", "--tiny", "--steps", "60", "--checkpoint-every", "3",
                       "--seed", "5", "--out", out.path] + (resume ? ["--resume"] : [])
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    @Test func killedTrainingResumesToTheSameWeights() throws {
        guard let binary = builtExecutable("fcn") else {
            Issue.record("the fcn binary was not built next to the tests; run `swift build --build-tests` first")
            return
        }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("fcn-kill-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let straight = root.appendingPathComponent("straight")
        let run = try Self.train(binary, out: straight, resume: false)
        run.waitUntilExit()
        #expect(run.terminationStatus == 0)
        let expected = try Data(contentsOf: straight.appendingPathComponent("classifier.safetensors"))

        // Kill after different delays so that some kills land between checkpoints and some
        // (likely) during one; then resume until the run completes.
        var interrupted = 0
        for (k, delay) in [0.15, 0.35, 0.6, 0.9].enumerated() {
            let out = root.appendingPathComponent("killed-\(k)")
            let victim = try Self.train(binary, out: out, resume: false)
            Thread.sleep(forTimeInterval: delay)
            kill(victim.processIdentifier, SIGKILL)
            victim.waitUntilExit()
            var attempts = 0
            if !FileManager.default.fileExists(atPath: out.appendingPathComponent("classifier.safetensors").path) { interrupted += 1 }
            while !FileManager.default.fileExists(atPath: out.appendingPathComponent("classifier.safetensors").path) && attempts < 3 {
                let resumed = try Self.train(binary, out: out, resume: true)
                resumed.waitUntilExit()
                #expect(resumed.terminationStatus == 0, "resume after a kill at \(delay) s exited \(resumed.terminationStatus)")
                attempts += 1
            }
            let weights = try Data(contentsOf: out.appendingPathComponent("classifier.safetensors"))
            #expect(weights == expected, "kill at \(delay) s: resumed weights differ from the uninterrupted run")
        }
        // At least one kill must have landed before the end, or the test tested nothing.
        #expect(interrupted > 0, "every run finished before its kill")
    }
}

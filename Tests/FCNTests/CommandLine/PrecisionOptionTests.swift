// PrecisionOptionTests.swift — `--precision` on `fcn segment` and `fcn evaluate`: an unknown value
// and bf16 where it cannot run are usage errors (exit status 2) naming the option; bf16 runs where
// the CPU has AVX512-BF16 and gives the f32 labels on nearly every pixel.
import FCNKernels
import Foundation
import Testing
@testable import FCN

@Suite(.serialized) struct PrecisionOptionTests {
    /// Runs `fcn` with extra environment variables.
    static func run(_ fcn: URL, _ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, stderr: String) {
        let err = FileManager.default.temporaryDirectory.appending(path: "fcn-precision-\(UUID().uuidString).txt")
        FileManager.default.createFile(atPath: err.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: err) }
        let p = Process()
        p.executableURL = fcn
        p.arguments = arguments
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        p.standardError = try FileHandle(forWritingTo: err)
        try p.run()
        p.waitUntilExit()
        return (p.terminationStatus, try String(contentsOf: err, encoding: .utf8))
    }

    @Test(arguments: ["segment", "evaluate"])
    func unknownValueIsAUsageError(_ command: String) throws {
        guard let fcn = builtExecutable("fcn") else { Issue.record("fcn not built"); return }
        let extra = command == "segment" ? ["--input", "x.png"] : ["--stage", "fcn8s", "--val-count", "1"]
        let result = try Self.run(fcn, [command, "--precision", "fp16"] + extra)
        #expect(result.status == 2)
        #expect(result.stderr.contains("--precision must be f32 or bf16 (got 'fp16')"), "\(result.stderr)")
    }

    @Test func bfloat16WhereItCannotRunIsAUsageError() throws {
        guard let fcn = builtExecutable("fcn") else { Issue.record("fcn not built"); return }
        // FCN_KERNELS=portable turns the hand-written kernels off on any CPU, so this runs everywhere.
        let result = try Self.run(fcn, ["evaluate", "--stage", "fcn8s", "--val-count", "1", "--precision", "bf16"],
                                  environment: ["FCN_KERNELS": "portable"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--precision bf16:"), "\(result.stderr)")
        #expect(!result.stderr.contains("Fatal error"), "\(result.stderr)")
        if !BFloat16.isAvailable {                                           // this CPU: the plain reason
            let plain = try Self.run(fcn, ["evaluate", "--stage", "fcn8s", "--val-count", "1", "--precision", "bf16"])
            #expect(plain.status == 2 && plain.stderr.contains("AVX512-BF16"), "\(plain.stderr)")
        }
    }

    @Test(.enabled(if: BFloat16.isAvailable, "needs AVX512-BF16 (flag avx512_bf16): skipped on this CPU"))
    func bfloat16SegmentsAsF32Does() throws {
        guard let fcn = builtExecutable("fcn") else { Issue.record("fcn not built"); return }
        let folder = FileManager.default.temporaryDirectory.appending(path: "fcn-precision-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let image = folder.appending(path: "in.png")
        var pixels = [UInt8](repeating: 0, count: 64 * 48 * 3)
        for i in 0..<(64 * 48) { pixels[3 * i] = UInt8(i % 64 * 4); pixels[3 * i + 1] = (i / 64) % 20 < 10 ? 200 : 20 }
        try RGBImage(width: 64, height: 48, pixels: pixels).write(to: image)
        var labels: [[UInt8]] = []
        for precision in ["f32", "bf16"] {
            let out = folder.appending(path: "\(precision).png")
            let result = try Self.run(fcn, ["segment", "--input", image.path, "--labels", out.path, "--precision", precision])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains(precision), "the timing line names the precision: \(result.stderr)")
            labels.append(try IndexedImage.decode(contentsOf: out).indices)
        }
        let agree = zip(labels[0], labels[1]).filter { $0 == $1 }.count
        #expect(Double(agree) / Double(labels[0].count) >= 0.99, "\(agree) of \(labels[0].count) pixels agree")
    }
}

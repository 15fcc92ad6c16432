// InstallationTests.swift — what an installed `fcn` needs from its surroundings: a version, and
// the resource bundle of shipped models, whose absence is a message and exit status 2, never
// the signal SwiftPM's `Bundle.module` raises ("could not load resource bundle").
import Foundation
import Testing
import FCN

@Suite struct InstallationTests {
    @Test func printsTheLibraryVersion() throws {
        guard let fcn = builtExecutable("fcn") else { Issue.record("fcn not built"); return }
        let result = try HelpExamplesTests.run(fcn, ["--version"], in: FileManager.default.temporaryDirectory)
        #expect(result.status == 0)
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == SwiftFCN.version)
        #expect(SwiftFCN.version.split(separator: ".").count == 3)
    }

    @Test func aMissingBundleIsAnErrorNotATrap() throws {
        guard let fcn = builtExecutable("fcn") else { Issue.record("fcn not built"); return }
        let folder = FileManager.default.temporaryDirectory.appending(path: "fcn-nobundle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try RGBImage(width: 8, height: 8, pixels: [UInt8](repeating: 90, count: 192)).write(to: folder.appending(path: "a.png"))
        for arguments in [["segment", "--input", "a.png", "--labels", "l.png"], ["evaluate", "--stage", "fcn8s", "--val-count", "1"]] {
            let p = Process()
            p.executableURL = fcn
            p.arguments = arguments
            p.currentDirectoryURL = folder
            p.environment = ProcessInfo.processInfo.environment.merging(["FCN_RESOURCES": folder.appending(path: "missing").path]) { $1 }
            let err = Pipe()
            p.standardError = err
            p.standardOutput = FileHandle.nullDevice
            try p.run()
            let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            #expect(p.terminationReason == .exit && p.terminationStatus == 2, "\(arguments): \(message)")
            #expect(message.contains("swift-fcn_FCN.resources was not found"), "\(message)")
            #expect(!FileManager.default.fileExists(atPath: folder.appending(path: "l.png").path))
        }
    }
}

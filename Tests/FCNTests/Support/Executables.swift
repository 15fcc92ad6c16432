// Executables.swift — finding and running the package's own programs (`fcn`, `ChapterNN`)
// from tests. `swift build --build-tests` builds them next to the test bundle.
import Foundation

/// The built executable `name`, next to the test bundle or in `.build/debug`.
func builtExecutable(_ name: String) -> URL? {
    let nextToTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name)
    let inBuildFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../.build/debug/\(name)").standardized
    return [nextToTests, inBuildFolder].first { FileManager.default.isExecutableFile(atPath: $0.path) }
}

/// Runs a program to completion with no stdin; returns its exit status and standard error.
func runToCompletion(_ program: URL, _ arguments: [String]) throws -> (status: Int32, stderr: String) {
    let p = Process()
    p.executableURL = program
    p.arguments = arguments
    p.standardInput = FileHandle.nullDevice
    p.standardOutput = FileHandle.nullDevice
    let errors = Pipe()
    p.standardError = errors
    try p.run()
    let data = errors.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
}

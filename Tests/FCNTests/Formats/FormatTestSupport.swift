// FormatTestSupport.swift — helpers for the file-format tests: scratch folders, fixture paths,
// and capturing an error's message.
import Foundation
import Testing

/// A fresh, empty folder for one test (removed by `cleanUp`).
struct ScratchFolder {
    let url: URL

    init() {
        url = FileManager.default.temporaryDirectory.appending(path: "fcn-formats-\(UUID().uuidString)", directoryHint: .isDirectory)
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> URL { url.appending(path: name) }

    /// Writes raw bytes (not atomically: tests build broken files on purpose).
    func write(_ bytes: [UInt8], to name: String) -> URL {
        let target = file(name)
        #expect(FileManager.default.createFile(atPath: target.path, contents: Data(bytes)))
        return target
    }

    /// The names of the files in the folder.
    var contents: [String] { (try? FileManager.default.contentsOfDirectory(atPath: url.path).sorted()) ?? [] }

    func cleanUp() { try? FileManager.default.removeItem(at: url) }
}

/// A committed fixture in `Tests/FCNTests/Formats/Fixtures/`.
func fixture(_ name: String) -> URL {
    URL(filePath: #filePath).deletingLastPathComponent().appending(path: "Fixtures/\(name)")
}

/// Runs `body` and returns the description of the error it throws, or `nil` if it succeeds.
func errorMessage(_ body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch {
        return String(describing: error)
    }
}

/// Expects `body` to throw an error whose message contains the file's path and every phrase.
func expectFailure(_ url: URL, mentions phrases: [String], sourceLocation: SourceLocation = #_sourceLocation,
                   _ body: () throws -> Void) {
    guard let message = errorMessage(body) else {
        Issue.record("expected an error for \(url.lastPathComponent), got success", sourceLocation: sourceLocation)
        return
    }
    #expect(message.contains(url.path), "message does not name the file: \(message)", sourceLocation: sourceLocation)
    for phrase in phrases {
        #expect(message.contains(phrase), "message lacks '\(phrase)': \(message)", sourceLocation: sourceLocation)
    }
}

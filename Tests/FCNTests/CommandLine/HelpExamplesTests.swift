// HelpExamplesTests.swift — every example command printed by `fcn --help` and `fcn <command>
// --help` runs, in a scratch folder that holds the files the examples name.
//
// The examples are read from the help text the real `fcn` prints (the lines after "Example:" /
// "Examples:" that start with `fcn`, joined over trailing `\`, a trailing comment after two
// spaces dropped), so a changed example is tested as it is printed. Files the examples name
// are small stand-ins written here: `fcn8s.safetensors` is a narrow VGG FCN-8s with 21 classes
// and no metadata (as pytorch-fcn's files have none; the real one is VGG16, 537 MB), the
// `.caffemodel` files are the tiny FCN-8s-at-once fixture (Berkeley's are 500 MB),
// `VOCdevkit/VOC2012` holds a few synthetic scenes in VOC's layout. Examples that take too long
// in a debug build (the full training schedule, scoring hundreds of scenes) run with smaller
// counts appended (the last value of an option wins), listed in `substitutes` with the reason;
// every other example runs exactly as printed.
import FCNTraining
import Foundation
import Testing
@testable import FCN

@Suite(.serialized) struct HelpExamplesTests {
    /// The subcommands, in the order their examples run (training first: later examples use
    /// its `runs/seed1`).
    static let commands = ["train", "", "info", "segment", "convert", "evaluate", "figures"]

    /// Examples run with arguments appended, and why.
    static let substitutes: [String: (append: String, reason: String)] = [
        "fcn train --stage all --out runs/seed1 --seed 1":
            ("--tiny --images-per-stage 2 --val-count 2", "the full schedule takes about 30 minutes; the tiny model runs the same stages"),
        "fcn train --stage all --tiny --out runs/tiny --images-per-stage 20":
            ("--val-count 20", "scoring 200 validation scenes per stage takes a minute in a debug build; the training runs as printed"),
        "fcn evaluate --stage fcn8s":
            ("--val-count 5", "200 scenes of 128×128 take about three minutes in a debug build"),
        "fcn evaluate --stage fcn32s --out runs/seed1 --val-count 500":
            ("--val-count 5", "500 scenes take minutes in a debug build"),
    ]

    /// The example command lines of a help text.
    ///
    /// - Throws: when a line of an examples block is neither an example nor a continuation
    ///   (e.g. a long example wrapped by the help formatter, which a user could not paste).
    static func examples(in help: String) throws -> [String] {
        var result: [String] = []
        var inBlock = false, continuing = false
        for raw in help.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line == "Examples:" || line == "Example:" { inBlock = true; continue }
            guard inBlock else { continue }
            if line.isEmpty { inBlock = false; continue }
            var text = line
            if let comment = text.range(of: "  ") { text = String(text[..<comment.lowerBound]) }   // "fcn x   what it does"
            let continues = text.hasSuffix("\\")
            if continues { text = String(text.dropLast()).trimmingCharacters(in: .whitespaces) }
            if continuing {
                result[result.count - 1] += " " + text
            } else if text.hasPrefix("fcn ") || text == "fcn" {
                result.append(text)
            } else {
                throw ExampleError("not an example line (wrapped?): \(line)")
            }
            continuing = continues
        }
        return result
    }

    struct ExampleError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// Runs `program` in `folder` with no stdin; returns status, stdout and stderr.
    static func run(_ program: URL, _ arguments: [String], in folder: URL) throws -> (status: Int32, stdout: String, stderr: String) {
        let logs = FileManager.default.temporaryDirectory.appending(path: "fcn-help-logs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: logs) }
        let out = logs.appending(path: "stdout"), err = logs.appending(path: "stderr")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        let p = Process()
        p.executableURL = program
        p.arguments = arguments
        p.currentDirectoryURL = folder
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = try FileHandle(forWritingTo: out)
        p.standardError = try FileHandle(forWritingTo: err)
        try p.run()
        p.waitUntilExit()
        return (p.terminationStatus, try String(contentsOf: out, encoding: .utf8), try String(contentsOf: err, encoding: .utf8))
    }

    /// The files the examples name, as small stand-ins (see the file comment).
    static func writeFixtures(in folder: URL) throws {
        func file(_ name: String) -> URL { folder.appending(path: name) }
        // Photos: a PNG with some structure, the JPEG fixture, a preprocessed array.
        let (w, h) = (40, 30)
        var pixels = [UInt8](repeating: 0, count: w * h * 3)
        for i in 0..<(w * h) { pixels[3 * i] = UInt8(i % 251); pixels[3 * i + 1] = UInt8((i / w) * 8); pixels[3 * i + 2] = 90 }
        let image = RGBImage(width: w, height: h, pixels: pixels)
        try image.write(to: file("scene.png"))
        try FileManager.default.copyItem(at: URL(filePath: #filePath).deletingLastPathComponent().appending(path: "../Formats/Fixtures/blocks_16x8.jpg"),
                                         to: file("cat.jpg"))
        try NPY.write(image.caffeInput(), to: file("x.npy"))
        // Weights without metadata: narrow VGG FCNs with VOC's 21 classes.
        for (name, arch) in [("fcn8s", FCNArchitecture.fcn8s), ("w", .fcn8s), ("fcn8s-atonce", .fcn8s), ("fcn32s", .fcn32s)] {
            let description = try tinyDescription(arch, classes: 21)
            try Safetensors.write(try randomParameters(description, seed: 3), to: file("\(name).safetensors"))
        }
        for name in ["fcn8s-heavy-pascal", "fcn8s-atonce"] {
            try FileManager.default.copyItem(at: modelFixture("tiny_fcn8s_atonce.caffemodel"), to: file("\(name).caffemodel"))
        }
        // The stand-in nets have 5 classes (the caffemodel fixture, and `fcn8s.safetensors` once the
        // convert example has replaced it), and evaluation refuses ground truth beyond the net's
        // classes: the scenes' shapes 5 and 6 become background here (void stays void).
        let world = SyntheticData.validationWorld(sceneSize: 32)
        try VOCDataset.write((0..<3).map { i in
            var scene = world.scene(i)
            scene.labels = scene.labels.map { $0 < 5 || $0 == 255 ? $0 : 0 }
            return (id: String(format: "%06d", i), scene: scene)
        }, split: "val", to: file("VOCdevkit/VOC2012"))
    }

    @Test func everyHelpExampleRuns() throws {
        guard let fcn = builtExecutable("fcn") else {
            Issue.record("fcn was not built next to the tests; run `swift build --build-tests` first")
            return
        }
        let folder = FileManager.default.temporaryDirectory.appending(path: "fcn-help-examples-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.writeFixtures(in: folder)

        var seen: Set<String> = []
        for command in Self.commands {
            let help = try Self.run(fcn, command.isEmpty ? ["--help"] : [command, "--help"], in: folder)
            #expect(help.status == 0, "fcn \(command) --help: \(help.stderr)")
            let examples = try Self.examples(in: help.stdout)
            #expect(!examples.isEmpty, "fcn \(command) --help prints no example")
            for example in examples {
                seen.insert(example)
                let line = Self.substitutes[example].map { "\(example) \($0.append)" } ?? example
                let arguments = line.split(separator: " ").dropFirst().map(String.init)
                let result = try Self.run(fcn, arguments, in: folder)
                #expect(result.status == 0, "`\(line)` exited with \(result.status): \(result.stderr.suffix(600))")
                #expect(!result.stderr.contains("Error:"), "`\(line)`: \(result.stderr.suffix(600))")
            }
        }
        #expect(seen.count >= 20, "only \(seen.count) examples found: \(seen.sorted())")
        for stale in Self.substitutes.keys where !seen.contains(stale) {
            Issue.record("substitute for an example no help prints any more: \(stale)")
        }
        // What the examples promised exists.
        for output in ["runs/tiny/fcn8s.safetensors", "labels.png", "cat-labels.png", "cat-overlay.png", "cat-scores.npy",
                       "y.npy", "fcn8s.safetensors", "fcn32s-fc.safetensors", "synthetic-voc", "Figures/convolution-arithmetic.png"] {
            #expect(FileManager.default.fileExists(atPath: folder.appending(path: output).path), "\(output) was not written")
        }
    }

    @Test func examplesAreReadAsPrinted() throws {
        let help = """
        Examples:
          fcn info --system            which BLAS core was chosen
          fcn segment --weights w.safetensors \\
              --input x.npy --logits y.npy

        OPTIONS:
          --out <out>   fcn not an example
        """
        #expect(try Self.examples(in: help) == ["fcn info --system", "fcn segment --weights w.safetensors --input x.npy --logits y.npy"])
        #expect(throws: ExampleError.self) { try Self.examples(in: "Examples:\n  fcn segment --weights w.safetensors\n  --input x.npy\n") }
    }
}

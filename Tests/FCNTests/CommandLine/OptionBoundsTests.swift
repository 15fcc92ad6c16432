// OptionBoundsTests.swift — every numeric option of every `fcn` subcommand refuses an
// out-of-range value in `validate()`, before any work: exit status 2 and a message naming the
// option. Fast by construction (nothing is loaded or computed), so each case is one process.
import Foundation
import Testing

@Suite struct OptionBoundsTests {
    struct Case: CustomStringConvertible, Sendable {
        var arguments: [String]
        var option: String                     // the name the message must contain
        var description: String { arguments.joined(separator: " ") }
    }

    static let segment = ["segment", "--input", "scene.png", "--labels", "labels.png"]
    static let evaluate = ["evaluate", "--stage", "fcn8s"]

    static let cases: [Case] = [
        Case(arguments: segment + ["--repeat", "-1"], option: "--repeat"),
        Case(arguments: segment + ["--repeat", "1000000"], option: "--repeat"),
        Case(arguments: segment + ["--threads", "0"], option: "--threads"),
        Case(arguments: segment + ["--threads", "100000"], option: "--threads"),
        Case(arguments: segment + ["--classes", "0"], option: "--classes"),
        Case(arguments: segment + ["--classes", "1000000"], option: "--classes"),
        Case(arguments: segment + ["--alpha", "-0.5"], option: "--alpha"),
        Case(arguments: segment + ["--alpha", "1.01"], option: "--alpha"),
        Case(arguments: segment + ["--alpha", "nan"], option: "--alpha"),
        Case(arguments: segment + ["--repeat", "two"], option: "--repeat"),
        Case(arguments: ["segment", "--input", "a", "--out-dir", "o", "--write", "labels,3"], option: "--write"),
        Case(arguments: evaluate + ["--val-count", "-1"], option: "--val-count"),
        Case(arguments: evaluate + ["--val-count", "100000000"], option: "--val-count"),
        Case(arguments: evaluate + ["--scene-size", "0"], option: "--scene-size"),
        Case(arguments: evaluate + ["--scene-size", "100000"], option: "--scene-size"),
        Case(arguments: evaluate + ["--threads", "0"], option: "--threads"),
        Case(arguments: ["evaluate", "--arch", "fcn8s", "--classes", "0"], option: "--classes"),
        Case(arguments: ["evaluate", "--arch", "fcn8s", "--classes", "99999"], option: "--classes"),
        Case(arguments: ["info", "--arch", "fcn8s", "--input-size", "0", "500"], option: "--input-size"),
        Case(arguments: ["info", "--arch", "fcn8s", "--input-size", "500", "1000000"], option: "--input-size"),
        Case(arguments: ["info", "--arch", "fcn8s", "--input-size", "500"], option: "--input-size"),
        Case(arguments: ["info", "--arch", "fcn8s", "--input-size", "a", "b"], option: "--input-size"),
        Case(arguments: ["info", "--arch", "fcn8s", "--classes", "-3"], option: "--classes"),
        Case(arguments: ["convert", "in.caffemodel", "out.safetensors", "--classes", "0"], option: "--classes"),
        Case(arguments: ["convert", "in.caffemodel", "out.safetensors", "--classes", "50000"], option: "--classes"),
        Case(arguments: ["train", "--stage", "classifier", "--tiny", "--threads", "0"], option: "--threads"),
        Case(arguments: ["train", "--stage", "classifier", "--tiny", "--seed", "99999999999"], option: "--seed"),
        Case(arguments: ["train", "--stage", "classifier", "--tiny", "--steps=-5"], option: "--steps"),
        Case(arguments: ["train", "--stage", "classifier", "--tiny", "--steps=100000000"], option: "--steps"),
        Case(arguments: ["train", "--stage", "classifier", "--tiny", "--images-per-stage=-3"], option: "--images-per-stage"),
        Case(arguments: ["train", "--stage", "classifier", "--tiny", "--images-per-stage=fcn32s=x"], option: "--images-per-stage"),
        Case(arguments: ["train", "--stage", "classifier", "--tiny", "--checkpoint-every=0"], option: "--checkpoint-every"),
        Case(arguments: ["train", "--stage", "classifier", "--tiny", "--learning-rate=0"], option: "--learning-rate"),
        Case(arguments: ["train", "--stage", "classifier", "--tiny", "--learning-rate=nan"], option: "--learning-rate"),
        Case(arguments: ["train", "--stage", "classifier", "--tiny", "--momentum=1"], option: "--momentum"),
        Case(arguments: ["train", "--stage", "classifier", "--tiny", "--momentum=-0.1"], option: "--momentum"),
        Case(arguments: ["train", "--stage", "classifier", "--tiny", "--batch-size=0"], option: "--batch-size"),
        Case(arguments: ["train", "--stage", "classifier", "--tiny", "--batch-size=100000"], option: "--batch-size"),
        Case(arguments: ["train", "--stage", "classifier", "--tiny", "--widths=8,x,32,64,64"], option: "--widths"),
        Case(arguments: ["train", "--stage", "classifier", "--tiny", "--widths=8,16"], option: "--widths"),
        Case(arguments: ["train", "--stage", "classifier", "--tiny", "--widths=8,16,32,64,0"], option: "--widths"),
        Case(arguments: ["train", "--stage", "classifier", "--tiny", "--depths=2,2,3,3,99"], option: "--depths"),
        Case(arguments: ["train", "--stage", "classifier", "--tiny", "--scene-size=0"], option: "--scene-size"),
        Case(arguments: ["train", "--stage", "classifier", "--tiny", "--classifier-input=5"], option: "--classifier-input"),
        Case(arguments: ["train", "--stage", "classifier", "--tiny", "--dataset-size=0"], option: "--dataset-size"),
        Case(arguments: ["figures", "--only", "colormap-swatches", "--scale", "0"], option: "--scale"),
        Case(arguments: ["figures", "--only", "colormap-swatches", "--scale", "100"], option: "--scale"),
    ]

    @Test(arguments: cases)
    func refusedBeforeAnyWork(_ c: Case) throws {
        guard let fcn = builtExecutable("fcn") else {
            Issue.record("fcn was not built next to the tests; run `swift build --build-tests` first")
            return
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fcn-bounds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try HelpExamplesTests.run(fcn, c.arguments, in: dir)
        #expect(result.status == 2, "exit status \(result.status): \(result.stderr)")
        #expect(result.stderr.contains(c.option), "the message does not name \(c.option): \(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty, "files were written")
    }
}

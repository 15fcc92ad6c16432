// CommandErrorTests.swift — every command answers bad input with a message and a status, never
// a crash, and writes nothing. Runs the real `fcn` and chapter executables.
import Foundation
import Testing

@Suite struct CommandErrorTests {
    struct Case: CustomStringConvertible, Sendable {
        var program = "fcn"
        var arguments: [String]            // "$DIR" is replaced by the scratch folder
        var status: Int32
        var message: String                // a piece the one-line error must contain
        var description: String { "\(program) \(arguments.joined(separator: " "))" }
    }

    static let cases: [Case] = [
        Case(arguments: ["segment", "--weights", "$DIR/garbage.safetensors", "--input", "$DIR/empty.png", "--labels", "$DIR/out/labels.png"],
             status: 1, message: "cannot write $DIR/out/labels.png: folder $DIR/out does not exist"),
        Case(arguments: ["segment", "--weights", "$DIR/garbage.safetensors", "--input", "$DIR/empty.png", "--labels", "$DIR/labels.png"],
             status: 1, message: "$DIR/garbage.safetensors: not a valid safetensors file"),
        Case(arguments: ["segment", "--weights", "$DIR/garbage.caffemodel", "--input", "$DIR/empty.png", "--logits", "$DIR/scores.npy"],
             status: 1, message: "$DIR/garbage.caffemodel"),
        Case(arguments: ["segment", "--arch", "fcn-alexnet", "--input", "$DIR/empty.png"], status: 2, message: "there is no embedded fcn-alexnet"),
        Case(arguments: ["segment", "--classes", "21", "--input", "$DIR/empty.png"], status: 2, message: "the embedded models have 7 classes"),
        Case(arguments: ["segment", "--input", "$DIR/empty.png", "--labels", "$DIR/labels.png"], status: 1, message: "$DIR/empty.png"),
        Case(arguments: ["segment", "--weights", "$DIR/garbage.safetensors", "--input", "$DIR/empty.png", "--threads", "0"],
             status: 2, message: "--threads must be at least 1"),
        Case(arguments: ["convert", "$DIR/garbage.safetensors", "$DIR/converted.safetensors"], status: 1, message: "$DIR/garbage.safetensors"),
        Case(arguments: ["convert", "$DIR/garbage.safetensors", "$DIR/converted.txt"], status: 1, message: "unknown weights format"),
        Case(arguments: ["evaluate", "--weights", "$DIR/garbage.safetensors", "--arch", "fcn8s"], status: 1, message: "$DIR/garbage.safetensors"),
        Case(arguments: ["train", "--stage", "classifier", "--tiny", "--steps", "2", "--out", "$DIR/garbage.safetensors/run"],
             status: 1, message: "cannot create output folder"),
        Case(arguments: ["figures", "--out", "$DIR/garbage.safetensors", "--only", "colormap-swatches"], status: 1, message: "a file of that name exists"),
        Case(arguments: ["figures", "--only", "no-such-figure"], status: 2, message: "unknown figure"),
        Case(arguments: ["info", "--arch", "no-such-net"], status: 2, message: "no-such-net"),
        // One vocabulary: the same options, values and messages in every command.
        Case(arguments: ["segment", "--arch", "fcn9s", "--input", "$DIR/empty.png"], status: 2, message: "--arch: unknown value 'fcn9s'"),
        Case(arguments: ["segment", "--backbone", "resnet", "--input", "$DIR/empty.png"], status: 2, message: "--backbone: unknown value 'resnet'"),
        Case(arguments: ["info", "--arch", "fcn-alexnet", "--backbone", "vgg16"], status: 2,
             message: "--arch fcn-alexnet is on alexnet, but --backbone is vgg16"),
        Case(arguments: ["info", "--weights", "$DIR/garbage.safetensors"], status: 1, message: "$DIR/garbage.safetensors"),
        Case(arguments: ["convert", "$DIR/garbage.caffemodel", "$DIR/c.safetensors", "--arch", "fcn7s"], status: 2, message: "--arch: unknown value 'fcn7s'"),
        Case(arguments: ["evaluate", "--weights", "$DIR/garbage.caffemodel"], status: 1, message: "$DIR/garbage.caffemodel"),
        Case(arguments: ["evaluate", "--stage", "classifier"], status: 2, message: "--stage: unknown segmentation stage 'classifier'"),
        Case(arguments: ["evaluate", "--classes", "0", "--arch", "fcn8s"], status: 2, message: "--classes must be at least 1"),
        Case(arguments: ["train", "--stage", "fcn9s", "--tiny"], status: 2, message: "--stage: unknown stage 'fcn9s'"),
        // Many images: two inputs that would write the same files are refused before any work.
        Case(arguments: ["segment", "--input", "$DIR", "--input", "$DIR/empty.png", "--out-dir", "$DIR/out"], status: 2,
             message: "$DIR/empty.png and $DIR/empty.png both have the stem 'empty'"),
        Case(arguments: ["segment", "--input", "$DIR/garbage.safetensors", "--out-dir", "$DIR/out"], status: 2,
             message: "no PNG or JPEG image in $DIR/garbage.safetensors"),
        Case(arguments: ["segment", "--input", "$DIR/empty.png", "--input", "$DIR/empty.png"], status: 2,
             message: "several inputs need --out-dir"),
        Case(arguments: ["segment", "--input", "$DIR", "--out-dir", "$DIR/out", "--write", "labels,scores"], status: 2,
             message: "--write: unknown output 'scores'"),
        Case(arguments: ["segment", "--input", "$DIR/empty.png", "--overlay", "$DIR/o.png", "--alpha", "1.5"], status: 2,
             message: "--alpha must be between 0 and 1"),
        // Experiments and the held-out world (issue #16).
        Case(arguments: ["experiment", "tabel2"], status: 2, message: "no experiment 'tabel2'; choose one of table2"),
        Case(arguments: ["experiment", "fusion", "--seeds", "1,1", "--out", "$DIR/exp"], status: 2, message: "--seeds lists a seed twice"),
        Case(arguments: ["experiment", "fusion", "--seeds", "1,x", "--out", "$DIR/exp"], status: 2, message: "--seeds must be numbers"),
        Case(arguments: ["experiment", "fusion", "--steps-scale", "100", "--out", "$DIR/exp"], status: 2, message: "--steps-scale must be 0.05…10"),
        Case(arguments: ["experiment", "fusion", "--figure", "$DIR/f.gif", "--out", "$DIR/exp"], status: 2, message: "must be a .png, .pdf or .svg"),
        Case(arguments: ["evaluate", "--held-out", "--voc", "$DIR"], status: 2, message: "--held-out chooses the images"),
        Case(arguments: ["evaluate", "--held-out", "--per-cell", "0"], status: 2, message: "--per-cell must be 1…10000"),
        Case(arguments: ["evaluate", "--drawing", "sketchy"], status: 2, message: "--drawing must be classic or varied"),
        Case(arguments: ["train", "--tiny", "--drawing", "sketchy"], status: 2, message: "--drawing must be classic or varied"),
        Case(program: "Chapter08", arguments: ["--weights", "$DIR/garbage.safetensors", "--no-figures"], status: 1, message: "$DIR/garbage.safetensors"),
    ]

    @Test(arguments: cases)
    func refusesWithAMessageAndWritesNothing(_ c: Case) throws {
        guard let program = builtExecutable(c.program) else {
            Issue.record("\(c.program) was not built next to the tests; run `swift build --build-tests` first")
            return
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fcn-errors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("not weights".utf8).write(to: dir.appendingPathComponent("garbage.safetensors"))
        try Data([0x08, 0xFF, 0xFF]).write(to: dir.appendingPathComponent("garbage.caffemodel"))
        try Data().write(to: dir.appendingPathComponent("empty.png"))
        let before = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()

        let (status, stderr) = try runToCompletion(program, c.arguments.map { $0.replacingOccurrences(of: "$DIR", with: dir.path) })
        let expected = c.message.replacingOccurrences(of: "$DIR", with: dir.path)
        #expect(status == c.status, "exit status \(status), stderr: \(stderr)")
        #expect(stderr.contains(expected), "stderr does not mention \"\(expected)\": \(stderr)")
        #expect(!stderr.contains("Fatal error") && !stderr.contains("Stack dump"), "crashed: \(stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == before, "files were written")
    }
}

// Chapter 8 — run it: `swift run -c release Chapter08 [--weights FILE] [--arch fcn8s] [--input IMAGE]`.
// The chapter itself is in Chapter08.swift.
import FCN
import FCNCourse
import Foundation

let options = ChapterOptions(usage: """
    Chapter08 — FCN-8s end to end on an image (paper §3, §4.2).
      --weights FILE       .safetensors or .caffemodel (default: embedded model, else random narrow net)
      --arch NAME          \(ModelSpec.architectureNames.joined(separator: ", ")) (default: the file's, else fcn8s)
      --input IMAGE        PNG or JPEG (default: a synthetic 500×375 scene)
    """)
runChapter {
    var setup = Chapter08Setup()
    var rest = options.remaining[...]
    while let flag = rest.popFirst() {
        guard ["--weights", "--input", "--arch"].contains(flag) else { throw ChapterArgumentError.unknown(flag) }
        guard let value = rest.popFirst() else { throw ChapterArgumentError.missingValue(flag) }
        switch flag {
        case "--weights": setup.weights = URL(fileURLWithPath: value)
        case "--input": setup.input = URL(fileURLWithPath: value)
        case "--arch":
            guard let overrides = try? ModelSpec.Overrides(arch: value, backbone: nil, classes: nil) else { throw ChapterArgumentError.badValue(flag, value) }
            setup.overrides = overrides
        default: break
        }
    }
    var lesson = options.lesson(chapter: 8, title: "FCN-8s end to end")
    _ = try chapter08(&lesson, setup: setup)
}

/// A command-line mistake.
enum ChapterArgumentError: Error, CustomStringConvertible {
    case missingValue(String), badValue(String, String), unknown(String)
    var description: String {
        switch self {
        case .missingValue(let f): "\(f) needs a value"
        case .badValue(let f, let v): "\(f): unknown value \"\(v)\""
        case .unknown(let f): "unknown option \(f) (try --help)"
        }
    }
}

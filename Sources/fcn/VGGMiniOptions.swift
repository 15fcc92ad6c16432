// VGGMiniOptions.swift — `--widths`, `--depths`, `--classifier-input`, `--dropout`: the sizes of
// the VGG-mini backbone `fcn train` builds (`VGGMini`, a VGG16 with fewer channels, §3.1 and
// §4.1), for experiments; the shipped model uses the defaults. Declared with their bounds in one
// place, and parsed once: `validate()` reads the lists, `applied(to:)` uses what it read.
import ArgumentParser
import FCN
import Foundation

struct VGGMiniOptions: ParsableArguments {
    @Option(help: "VGG-mini block widths, e.g. 8,16,32,64,64 (experiments; the shipped model uses the default).")
    var widths: String?

    @Option(help: "VGG-mini convolutions per block, e.g. 2,2,3,3,3.")
    var depths: String?

    @Option(help: "VGG-mini classifier input side (examples fill it; fc6 covers its pool5).")
    var classifierInput: Int?

    @Option(help: "Dropout ratio after fc6 and fc7 (VGG16: 0.5; VGG-mini default: 0, none).")
    var dropout: Float?

    func validate() throws {
        _ = try applied(to: .standard)
    }

    /// `model` with the sizes given on the command line in place of its own; throws a
    /// `ValidationError` naming the option for a value out of bounds.
    func applied(to model: VGGMini) throws -> VGGMini {
        var model = model
        if let widths { model.widths = try Self.parseBlocks(widths, option: "--widths", range: 1...4096) }
        if let depths { model.convolutionsPerBlock = try Self.parseBlocks(depths, option: "--depths", range: 1...16) }
        if let classifierInput {
            try ValidationError.require((16...1024).contains(classifierInput), "--classifier-input must be between 16 and 1024 (got \(classifierInput))")
            model.classifierInputSize = classifierInput; model.exampleSize = classifierInput
        }
        if let dropout {
            try ValidationError.require(dropout >= 0 && dropout < 1, "--dropout \(dropout) is not in [0, 1)")
            model.dropout = dropout
        }
        return model
    }

    /// A VGG-mini list option: five whole numbers in `range`, comma-separated (`8,16,32,64,64`).
    static func parseBlocks(_ text: String, option: String, range: ClosedRange<Int>) throws -> [Int] {
        let items = text.split(separator: ",", omittingEmptySubsequences: false)
        var values: [Int] = []
        for item in items {
            guard let n = Int(item.trimmingCharacters(in: .whitespaces)), range.contains(n) else {
                throw ValidationError("\(option): '\(item)' is not a whole number from \(range.lowerBound) to \(range.upperBound) (in '\(text)')")
            }
            values.append(n)
        }
        guard values.count == 5 else { throw ValidationError("\(option) needs one value per block of VGG-mini, five in all (got \(values.count) in '\(text)')") }
        return values
    }
}

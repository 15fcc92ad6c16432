// ModelOptions.swift — the options that pick a network, declared once for every command
// (`@OptionGroup`): `--weights`, and the `--arch` / `--backbone` / `--classes` overrides, with
// the same values in `fcn segment`, `evaluate`, `convert` and `info`. The meaning of the words
// is the library's (`ModelSpec+Overrides.swift`); the loader is `LoadedModel`.
import ArgumentParser
import FCN
import Foundation

/// `--arch`, `--backbone`, `--classes`: corrections to what a weights file says, or the choice
/// of a network when there is no file.
struct ModelOverrideOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The head, or a published net: \(ModelSpec.architectureNames.joined(separator: ", ")) (default: read from the weights).",
                               valueName: "name"))
    var arch: String?

    @Option(help: ArgumentHelp("The backbone: \(ModelSpec.Backbone.names.joined(separator: ", ")) (default: read from the weights).",
                               valueName: "name"))
    var backbone: String?

    @Option(help: "Number of classes (default: read from the weights, else the network's usual count; at most 10000).")
    var classes: Int?

    /// More classes than any segmentation data set has (ADE20K 150, COCO-Stuff 182, LVIS 1203):
    /// a typo, and a score map of 10⁶ classes would not fit in memory.
    static let maximumClasses = 10_000

    func validate() throws {
        if let classes, classes > Self.maximumClasses {
            throw ValidationError("--classes must be at most \(Self.maximumClasses) (got \(classes))")
        }
        if let arch, arch.isEmpty { throw ValidationError("--arch: an empty name") }
        do { _ = try overrides } catch { throw ValidationError("\(error)") }
    }

    /// The overrides (checked in `validate()`).
    var overrides: ModelSpec.Overrides {
        get throws { try ModelSpec.Overrides(arch: arch, backbone: backbone, classes: classes) }
    }
}

/// `--weights FILE` and the overrides.
struct ModelOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Weights (.safetensors or .caffemodel); which network they hold is read from the file.", valueName: "file"))
    var weights: String?

    @OptionGroup var overrides: ModelOverrideOptions

    func validate() throws {
        if let weights, weights.isEmpty { throw ValidationError("--weights: an empty path") }
    }

    /// The weights file loaded with the overrides applied (`nil` without `--weights`).
    func loadWeights() throws -> LoadedModel? {
        guard let weights else { return nil }
        return try LoadedModel.load(from: URL(filePath: weights), overriding: overrides.overrides)
    }
}

// PrecisionOptions.swift — `--precision f32|bf16`, declared once for the commands that run
// inference (`fcn segment`, `fcn evaluate`): the number format of the convolutions' products, as
// the `EngineConfiguration.precision` those commands pass to the engine (`FCNCore/Precision.swift`).
//
// Checked before any file is read: an unknown spelling, or bf16 on a processor without
// AVX512-BF16, is a usage error (exit status 2) naming the option and the reason.
import ArgumentParser
import FCN
import FCNKernels

struct PrecisionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Convolution products in f32 (the default and reference) or bf16 (bf16 operands, f32 sums; needs a CPU with AVX512-BF16).",
                               valueName: "f32|bf16"))
    var precision = Precision.float32.optionName

    func validate() throws {
        guard let value = Precision(optionName: precision) else {
            let names = Precision.allCases.map(\.optionName).joined(separator: " or ")
            throw ValidationError("--precision must be \(names) (got '\(precision)')")
        }
        if let error = EngineConfiguration(precision: value).unsupportedPrecision {
            throw ValidationError("--precision \(precision): \(error.reason)")
        }
    }

    /// The precision asked for (validated above).
    var value: Precision { Precision(optionName: precision) ?? .float32 }
}

extension ThreadOptions {
    /// The engine configuration of `--threads` and `--precision`.
    func configuration(precision: PrecisionOptions) -> EngineConfiguration {
        var configuration = self.configuration
        configuration.precision = precision.value
        return configuration
    }
}

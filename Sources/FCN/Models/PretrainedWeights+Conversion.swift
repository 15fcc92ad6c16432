// PretrainedWeights+Conversion.swift — rewriting trained weights as safetensors, the library's
// native format: from Berkeley's `.caffemodel` files (paper §4–5), or between the two forms of
// fc6/fc7 that "convolutionalization" relates (paper §3.1: a fully connected [O, C·H·W] weight
// and the H×W convolution [O, C, H, W] hold the same numbers in the same order).

import Foundation

/// The layout of fc6/fc7 in a weight file.
public enum FullyConnectedForm: String, CaseIterable, Sendable {
    /// `fc6.weight` `[4096, 512, 7, 7]`, `fc7.weight` `[4096, 4096, 1, 1]` (Berkeley's FCNs).
    case convolution
    /// `fc6.weight` `[4096, 25088]`, `fc7.weight` `[4096, 4096]` (the VGG16 classifier).
    case fullyConnected = "fully-connected"
}

extension PretrainedWeights {
    /// Reads `input` (`.caffemodel` or `.safetensors`), finds its network (its metadata, else
    /// its tensors, corrected by `overrides`; see ``LoadedModel``), checks every tensor against
    /// it, and writes it atomically to `output` as F32 safetensors with fc6/fc7 in `form` and
    /// the spec in the metadata (``ModelSpec/metadataKey``). Returns the spec.
    ///
    /// ```swift
    /// let spec = try PretrainedWeights.convert(URL(filePath: "fcn8s-heavy-pascal.caffemodel"),
    ///                                          to: URL(filePath: "fcn8s.safetensors"))
    /// spec.name                                            // "fcn8s"
    /// ```
    @discardableResult
    public static func convert(_ input: URL, to output: URL, overriding overrides: ModelSpec.Overrides = .init(),
                               form: FullyConnectedForm = .convolution) throws -> ModelSpec {
        guard output.pathExtension.lowercased() == "safetensors" else { throw WeightsError.unknownExtension(file: output.path) }
        try OutputFiles.check([output], inputs: [input])   // not over the input, nor over a device node
        let tensors = try readTensors(input)
        let metadata = try Format(input) == .safetensors ? try SafetensorsFile(contentsOf: input).metadata : [:]
        let model = try LoadedModel.fit(tensors, metadata: metadata, file: input, overriding: overrides)
        var parameters = model.parameters                                                   // checked, convolution form
        if form == .fullyConnected {
            for name in ["fc6.weight", "fc7.weight"] {
                guard let w = parameters[name], w.rank == 4 else { continue }                          // [O, C, KH, KW]
                parameters[name] = w.reshaped([w.shape[0], w.count / w.shape[0]])                        // [O, C·KH·KW]
            }
        }
        try Safetensors.write(parameters, metadata: ["source": input.lastPathComponent, "architecture": model.spec.name,
                                                     "fc-form": form.rawValue, ModelSpec.metadataKey: model.spec.metadataJSON], to: output)
        return model.spec
    }
}

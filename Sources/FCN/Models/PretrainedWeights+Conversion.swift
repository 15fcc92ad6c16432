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

extension FCNArchitecture {
    /// The architecture a set of weight names belongs to, from the layers only it has
    /// (`conv1` for AlexNet, `score_pool3` for FCN-8s, `scale_pool4` for FCN-8s-at-once's Caffe
    /// file, `score_pool4` for FCN-16s, else FCN-32s).
    public static func guess(fromTensorNames names: Set<String>) -> FCNArchitecture {
        if names.contains("conv1.weight") { return .fcnAlexNet }
        if names.contains("scale_pool4.weight") || names.contains("scale_pool3.weight") { return .fcn8sAtOnce }
        if names.contains("score_pool3.weight") { return .fcn8s }
        if names.contains("score_pool4.weight") { return .fcn16s }
        return .fcn32s
    }
}

extension PretrainedWeights {
    /// Reads `input` (`.caffemodel` or `.safetensors`), checks it against `architecture` (guessed
    /// from the tensor names when `nil`), and writes it atomically to `output` as F32
    /// safetensors with fc6/fc7 in `form`. Returns the architecture used.
    ///
    /// ```swift
    /// try PretrainedWeights.convert(URL(filePath: "fcn8s-heavy-pascal.caffemodel"),
    ///                               to: URL(filePath: "fcn8s.safetensors"))
    /// ```
    @discardableResult
    public static func convert(_ input: URL, to output: URL, architecture: FCNArchitecture? = nil,
                               form: FullyConnectedForm = .convolution) throws -> FCNArchitecture {
        try convert(input, to: output, architecture: architecture, form: form) { arch, classes in try arch.description(classes: classes) }
    }

    /// ``convert(_:to:architecture:form:)`` with the description of (architecture, classes)
    /// supplied by `describe` (tests use narrow nets).
    @discardableResult
    static func convert(_ input: URL, to output: URL, architecture: FCNArchitecture?, form: FullyConnectedForm,
                        describe: (FCNArchitecture, Int) throws -> NetworkDescription) throws -> FCNArchitecture {
        guard output.pathExtension.lowercased() == "safetensors" else { throw WeightsError.unknownExtension(file: output.path) }
        try OutputFiles.check([output], inputs: [input])   // not over the input, nor over a device node
        let tensors = try readTensors(input)
        let arch = architecture ?? FCNArchitecture.guess(fromTensorNames: Set(tensors.keys))
        guard let score = tensors["score_fr.weight"] else { throw WeightsError.noClassCount(file: input.path) }
        let classes = try classCount(scoreWeightShape: score.shape, file: input.path)
        let description = try describe(arch, classes)
        var parameters = try self.parameters(tensors, for: description, file: input.path)   // convolution form, checked
        if form == .fullyConnected {
            for name in ["fc6.weight", "fc7.weight"] {
                guard let w = parameters[name] else { continue }                               // [O, C, KH, KW]
                parameters[name] = w.reshaped([w.shape[0], w.count / w.shape[0]])                // [O, C·KH·KW]
            }
        }
        try Safetensors.write(parameters, metadata: ["source": input.lastPathComponent, "architecture": arch.rawValue,
                                                     "fc-form": form.rawValue], to: output)
        return arch
    }
}

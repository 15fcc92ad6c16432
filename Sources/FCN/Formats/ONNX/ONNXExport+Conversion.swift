// ONNXExport+Conversion.swift — `fcn convert W.safetensors M.onnx`: a weights file in, the
// FCN it holds out as ONNX. The network is found as every command finds it (``LoadedModel``:
// the file's metadata, else its tensor shapes, corrected by the overrides), so a Berkeley
// .caffemodel (paper §4–5), a pytorch-fcn safetensors file and a run of `fcn train` all export.

import Foundation

extension ONNXExport {
    /// Reads `input` (`.caffemodel` or `.safetensors`), fits it to its network and writes the
    /// network as ONNX to `output` (atomically), the ``ModelSpec`` JSON and the class names in
    /// the model's metadata. Returns the spec.
    ///
    /// ```swift
    /// let spec = try ONNXExport.convert(URL(filePath: "fcn8s.safetensors"), to: URL(filePath: "fcn8s.onnx"))
    /// spec.name                                             // "fcn8s"
    /// ```
    ///
    /// - Throws: the loader's errors for the input (each names the file); ``ONNXExportError``
    ///   for the output; ``AtomicFileError`` when `output` is the input or a
    ///   special file.
    @discardableResult
    public static func convert(_ input: URL, to output: URL, overriding overrides: ModelSpec.Overrides = .init()) throws -> ModelSpec {
        guard output.pathExtension.lowercased() == "onnx" else { throw ONNXExportError.wrongExtension(file: output.path) }
        try OutputFiles.check([output], inputs: [input])                 // not over the input, nor over a device node
        let tensors = try PretrainedWeights.readTensors(input)
        let metadata = try PretrainedWeights.Format(input) == .safetensors ? try SafetensorsFile(contentsOf: input).metadata : [:]
        let model = try LoadedModel.fit(tensors, metadata: metadata, file: input, overriding: overrides)
        try write(model.description, parameters: model.parameters,
                  metadata: ["source": input.lastPathComponent, ModelSpec.metadataKey: model.spec.metadataJSON,
                             "class_names": model.spec.classNames.joined(separator: ",")],
                  to: output)
        return model.spec
    }
}

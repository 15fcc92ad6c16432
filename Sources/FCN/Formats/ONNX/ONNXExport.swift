// ONNXExport.swift — an FCN as an ONNX graph, so that a model trained or converted here runs
// in ONNX Runtime, TensorRT, OpenVINO, a browser… (the deployment half of "any model trained
// here can be deployed elsewhere").
//
// What it is: a translation of a ``NetworkDescription`` — the library's prototxt — into one
// ONNX `GraphProto`, layer by layer (`ONNXExport+Operators.swift` has the table), with the
// weights as initializers. What it is not: a general ONNX writer or reader; the schema subset
// is `onnx_subset.proto`, the Swift code `onnx_subset.pb.swift` is generated from it.
//
// Choices:
// - Opset 13 (ai.onnx), IR version 7: every operator used has its current meaning there
//   (MaxPool's `ceil_mode` since opset 10, Slice with tensor inputs since 10, Gemm's optional C
//   since 11), and every runtime of the last years reads it.
// - Dynamic input: `[N, C, H, W]` with N, H, W symbolic. An FCN takes any image size (paper
//   §3: "an FCN naturally operates on an input of any size"); the only size-dependent numbers
//   in its graph are the crop offsets, and those are *not* size-dependent: they come from the
//   coordinate maps (``NetworkDescription/coordinateMaps()``), affine maps whose shifts do not
//   involve the input size (CVPR §4.1 / PAMI §4.1, Berkeley's `coord_map.py`). The crop's end
//   is read from the reference blob's shape at run time.
// - Blob names are kept where a blob is written once; an in-place layer (ReLU, Caffe's
//   `in_place=True`) writes a new value named after the layer, since ONNX values are written
//   exactly once (static single assignment).

import FCNCore
import Foundation
import SwiftProtobuf

/// Why a network could not be written as ONNX. Every message names the file or the layer.
public enum ONNXExportError: Error, CustomStringConvertible, Equatable {
    /// The output path does not end in `.onnx`.
    case wrongExtension(file: String)
    /// The layer has no inference meaning (a loss) or no faithful ONNX form.
    case unsupportedLayer(file: String, layer: String, reason: String)
    /// A parameter the network needs is not among the tensors given.
    case missingParameter(file: String, name: String)
    /// The description itself is invalid (a crop that cannot align, an unknown blob…).
    case invalidNetwork(file: String, problem: String)

    /// A sentence naming the file and the problem.
    public var description: String {
        switch self {
        case let .wrongExtension(file): "\(file): an ONNX model file must end in .onnx"
        case let .unsupportedLayer(file, layer, reason): "\(file): cannot export layer '\(layer)' to ONNX: \(reason)"
        case let .missingParameter(file, name): "\(file): cannot export to ONNX: the parameter '\(name)' is missing"
        case let .invalidNetwork(file, problem): "\(file): cannot export to ONNX: \(problem)"
        }
    }
}

/// Writing a network as an ONNX model (opset 13).
///
/// ```swift
/// let model = try LoadedModel.load(from: URL(filePath: "fcn8s.safetensors"))
/// try ONNXExport.write(model.network.description, parameters: model.network.parameters,
///                      to: URL(filePath: "fcn8s.onnx"))
/// ```
/// ```python
/// import onnxruntime, numpy as np
/// s = onnxruntime.InferenceSession("fcn8s.onnx")
/// scores = s.run(None, {"data": x})[0]          # x: [1, 3, H, W] float32, preprocessed as for `fcn segment`
/// ```
///
/// The input is the preprocessed image (``ModelSpec`` preprocessing: BGR, mean subtracted, as
/// `fcn segment --input x.npy` takes it); the output the score blob `[N, K, H, W]`.
///
/// ### See Also
/// - ``NetworkDescription/coordinateMaps()`` for the crop offsets; `scripts/check-onnx-export.py`
///   runs the result in ONNX Runtime against `fcn segment --logits`.
public enum ONNXExport {
    /// The ai.onnx operator set the graph is written against.
    public static let opsetVersion: Int64 = 13
    /// The ONNX IR version (7: ONNX 1.7, the first with opset 12–13 models).
    public static let irVersion: Int64 = 7

    /// Writes `description` with `parameters` (`"<layer>.weight"`, `"<layer>.bias"`) as an
    /// ONNX model to `url`, atomically (a failed write leaves no partial file).
    ///
    /// - Parameters:
    ///   - description: the network, inference layers only.
    ///   - parameters: every weight and bias it reads, by parameter name.
    ///   - inputName: the blob fed from outside; the description's first input by default.
    ///   - metadata: stored as the model's `metadata_props` (the ``ModelSpec`` JSON, class names…).
    ///   - url: the `.onnx` file to write.
    /// - Throws: ``ONNXExportError`` for a loss layer, a missing parameter or an invalid
    ///   description; ``AtomicFileError`` when the file cannot be written.
    public static func write(_ description: NetworkDescription, parameters: [String: Tensor], inputName: String? = nil,
                             metadata: [String: String] = [:], to url: URL) throws {
        guard url.pathExtension.lowercased() == "onnx" else { throw ONNXExportError.wrongExtension(file: url.path) }
        let model = try self.model(description, parameters: parameters, inputName: inputName, metadata: metadata, file: url.path)
        try AtomicFile.write(try model.serializedData(), to: url)
    }

    /// The `ModelProto` of ``write(_:parameters:inputName:metadata:to:)``; `file` names the
    /// destination in errors.
    static func model(_ description: NetworkDescription, parameters: [String: Tensor], inputName: String? = nil,
                      metadata: [String: String] = [:], file: String) throws(ONNXExportError) -> Onnx_ModelProto {
        let input = inputName ?? description.inputs.first ?? "data"
        guard description.inputs.contains(input) else {
            throw .invalidNetwork(file: file, problem: "'\(input)' is not an input of \(description.name) (its inputs: \(description.inputs.joined(separator: ", ")))")
        }
        if let extra = description.inputs.first(where: { $0 != input }) {
            throw .unsupportedLayer(file: file, layer: extra, reason: "a second input (labels?) has no place in an inference graph")
        }
        let cropOffsets: [String: Size2]
        do { cropOffsets = try description.coordinateMaps().cropOffsets } catch {
            throw .invalidNetwork(file: file, problem: "\(error)")
        }
        var graph = _ONNXGraphBuilder(file: file, parameters: parameters, cropOffsets: cropOffsets, input: input)
        for layer in description.layers { try graph.add(layer) }
        let output = try graph.finish(outputBlob: description.outputBlob ?? input)

        var proto = Onnx_GraphProto()
        proto.name = description.name
        proto.node = graph.nodes
        proto.initializer = graph.initializers
        proto.input = [valueInfo(input, dims: [.param("N"), graph.inputChannels.map(Dimension.value) ?? .param("C"), .param("H"), .param("W")])]
        proto.output = [valueInfo(output, dims: nil)]

        var model = Onnx_ModelProto()
        model.irVersion = irVersion
        model.producerName = "swift-fcn"
        model.docString = "\(description.name), exported by swift-fcn (Long, Shelhamer, Darrell: Fully Convolutional Networks for Semantic Segmentation)"
        var opset = Onnx_OperatorSetIdProto()
        opset.domain = ""
        opset.version = opsetVersion
        model.opsetImport = [opset]
        model.graph = proto
        model.metadataProps = metadata.sorted { $0.key < $1.key }.map { key, value in
            var entry = Onnx_StringStringEntryProto()
            entry.key = key; entry.value = value
            return entry
        }
        return model
    }

    /// A tensor dimension: a number, or a name the runtime binds (`"H"`).
    enum Dimension { case value(Int), param(String) }

    /// A float32 graph input or output; `dims: nil` leaves the shape to the runtime's inference.
    static func valueInfo(_ name: String, dims: [Dimension]?) -> Onnx_ValueInfoProto {
        var tensor = Onnx_TypeProto.Tensor()
        tensor.elemType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        if let dims {
            var shape = Onnx_TensorShapeProto()
            shape.dim = dims.map { d in
                var dim = Onnx_TensorShapeProto.Dimension()
                switch d {
                case .value(let v): dim.dimValue = Int64(v)
                case .param(let p): dim.dimParam = p
                }
                return dim
            }
            tensor.shape = shape
        }
        var type = Onnx_TypeProto()
        type.tensorType = tensor
        var info = Onnx_ValueInfoProto()
        info.name = name
        info.type = type
        return info
    }
}

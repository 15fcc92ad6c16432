// ONNXExportTests.swift — the ONNX export writes a ModelProto that parses back with the
// expected opset, inputs, node count and initializers; loss layers and wrong paths are refused
// without leaving a file. Running the graph in ONNX Runtime is scripts/check-onnx-export.py
// (no Python in the Swift tests).
import FCNCore
import Foundation
import Testing
@testable import FCN

@Suite struct ONNXExportTests {
    /// The nodes each layer becomes (the table in `ONNXExport+Operators.swift`).
    static func expectedNodes(_ description: NetworkDescription) -> Int {
        description.layers.reduce(0) { total, layer in
            switch layer.kind {
            case .dropout: total
            case .crop: total + 4                        // Shape, Slice (H, W), Add, Slice
            case .linear: total + 2                      // Flatten, Gemm
            case .sum(let c): total + max(c.count - 1, 1) + (c.count > 1 ? c.filter { $0 != 1 }.count : 0)
            default: total + 1
            }
        }
    }

    static func read(_ url: URL) throws -> Onnx_ModelProto {
        try Onnx_ModelProto(serializedBytes: try Data(contentsOf: url))
    }

    @Test func shippedFCN8sExportsAsParseableModel() throws {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        let model = try EmbeddedModels.model(.fcn8s)
        let url = folder.file("fcn8s.onnx")
        try ONNXExport.write(model.network.description, parameters: model.network.parameters,
                             metadata: [ModelSpec.metadataKey: model.spec.metadataJSON], to: url)
        let proto = try Self.read(url)
        #expect(proto.irVersion == ONNXExport.irVersion)
        #expect(proto.opsetImport.map(\.version) == [13])
        #expect(proto.opsetImport.first?.domain == "")
        let graph = proto.graph
        // VGG-mini FCN-8s: 8 conv + 8 ReLU + 5 pool + fc6, relu6, fc7, relu7, score_fr (dropouts
        // dropped) + 3 upsamplings + 2 score_pool + 3 crops × 4 + 2 Adds = 45 nodes.
        #expect(graph.node.count == Self.expectedNodes(model.network.description))
        #expect(graph.node.count == 45)
        #expect(graph.input.map(\.name) == ["data"])
        #expect(graph.input[0].type.tensorType.shape.dim.map(\.dimParam) == ["N", "", "H", "W"])
        #expect(graph.input[0].type.tensorType.shape.dim[1].dimValue == 3)
        #expect(graph.output.map(\.name) == ["score"])
        #expect(Set(graph.node.map(\.opType)) == ["Conv", "Relu", "MaxPool", "ConvTranspose", "Shape", "Slice", "Add"])
        #expect(graph.node.filter { $0.opType == "MaxPool" }.allSatisfy { $0.attribute.contains { $0.name == "ceil_mode" && $0.i == 1 } })
        // Every parameter is an initializer with its shape and its bytes.
        let initializers = Dictionary(uniqueKeysWithValues: graph.initializer.map { ($0.name, $0) })
        for (name, tensor) in model.network.parameters {
            let t = try #require(initializers[name], "\(name)")
            #expect(t.dims == tensor.shape.map(Int64.init), "\(name)")
            #expect(t.rawData.count == 4 * tensor.count, "\(name)")
        }
        #expect(proto.metadataProps.first { $0.key == ModelSpec.metadataKey }?.value == model.spec.metadataJSON)
        // The crops' offsets are the coordinate maps' (Berkeley's 5, 9, 31 scaled to VGG-mini).
        let offsets = try model.network.description.coordinateMaps().cropOffsets
        for (layer, offset) in offsets {
            let starts = try #require(initializers[layer + "/starts"])
            #expect(starts.int64Data == [Int64(offset.height), Int64(offset.width)], "\(layer)")
        }
    }

    /// In-place ReLU, dropout, a sum with coefficients, a crop, an LRN and a scalar Scale, small
    /// enough to check node by node.
    @Test func inPlaceLayersGetFreshValueNames() throws {
        let description = NetworkDescription(name: "tiny", layers: [
            LayerDescription("conv", .convolution(.init(outputs: 2, kernel: 3, padding: 2)), bottom: "data"),
            LayerDescription("relu", .relu, bottom: "conv", top: "conv"),
            LayerDescription("drop", .dropout(ratio: 0.5), bottom: "conv", top: "conv"),
            LayerDescription("norm", .localResponseNormalization(.init(size: 3)), bottom: "conv"),
            LayerDescription("half", .sum(coefficients: [0.5]), bottoms: ["norm"]),
            LayerDescription("crop", .crop(.init()), bottoms: ["half", "data"]),
            LayerDescription("peek", .convolution(.init(outputs: 2, kernel: 1)), bottom: "data"),
            LayerDescription("fuse", .sum(coefficients: [1, -2]), bottoms: ["crop", "peek"]),
        ])
        var rng = SeededRandom(seed: 1)
        let parameters = [
            "conv.weight": Tensor(randomNormal: [2, 1, 3, 3], using: &rng), "conv.bias": Tensor(zeros: [2]),
            "peek.weight": Tensor(randomNormal: [2, 1, 1, 1], using: &rng), "peek.bias": Tensor(zeros: [2]),
        ]
        let proto = try ONNXExport.model(description, parameters: parameters, file: "tiny.onnx")
        let nodes = proto.graph.node
        #expect(nodes.map(\.opType) == ["Conv", "Relu", "LRN", "Mul", "Shape", "Slice", "Add", "Slice", "Conv", "Mul", "Add"])
        #expect(nodes.count == Self.expectedNodes(description))
        // Every value is written once (SSA), the in-place ReLU under its layer's name.
        let outputs = nodes.flatMap(\.output)
        #expect(Set(outputs).count == outputs.count)
        #expect(nodes[1].input == ["conv"] && nodes[1].output == ["relu"])
        #expect(nodes[2].input == ["relu"])                                  // the dropout is an alias
        #expect(proto.graph.output.map(\.name) == ["fuse"])
        #expect(proto.graph.input[0].type.tensorType.shape.dim[1].dimValue == 1)
        let starts = try #require(proto.graph.initializer.first { $0.name == "crop/starts" })
        #expect(starts.int64Data == [1, 1])                                  // conv pads 2 with a 3×3 kernel
    }

    @Test func lossLayersAndWrongPathsAreRefusedWithoutAFile() throws {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        let model = try EmbeddedModels.model(.fcn32s)
        var training = model.network.description
        training.inputs.append("label")
        training.layers.append(LayerDescription("loss", .softmaxCrossEntropy(.init()), bottoms: ["score", "label"]))
        let url = folder.file("net.onnx")
        #expect(throws: ONNXExportError.self) {
            try ONNXExport.write(training, parameters: model.network.parameters, to: url)
        }
        var lossOnly = model.network.description
        lossOnly.layers.append(LayerDescription("loss", .softmaxCrossEntropy(.init()), bottoms: ["score", "score"]))
        do {
            try ONNXExport.write(lossOnly, parameters: model.network.parameters, to: url)
            Issue.record("a loss layer was exported")
        } catch let error as ONNXExportError {
            #expect(error.description.contains("'loss'") && error.description.contains(url.path))
        }
        #expect(throws: ONNXExportError.wrongExtension(file: folder.file("net.onnyx").path)) {
            try ONNXExport.write(model.network.description, parameters: model.network.parameters, to: folder.file("net.onnyx"))
        }
        #expect(throws: ONNXExportError.missingParameter(file: url.path, name: "fc6.weight")) {
            var parameters = model.network.parameters
            parameters["fc6.weight"] = nil
            try ONNXExport.write(model.network.description, parameters: parameters, to: url)
        }
        #expect(!FileManager.default.fileExists(atPath: url.path))
    }

    @Test func convertReadsTheSpecAndWritesMetadata() throws {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        let weights = try #require(EmbeddedModels.url(.fcn16s))
        let url = folder.file("fcn16s.onnx")
        let spec = try ONNXExport.convert(weights, to: url)
        #expect(spec == (try EmbeddedModels.model(.fcn16s)).spec)
        let proto = try Self.read(url)
        #expect(proto.metadataProps.map(\.key) == ["class_names", ModelSpec.metadataKey, "source"])
        #expect(throws: (any Error).self) { try ONNXExport.convert(weights, to: folder.file("fcn16s.safetensors")) }
    }
}

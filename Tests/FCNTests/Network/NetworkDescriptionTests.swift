// NetworkDescriptionTests.swift — validation errors and parameter names/shapes.
import Testing
@testable import FCN

@Suite struct NetworkDescriptionTests {
    private func conv(_ name: String, _ bottom: String) -> LayerDescription {
        LayerDescription(name, .convolution(.init(outputs: 4, kernel: 3, padding: 1)), bottom: bottom)
    }

    @Test func validNetsPass() throws {
        try FCN.description(.fcn8s).validate()
        try VGG.description().validate()
        try AlexNet.description().validate()
    }

    @Test func structuralErrors() {
        #expect(throws: NetworkError.duplicateLayerName("a")) {
            try NetworkDescription(name: "t", layers: [conv("a", "data"), conv("a", "a")]).validate()
        }
        #expect(throws: NetworkError.undefinedBottom(layer: "b", bottom: "later")) {
            try NetworkDescription(name: "t", layers: [conv("b", "later"), conv("later", "data")]).validate()
        }
        #expect(throws: NetworkError.redefinedBlob(layer: "b", blob: "a")) {
            try NetworkDescription(name: "t", layers: [conv("a", "data"), LayerDescription("b", .convolution(.init(outputs: 4, kernel: 1)), bottom: "a", top: "a")]).validate()
        }
        #expect(throws: NetworkError.wrongBottomCount(layer: "c", expected: "2", got: 1)) {
            try NetworkDescription(name: "t", layers: [LayerDescription("c", .crop(CropParameters()), bottom: "data")]).validate()
        }
        #expect(throws: NetworkError.duplicateInput("data")) {
            try NetworkDescription(name: "t", inputs: ["data", "data"], layers: []).validate()
        }
        #expect(throws: NetworkError.noInputs(network: "t")) { try NetworkDescription(name: "t", inputs: [], layers: []).validate() }
    }

    @Test func parameterErrors() {
        #expect(throws: NetworkError.invalidParameter(layer: "g", problem: "6 outputs do not split into 4 groups")) {
            try NetworkDescription(name: "t", layers: [LayerDescription("g", .convolution(.init(outputs: 6, kernel: 1, groups: 4)), bottom: "data")]).validate()
        }
        #expect(throws: NetworkError.self) {
            try NetworkDescription(name: "t", layers: [LayerDescription("d", .dropout(ratio: 1), bottom: "data")]).validate()
        }
        #expect(throws: NetworkError.invalidParameter(layer: "s", problem: "1 coefficients for 2 bottoms")) {
            try NetworkDescription(name: "t", layers: [LayerDescription("s", .sum(coefficients: [1]), bottoms: ["data", "data"])]).validate()
        }
        #expect(throws: NetworkError.self) {
            try NetworkDescription(name: "t", layers: [LayerDescription("p", .maxPooling(.init(kernel: 2, stride: 2, padding: 2)), bottom: "data")]).validate()
        }
    }

    /// Names and shapes as pytorch-fcn has them; fixed bilinear kernels listed but not learnable.
    @Test func fcn8sParameterShapes() throws {
        let p = try FCN.description(.fcn8s).parameterShapes(inputChannels: 3)
        let byName = Dictionary(uniqueKeysWithValues: p.map { ($0.name, $0) })
        #expect(p.first == ParameterShape(name: "conv1_1.weight", shape: [64, 3, 3, 3], learnable: true))
        #expect(byName["fc6.weight"]?.shape == [4096, 512, 7, 7])
        #expect(byName["fc7.weight"]?.shape == [4096, 4096, 1, 1])
        #expect(byName["score_fr.bias"]?.shape == [21])
        #expect(byName["score_pool3.weight"]?.shape == [21, 256, 1, 1])
        #expect(byName["upscore8.weight"] == ParameterShape(name: "upscore8.weight", shape: [21, 21, 16, 16], learnable: false))
        #expect(byName["upscore8.bias"] == nil)
        // 13 convs + fc6 + fc7 + 3 score layers, each weight and bias, + 3 upsampling weights.
        #expect(p.count == 2 * 18 + 3)
    }

    @Test func alexNetGroupsHalveTheFilterDepth() throws {
        let p = try FCN.alexNet().parameterShapes(inputChannels: 3)
        let byName = Dictionary(uniqueKeysWithValues: p.map { ($0.name, $0.shape) })
        #expect(byName["conv2.weight"] == [256, 48, 5, 5])
        #expect(byName["conv4.weight"] == [384, 192, 3, 3])
        #expect(byName["fc6.weight"] == [4096, 256, 6, 6])
        #expect(byName["upscore.weight"] == [21, 21, 63, 63])
    }

    /// A classifier's fc6 needs the spatial size; with it, fc6 is [4096, 25088].
    @Test func linearNeedsSpatialSize() throws {
        #expect(throws: NetworkError.needsSpatialSize(layer: "fc6")) { try VGG.description().parameterShapes(inputChannels: 3) }
        let p = try VGG.description().parameterShapes(inputShape: [1, 3, 224, 224])
        #expect(p.first { $0.name == "fc6.weight" }?.shape == [4096, 512 * 7 * 7])
        #expect(p.first { $0.name == "fc8.weight" }?.shape == [1000, 4096])
    }
}

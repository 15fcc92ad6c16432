// LayerDefinitionTests.swift — every layer kind has one definition, and what the definitions
// say adds up to the numbers the library printed before they existed (multiply-adds, Caffe
// types, the figures' summaries).
import Testing
@testable import FCN

@Suite struct LayerDefinitionTests {
    /// One layer of every kind, with its bottoms (the switch below fails to compile when a case
    /// is added without an example here).
    static let examples: [LayerDescription] = [
        LayerDescription("conv", .convolution(.init(outputs: 64, kernel: 3, padding: 1)), bottom: "data"),
        LayerDescription("up", .transposedConvolution(.init(outputs: 21, kernel: 4, stride: 2)), bottom: "data"),
        LayerDescription("pool", .maxPooling(.init(kernel: 2, stride: 2)), bottom: "data"),
        LayerDescription("relu", .relu, bottom: "data", top: "data"),
        LayerDescription("drop", .dropout(ratio: 0.5), bottom: "data", top: "data"),
        LayerDescription("norm", .localResponseNormalization(.init()), bottom: "data"),
        LayerDescription("crop", .crop(.init(offset: 19)), bottoms: ["data", "label"]),
        LayerDescription("fuse", .sum(coefficients: [1, 1]), bottoms: ["data", "data"]),
        LayerDescription("fuse_max", .max, bottoms: ["data", "data"]),
        LayerDescription("fc", .linear(.init(outputs: 10)), bottom: "data"),
        LayerDescription("loss", .softmaxCrossEntropy(.init()), bottoms: ["data", "label"]),
    ]

    /// The name of a kind's case, by an exhaustive switch (no `default`): a new case must be named here.
    static func caseName(_ kind: LayerKind) -> String {
        switch kind {
        case .convolution: "convolution"
        case .transposedConvolution: "transposedConvolution"
        case .maxPooling: "maxPooling"
        case .relu: "relu"
        case .dropout: "dropout"
        case .localResponseNormalization: "localResponseNormalization"
        case .crop: "crop"
        case .sum: "sum"
        case .max: "max"
        case .linear: "linear"
        case .softmaxCrossEntropy: "softmaxCrossEntropy"
        }
    }

    /// Every case has an example, and every example's definition answers for it: its Caffe type,
    /// its bottom count and in-place rule, and a valid description passes its checks.
    @Test func everyKindHasADefinition() throws {
        #expect(Set(Self.examples.map { Self.caseName($0.kind) }).count == 11)
        let expected: [String: (type: String, bottoms: Int?, inPlace: Bool)] = [
            "conv": ("Convolution", 1, false), "up": ("Deconvolution", 1, false), "pool": ("Pooling", 1, false),
            "relu": ("ReLU", 1, true), "drop": ("Dropout", 1, true), "norm": ("LRN", 1, false),
            "crop": ("Crop", 2, false), "fuse": ("Eltwise", nil, false), "fuse_max": ("Eltwise", nil, false),
            "fc": ("InnerProduct", 1, false), "loss": ("SoftmaxWithLoss", 2, false),
        ]
        for layer in Self.examples {
            let definition = layer.kind.definition
            let e = try #require(expected[layer.name])
            #expect(definition.caffeType == e.type && layer.kind.caffeType == e.type, "\(layer.name)")
            #expect(definition.bottomCount == e.bottoms, "\(layer.name)")
            #expect(definition.allowsInPlace == e.inPlace, "\(layer.name)")
            try definition.validate(layer)
        }
        #expect(LayerKind.sum(coefficients: [0.01]).caffeType == "Scale")
    }

    /// The summaries the figures print (Fig. 3's head boxes, Fig. 2's surgery rows).
    @Test func summaries() throws {
        let fcn8s = try FCN.description(.fcn8s)
        let shapes = try fcn8s.inferShapes(input: [1, 3, 500, 500])
        let summary = { (name: String) in try fcn8s.layer(named: name).summary(in: shapes) }
        #expect(try summary("score_fr") == "1×1 conv → 21")
        #expect(try summary("upscore2") == "×2 up (k 4)")
        #expect(try summary("score_pool4c") == "crop +5")
        #expect(try summary("fuse_pool4") == "sum")
        #expect(try summary("pool1") == "Pooling")
        #expect(try VGG.description().layer(named: "fc6").summary() == "linear → 4096")
        #expect(LayerDescription("m", .max, bottoms: ["a", "b"]).summary() == "max")
        #expect(LayerDescription("s", .sum(coefficients: [0.01]), bottoms: ["a"]).summary() == "× 0.01")
    }

    /// FCN-8s (VGG16) on 500×500: the definitions' multiply-adds equal the per-layer formulas
    /// the course counted with before (`FCNCourse/MultiplyAdds.swift`, written out again here
    /// as an independent witness), layer by layer and in total.
    @Test func multiplyAddsOfFCN8sMatchTheCourseFormulas() throws {
        let net = try FCN.description(.fcn8s)
        let input = [1, 3, 500, 500]
        let shapes = try net.inferShapes(input: input)
        var expected: [LayerCost] = []
        for layer in net.layers {
            let x = shapes.blobs[layer.bottoms[0]]!, y = shapes.layerOutputs[layer.name]!
            switch layer.kind {
            case .convolution(let p):
                expected.append(LayerCost(layer: layer.name, multiplyAdds: y.reduce(1, *) * (x[1] / p.groups) * p.kernel.height * p.kernel.width))
            case .transposedConvolution(let p):
                expected.append(LayerCost(layer: layer.name, multiplyAdds: x.reduce(1, *) * (p.outputs / p.groups) * p.kernel.height * p.kernel.width))
            case .linear(let p):
                expected.append(LayerCost(layer: layer.name, multiplyAdds: x.reduce(1, *) * p.outputs))
            default:
                continue
            }
        }
        let costs = try net.multiplyAdds(inputShape: input)
        #expect(costs == expected)
        #expect(costs.map(\.multiplyAdds).reduce(0, +) == 181_529_034_048)       // ≈ 181.5 G
    }
}

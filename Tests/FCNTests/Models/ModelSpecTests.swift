// ModelSpecTests.swift — one vocabulary for "which network": a spec builds the same nets as the
// builders, survives a round trip through weights metadata, is recognised from the tensors of
// files that do not carry it (shipped, Berkeley-shaped, narrow), and the overrides mean the
// same everywhere. Also the tiny VGG-mini's geometry, whose FCN-16s could not be built.
import FCNTraining
import Foundation
import Testing
@testable import FCN

@Suite struct ModelSpecTests {
    /// Name → shape of every parameter of `spec`'s network, without allocating any weight.
    func shapes(_ spec: ModelSpec) throws -> [String: [Int]] {
        let d = try spec.description()
        let p = try spec.classifierInputShape.map { try d.parameterShapes(inputShape: $0) } ?? d.parameterShapes(inputChannels: 3)
        return Dictionary(uniqueKeysWithValues: p.map { ($0.name, $0.shape) })
    }

    @Test func specsBuildTheBuildersNets() throws {
        #expect(try ModelSpec.fcn8s.description() == FCN.description(.fcn8s))
        #expect(try ModelSpec.fcn8sAtOnce.description() == FCN.description(.fcn8sAtOnce))
        #expect(try ModelSpec.fcnAlexNet.description() == FCN.alexNet())
        #expect(try ModelSpec.vgg16.description() == VGG.description())
        #expect(try ModelSpec.alexNet.description() == AlexNet.description())
        #expect(try ModelSpec.vggMini(.fcn16s).description() == VGGMini.standard.fcn(.fcn16s))
        #expect(try ModelSpec.vggMini(.classifier).description() == VGGMini.standard.classifier())
        #expect(try ModelSpec.vggMini(.fcn8s).description().name == "VGG-mini-FCN-8s")
        for stage in TrainingStage.allCases {
            #expect(try stage.description(.standard) == stage.spec(.standard).description(), "\(stage)")
        }
        #expect(ModelSpec.fcn8s.classes == 21 && ModelSpec.fcn8s.classNames[15] == "person")
        #expect(ModelSpec.vggMini(.fcn8s).classNames == ShapeClass.allCases.map(\.name))
        #expect(ModelSpec.vggMini(.classifier).classes == 6 && ModelSpec.vgg16.classes == 1000)
        #expect(ModelSpec.fcn8s.palette[1] == LabelColor(red: 128, green: 0, blue: 0))
        #expect(throws: FCNBuildError.missingSkip(backbone: "AlexNet", head: .fcn16s, tap: "pool4")) {
            try ModelSpec(backbone: .alexNet, head: .fcn16s).description()
        }
        #expect(throws: FCNBuildError.notFullyConvolutional(backbone: "VGG16")) { try FCN.description(.classifier) }
    }

    @Test func specRoundTripsThroughMetadata() throws {
        let specs: [ModelSpec] = [.fcn8s, .fcnAlexNet, .vgg16, .vggMini(.fcn8sAtOnce), .vggMini(.classifier, .tiny),
                                  ModelSpec(backbone: .vggMini(.standard), head: .fcn16s, classes: 3, classNames: ["a", "b", "c"])]
        for spec in specs {
            let metadata = [ModelSpec.metadataKey: spec.metadataJSON]
            #expect(try ModelSpec(metadata: metadata, file: "w.safetensors") == spec)
            #expect(spec.metadataJSON == spec.metadataJSON)                          // sorted keys: stable bytes
        }
        #expect(try ModelSpec(metadata: ["other": "x"], file: "w.safetensors") == nil)
        // A spec from a file is checked before anything is built: no trap on four widths.
        let fourWidths = ModelSpec.vggMini(.fcn8s).metadataJSON.replacingOccurrences(of: "[8,16,32,64,64]", with: "[8,16,32,64]")
        #expect(fourWidths != ModelSpec.vggMini(.fcn8s).metadataJSON)
        for bad in [fourWidths, "{}", "not json", ModelSpec.fcn8s.metadataJSON.replacingOccurrences(of: "\"classes\":21", with: "\"classes\":20")] {
            let message = errorMessage { _ = try ModelSpec(metadata: [ModelSpec.metadataKey: bad], file: "bad.safetensors") }
            #expect(message?.contains("bad.safetensors") == true && message?.contains("fcn.model") == true, "\(message ?? "no error")")
        }
    }

    @Test func publishedNetsAreRecognisedFromTheirTensorShapes() throws {
        for spec in [ModelSpec.fcn32s, .fcn16s, .fcn8s, .fcnAlexNet, .vgg16, .alexNet, .vggMini(.fcn8s), .vggMini(.classifier),
                     .vggMini(.fcn16s, .tiny), ModelSpec.fcn8s.with(classes: 60)] {
            #expect(try ModelSpec.recognize(shapes: shapes(spec), file: "w") == spec, "\(spec.name)")
        }
        // fc6 in the classifier's fully connected form [4096, 25088] is still VGG16 (7×7 over 512 channels).
        var fullyConnected = try shapes(.fcn32s)
        fullyConnected["fc6.weight"] = [4096, 512 * 7 * 7]
        #expect(try ModelSpec.recognize(shapes: fullyConnected, file: "w") == .fcn32s)
        // Caffe's at-once file has Scale blobs; the shapes alone make FCN-8s.
        let caffe = try PretrainedWeights.readTensors(modelFixture("tiny_fcn8s_atonce.caffemodel"))
        let atOnce = try ModelSpec.recognize(shapes: caffe.mapValues(\.shape), file: "a.caffemodel")
        #expect(atOnce.head == .fcn8sAtOnce && atOnce.classes == 5)
        guard case .vggMini(let narrow) = atOnce.backbone else { Issue.record("not VGG-mini: \(atOnce.backbone)"); return }
        #expect(narrow.widths == [4, 4, 6, 6, 8] && narrow.convolutionsPerBlock == VGG.vgg16Depths && narrow.fc6Kernel == 7)
        // Failures name the file and what is missing.
        let none = errorMessage { _ = try ModelSpec.recognize(shapes: ["conv1_1.weight": [8, 3, 3, 3]], file: "odd.safetensors") }
        #expect(none?.contains("odd.safetensors") == true && none?.contains("score_fr.weight") == true)
        var fourBlocks = try shapes(.vggMini(.fcn32s))
        fourBlocks = fourBlocks.filter { !$0.key.hasPrefix("conv5_") }
        let blocks = errorMessage { _ = try ModelSpec.recognize(shapes: fourBlocks, file: "four.safetensors") }
        #expect(blocks?.contains("four.safetensors") == true && blocks?.contains("4 VGG convolution blocks") == true)
    }

    /// The shipped files as they are (stage and sizes as separate metadata keys) load through
    /// the one loader, and their tensors alone are recognised as the same nets — except
    /// at-once, which only the metadata can tell from FCN-8s.
    @Test func shippedFilesLoadAsTheyAre() throws {
        for stage in EmbeddedModels.available {
            let model = try EmbeddedModels.model(stage)
            #expect(model.spec == stage.spec(.standard) && model.provenance == .trainingMetadata, "\(stage)")
            #expect(model.network.parameters == (try EmbeddedModels.network(stage)).parameters)
            let fromShapes = try ModelSpec.recognize(shapes: model.network.parameters.mapValues(\.shape), file: "x")
            #expect(fromShapes == (stage == .fcn8sAtOnce ? ModelSpec.vggMini(.fcn8s) : stage.spec(.standard)), "\(stage)")
        }
    }

    @Test func overridesMeanTheSameEverywhere() throws {
        let atOnce = try ModelSpec.Overrides(arch: "fcn8s-atonce", backbone: nil, classes: nil)
        #expect(try atOnce.applied(to: .fcn8s, file: "w") == .fcn8sAtOnce)
        #expect(try ModelSpec.Overrides(arch: "fcn-alexnet", backbone: nil, classes: 2).spec() == ModelSpec.fcnAlexNet.with(classes: 2))
        #expect(try ModelSpec.Overrides(arch: "vgg16", backbone: nil, classes: nil).spec() == .vgg16)
        #expect(try ModelSpec.Overrides(arch: nil, backbone: "vgg-mini", classes: nil).spec() == .vggMini(.fcn8s))
        // `--backbone vgg-mini` keeps a recognised VGG-mini's own widths.
        let tiny = ModelSpec.vggMini(.fcn16s, .tiny)
        #expect(try ModelSpec.Overrides(arch: "fcn16s", backbone: "vgg-mini", classes: nil).applied(to: tiny, file: "w") == tiny)
        let names: [(String?, String?, Int?, String)] = [
            ("fcn9s", nil, nil, "--arch: unknown value 'fcn9s'"), (nil, "resnet", nil, "--backbone: unknown value 'resnet'"),
            ("fcn-alexnet", "vgg16", nil, "--arch fcn-alexnet is on alexnet, but --backbone is vgg16"), (nil, nil, 0, "--classes must be at least 1"),
        ]
        for (arch, backbone, classes, expected) in names {
            let message = errorMessage { _ = try ModelSpec.Overrides(arch: arch, backbone: backbone, classes: classes) }
            #expect(message?.contains(expected) == true, "\(message ?? "no error")")
        }
        let mismatch = errorMessage { _ = try ModelSpec.Overrides(classes: 21).applied(to: .vggMini(.fcn8s), file: "w.safetensors") }
        #expect(mismatch == "w.safetensors: the weights score 7 classes, but --classes is 21")
    }

    @Test func loaderReadsNarrowUnannotatedWeightsAndConvertRecordsTheSpec() throws {
        let scratch = ScratchFolder(); defer { scratch.cleanUp() }
        let plain = try LoadedModel.load(from: modelFixture("tiny_fcn8s.safetensors"))
        #expect(plain.spec.head == .fcn8s && plain.spec.classes == 5 && plain.provenance == .tensorShapes)
        let x = try NPY.read(contentsOf: modelFixture("tiny_fcn8s_input.npy"))
        let golden = try NPY.read(contentsOf: modelFixture("tiny_fcn8s_logits.npy"))
        #expect(try plain.network.forward(x).relativeDifference(to: golden) <= 1e-4)
        // The caffemodel through the same loader, then converted: the output says what it is.
        let caffe = try LoadedModel.load(from: modelFixture("tiny_fcn8s_atonce.caffemodel"))
        #expect(caffe.spec.head == .fcn8sAtOnce)
        let out = scratch.file("atonce.safetensors")
        let written = try PretrainedWeights.convert(modelFixture("tiny_fcn8s_atonce.caffemodel"), to: out)
        let reloaded = try LoadedModel.load(from: out)
        #expect(reloaded.spec == written && reloaded.spec == caffe.spec && reloaded.provenance == .metadata)
        #expect(try reloaded.network.forward(x) == caffe.network.forward(x))
        // A head the file cannot have is an error naming the file.
        let message = errorMessage { _ = try LoadedModel.load(from: out, overriding: .init(backbone: .alexNet)) }
        #expect(message?.contains(out.path) == true, "\(message ?? "no error")")
    }

    /// The tiny model had a 32×32 classifier input, so a 1×1 fc6: its stride-32 scores then sit
    /// 48 px earlier than with a 4×4 fc6 and score_pool4c's crop offset is −1 — `fcn train
    /// --tiny` died at FCN-16s for every scene size. With the standard 112×112 input every head fits.
    @Test func tinyHeadsFitEverySize() throws {
        #expect(VGGMini.tiny.fc6Kernel == VGGMini.standard.fc6Kernel)
        for head in ModelSpec.Head.fcnHeads {
            let d = try ModelSpec.vggMini(head, .tiny).description()
            for side in [1, 16, 31, 64] {
                let s = try d.inferShapes(input: [1, 3, side, side + 3])
                #expect(s["score"] == [1, 7, side, side + 3], "\(head) at \(side)")
                #expect(s.cropOffsets.values.allSatisfy { $0.height >= 0 && $0.width >= 0 })
            }
        }
        var old = VGGMini.tiny
        old.classifierInputSize = 32
        let message = errorMessage { _ = try old.fcn(.fcn16s).inferShapes(input: [1, 3, 16, 16]) }
        #expect(message?.contains("score_pool4c") == true && message?.contains("-1") == true, "\(message ?? "no error")")
    }

    /// A trained stage's weights file records its spec, so the loader needs no options.
    @Test func trainedWeightsSayWhatTheyAre() throws {
        let folder = ScratchFolder(); defer { folder.cleanUp() }
        var p = TrainingPipeline(folder: folder.url, seed: 2)
        p.model = .tiny; p.sceneSize = 16; p.trainingScenes = 2; p.classificationExamples = 2; p.showsProgress = false
        for stage in TrainingStage.allCases { p.steps[stage] = 1 }
        p.hyperparameters[.classifier] = StageHyperparameters(learningRate: 0.01, momentum: 0.9, batchSize: 1, averagesLoss: true)
        for stage in [TrainingStage.classifier, .fcn32s, .fcn16s] {
            #expect(try p.run(stage, resume: false, shouldStop: { false }) == .finished)
            let model = try LoadedModel.load(from: p.weightsURL(stage))
            #expect(model.spec == stage.spec(.tiny) && model.provenance == .metadata, "\(stage)")
        }
    }
}

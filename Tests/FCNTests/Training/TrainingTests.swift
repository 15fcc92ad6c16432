// TrainingTests.swift — the staged trainer on a tiny VGG-mini: determinism, bit-identical
// resumption, learning, stage initialisation (net surgery, zero-initialised skips) and
// atomic checkpoints. Small shapes only: 16×16 scenes, 2-channel layers, a few steps.
import FCNTraining
import Foundation
import Testing
@testable import FCN

@Suite struct TrainingTests {
    /// A pipeline on the tiny model in a scratch folder.
    static func tinyPipeline(_ folder: ScratchFolder, seed: UInt64 = 3, steps: Int = 4) -> TrainingPipeline {
        var p = TrainingPipeline(folder: folder.url, seed: seed)
        p.model = .tiny
        p.sceneSize = 16
        p.trainingScenes = 5
        p.classificationExamples = 6
        p.checkpointEvery = 2
        p.showsProgress = false
        for stage in TrainingStage.allCases { p.steps[stage] = steps }
        p.hyperparameters[.classifier] = StageHyperparameters(learningRate: 0.01, momentum: 0.9, batchSize: 2, averagesLoss: true)
        return p
    }

    @Test func sameSeedSameParameters() throws {
        func train() throws -> [String: Tensor] {
            var t = try StageTrainer(stage: .classifier, model: .tiny, seed: 5, sceneSize: 16, steps: 3,
                                     hyperparameters: StageHyperparameters(learningRate: 0.01, momentum: 0.9, batchSize: 2, averagesLoss: true),
                                     datasetSize: 4, parent: nil)
            for _ in 0..<3 { try t.advance() }
            return t.network.parameters
        }
        let a = try train(), b = try train()
        #expect(a == b)
        // And a different seed gives different weights.
        var other = try StageTrainer(stage: .classifier, model: .tiny, seed: 6, sceneSize: 16, steps: 1,
                                     hyperparameters: .defaults(for: .classifier, sceneSize: 16), datasetSize: 8, parent: nil)
        try other.advance()
        #expect(other.network.parameters != a)
    }

    /// N steps straight vs N/2, stop, resume, N/2: the same bytes in the weights files.
    @Test func resumeIsBitIdentical() throws {
        let straight = ScratchFolder(), resumed = ScratchFolder()
        defer { straight.cleanUp(); resumed.cleanUp() }
        let a = Self.tinyPipeline(straight), b = Self.tinyPipeline(resumed)
        for stage in [TrainingStage.classifier, .fcn32s] {
            #expect(try a.run(stage, resume: false, shouldStop: { false }) == .finished)
            var polls = 0
            let outcome = try b.run(stage, resume: false, shouldStop: { polls += 1; return polls > 2 })
            #expect(outcome == .interrupted(step: 2))
            #expect(FileManager.default.fileExists(atPath: b.checkpointURL(stage).path))
            #expect(try b.run(stage, resume: true, shouldStop: { false }) == .finished)
            let x = try Data(contentsOf: a.weightsURL(stage)), y = try Data(contentsOf: b.weightsURL(stage))
            #expect(x == y, "\(stage.rawValue): resumed weights differ from the straight run")
            #expect(try Data(contentsOf: a.historyURL(stage)) == Data(contentsOf: b.historyURL(stage)))
            // A finished stage is skipped on resume.
            #expect(try b.run(stage, resume: true, shouldStop: { false }) == .alreadyDone)
        }
        // Checkpoints and weights were written atomically: no temporary files are left.
        #expect(resumed.contents.allSatisfy { !$0.hasPrefix(".") }, "leftover files: \(resumed.contents)")
        #expect(straight.contents.allSatisfy { !$0.hasPrefix(".") }, "leftover files: \(straight.contents)")
    }

    @Test func checkpointRoundTripAndMismatchIsRefused() throws {
        let folder = ScratchFolder()
        defer { folder.cleanUp() }
        var p = Self.tinyPipeline(folder)
        #expect(try p.run(.classifier, resume: false, shouldStop: { true }) == .interrupted(step: 0))
        let c = try Checkpoint(contentsOf: p.checkpointURL(.classifier))
        #expect(c.stage == .classifier && c.step == 0 && c.seed == 3 && c.model == .tiny)
        p.seed = 4
        #expect(throws: CheckpointError.self) { try p.run(.classifier, resume: true, shouldStop: { false }) }
    }

    /// One scene, many steps: the summed per-pixel loss must fall.
    @Test func lossDecreasesWhenOverfittingOneScene() throws {
        var t = try StageTrainer(stage: .fcn32s, model: .tiny, seed: 1, sceneSize: 16, steps: 40,
                                 hyperparameters: StageHyperparameters(learningRate: 1e-3, momentum: 0.9),
                                 datasetSize: 1, parent: nil)
        var losses: [Double] = []
        for _ in 0..<40 { losses.append(try t.advance().loss) }
        let first = losses.prefix(5).reduce(0, +) / 5, last = losses.suffix(5).reduce(0, +) / 5
        #expect(last < 0.8 * first, "loss went from \(first) to \(last)")
    }

    @Test func fcn16sStartsAsFCN32sWithAZeroSkip() throws {
        let model = VGGMini.tiny
        var rng = SeededRandom(seed: 9)
        let d32 = try model.fcn(.fcn32s), d16 = try model.fcn(.fcn16s)
        let p32 = try Network.initialParameters(for: d32, inputShape: [1, 3, 16, 16], using: &rng)
            .mapValues { Tensor(randomNormal: $0.shape, using: &rng) }              // "trained": nothing is zero
        let start = try TrainingStage.fcn16s.initialParameters(d16, inputShape: [1, 3, 16, 16], model: model, parent: p32, using: &rng)
        let shared = Set(p32.keys).intersection(start.parameters.keys)
        #expect(start.inherited == shared)
        for name in shared { #expect(start.parameters[name] == p32[name], "\(name) not copied") }
        #expect(start.parameters["score_pool4.weight"]!.maxAbsolute() == 0)
        #expect(start.parameters["score_pool4.bias"]!.maxAbsolute() == 0)
        #expect(shared.contains("score_fr.weight") && shared.contains("fc6.weight"))
    }

    /// From the classifier: net surgery reshapes fc6/fc7, fc8 is discarded, score_fr starts at zero.
    @Test func fcnFromClassifierByNetSurgery() throws {
        let model = VGGMini.standard
        var rng = SeededRandom(seed: 2)
        let classifier = try Network.initialParameters(for: model.classifier(), inputShape: [1, 3, model.classifierInputSize, model.classifierInputSize], using: &rng)
        let d = try model.fcn(.fcn32s)
        let start = try TrainingStage.fcn32s.initialParameters(d, inputShape: [1, 3, 64, 64], model: model, parent: classifier, using: &rng)
        #expect(start.parameters["fc6.weight"]!.shape == [128, 64, model.fc6Kernel, model.fc6Kernel])
        #expect(start.parameters["fc6.weight"]!.scalars == classifier["fc6.weight"]!.scalars)
        #expect(start.parameters["fc8.weight"] == nil && !start.inherited.contains("fc8.weight"))
        #expect(start.parameters["score_fr.weight"]!.maxAbsolute() == 0)
        #expect(start.inherited.contains("conv5_2.weight") && start.inherited.contains("fc7.bias"))
    }

    /// The skip crops of FCN-16s/8s fit on VGG-mini for any scene size (fc6 must shrink the map).
    @Test func vggMiniHeadsFitEverySize() throws {
        #expect(VGGMini.standard.fc6Kernel == 4)
        for variant in ModelSpec.Head.fcnHeads {
            let d = try VGGMini.standard.fcn(variant)
            for side in [1, 31, 64, 97, 128, 200] {
                let shapes = try d.inferShapes(input: [1, 3, side, side + 3])
                #expect(shapes["score"] == [1, 7, side, side + 3], "\(variant) at \(side)")
            }
        }
    }

    @Test func fixedStageTrainsOnlyTheScoreLayer() throws {
        let d = try VGGMini.tiny.fcn(.fcn32s)
        let rules = TrainingStage.fcn32sFixed.rules(for: try d.parameterShapes(inputChannels: 3))
        #expect(rules["score_fr.weight"] == .weight && rules["score_fr.bias"] == .bias)
        #expect(rules["conv2_1.weight"] == .frozen && rules["fc7.bias"] == .frozen && rules["upscore.weight"] == .frozen)
        let all = TrainingStage.fcn32s.rules(for: try d.parameterShapes(inputChannels: 3))
        #expect(all["conv2_1.weight"] == .weight && all["upscore.weight"] == .frozen)
        #expect(all["conv1_1.weight"] == TrainingStage.rawPixelRule)
    }
}

@Suite struct EmbeddedModelsTests {
    /// Shipped stages load into their nets and the FCNs give a score map of the input's size;
    /// a stage that is not shipped is a clear error, not a crash.
    @Test func shippedModelsLoadAndRunOrAreClearlyMissing() throws {
        let scene = SyntheticData.validationWorld(sceneSize: 48).scene(0)
        for stage in TrainingStage.segmentationStages {
            if EmbeddedModels.available.contains(stage) {
                let net = try EmbeddedModels.network(stage)
                let scores = try net.forward(SyntheticData.input(scene))
                #expect(scores.shape == [1, VGGMini.segmentationClasses, 48, 48], "\(stage.rawValue)")
                #expect(scores.isFinite)
            } else {
                #expect(throws: EmbeddedModelError.self) { try EmbeddedModels.network(stage) }
            }
        }
    }

    /// The shipped nets segment, and skip fusion helps: on 24 validation scenes (not the 200 of
    /// Table 2, to stay quick) FCN-8s beats FCN-32s by a clear margin in mean IU, and FCN-32s
    /// beats predicting background everywhere (mean IU = background IU / 7 ≈ 0.12).
    @Test(.enabled(if: EmbeddedModels.available.contains(.fcn8s) && EmbeddedModels.available.contains(.fcn32s)))
    func shippedFCN8sSegmentsBetterThanFCN32s() throws {
        let world = SyntheticData.validationWorld(sceneSize: 128)
        let scenes = (0..<24).map { world.scene($0) }
        func meanIU(_ stage: TrainingStage) throws -> Double {
            try SegmentationEvaluation.evaluate(EmbeddedModels.network(stage), classes: VGGMini.segmentationClasses,
                                                count: scenes.count) { scenes[$0] }.scores.meanIU
        }
        let iu8 = try meanIU(.fcn8s), iu32 = try meanIU(.fcn32s)
        #expect(iu32 > 0.2, "FCN-32s mean IU \(iu32)")
        #expect(iu8 > iu32 + 0.05, "FCN-8s \(iu8) vs FCN-32s \(iu32)")
    }
}

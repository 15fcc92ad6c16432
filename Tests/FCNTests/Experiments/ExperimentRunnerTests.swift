// ExperimentRunnerTests.swift — an experiment trains every arm for every seed from one shared
// base run, saves each arm's result as it finishes, and a second run reuses them.
import Foundation
import FCNTraining
import Testing
@testable import FCN
@testable import FCNTraining

@Suite struct ExperimentRunnerTests {
    func tinyRunner(_ folder: URL) -> ExperimentRunner {
        var r = ExperimentRunner(folder: folder, seeds: [1, 2])
        r.model = .tiny; r.sceneSize = 16; r.trainingScenes = 8; r.validationCount = 2; r.curveEvery = 2; r.curveScenes = 1
        r.steps = r.steps.mapValues { _ in 3 }
        r.showsProgress = false; r.heldOutPerCell = 0
        return r
    }

    @Test func everyArmAndSeedOnceAndResumable() throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "experiment-test-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let runner = tinyRunner(folder)
        let e = Experiment.named("sampling")!
        let first = try runner.run(e)
        #expect(first.rows.map(\.key) == e.arms.map(\.key))
        #expect(first.rows.allSatisfy { $0.outcomes.map(\.seed) == [1, 2] })
        // p = 0.25 takes 4 images per step: more training time per step than whole images.
        let p1 = first.rows.first { $0.key == "p1" }!, p4 = first.rows.first { $0.key == "p0.25" }!
        #expect(p1.outcomes.allSatisfy { !$0.curve.isEmpty && $0.steps == 2 })           // length ½ of 3 steps, rounded
        #expect(p4.outcomes[0].curve.last!.step == p4.outcomes[0].steps)
        for seed in [1, 2] as [UInt64] {
            #expect(FileManager.default.fileExists(atPath: runner.basePipeline(seed: seed).weightsURL(.classifier).path))
            for arm in e.arms { #expect(FileManager.default.fileExists(atPath: runner.resultURL(e, arm, seed: seed).path)) }
        }
        // A second run trains nothing: it reads the saved outcomes (an interrupted run continues).
        let again = try runner.run(e, shouldStop: { Issue.record("the second run trained"); return true })
        #expect(again.rows.map { $0.outcomes.map(\.meanIU) } == first.rows.map { $0.outcomes.map(\.meanIU) })
        let decoded = try JSONDecoder().decode(ExperimentResult.self, from: try first.json())
        #expect(decoded.rows.count == e.arms.count && decoded.paper == e.paper)
        #expect(first.table.contains("p = 0.25") && first.table.contains("spread"))
    }

    /// An FCN continued as the same FCN ("FCN-32s, longer") starts from its weights, not from
    /// net surgery on them.
    @Test func continuingAStageStartsFromItsWeights() throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "experiment-test-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        var runner = tinyRunner(folder)
        runner.seeds = [3]
        runner.validationCount = 1
        let base = runner.basePipeline(seed: 3)
        for s in [TrainingStage.classifier, .fcn32s] { _ = try base.run(s, resume: true) }
        let arm = Experiment.named("table2")!.arms.first { $0.key == "fcn32s-longer" }!
        #expect(arm.steps.map(\.parent) == [.base(.fcn32s)])
        let outcome = try runner.train(arm, seed: 3, base: base, curves: false, shouldStop: { false })
        #expect(outcome.steps == 2)                                         // half of FCN-32s's 3 steps, rounded
        var trainer = try StageTrainer(stage: .fcn32s, model: .tiny, seed: 3, sceneSize: 16, steps: 1,
                                       hyperparameters: .defaults(for: .fcn32s, sceneSize: 16), datasetSize: 8, parent: nil)
        let weights = try PretrainedWeights.readTensors(base.weightsURL(.fcn32s))
        try trainer.start(from: weights)
        #expect(trainer.network.parameters["fc6.weight"] == weights["fc6.weight"])
        #expect(trainer.network.parameters["score_fr.weight"] == weights["score_fr.weight"])
    }

    /// Arms train on the runner's world unless they say otherwise (only the drawing experiment
    /// does): an arm fine-tuned on another world than its base and validation scenes measures that
    /// mismatch, not the paper's control.
    @Test func armsTrainOnTheRunnersWorld() {
        for e in Experiment.all where e.name != "drawing" {
            #expect(e.arms.allSatisfy { $0.steps.allSatisfy { $0.drawing == nil } }, "\(e.name)")
        }
        #expect(Experiment.named("drawing")!.arms.map { $0.steps[0].drawing } == [.varied, .classic])
    }

    @Test func unknownExperimentIsNamed() {
        #expect(Experiment.named("tabel2") == nil)
        #expect(ExperimentError.unknown("tabel2").description.contains("table2"))
    }
}

// FineTuningDepth.swift — Chapter 9's exercise on how much of FCN's accuracy comes from
// fine-tuning the whole net (CVPR 2015 §4.3 "Fine-tuning": "Fine-tuning the output classifier
// alone yields only 70% of the full fine-tuning performance as compared in Table 2"; Table 2's
// FCN-32s-fixed row, 45.4 against 59.4 mean IU, is 76 % of it).
//
// Two arms from the same shipped classifier, the same seed, steps and rate (StageTrainer):
// FCN-32s, every layer learning, and FCN-32s-fixed, only score_fr learning.
import FCN
import FCNTraining

/// The paper's two numbers for the ratio: the sentence's 70 % and Table 2's 45.4 / 59.4.
enum QuotedFineTuning {
    static let statedShare = 0.70
    static let table2 = (fixed: 45.4, full: 59.4)          // CVPR 2015 Table 2, mean IU
}

/// Mean IU on the chapter's scenes of FCN-32s (all layers) and FCN-32s-fixed (score_fr only),
/// trained `steps` steps each from the shipped classifier; with `steps` 0, the shipped models.
func fineTuningDepth(steps: Int, setup: Chapter09Setup, world: SceneGenerator) throws -> (all: Double, last: Double) {
    let scores = try [TrainingStage.fcn32s, .fcn32sFixed].map { stage -> Double in
        let net: Network
        if steps == 0 {
            net = try EmbeddedModels.network(stage)
        } else {
            var trainer = try StageTrainer(stage: stage, model: .standard, seed: 1, sceneSize: setup.sceneSize, steps: steps,
                                           hyperparameters: .defaults(for: stage, sceneSize: setup.sceneSize), datasetSize: 2000,
                                           parent: EmbeddedModels.parameters(.classifier))
            while trainer.step < trainer.steps { try trainer.advance() }
            net = trainer.network
        }
        return try SegmentationEvaluation.evaluate(net, classes: ShapeClass.count, count: setup.validationScenes) { world.scene($0) }.scores.meanIU
    }
    return (scores[0], scores[1])
}

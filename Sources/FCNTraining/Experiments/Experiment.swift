// Experiment.swift — the paper's §4 experiments as data: what is compared, what the paper
// found (quoted, with its section), and how each arm is trained.
//
// An experiment is a handful of arms trained from the same starting point and scored on the
// same held-out scenes. The starting point — the classifier and, for the skip experiments,
// FCN-32s or FCN-16s — is trained once per seed with the paper's choices (the "base" run) and
// shared by every arm and every experiment, as the paper's controls all start from one
// ImageNet classifier. Each arm then trains its own stages; only its scores are kept.
//
// Every arm runs for ≥ 2 seeds: a difference smaller than the spread between seeds is noise,
// and the result says so (`ExperimentResult.Row.spread`).

import FCN
import FCNCore

/// One of the paper's §4 experiments in miniature.
///
/// ```swift
/// let e = Experiment.named("fusion")!
/// e.arms.map(\.name)          // ["FCN-16s (sum)", "FCN-16s (max)", …]
/// ```
public struct Experiment: Sendable {
    /// One trained stage of an arm.
    public struct Step: Sendable {
        /// The stage trained.
        public var stage: TrainingStage
        /// Where its weights start: a stage of the base run, or the arm's previous step.
        public var parent: Parent
        /// Steps, as a multiple of the schedule's steps for `stage` (1: as long as the base run's).
        public var length: Double = 1
        /// The paper's choices or a control.
        public var variant: TrainingVariant = .paper
        /// Base learning rate as a multiple of the stage's default.
        public var rateFactor: Float = 1
        /// Images per step (the base run: 1).
        public var batchSize: Int = 1
        /// Training scenes per epoch as a multiple of the schedule's.
        public var dataFactor: Double = 1
        /// How the training scenes are drawn (`nil`: as the runner's base run and validation scenes).
        public var drawing: SceneGenerator.Drawing? = nil

        /// Where a step's weights come from.
        public enum Parent: Sendable, Equatable {
            /// The base run's weights of this stage (its net surgery applied when it is the classifier).
            case base(TrainingStage)
            /// The arm's previous step.
            case previous
        }
    }

    /// One row of the experiment's table.
    public struct Arm: Sendable {
        /// A short key, used in file names ("fcn16s-max").
        public var key: String
        /// The row's name ("FCN-16s, max fusion").
        public var name: String
        /// The stages it trains, in order; the last one is scored.
        public var steps: [Step]
    }

    /// The command's name for it ("table2").
    public var name: String
    /// A title for the table and figure.
    public var title: String
    /// What the paper reports, quoted, with its section (CVPR 2015 unless labelled).
    public var paper: String
    /// The base stages the arms start from (trained once per seed, shared).
    public var base: [TrainingStage]
    /// The rows.
    public var arms: [Arm]
    /// Whether the result keeps each arm's loss curve against steps and seconds (Fig. 5).
    public var keepsCurves = false
}

extension Experiment {
    /// Every experiment, in the order of the paper's text.
    public static let all: [Experiment] = [table2, fusion, atOnceScales, sampling, trainingChoices, drawing]

    /// The experiment called `name`, or `nil`.
    public static func named(_ name: String) -> Experiment? { all.first { $0.name == name } }

    private static func step(_ stage: TrainingStage, from parent: Step.Parent, _ change: (inout Step) -> Void = { _ in }) -> Step {
        var s = Step(stage: stage, parent: parent)
        change(&s)
        return s
    }

    /// Table 2 and the controls of §4.2.
    static let table2 = Experiment(
        name: "table2", title: "Table 2 in miniature, with the controls of §4.2",
        paper: "CVPR 2015 Table 2 (VOC 2011 val subset, mean IU): FCN-32s-fixed 45.4, FCN-32s 59.4, FCN-16s 62.4, FCN-8s 62.7. "
            + "§4.2: \"We compared this fusion with learning only from the pool4 layer (which resulted in poor performance), and simply "
            + "decreasing the learning rate without adding the extra link (which results in an insignificant performance improvement, "
            + "without improving the quality of the output).\" §4.3: \"Fine-tuning the output classifier alone yields only 70% of the full "
            + "fine-tuning performance.\"",
        base: [.classifier, .fcn32s],
        arms: [
            Arm(key: "fcn32s-fixed", name: "FCN-32s-fixed (score layer only)", steps: [step(.fcn32sFixed, from: .base(.classifier))]),
            Arm(key: "fcn32s", name: "FCN-32s", steps: [step(.fcn32s, from: .base(.classifier))]),
            Arm(key: "fcn32s-longer", name: "FCN-32s + as long as 16s, lowered rate, no skip",
                steps: [step(.fcn32s, from: .base(.fcn32s)) { $0.rateFactor = 0.25; $0.length = 0.5 }]),
            Arm(key: "fcn16s-pool4-only", name: "FCN-16s from pool4 only",
                steps: [step(.fcn16s, from: .base(.fcn32s)) { $0.variant.fusion = .finestOnly }]),
            Arm(key: "fcn16s", name: "FCN-16s", steps: [step(.fcn16s, from: .base(.fcn32s))]),
            Arm(key: "fcn8s", name: "FCN-8s", steps: [step(.fcn16s, from: .base(.fcn32s)), step(.fcn8s, from: .previous)]),
        ])

    /// Footnote 6: sum against max fusion.
    static let fusion = Experiment(
        name: "fusion", title: "Sum or max fusion of the skips (footnote 6)",
        paper: "CVPR 2015 §4.2, footnote 6: \"Max fusion made learning difficult due to gradient switching.\" (No number given.)",
        base: [.classifier, .fcn32s],
        arms: [
            Arm(key: "fcn16s-sum", name: "FCN-16s, sum", steps: [step(.fcn16s, from: .base(.fcn32s))]),
            Arm(key: "fcn16s-max", name: "FCN-16s, max", steps: [step(.fcn16s, from: .base(.fcn32s)) { $0.variant.fusion = .max }]),
            Arm(key: "fcn8s-sum", name: "FCN-8s, sum", steps: [step(.fcn16s, from: .base(.fcn32s)), step(.fcn8s, from: .previous)]),
            Arm(key: "fcn8s-max", name: "FCN-8s, max",
                steps: [step(.fcn16s, from: .base(.fcn32s)) { $0.variant.fusion = .max }, step(.fcn8s, from: .previous) { $0.variant.fusion = .max }]),
        ])

    /// The at-once net's skip scales.
    static let atOnceScales = Experiment(
        name: "at-once-scales", title: "FCN-8s at once: the paper's skip scales and others",
        paper: "PAMI 2016 §4.2: FCN-8s \"at-once\" trains all streams together, scaling pool4 by 0.01 and pool3 by 0.0001 "
            + "(Berkeley's voc-fcn8s-atonce), and finds it about as accurate as the staged net. Why those scales suit VGG16's large "
            + "pool3/pool4 activations, and whether they suit this net's, is the question here.",
        base: [.classifier],
        arms: [
            Arm(key: "paper-scales", name: "at once, scales 0.01 / 0.0001", steps: [step(.fcn8sAtOnce, from: .base(.classifier))]),
            Arm(key: "unit-scales", name: "at once, scales 1 / 1",
                steps: [step(.fcn8sAtOnce, from: .base(.classifier)) { $0.variant.atOnceScales = [1, 1] }]),
            Arm(key: "mid-scales", name: "at once, scales 0.1 / 0.01",
                steps: [step(.fcn8sAtOnce, from: .base(.classifier)) { $0.variant.atOnceScales = [0.1, 0.01] }]),
        ])

    /// Fig. 5: loss sampling.
    static let sampling = Experiment(
        name: "sampling", title: "Fig. 5: whole images against sampled loss (p cells kept, 1/p images per step)",
        paper: "CVPR 2015 §4.3 \"Patch Sampling\", Fig. 5: \"sampling does not have a significant effect on convergence rate compared to "
            + "whole image training, but takes significantly more time due to the larger number of images that need to be considered per batch.\"",
        base: [.classifier],
        arms: [
            Arm(key: "p1", name: "whole images (p = 1, 1 image/step)", steps: [step(.fcn32s, from: .base(.classifier)) { $0.length = 0.5 }]),
            Arm(key: "p0.5", name: "p = 0.5, 2 images/step",
                steps: [step(.fcn32s, from: .base(.classifier)) { $0.length = 0.5; $0.variant.lossSampling = 0.5; $0.batchSize = 2 }]),
            Arm(key: "p0.25", name: "p = 0.25, 4 images/step",
                steps: [step(.fcn32s, from: .base(.classifier)) { $0.length = 0.5; $0.variant.lossSampling = 0.25; $0.batchSize = 4 }]),
        ],
        keepsCurves: true)

    /// The other choices of §4.3.
    static let trainingChoices = Experiment(
        name: "training-choices", title: "§4.3's choices, one at a time, on FCN-16s from FCN-32s",
        paper: "CVPR 2015 §4.3: zero-initialised score layers (\"random initialization … neither better performance nor faster convergence\"); "
            + "\"we find class balancing unnecessary\"; intermediate upsampling \"initialized to bilinear … and then learned\" (Berkeley's nets fix it); "
            + "mirroring and jittering \"yielded no noticeable improvement\"; 8498 instead of 1112 training images: +3.4 mean IU (59.4).",
        base: [.classifier, .fcn32s],
        arms: [
            Arm(key: "paper", name: "the paper's choices", steps: [step(.fcn16s, from: .base(.fcn32s))]),
            Arm(key: "random-score", name: "random score_pool4 init", steps: [step(.fcn16s, from: .base(.fcn32s)) { $0.variant.randomScoreInit = true }]),
            Arm(key: "balanced", name: "class-balanced loss", steps: [step(.fcn16s, from: .base(.fcn32s)) { $0.variant.classBalancing = true }]),
            Arm(key: "learned-upsampling", name: "upscore2 learned", steps: [step(.fcn16s, from: .base(.fcn32s)) { $0.variant.learnedUpsampling = true }]),
            Arm(key: "augmented", name: "mirror + 32 px jitter", steps: [step(.fcn16s, from: .base(.fcn32s)) { $0.variant.augmentation = true }]),
            Arm(key: "data-quarter", name: "¼ of the training scenes", steps: [step(.fcn16s, from: .base(.fcn32s)) { $0.dataFactor = 0.25 }]),
        ])

    /// Not in the paper: how the training world is drawn, scored on the independent world.
    static let drawing = Experiment(
        name: "drawing", title: "Trained on one way of drawing or many (scored on the same validation scenes)",
        paper: "Not a paper experiment. PAMI 2016 §5 shows FCNs transfer across datasets (NYUDv2, SIFT Flow, PASCAL-Context) when "
            + "trained on each; here the question is the reverse: what a net learns when every training image is drawn one way.",
        base: [.classifier],
        arms: [
            Arm(key: "varied", name: "FCN-32s, varied drawing", steps: [step(.fcn32s, from: .base(.classifier)) { $0.drawing = .varied }]),
            Arm(key: "classic", name: "FCN-32s, classic drawing only", steps: [step(.fcn32s, from: .base(.classifier)) { $0.drawing = .classic }]),
        ])
}

// TrainingData.swift — the synthetic stand-ins for ImageNet and PASCAL VOC, as tensors
// (paper §4: classifier pretraining on ImageNet, then segmentation training on VOC).
//
// Three disjoint streams of the synthetic world (`SceneGenerator`):
//   - classification examples (the "ImageNet stage"), world seed = the training seed;
//   - training scenes, world seed = the training seed + 1 000 003;
//   - validation scenes, world seed ``SyntheticData/validationSeed``, never used for training
//     (training seeds must stay below it, see ``SyntheticData/init(seed:sceneSize:exampleSize:)``).
// Every scene is a pure function of (world seed, index), so nothing is cached or stored.
//
// Dimension letters: N batch, H×W the image, S the classifier input side.

import FCN
import FCNCore

/// Training and validation data drawn from the synthetic shapes world.
///
/// ```swift
/// let data = SyntheticData(seed: 1, sceneSize: 64, exampleSize: 64)
/// let (x, t) = data.trainingScene(17)              // [1, 3, 64, 64], [1, 1, 64, 64]
/// let v = data.validationScene(0)                  // a LabeledScene of the held-out set
/// ```
public struct SyntheticData: Sendable {
    /// The world seed of the validation scenes; training seeds must be smaller.
    public static let validationSeed: UInt64 = 0xFCE0_0000
    /// The world offset of the training scenes from the classification examples (a prime).
    static let sceneWorldOffset: UInt64 = 1_000_003

    /// The seed of the synthetic world.
    public let seed: UInt64
    /// The side of a training scene, in pixels.
    public let sceneSize: Int
    /// The side of a classification example, in pixels.
    public let exampleSize: Int
    /// How the training scenes, examples and validation scenes are drawn.
    public var drawing: SceneGenerator.Drawing = .classic

    /// Training data from `seed`.
    public init(seed: UInt64, sceneSize: Int, exampleSize: Int) {
        precondition(seed < Self.validationSeed - Self.sceneWorldOffset, "SyntheticData: training seed \(seed) would overlap the validation world")
        self.seed = seed; self.sceneSize = sceneSize; self.exampleSize = exampleSize
    }

    /// The generator of the validation scenes of side `sceneSize`, drawn the `drawing` way.
    public static func validationWorld(sceneSize: Int, drawing: SceneGenerator.Drawing = .classic) -> SceneGenerator {
        SceneGenerator(seed: validationSeed, width: sceneSize, height: sceneSize, drawing: drawing)
    }

    /// Validation scene `index` (the held-out set is scenes 0..<count of this world).
    public func validationScene(_ index: Int) -> LabeledScene {
        Self.validationWorld(sceneSize: sceneSize, drawing: drawing).scene(index)
    }

    /// Training scene `index` as the network input `[1, 3, H, W]` and labels `[1, 1, H, W]`.
    public func trainingScene(_ index: Int) -> (input: Tensor, labels: Tensor) {
        let world = SceneGenerator(seed: seed + Self.sceneWorldOffset, width: sceneSize, height: sceneSize, drawing: drawing)
        let scene = world.scene(index)
        return (Self.input(scene), Self.labels(scene))
    }

    /// Classification examples `indices`, each pasted in the middle of an S×S canvas of the
    /// mean colour: input `[N, 3, S, S]`, labels `[N, 1, 1, 1]` (shape raw value − 1).
    public func classificationBatch(_ indices: [Int], inputSize: Int) -> (input: Tensor, labels: Tensor) {
        let world = SceneGenerator(seed: seed, width: exampleSize, height: exampleSize, drawing: drawing)
        let e = exampleSize, offset = (inputSize - exampleSize) / 2
        var x = Tensor(zeros: [indices.count, 3, inputSize, inputSize])   // [N, 3, S, S], 0 = the mean colour
        var labels: [Float] = []
        for (n, index) in indices.enumerated() {
            let (scene, label) = world.classificationExample(index)
            let example = Self.input(scene)                                // [1, 3, e, e]
            for c in 0..<3 {
                for h in 0..<e {
                    let source = (c * e + h) * e
                    let target = ((n * 3 + c) * inputSize + offset + h) * inputSize + offset
                    for w in 0..<e { x.scalars[target + w] = example.scalars[source + w] }
                }
            }
            labels.append(Float(label.rawValue - 1))
        }
        return (x, Tensor(shape: [indices.count, 1, 1, 1], scalars: labels))
    }

    /// A scene's pixels as Caffe's input `[1, 3, H, W]` (BGR, mean subtracted).
    public static func input(_ scene: LabeledScene) -> Tensor {
        scene.image.caffeInput()
    }

    /// A scene's labels as the loss expects them, `[1, 1, H, W]` (255 = void, ignored).
    public static func labels(_ scene: LabeledScene) -> Tensor {
        Tensor(shape: [1, 1, scene.height, scene.width], scalars: scene.labels.map(Float.init))
    }
}

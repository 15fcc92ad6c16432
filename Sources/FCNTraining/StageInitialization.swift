// StageInitialization.swift — where each stage's weights start (paper §3.1 net surgery, §4.1
// "initialize … from the classifier", §4.2 "initialized with the parameters of the last,
// coarser net" and "zero-initialized" new score layers).
//
// A stage's parameters are built in three layers, each overriding the one before:
//   1. fresh values for every tensor of the stage's net (`Network.initialParameters`: He normal
//      for convolutions, zero biases and score layers, the bilinear kernel for upsampling);
//   2. for the classifier, three changes that keep a small net trainable from scratch:
//      - conv1_1's weights scaled by 1/64: Caffe's inputs are raw pixel values minus the mean
//        (±128), not unit-scale, and He's rule assumes unit-scale inputs;
//      - fc8 at zero, like FCN's score layers: the first loss is exactly log K. With random
//        fc8 weights the first losses are larger, and the quickest way down is to switch
//        fc6/fc7 off (negative biases) — after which no gradient reaches them again and the
//        net predicts the class frequencies forever (we saw exactly this);
//      - fc6 and fc7 biases at 0.1, AlexNet's remedy "to accelerate the early stages of
//        learning by providing the ReLUs with positive inputs" (Krizhevsky et al. 2012, §5);
//   3. every tensor of the parent stage whose name the new net also has, after net surgery
//      when the parent is the classifier (fc6/fc7 reshaped to convolutions, fc8 discarded:
//      "we decapitate each net by discarding the final classifier layer", §4.1).
// So FCN-16s inherits everything of FCN-32s, and only score_pool4 starts anew — at zero, so
// that FCN-16s starts out computing exactly what FCN-32s computed.

import FCN
import FCNCore

/// How a stage's parameters were initialised.
public struct StageInitialization: Sendable {
    /// Every parameter of the stage's net.
    public var parameters: [String: Tensor]
    /// The names taken from the parent stage.
    public var inherited: Set<String>
}

extension TrainingStage {
    /// The stage's starting parameters for `description` on input `inputShape`, from `parent`
    /// (the parent stage's trained parameters; `nil` for the classifier).
    ///
    /// - Parameters:
    ///   - description: the stage's network.
    ///   - inputShape: an input the network accepts.
    ///   - parent: the parent stage's trained parameters, or `nil` for the classifier.
    ///   - model: the VGG-mini sizes (for net surgery on the classifier).
    ///   - rng: draws fresh weights for the tensors not inherited.
    /// - Throws: `ParameterError` when a parent tensor has the name but not the shape of a new one.
    public func initialParameters(_ description: NetworkDescription, inputShape: [Int], model: VGGMini,
                                  parent: [String: Tensor]?, using rng: inout SeededRandom) throws -> StageInitialization {
        var parameters = try Network.initialParameters(for: description, inputShape: inputShape, using: &rng)
        if self == .classifier, let w = parameters["conv1_1.weight"] {
            parameters["conv1_1.weight"] = (1 / 64) * w
            if let fc8 = parameters["fc8.weight"] { parameters["fc8.weight"] = Tensor(zeros: fc8.shape) }
            for name in ["fc6.bias", "fc7.bias"] {
                if let b = parameters[name] { parameters[name] = Tensor(repeating: 0.1, shape: b.shape) }
            }
        }
        guard var parent else { return StageInitialization(parameters: parameters, inherited: []) }
        if self.parent == .classifier {
            // Net surgery: the classifier's fully connected weights as convolutions.
            let classifierShape = [1, 3, model.classifierInputSize, model.classifierInputSize]
            let convolutional = try NetSurgery.convolutionalized(model.classifier(), inputShape: classifierShape)
            parent = try NetSurgery.convolutionalParameters(parent, convolutionalized: convolutional)
            parent["fc8.weight"] = nil; parent["fc8.bias"] = nil
        }
        var inherited: Set<String> = []
        for (name, tensor) in parent {
            guard let fresh = parameters[name] else { continue }
            guard fresh.shape == tensor.shape else {
                throw ParameterError.shapeMismatch(name: name, expected: fresh.shape, found: tensor.shape)
            }
            parameters[name] = tensor
            inherited.insert(name)
        }
        return StageInitialization(parameters: parameters, inherited: inherited)
    }
}

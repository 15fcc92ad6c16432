// Network+Initialization.swift — the numbers a network starts from before it learns.
//
// Three rules, each from the paper or its code:
// - Convolutions and fully connected layers: Gaussian with standard deviation √(2 / fan-in)
//   (He et al. 2015, "MSRA" in Caffe), so activations keep their scale through a deep stack of
//   ReLUs; biases start at zero.
// - Score layers (`score_fr`, `score_pool4`, `score_pool3`, any layer named `score…`): zero.
//   Berkeley's nets zero-initialise them (§4.2: "new parameters … initialized to zero"), so a
//   freshly added skip starts by changing nothing and learns its contribution.
// - Upsampling (transposed convolution): bilinear interpolation, one filter per class on the
//   diagonal (§3.3: "we initialize the 2× upsampling to bilinear interpolation").

import FCNCore

extension Network {
    /// Initial parameters for `description` following the rules above.
    ///
    /// - Parameters:
    ///   - description: the network to initialise.
    ///   - inputShape: an input the network accepts (fully connected layers need the spatial size).
    ///   - rng: the source of randomness; the same seed gives the same parameters.
    public static func initialParameters(for description: NetworkDescription, inputShape: [Int] = [1, 3, 224, 224],
                                         using rng: inout SeededRandom) throws -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        // Channels suffice unless a fully connected layer needs the spatial size too.
        let shapes = description.hasFullyConnectedLayers
            ? try description.parameterShapes(inputShape: inputShape)
            : try description.parameterShapes(inputChannels: inputShape[1])
        for p in shapes {
            let layer = String(p.name.dropLast(p.name.hasSuffix(".weight") ? 7 : 5))
            let definition = try description.layer(named: layer).kind.definition
            if p.name.hasSuffix(".bias") || layer.hasPrefix("score") {
                result[p.name] = Tensor(zeros: p.shape)
            } else {
                result[p.name] = definition.initialWeight(shape: p.shape, using: &rng)   // He, or bilinear for upsampling
            }
        }
        return result
    }
}

extension LayerDefinition {
    /// He et al.'s Gaussian: standard deviation √(2 / fan-in), fan-in = the product of the
    /// weight's dimensions after the first.
    func initialWeight(shape: [Int], using rng: inout SeededRandom) -> Tensor {
        let fanIn = shape.dropFirst().reduce(1, *)
        return Tensor(randomNormal: shape, standardDeviation: (2 / Float(fanIn)).squareRoot(), using: &rng)
    }
}

// TinyDecoder.swift — Chapter 9's U-Net-style decoder (Ronneberger et al., 2015) on the same
// VGG-mini trunk as FCN-8s, built from the engine's layers, trained here and measured with the
// chapter's boundary bands.
//
// U-Net's decoder step: upsample the coarse features 2×, crop the encoder's features at that
// stride to them ("copy and crop"), CONCATENATE the two along channels, and apply a 3×3
// convolution (and ReLU). The engine has no concatenation layer, and none is needed: a
// convolution is linear in its input channels, so with W = [W_skip | W_up] split along them
//
//     conv(concat(skip, up); W, b) = conv(skip; W_skip, b) + conv(up; W_up, 0)
//
// exactly. One step is therefore Convolution + Convolution + Sum + ReLU; the upsampling is a
// fixed bilinear TransposedConvolution and the copy is a Crop, as in FCN-8s's skips.
//
// FCN-8s's skips are 1×1 score layers: each stride contributes K class scores, linearly. The
// decoder carries D feature channels and mixes 3×3 neighbourhoods of both streams through a
// nonlinearity before any class is scored. To compare the heads and nothing else, both are
// trained the same way here: on FCN-8s's trained trunk, frozen (conv1_1 … fc7), for the same
// steps at the same rate, from the same start (fresh decoder layers; FCN-8s's three score
// layers from zero, as the paper initialises them).
//
// Dimension letters: K classes, D decoder channels, H×W the scene.
import FCN
import FCNCore
import FCNCourse
import FCNTraining

/// The U-Net-style decoder on VGG-mini: fc7 → 1×1 conv to D (dec5) → step with pool4 (dec4,
/// stride 16) → step with pool3 (dec3, stride 8) → 1×1 score_dec → fixed bilinear ×8 → crop.
func tinyDecoder(_ mini: VGGMini = .standard, width D: Int, classes K: Int = VGGMini.segmentationClasses) -> NetworkDescription {
    let trunk = mini.backbone()
    var layers = trunk.layers
    func conv(_ name: String, _ bottom: String, outputs: Int, kernel: Int, bias: Bool = true) {
        layers.append(LayerDescription(name, .convolution(.init(outputs: outputs, kernel: Size2(kernel), padding: Padding(kernel / 2), bias: bias)), bottom: bottom))
    }
    /// One decoder step: 2× upsampling of `coarse`, `skip` cropped to it, conv3×3 of each, summed, ReLU.
    func step(_ name: String, coarse: String, skip: String) {
        layers.append(LayerDescription("\(name)_up", .transposedConvolution(.init(outputs: D, kernel: 4, stride: 2)), bottom: coarse))
        layers.append(LayerDescription("\(name)_copy", .crop(CropParameters()), bottoms: [skip, "\(name)_up"]))
        conv("\(name)_skip", "\(name)_copy", outputs: D, kernel: 3)                       // W_skip, and the bias
        conv("\(name)_coarse", "\(name)_up", outputs: D, kernel: 3, bias: false)          // W_up
        layers.append(LayerDescription(name, .sum(coefficients: [1, 1]), bottoms: ["\(name)_skip", "\(name)_coarse"]))
        layers.append(LayerDescription("\(name)_relu", .relu, bottom: name, top: name))
    }
    conv("dec5", trunk.features, outputs: D, kernel: 1)
    layers.append(LayerDescription("dec5_relu", .relu, bottom: "dec5", top: "dec5"))
    step("dec4", coarse: "dec5", skip: trunk.pool4!)
    step("dec3", coarse: "dec4", skip: trunk.pool3!)
    conv("score_dec", "dec3", outputs: K, kernel: 1)
    layers.append(LayerDescription("upscore8", .transposedConvolution(.init(outputs: K, kernel: Size2(16), stride: Size2(8))), bottom: "score_dec"))
    layers.append(LayerDescription("score", .crop(CropParameters()), bottoms: ["upscore8", "data"]))
    return NetworkDescription(name: "VGG-mini U-Net-style decoder", inputs: ["data"], layers: layers)
}

/// What the decoder experiment measured.
struct DecoderRun {
    var names: [String]                // the retrained FCN-8s head, the decoder
    var networks: [Network]
    var learnedParameters: [Int]       // scalars that learned, per net
    var firstLoss: [Double], lastLoss: [Double]   // mean over the first / last tenth of the steps
}

/// Trains the decoder and FCN-8s's own head on FCN-8s's frozen trunk, `steps` each.
func trainHeads(steps: Int, width: Int, sceneSize: Int, seed: UInt64 = 9) throws -> DecoderRun {
    let shipped = try EmbeddedModels.parameters(.fcn8s)
    let trunk = Set(shipped.keys.filter { !$0.hasPrefix("score_") && !$0.hasPrefix("upscore") })   // conv1_1 … fc7
    let data = SyntheticData(seed: seed, sceneSize: sceneSize, exampleSize: VGGMini.standard.exampleSize)
    let rate = StageHyperparameters.defaults(for: .fcn32s, sceneSize: sceneSize)            // fresh layers: FCN-32s's rate
    var names: [String] = [], networks: [Network] = [], learned: [Int] = [], first: [Double] = [], last: [Double] = []
    for (name, description) in [("FCN-8s head, retrained", try VGGMini.standard.fcn(.fcn8s)),
                                ("U-Net-style decoder", tinyDecoder(width: width))] {
        var rng = SeededRandom(seed: seed)
        var start = try Network.initialParameters(for: description, inputShape: [1, 3, sceneSize, sceneSize], using: &rng)
        for name in trunk { start[name] = shipped[name] }
        for (p, w) in start where p.hasSuffix("_up.weight") { start[p] = bilinearUpsamplingWeight(channels: w.shape[0], factor: 2) }
        let learning = Set(start.keys.filter { ($0.hasPrefix("score_") || $0.hasPrefix("dec")) && !$0.hasSuffix("_up.weight") })
        var tuner = try FineTuner(network: Network(description, parameters: start), learning: learning, hyperparameters: rate, data: data)
        for _ in 0..<steps { try tuner.advance() }
        let tenth = max(1, steps / 10), losses = tuner.history.map(\.loss)
        names.append(name); networks.append(tuner.network)
        learned.append(learning.map { start[$0]!.count }.reduce(0, +))
        first.append(losses.prefix(tenth).reduce(0, +) / Double(tenth)); last.append(losses.suffix(tenth).reduce(0, +) / Double(tenth))
    }
    return DecoderRun(names: names, networks: networks, learnedParameters: learned, firstLoss: first, lastLoss: last)
}

/// The identity the decoder rests on, on random tensors: a 3×3 convolution of the channel
/// concatenation of `a` [1, Ca, H, W] and `b` [1, Cb, H, W] against the sum of two convolutions
/// with the weight split along its input channels. Returns max |difference| and max |value|.
func concatenationIdentity(channels: (Int, Int) = (5, 3), outputs: Int = 4, side: Int = 9, seed: UInt64 = 9) -> (difference: Float, scale: Float) {
    var rng = SeededRandom(seed: seed)
    let (ca, cb) = channels
    let a = Tensor(randomNormal: [1, ca, side, side], standardDeviation: 1, using: &rng)
    let b = Tensor(randomNormal: [1, cb, side, side], standardDeviation: 1, using: &rng)
    let w = Tensor(randomNormal: [outputs, ca + cb, 3, 3], standardDeviation: 1, using: &rng)   // [O, Ca+Cb, 3, 3]
    let bias = Tensor(randomNormal: [outputs], standardDeviation: 1, using: &rng)
    let ab = Tensor(shape: [1, ca + cb, side, side]) { i in i[1] < ca ? a[0, i[1], i[2], i[3]] : b[0, i[1] - ca, i[2], i[3]] }
    let wa = Tensor(shape: [outputs, ca, 3, 3]) { i in w[i[0], i[1], i[2], i[3]] }
    let wb = Tensor(shape: [outputs, cb, 3, 3]) { i in w[i[0], ca + i[1], i[2], i[3]] }
    let concatenated = Convolution(weight: w, bias: bias, padding: 1).referenceForward(ab)     // U-Net: concat, then conv
    var summed = Convolution(weight: wa, bias: bias, padding: 1).referenceForward(a)          // ours: conv + conv
    summed.add(Convolution(weight: wb, bias: nil, padding: 1).referenceForward(b))
    let difference = zip(concatenated.scalars, summed.scalars).map { abs($0 - $1) }.max()!
    return (difference, concatenated.scalars.map(abs).max()!)
}

// ModelSpec+Recognition.swift — which network a weights file holds when it does not say
// (Berkeley's .caffemodel files, pytorch-fcn's safetensors, files written before specs were
// recorded), read from the tensors it contains.
//
// The layer names are Caffe's, so the tensors tell the architecture (CVPR §4.1–4.2):
//   head      score_fr absent, fc8 present   → the classifier (before net surgery)
//             scale_pool4 / scale_pool3       → FCN-8s at once (Caffe `Scale` layers; PAMI §4.2)
//             score_pool3                     → FCN-8s;   score_pool4 → FCN-16s;   else FCN-32s
//   backbone  conv1 (not conv1_1)             → AlexNet
//             conv<b>_<i> widths and depths, fc6's width and kernel
//                                             → VGG16 (64…512, 2-2-3-3-3, 4096, 7×7) or VGG-mini
//   classes   score_fr's outputs (fc8's for a classifier)
// What the tensors cannot tell: FCN-8s at once without Caffe's Scale blobs (pytorch-fcn's
// at-once file looks like FCN-8s; pass `--arch fcn8s-atonce`), and VGG-mini's dropout (no
// weights; it does nothing at inference). Files written by `fcn train` before specs were
// recorded carry the stage and VGG-mini sizes as separate metadata keys; those are read too.

extension ModelSpec {
    /// The spec recorded by `fcn train` before specs were stored whole (the shipped models):
    /// keys `stage`, `widths`, `convolutions_per_block`, `fully_connected`,
    /// `classifier_input_size`, `dropout`. `nil` when they are not all there and sensible.
    static func trainingRunSpec(_ m: [String: String]) -> ModelSpec? {
        func ints(_ key: String) -> [Int]? {
            guard let parts = m[key]?.split(separator: ","), !parts.isEmpty else { return nil }
            let values = parts.compactMap { Int($0) }
            return values.count == parts.count && values.allSatisfy({ $0 >= 1 && $0 <= 1 << 16 }) ? values : nil
        }
        guard let stage = m["stage"].flatMap(TrainingStage.init(rawValue:)),
              let widths = ints("widths"), let depths = ints("convolutions_per_block"), widths.count == 5, depths.count == 5,
              let fc = ints("fully_connected")?.first, let input = ints("classifier_input_size")?.first,
              let dropout = m["dropout"].flatMap(Float.init), dropout >= 0 && dropout < 1 else { return nil }
        var model = VGGMini(widths: widths, convolutionsPerBlock: depths, fullyConnected: fc,
                            classifierInputSize: input, exampleSize: input, dropout: dropout)
        model = VGGMini.presets.first { $0.sameArchitecture(as: model) && $0.dropout == dropout } ?? model
        return stage.spec(model)
    }

    /// The spec whose layers these tensors fill (see the file comment for the rules).
    ///
    /// - Throws: ``ModelSpecError/unrecognized(file:reason:)`` naming `file` and what is missing.
    public static func recognize(shapes: [String: [Int]], file: String) throws(ModelSpecError) -> ModelSpec {
        func fail(_ reason: String) -> ModelSpecError { .unrecognized(file: file, reason: reason) }
        let names = Set(shapes.keys)
        let head: Head
        let classes: Int
        if let score = shapes["score_fr.weight"] {
            // [K, C, 1, 1] with every dimension ≥ 1: K sizes the upsampling kernels [K, K, k, k], so
            // an empty tensor declaring K = 100000 must not get that far (PretrainedWeights'
            // `classCount(scoreWeightShape:file:)` applies the same rule).
            guard score.count == 4, score.allSatisfy({ $0 >= 1 }), score[2] == 1, score[3] == 1 else {
                throw .badScoreLayer(file: file, tensor: "score_fr.weight", shape: score)
            }
            classes = score[0]
            if names.contains("scale_pool4.weight") || names.contains("scale_pool3.weight") { head = .fcn8sAtOnce }
            else if names.contains("score_pool3.weight") { head = .fcn8s }
            else if names.contains("score_pool4.weight") { head = .fcn16s }
            else { head = .fcn32s }
        } else if let fc8 = shapes["fc8.weight"] {
            guard fc8.count >= 2, fc8.allSatisfy({ $0 >= 1 }) else { throw .badScoreLayer(file: file, tensor: "fc8.weight", shape: fc8) }
            (head, classes) = (.classifier, fc8[0])
        } else {
            throw fail("no tensor 'score_fr.weight' (an FCN's scores) or 'fc8.weight' (a classifier's)")
        }

        if names.contains("conv1.weight") { return ModelSpec(backbone: .alexNet, head: head, classes: classes) }
        guard names.contains("conv1_1.weight") else { throw fail("no tensor 'conv1_1.weight' (VGG) or 'conv1.weight' (AlexNet)") }
        // VGG: block b has convolutions conv<b>_1 … conv<b>_<depth>; its width is conv<b>_1's outputs.
        var widths: [Int] = [], depths: [Int] = []
        while let w = shapes["conv\(widths.count + 1)_1.weight"]?.first {
            var depth = 1
            while names.contains("conv\(widths.count + 1)_\(depth + 1).weight") { depth += 1 }
            widths.append(w); depths.append(depth)
        }
        guard widths.allSatisfy({ $0 >= 1 }) else { throw fail("a VGG convolution has no outputs") }
        guard widths.count == 5 else { throw fail("\(widths.count) VGG convolution blocks (conv1_1 …), VGG16 and VGG-mini have five") }
        guard let fc6 = shapes["fc6.weight"], let fullyConnected = fc6.first, fullyConnected >= 1 else { throw fail("no tensor 'fc6.weight'") }
        // fc6 covers pool5: a k×k convolution [O, C, k, k], or its fully connected form [O, C·k·k].
        let kernel: Int
        switch fc6.count {
        case 4 where fc6[2] == fc6[3] && fc6[1] == widths[4]: kernel = fc6[2]
        case 2 where fc6[1] % widths[4] == 0:
            let area = fc6[1] / widths[4], side = Int(Double(area).squareRoot().rounded())
            guard side * side == area else { throw fail("fc6.weight \(fc6) is not a square kernel over pool5's \(widths[4]) channels") }
            kernel = side
        default: throw fail("fc6.weight \(fc6) does not read pool5's \(widths[4]) channels")
        }
        guard kernel >= 1 && kernel <= 1 << 10 else { throw fail("fc6's kernel \(kernel) is not sensible") }
        if widths == VGG.vgg16Widths && depths == VGG.vgg16Depths && fullyConnected == 4096 && kernel == 7 {
            return ModelSpec(backbone: .vgg16, head: head, classes: classes)
        }
        // A classifier input of 32·k gives a k×k pool5, hence fc6's kernel (see VGGMini.fc6Kernel).
        let guess = VGGMini(widths: widths, convolutionsPerBlock: depths, fullyConnected: fullyConnected,
                            classifierInputSize: 32 * kernel, exampleSize: 32 * kernel)
        let model = VGGMini.presets.first { $0.sameArchitecture(as: guess) } ?? guess
        return ModelSpec(backbone: .vggMini(model), head: head, classes: classes)
    }
}

extension VGGMini {
    /// The named sizes a recognised VGG-mini is matched against, so that a file of the shipped
    /// model is recognised as exactly ``standard``.
    static let presets: [VGGMini] = [.standard, .tiny]

    /// Same layers and weight shapes (the classifier example size and dropout have no weights).
    func sameArchitecture(as other: VGGMini) -> Bool {
        widths == other.widths && convolutionsPerBlock == other.convolutionsPerBlock
            && fullyConnected == other.fullyConnected && fc6Kernel == other.fc6Kernel
    }
}

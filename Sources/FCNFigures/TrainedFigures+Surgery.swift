// TrainedFigures+Surgery.swift — paper Fig. 2 from our trained classifier: its fully connected
// layers turned into convolutions (`NetSurgery`) and run on a scene much larger than its
// 112×112 examples, giving a coarse heatmap of one class (our "tabby cat").
//
// Paper §3.1, Fig. 2. The large scene is drawn from the validation world with objects about as
// large as the classifier's examples (their radius is 25–38 % of the example side), so each
// 32-pixel step of the score map asks the classifier the question it was trained on. The class
// shown is the object class covering most of the scene; its score is the softmax probability
// over the classifier's six shape classes at each cell.
import FCNTraining
import FCN
import Foundation

extension TrainedFigures {
    /// Fig. 2 with the heatmap: the trained VGG-mini classifier at its input size, convolutionalized
    /// on a `largeInput`² scene, and the probability map of the scene's largest object class.
    public static func netSurgery(_ models: TrainedModels, largeInput: Int = 384, sceneIndex: Int = 0) throws -> Figure {
        let classifier = models.model.classifier()
        let side = models.model.classifierInputSize
        let small = [1, 3, side, side], large = [1, 3, largeInput, largeInput]
        let convolutional = try NetSurgery.convolutionalized(classifier, inputShape: small)
        let trained = try models.network(.classifier)
        let net = try Network(convolutional, parameters: NetSurgery.convolutionalParameters(trained.parameters, convolutionalized: convolutional))

        var world = SyntheticData.validationWorld(sceneSize: largeInput)
        let example = Double(models.model.exampleSize) / Double(largeInput)
        world.radiusFraction = (0.25 * example)...(0.38 * example)
        world.objectCount = 5...8
        let scene = world.scene(sceneIndex)
        let scores = try ScoreMap(net.forward(scene.image.caffeInput()))          // [1, 6, H', W']
        let (h, w) = (scores.height, scores.width)

        // The shape class with most pixels in the scene (ties: the lower label).
        var area = [Int](repeating: 0, count: ShapeClass.count)
        for l in scene.labels where l != ShapeClass.void && l != 0 { area[Int(l)] += 1 }
        let shown = ShapeClass(rawValue: area.indices.dropFirst().max { area[$0] != area[$1] ? area[$0] < area[$1] : $0 > $1 }!)!
        let channel = shown.rawValue - 1                                            // classifier labels are shape − 1
        // Softmax over the K classes at each cell; the shown class's plane, H'·W'.
        let probabilities = Array(scores.probabilities().tensor.scalars[(channel * h * w)..<((channel + 1) * h * w)])
        guard let field = try LayerField.fields(of: convolutional, layers: [convolutional.layers.last!.name]).first else {
            throw FigureError.needsTrainedModel(figure: "net-surgery", reason: "no receptive field for the classifier's output layer")
        }
        let heatmap = SurgeryHeatmap(image: pixels(scene),
                                     scores: TensorImage(values: probabilities, height: h, width: w, range: ValueRange(0, 1)),
                                     className: shown.name, valueName: "softmax probability", field: field)
        let rows = try surgeryRows(classifier, small: small, large: large,
                                   titles: ("Trained VGG-mini classifier on \(side)×\(side): one vector of \(VGGMini.classifierClasses) scores",
                                            "Convolutionalized, on \(largeInput)×\(largeInput): a map of scores"))
        return netSurgeryFigure(classifier: rows.classifier, convolutional: rows.convolutional,
                                subtitle: try surgerySubtitle(classifier, convolutional, small: small), heatmap: heatmap)
    }

    /// The two rows of Fig. 2 for `classifier` at `small` and its convolutionalized form at `large`:
    /// pool5 and the fully connected layers with their shapes and weight shapes.
    static func surgeryRows(_ classifier: NetworkDescription, small: [Int], large: [Int],
                            titles: (String, String)) throws -> (classifier: SurgeryRow, convolutional: SurgeryRow) {
        let convolutional = try NetSurgery.convolutionalized(classifier, inputShape: small)
        let fullyConnected = classifier.layers.compactMap { l -> String? in
            if case .linear = l.kind { return l.name } else { return nil }
        }
        let convolutions = classifier.layers.filter { if case .convolution = $0.kind { true } else { false } }.count
        func row(_ net: NetworkDescription, _ input: [Int], _ title: String) throws -> SurgeryRow {
            let shapes = try net.inferShapes(input: input)
            let parameters = try net.parameterShapes(inputShape: input)
            func operation(_ layer: String) throws -> String {
                try net.layer(named: layer).summary()         // "linear → 4096", "7×7 conv → 4096"
            }
            let blocks = [LayerBlock.from(shapes, layer: "pool5", operation: "\(convolutions) conv, 5 pools")]
                + (try fullyConnected.map { LayerBlock.from(shapes, layer: $0, operation: try operation($0)) })
            let weights = fullyConnected.compactMap { l in
                parameters.first { $0.name == "\(l).weight" }.map { (layer: l, shape: "\($0.shape)") }
            }
            return SurgeryRow(title: title, inputSize: input[2], blocks: blocks, weights: weights)
        }
        return (try row(classifier, small, titles.0), try row(convolutional, large, titles.1))
    }

    /// "Same weights, reshaped …: fc6 [O, C·K·K] = … → [O, C, K, K]; no number moves."
    static func surgerySubtitle(_ classifier: NetworkDescription, _ convolutional: NetworkDescription, small: [Int]) throws -> String {
        let before = try classifier.parameterShapes(inputShape: small), after = try convolutional.parameterShapes(inputShape: small)
        guard let fc = before.first(where: { $0.shape.count == 2 }),
              let conv = after.first(where: { $0.name == fc.name }), conv.shape.count == 4 else {
            return "Same weights, reshaped (NetSurgery.convolutionalized); no number moves."
        }
        let (o, c, k) = (conv.shape[0], conv.shape[1], conv.shape[2])
        return "Same weights, reshaped (NetSurgery.convolutionalized): \(fc.name.dropLast(7)) [\(o), \(fc.shape[1])] = [\(o), \(c)·\(k)·\(k)]"
            + " → [\(o), \(c), \(k), \(k)]; no number moves."
    }
}

// InfoArchitecture.swift — `fcn info --arch …`: an architecture's per-layer table and the
// paper's Table 1 numbers (§4.1), all computed by `FCN/Network/ArchitectureAnalysis.swift`.
import ArgumentParser
import Foundation
import FCN

extension ModelSpec {
    /// The size the net is usually shown at: a classifier's training size (VGG16 224, AlexNet
    /// 227, VGG-mini its classifier input), 500 for FCNs (PASCAL's largest side).
    var defaultInputSize: (height: Int, width: Int) {
        classifierInputShape.map { (height: $0[2], width: $0[3]) } ?? (500, 500)
    }
}

/// The JSON form of the summary (`--json`).
private struct ArchitectureSummaryJSON: Encodable {
    struct Layer: Encodable {
        var name: String, type: String, top: String, outputShape: [Int]
        var stride: String?, receptiveField: String?, start: String?
        var learnableParameters: Int, fixedParameters: Int
    }
    var network: String
    var inputShape: [Int]
    var receptiveField: Int?
    var outputStride: Int?
    var parameters: Int
    var fixedParameters: Int
    var convolutionLayers: Int
    var cropOffsets: [String: [Int]]
    var convolutionalized: Bool
    var layers: [Layer]
}

/// Prints the per-layer table and the Table 1 totals (or JSON with the same facts).
func printArchitectureInfo(spec: ModelSpec, inputSize: [Int]?, json: Bool) throws {
    if let inputSize, inputSize.count != 2 {
        throw ValidationError("--input-size takes two numbers, height and width (got \(inputSize.count))")
    }
    let size = inputSize.map { (height: $0[0], width: $0[1]) } ?? spec.defaultInputSize
    var net = try spec.description()
    let training = spec.defaultInputSize
    let isClassifier = !spec.head.isFullyConvolutional
    if isClassifier && (size.height, size.width) != (training.height, training.width) {
        // A classifier's fc6 fits its training size only. On another size show what the paper
        // does (§3.1, Fig. 2): convolutionalize at the training size, then slide over the image.
        net = try NetSurgery.convolutionalized(net, inputShape: [1, 3, training.height, training.width])
        if !json { print("(fully connected layers convolutionalized at \(training.height)×\(training.width), paper §3.1)") }
    }
    let analysis = try ArchitectureAnalysis(net, inputShape: [1, 3, size.height, size.width])

    if json {
        let summary = ArchitectureSummaryJSON(
            network: analysis.network, inputShape: analysis.inputShape,
            receptiveField: analysis.receptiveField.integerValue, outputStride: analysis.outputStride.integerValue,
            parameters: analysis.learnableParameters, fixedParameters: analysis.fixedParameters,
            convolutionLayers: analysis.convolutionLayers,
            cropOffsets: analysis.cropOffsets.mapValues { [$0.height, $0.width] },
            convolutionalized: analysis.convolutionalized,
            layers: analysis.layers.map {
                .init(name: $0.name, type: $0.type, top: $0.top, outputShape: $0.outputShape,
                      stride: $0.receptiveField?.vertical.jump.description, receptiveField: $0.receptiveField?.sizeDescription,
                      start: $0.receptiveField?.vertical.start.description,
                      learnableParameters: $0.learnableParameters, fixedParameters: $0.fixedParameters)
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        print(String(decoding: try encoder.encode(summary), as: UTF8.self))
        return
    }

    print("\(analysis.network) on a \(size.height)×\(size.width) input")
    func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
    func left(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
    print(pad("layer", 15) + pad("type", 14) + left("output", 18) + left("stride", 8) + left("field", 7) + left("start", 9) + left("crop", 6) + left("parameters", 13))
    for row in analysis.layers {
        let shape = row.outputShape.dropFirst().map(String.init).joined(separator: "×")
        let rf = row.receptiveField
        let crop = analysis.cropOffsets[row.name].map { $0.description } ?? ""
        let params = row.learnableParameters > 0 ? "\(row.learnableParameters)"
            : row.fixedParameters > 0 ? "(\(row.fixedParameters) fixed)" : ""
        print(pad(row.name, 15) + pad(row.type, 14) + left(shape, 18) + left(rf?.vertical.jump.description ?? "–", 8)
              + left(rf?.sizeDescription ?? "all", 7) + left(rf?.vertical.start.description ?? "–", 9) + left(crop, 6) + left(params, 13))
    }
    print("")
    print("Table 1 (Long et al. 2015)\(analysis.convolutionalized ? ", on the convolutionalized net" : "")")
    print("  receptive field     \(analysis.receptiveField) px (at \(analysis.receptiveFieldLayer))")
    print("  output stride       \(analysis.outputStride)")
    print("  parameters          \(analysis.learnableParameters) learnable (\(String(format: "%.1f", Double(analysis.learnableParameters) / 1e6))M)"
          + (analysis.fixedParameters > 0 ? ", plus \(analysis.fixedParameters) in fixed bilinear kernels" : ""))
    print("  conv. layers        \(analysis.convolutionLayers) (learnable convolutions on the deepest path, fc layers included)")
}

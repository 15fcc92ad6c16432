// ModelTestSupport.swift — tiny FCNs for the weight-loading and segmentation tests: the real
// layer names and topology of each published architecture, with a few channels per layer.
import Foundation
@testable import FCN

/// A committed fixture in `Tests/FCNTests/Models/Fixtures/` (written by scripts/golden-fcn8s.py).
func modelFixture(_ name: String) -> URL {
    URL(filePath: #filePath).deletingLastPathComponent().appending(path: "Fixtures/\(name)")
}

/// The VGG trunk of the golden fixture: widths 4, 4, 6, 6, 8, fc6/fc7 8 wide.
let tinyVGG = VGG.backbone(widths: [4, 4, 6, 6, 8], fullyConnected: 8)

/// The five nets Berkeley published weights for, as the tests iterate them. The library names
/// them by ``ModelSpec`` (``spec``); this list is only for parameterised tests.
enum FCNArchitecture: String, CaseIterable, Sendable {
    case fcn8s, fcn16s, fcn32s
    case fcn8sAtOnce = "fcn8s-atonce"
    case fcnAlexNet = "fcn-alexnet"

    /// The published net.
    var spec: ModelSpec {
        switch self {
        case .fcn8s: .fcn8s
        case .fcn16s: .fcn16s
        case .fcn32s: .fcn32s
        case .fcn8sAtOnce: .fcn8sAtOnce
        case .fcnAlexNet: .fcnAlexNet
        }
    }

    /// The full-size net's description for `classes` classes.
    func description(classes: Int = 21) throws -> NetworkDescription { try spec.with(classes: classes).description() }
}

/// `arch` on a tiny trunk (VGG widths as above; AlexNet with 4-wide convolutions, 6-wide fc).
func tinyDescription(_ arch: FCNArchitecture, classes: Int) throws -> NetworkDescription {
    switch arch {
    case .fcn8s: return try FCN.description(.fcn8s, backbone: tinyVGG, classes: classes)
    case .fcn16s: return try FCN.description(.fcn16s, backbone: tinyVGG, classes: classes)
    case .fcn32s: return try FCN.description(.fcn32s, backbone: tinyVGG, classes: classes)
    case .fcn8sAtOnce: return try FCN.description(.fcn8sAtOnce, backbone: tinyVGG, classes: classes)
    case .fcnAlexNet:
        var backbone = AlexNet.backbone()
        for i in backbone.layers.indices {
            if case .convolution(var p) = backbone.layers[i].kind {
                p.outputs = backbone.layers[i].name.hasPrefix("conv") ? 4 : 6     // conv1–5 | fc6, fc7
                backbone.layers[i].kind = .convolution(p)
            }
        }
        return try FCN.description(.fcn32s, backbone: backbone, classes: classes)
    }
}

/// Random parameters for `description`, score layers included (the initialiser zeroes them,
/// which would make every pixel a tie).
func randomParameters(_ description: NetworkDescription, seed: UInt64) throws -> [String: Tensor] {
    var rng = SeededRandom(seed: seed)
    var parameters = try Network.initialParameters(for: description, using: &rng)
    for name in parameters.keys.sorted() where name.hasPrefix("score") {
        parameters[name] = Tensor(randomNormal: parameters[name]!.shape, standardDeviation: 0.5, using: &rng)
    }
    return parameters
}

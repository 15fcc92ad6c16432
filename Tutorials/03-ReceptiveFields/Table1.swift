// Table1.swift — Chapter 3: the paper's Table 1 in full, and its speed claims beside what this
// engine measures (CVPR 2015 §4.1 Table 1, §5 Table 3 and the abstract).
//
// The structural rows (rf size, max stride, parameters, conv. layers) are computed from the
// library's descriptions of FCN-AlexNet and FCN-VGG16 (`ArchitectureAnalysis`). What cannot be
// computed here is QUOTED and labelled: the mean IU (VOC 2011 val, from fine-tuning the real
// nets), the forward times (Caffe on an NVIDIA Tesla K40c) and the whole FCN-GoogLeNet column
// (its description is not in the library). The multiply-adds of each net on a 500×500 image are
// computed (`multiplyAdds(inputShape:)`): they, not the parameter counts, explain the times.
import FCN
import FCNCourse
import Foundation

/// CVPR 2015 Table 1, the rows this library cannot compute, quoted.
enum QuotedTable1 {
    static let source = "CVPR 2015 Table 1"
    /// Mean IU on the PASCAL VOC 2011 validation set.
    static let meanIU = (alexNet: 39.8, vgg16: 56.0, googLeNet: 42.5)
    /// Inference time for a 500×500 input on an NVIDIA Tesla K40c (averaged over 20 trials), in ms.
    static let forwardMilliseconds = (alexNet: 50.0, vgg16: 210.0, googLeNet: 59.0)
    /// FCN-GoogLeNet's structural column (22 conv. layers, 6M parameters, rf 907, stride 32).
    static let googLeNet = (convolutionLayers: 22, parameters: "6M", receptiveField: 907, stride: 32)
    /// FCN-8s on PASCAL VOC, CVPR 2015 §5 / Table 3: ~175 ms per image; SDS 50 s, so 286× overall
    /// and 114× for the convnet alone (CVPR §5); the abstract: "less than one fifth of a second".
    static let fcn8sMilliseconds = 175.0
}

/// The GPU the paper timed on (CVPR 2015 §4.3 "Implementation"), NVIDIA's Tesla K40 data: 2880
/// CUDA cores, each one fused multiply-add (2 FLOP) per clock, at a 745 MHz base clock (GPU Boost:
/// up to 875 MHz). NVIDIA quotes the base-clock product, 4.29 TFLOP/s single precision.
enum TeslaK40c {
    static let cores = 2880.0
    static let baseClockGHz = 0.745, boostClockGHz = 0.875
    /// Peak float32 rate in TFLOP/s at `clock` GHz: cores × 2 FLOP × clock.
    static func peakTFLOPs(clockGHz: Double = baseClockGHz) -> Double { cores * 2 * clockGHz / 1000 }
}

/// The multiply-adds of `description` on a `size`×`size` image.
func multiplyAdds(_ description: NetworkDescription, size: Int) throws -> Int {
    try description.multiplyAdds(inputShape: [1, 3, size, size]).map(\.multiplyAdds).reduce(0, +)
}

/// Times one forward pass of VGG16 FCN-8s with seeded random weights on a `size`×`size` image
/// (after a warm-up pass), in seconds, and its multiply-adds.
func timeVGG16FCN8s(size: Int) throws -> (seconds: Double, multiplyAdds: Int) {
    let description = try ModelSpec.fcn8s.description()
    var rng = SeededRandom(seed: 3)
    let net = try Network(description, parameters: Network.initialParameters(for: description, using: &rng))
    let x = Tensor(shape: [1, 3, size, size]) { _ in Float.random(in: -100...100, using: &rng) }
    _ = try net.forward(x)
    let clock = ContinuousClock()
    let elapsed = try clock.measure { _ = try net.forward(x) }
    return (elapsed.inSeconds, try multiplyAdds(description, size: size))
}

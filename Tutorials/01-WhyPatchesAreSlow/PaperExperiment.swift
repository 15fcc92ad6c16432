// PaperExperiment.swift — Chapter 1: the paper's own timing experiment, in its own shape
// (CVPR 2015 §3.1): AlexNet on 227×227 windows against the convolutionalized AlexNet on a
// 500×500 image, whose output is a 10×10 grid. Seeded random weights (no AlexNet weights are
// shipped): the scores mean nothing, the shapes, the arithmetic and the times are real.
//
//   "AlexNet takes 1.2 ms (on a typical GPU) to infer the classification scores of a 227×227
//    image, the fully convolutional net takes 22 ms to produce a 10×10 grid of outputs from a
//    500×500 image, which is more than 5 times faster than the naïve approach."
//
// The 100 windows of the naïve count are the grid's cells at stride 32; the last cells' windows
// would overhang a 500-px image (32·9 + 227 = 515), so the timed windows are clamped inside it —
// the same amount of work per window.
import FCN
import FCNCourse

/// What the experiment measured.
struct PaperExperiment {
    var grid: [Int]                      // the dense output's H×W (10×10 in the paper)
    var windowMilliseconds: Double       // one 227² window
    var denseMilliseconds: Double        // the whole 500² image once
    var multiplyAddRatio: Double         // 100 windows ÷ one dense pass
    var speedUp: Double { 100 * windowMilliseconds / denseMilliseconds }
}

/// The experiment's shapes and arithmetic, without running it: the dense grid on 500×500 (from
/// shape inference) and the multiply-adds of one window and of the dense pass.
func paperExperimentArithmetic() throws -> (grid: [Int], perWindow: Int, dense: Int) {
    let alexnet = AlexNet.description()
    let surgery = try NetSurgery.convolutionalized(alexnet, inputShape: [1, 3, 227, 227])
    let shapes = try surgery.inferShapes(input: [1, 3, 500, 500])
    return (Array(shapes.layerOutputs[surgery.layers.last!.name]!.suffix(2)),
            try alexnet.multiplyAdds(inputShape: [1, 3, 227, 227]).map(\.multiplyAdds).reduce(0, +),
            try surgery.multiplyAdds(inputShape: [1, 3, 500, 500]).map(\.multiplyAdds).reduce(0, +))
}

func paperExperiment(_ lesson: inout Lesson) throws -> PaperExperiment {
    var rng = SeededRandom(seed: 11)
    let alexnet = AlexNet.description()
    let parameters = try Network.initialParameters(for: alexnet, inputShape: [1, 3, 227, 227], using: &rng)
    let classifier = try Network(alexnet, parameters: parameters)
    let surgery = try NetSurgery.convolutionalized(alexnet, inputShape: [1, 3, 227, 227])
    let dense = try Network(surgery, parameters: NetSurgery.convolutionalParameters(parameters, convolutionalized: surgery))
    let image = Tensor(shape: [1, 3, 500, 500]) { _ in Float.random(in: -100...100, using: &rng) }   // [1, 3, 500, 500]
    _ = try classifier.forward(crop(image, top: 0, left: 0, size: 227))                             // warm-up passes
    let map = try dense.forward(image)                                                              // [1, 1000, 10, 10]
    let clock = ContinuousClock()
    let windows = try clock.measure {
        for i in 0..<10 { for j in 0..<10 {
            _ = try classifier.forward(crop(image, top: min(32 * i, 500 - 227), left: min(32 * j, 500 - 227), size: 227))
        } }
    }
    let once = try clock.measure { _ = try dense.forward(image) }
    let (_, perWindow, whole) = try paperExperimentArithmetic()
    let r = PaperExperiment(grid: Array(map.shape.suffix(2)), windowMilliseconds: windows.inSeconds * 1000 / 100,
                            denseMilliseconds: once.inSeconds * 1000, multiplyAddRatio: Double(100 * perWindow) / Double(whole))
    lesson.value("convolutionalized AlexNet on 500×500", "\(r.grid[0])×\(r.grid[1]) grid of 1000 scores (paper: 10×10)")
    lesson.value("one 227×227 window", "\(show(r.windowMilliseconds)) ms here (paper: 1.2 ms, a typical GPU)")
    lesson.value("the 500×500 image once", "\(show(r.denseMilliseconds)) ms here (paper: 22 ms)")
    lesson.value("100 windows ÷ one dense pass", "\(show(r.speedUp, digits: 3))× here (paper: 120/22 = \(show(120.0 / 22, digits: 3))×)")
    lesson.value("multiply-adds, 100 windows ÷ one dense pass", "\(show(r.multiplyAddRatio, digits: 3))× (\(showCount(perWindow)) per window, \(showCount(whole)) dense)")
    return r
}

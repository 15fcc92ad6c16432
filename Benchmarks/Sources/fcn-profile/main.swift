// main.swift — fcn-profile: times FCN inference (`Network.forward`) layer by layer; with
// `train-step` (TrainStep.swift), training steps of the shipped VGG-mini nets.
//
// Not part of the paper: a tool for making the §4 inference pass fast. It loads an FCN's
// weights from a safetensors file (the layout `scripts/bench_vs_onnxruntime.py` writes), runs
// the forward pass `--repeat` times after one warm-up and prints
//
//   - on standard error, a table of per-layer medians (a fused conv + ReLU counts as one layer);
//   - on standard output, with `--timing-json`, one line `{"forwardSeconds": [...]}`.
//
// Its command line is a subset of `fcn segment`'s, on purpose: the ONNX Runtime comparison
// script can drive it in place of the CLI,
//
//   python3 scripts/bench_vs_onnxruntime.py --fcn Benchmarks/.build/release/fcn-profile
//
// and `Benchmarks/profile-vs-onnxruntime` does exactly that (see Benchmarks/README.md).

import FCN
import FCNKernels
import Foundation

struct Options {
    var arch = ModelSpec.Head.fcn8s
    var weights: String?
    var input: String?
    var logits: String?
    var classes = 21
    var threads = 2
    var repeats = 3
    var height = 500, width = 500
    var timingJSON = false
    var kernels = KernelPolicy.fastest
    var precision = Precision.float32
    var layers = false
    var keepMemory = true
    var cpuTime = false
}

func usage() -> Never {
    FileHandle.standardError.write(Data("""
        usage: fcn-profile [segment] --weights W.safetensors [--input X.npy | --height H --width W]
                           [--arch fcn8s|fcn16s|fcn32s] [--classes K] [--logits OUT.npy]
                           [--threads T] [--repeat N] [--timing-json] [--kernels fastest|portable|reference]
                           [--precision f32|bf16]
                           [--no-allocator-tuning]
               fcn-profile --layers [--threads T] [--repeat N] [--cpu-time]   (FCN-8s 500×500 conv shapes, im2col vs Winograd)
               fcn-profile train-step [--stage fcn8s] [--size 128] [--steps N] [--json] …   (training steps, TrainStep.swift)

        """.utf8))
    exit(2)
}

func parseOptions() -> Options {
    var o = Options()
    var arguments = Array(CommandLine.arguments.dropFirst())
    if arguments.first == "segment" { arguments.removeFirst() }   // accepted for `fcn segment` compatibility
    var i = 0
    func value() -> String {
        i += 1
        guard i < arguments.count else { usage() }
        return arguments[i]
    }
    while i < arguments.count {
        switch arguments[i] {
        case "--arch": guard let a = ModelSpec.Head(rawValue: value()), a.isFullyConvolutional else { usage() }; o.arch = a
        case "--weights": o.weights = value()
        case "--input": o.input = value()
        case "--logits": o.logits = value()
        case "--classes": o.classes = Int(value()) ?? 21
        case "--threads": o.threads = Int(value()) ?? 2
        case "--repeat": o.repeats = max(1, Int(value()) ?? 3)
        case "--height": o.height = Int(value()) ?? 500
        case "--width": o.width = Int(value()) ?? 500
        case "--timing-json": o.timingJSON = true
        case "--kernels": guard let k = KernelPolicy(rawValue: value()) else { usage() }; o.kernels = k
        case "--precision": guard let p = Precision(optionName: value()) else { usage() }; o.precision = p
        case "--layers": o.layers = true
        case "--no-allocator-tuning": o.keepMemory = false
        case "--cpu-time": o.cpuTime = true
        default: usage()
        }
        i += 1
    }
    if o.weights == nil && !o.layers { usage() }
    return o
}

func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

func median(_ values: [Double]) -> Double {
    let s = values.sorted()
    return s.isEmpty ? 0 : (s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2)
}

func log(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }

// `fcn-profile train-step …`: training steps instead (TrainStep.swift).
if CommandLine.arguments.count > 1 && CommandLine.arguments[1] == "train-step" {
    do { try runTrainStep(Array(CommandLine.arguments.dropFirst(2))) } catch { log("fcn-profile train-step: \(error)"); exit(1) }
    exit(0)
}

let options = parseOptions()
if options.keepMemory { AllocatorTuning.keepFreedMemoryForReuse() }   // as `fcn segment` should
let clock = ContinuousClock()
/// Threads and kernels of every pass below (the `--layers` timings included).
let configuration = EngineConfiguration(threads: options.threads, kernels: options.kernels, precision: options.precision)
if let error = configuration.unsupportedPrecision { log("fcn-profile: \(error)"); exit(2) }

/// Process CPU time (all threads), seconds: with `--threads 1` a measure that other processes
/// on a busy machine disturb far less than wall-clock time.
func cpuSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// The median of `repeats` timed runs of `body` after one warm-up, in seconds (CPU seconds
/// with `--cpu-time`).
func time(_ repeats: Int, _ body: () -> Void) -> Double {
    configuration.apply {
        body()
        if options.cpuTime {
            return median((0..<repeats).map { _ in let s = cpuSeconds(); body(); return cpuSeconds() - s })
        }
        return median((0..<repeats).map { _ in seconds(clock.measure(body)) })
    }
}

// --layers: the 3×3 convolutions of FCN-8s on a 500×500 image (sizes after pad 100 and the
// ceil-mode pools), each with im2col + sgemm and with Winograd (filter transform included,
// as the executor does it, and also alone).
if options.layers {
    let shapes = [("conv1_1", 3, 64, 500, 100), ("conv1_2", 64, 64, 698, 1), ("conv2_1", 64, 128, 349, 1),
                  ("conv2_2", 128, 128, 349, 1), ("conv3_x", 256, 256, 175, 1), ("conv4_1", 256, 512, 88, 1),
                  ("conv4_x", 512, 512, 88, 1), ("conv5_x", 512, 512, 44, 1)]
    log("layer          C    O   size   GFLOP   im2col ms  winograd ms  (BLAS path ms) (transform ms)  speed-up  max rel diff")
    var rng = SeededRandom(seed: 3)
    for (name, C, O, size, pad) in shapes {
        let conv = Convolution(weight: Tensor(randomNormal: [O, C, 3, 3], standardDeviation: (2 / Float(9 * C)).squareRoot(), using: &rng),
                               bias: Tensor(randomNormal: [O], using: &rng), padding: Padding(pad))
        let x = Tensor(randomUniform: [1, C, size, size], in: 0...2, using: &rng)
        let outSize = size + 2 * pad - 2
        let gflop = 2.0 * Double(O * C * 9) * Double(outSize * outSize) / 1e9
        var a = Tensor(zeros: [1]), b = Tensor(zeros: [1])
        let tIm2col = time(options.repeats) { a = conv.forward(x, fusingReLU: true) }
        let tWinograd = time(options.repeats) { b = WinogradConvolution(conv).forward(x, fusingReLU: true) }
        let tBLAS = time(options.repeats) { _ = WinogradConvolution(conv).blasForward(x, fusingReLU: true) }
        let tFilter = time(options.repeats) { _ = WinogradFilter(weight: conv.weight) }
        log(String(format: "%@ %4d %4d %6d %7.1f %11.1f %12.1f %15.1f %15.2f %9.2f %13.1e", name.padding(toLength: 10, withPad: " ", startingAt: 0),
                   C, O, outSize, gflop, tIm2col * 1000, tWinograd * 1000, tBLAS * 1000, tFilter * 1000, tIm2col / tWinograd,
                   Double(b.relativeDifference(to: a))))
    }
    if DirectConvolution.isAvailable {
        let conv = Convolution(weight: Tensor(randomNormal: [64, 3, 3, 3], standardDeviation: 0.27, using: &rng),
                               bias: Tensor(randomNormal: [64], using: &rng), padding: Padding(100))
        let x = Tensor(randomUniform: [1, 3, 500, 500], in: 0...2, using: &rng)
        var a = Tensor(zeros: [1]), b = Tensor(zeros: [1])
        let tIm2col = time(options.repeats) { a = conv.forward(x, fusingReLU: true) }
        let tDirect = time(options.repeats) { b = DirectConvolution(conv).forward(x, fusingReLU: true) }
        log(String(format: "conv1_1 direct: %.1f ms (im2col %.1f ms), max rel diff %.1e", tDirect * 1000, tIm2col * 1000,
                   Double(b.relativeDifference(to: a))))
    }
    var prng = SeededRandom(seed: 4)
    let pooled = Tensor(randomUniform: [1, 64, 698, 698], in: 0...2, using: &prng)
    let pool = MaxPooling(kernel: 2, stride: 2)
    log(String(format: "pool1 (64×698²) %.1f ms", time(options.repeats) { _ = pool.forward(pooled) } * 1000))
    log(String(format: "sgemm 1024³ %.0f GFLOP/s", BLAS.measureGFLOPS() ?? 0))
    exit(0)
}

// The input: a .npy file, or a reproducible random image of the requested size.
let input: Tensor
if let path = options.input {
    input = try NPY.read(contentsOf: URL(filePath: path))
} else {
    var rng = SeededRandom(seed: 1)
    let noise = Tensor(randomNormal: [1, 3, options.height, options.width], using: &rng)
    input = Tensor(shape: noise.shape, scalars: noise.scalars.map { 64 * $0 })   // roughly pixel-sized values
}

let description = try FCN.description(options.arch, classes: options.classes)
var parameters: [String: Tensor] = [:]
let loadTime = try clock.measure {
    let file = try SafetensorsFile(contentsOf: URL(filePath: options.weights!))
    for p in try description.parameterShapes(inputShape: input.shape) {
        parameters[p.name] = try file.tensor(named: p.name, expectedShape: p.shape)
    }
}
let network = try Network(description, parameters: parameters)
parameters = [:]
log("loaded \(options.arch.rawValue) weights in \(String(format: "%.2f", seconds(loadTime))) s; input \(input.shape); "
    + "OpenBLAS \(BLAS.diagnostics.openBLASCoreName ?? "not loaded"), \(options.threads) threads")

let outputName = description.outputBlob!
var layerTimes: [String: [Double]] = [:]
var layerOrder: [String] = []
var forwardTimes: [Double] = []
var output: Tensor?
for run in 0...options.repeats {                       // run 0 is the warm-up
    var times: [(String, Double)] = []
    let start = clock.now
    let result = try network.forward([description.inputs[0]: input], keeping: [outputName],
                                     configuration: configuration) { times.append(($0, $1)) }
    let total = seconds(clock.now - start)
    output = result[outputName]
    if run == 0 { layerOrder = times.map(\.0); continue }
    forwardTimes.append(total)
    for (name, t) in times { layerTimes[name, default: []].append(t) }
}

let totalMedian = median(forwardTimes)
func column(_ name: String) -> String { name.padding(toLength: 16, withPad: " ", startingAt: 0) }
log(column("layer") + " median ms   share")
for name in layerOrder {
    let t = median(layerTimes[name] ?? [])
    log(column(name) + String(format: "%10.1f %6.1f%%", t * 1000, 100 * t / totalMedian))
}
log(column("forward") + String(format: "%10.1f   (median of %d; min %.1f, max %.1f)", totalMedian * 1000,
           forwardTimes.count, forwardTimes.min()! * 1000, forwardTimes.max()! * 1000))

if let path = options.logits, let output { try NPY.write(output, to: URL(filePath: path)) }
if options.timingJSON {
    let list = forwardTimes.map { String($0) }.joined(separator: ", ")
    print("{\"forwardSeconds\": [\(list)]}")
}

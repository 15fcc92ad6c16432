// FCNBenchmarks.swift — ordo-one/benchmark suites for FCN inference (paper §4: the dense
// forward pass over a whole image).
//
// Three levels, each isolating what the level above is made of:
//   1. sgemm (OpenBLAS, through a fully connected layer: one n×n×n product), in GFLOP/s;
//   2. single FCN-8s convolution layers at their shapes for a 500×500 image (after conv1_1's
//      pad 100 and the ceil-mode pools), im2col + sgemm against Winograd F(4×4, 3×3);
//   3. the whole FCN-8s forward pass on a 500×500 image (random weights, as the paper's
//      architecture; the timing does not depend on the values).
//
// Threads: the whole-network benchmark passes `EngineConfiguration(threads: 2)`; the single
// layers run with the default configuration (every core — two on the project's machines).
//
// Run from the Benchmarks folder: `swift package benchmark` (all), or
// `swift package benchmark --filter "conv3"` (see README.md).

import Benchmark
import FCN

/// FLOP count of one convolution layer: 2·O·C·9 per output pixel.
func convolutionGFLOP(C: Int, O: Int, outputSize: Int) -> Double {
    2 * Double(O * C * 9) * Double(outputSize * outputSize) / 1e9
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .peakMemoryResident],
        timeUnits: .milliseconds,
        warmupIterations: 1,
        maxDuration: .seconds(20),
        maxIterations: 5
    )
    // 1. sgemm, square, at sizes from cache-resident to memory-bound.
    for n in [256, 1024, 2048] {
        var rng = SeededRandom(seed: 1)
        // x [n, n] times Wᵀ [n, n]: `Linear.forward` is exactly one sgemm of n×n×n.
        let x = Tensor(randomUniform: [n, n], using: &rng), fc = Linear(weight: Tensor(randomUniform: [n, n], using: &rng))
        Benchmark("sgemm \(n)³",
                  configuration: .init(metrics: [.wallClock, .custom("GFLOP/s", polarity: .prefersLarger, useScalingFactor: false)],
                                       timeUnits: .microseconds, maxIterations: 50)) { benchmark in
            var c = Tensor(zeros: [0])
            let clock = ContinuousClock()
            for _ in benchmark.scaledIterations {
                let elapsed = clock.measure {
                    c = fc.forward(x)
                }
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
                benchmark.measurement(.custom("GFLOP/s", polarity: .prefersLarger, useScalingFactor: false),
                                      Int(2 * Double(n * n * n) / seconds / 1e9))
            }
            blackHole(c)
        }
    }

    // 2. FCN-8s 3×3 layers at 500×500: (name, C, O, input size, padding). Data are made inside
    //    each benchmark, before `startMeasurement()`, so that only the running benchmark's
    //    tensors are in memory (registration runs every closure's outer code up front).
    let layers = [("conv1_1", 3, 64, 500, 100), ("conv1_2", 64, 64, 698, 1), ("conv2_2", 128, 128, 349, 1),
                  ("conv3_2", 256, 256, 175, 1), ("conv4_2", 512, 512, 88, 1), ("conv5_2", 512, 512, 44, 1)]
    func layer(C: Int, O: Int, size: Int, pad: Int) -> (Convolution, Tensor) {
        var rng = SeededRandom(seed: 2)
        let conv = Convolution(weight: Tensor(randomNormal: [O, C, 3, 3], standardDeviation: (2 / Float(9 * C)).squareRoot(), using: &rng),
                               bias: Tensor(randomNormal: [O], using: &rng), padding: Padding(pad))
        return (conv, Tensor(randomUniform: [1, C, size, size], in: 0...2, using: &rng))
    }
    for (name, C, O, size, pad) in layers {
        let gflop = Int(convolutionGFLOP(C: C, O: O, outputSize: size + 2 * pad - 2).rounded())
        Benchmark("\(name) im2col (\(gflop) GFLOP)") { benchmark in
            let (conv, x) = layer(C: C, O: O, size: size, pad: pad)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(conv.forward(x, fusingReLU: true, using: .im2col)) }
        }
        Benchmark("\(name) winograd (\(gflop) GFLOP)") { benchmark in
            let (conv, x) = layer(C: C, O: O, size: size, pad: pad)
            benchmark.startMeasurement()
            let kernel = conv.supports(.winogradFused) ? ConvolutionKernel.winogradFused : .winograd
            for _ in benchmark.scaledIterations { blackHole(conv.forward(x, fusingReLU: true, using: kernel)) }
        }
    }
    Benchmark("pool1 2×2 (64×698²)") { benchmark in
        var rng = SeededRandom(seed: 4)
        let x = Tensor(randomUniform: [1, 64, 698, 698], using: &rng)
        let pool = MaxPooling(kernel: 2, stride: 2)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(pool.forward(x)) }
    }

    // 3. The whole FCN-8s on a 500×500 image.
    Benchmark("FCN-8s forward 500×500", configuration: .init(maxDuration: .seconds(60), maxIterations: 3)) { benchmark in
        let description = try! FCN.description(.fcn8s, classes: 21)
        var rng = SeededRandom(seed: 5)
        let input = Tensor(randomUniform: [1, 3, 500, 500], in: -128...128, using: &rng)
        let parameters = try! Network.initialParameters(for: description, inputShape: input.shape, using: &rng)
        let network = try! Network(description, parameters: parameters)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(try! network.forward(input, configuration: EngineConfiguration(threads: 2))) }
    }
}

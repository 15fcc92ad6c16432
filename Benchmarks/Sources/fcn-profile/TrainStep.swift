// TrainStep.swift — `fcn-profile train-step`: how long one training step of the shipped VGG-mini
// nets takes, and where the time goes (issue #19, training).
//
// One step is what `StageTrainer.advance()` does (FCNTraining/StageTrainer.swift): draw the
// step's scene, `Network.trainingForward`, softmax cross-entropy loss and gradient in one sweep (void
// ignored, summed over the pixels), `Network.backward`, count the arg-max hits, SGD with momentum
// and the stage's per-parameter rules, `Network.update`. This mode prints
//
//   - `step`: forward + loss + backward + SGD + update on one fixed scene — the sequence of
//     `StageTrainer.learn` and its SGD step, replicated here with the same public calls (the
//     trainer's internals are not public), without drawing a scene or counting hits. It is
//     what scripts/bench_training_vs_pytorch.py times PyTorch doing;
//   - `advance`: `StageTrainer.advance()` itself, from a step-0 checkpoint holding the shipped
//     weights of the stage (so: the real loop, scene generation and hit counting included);
//   - a breakdown of `step` (and the scene generation and hit counting of `advance`): every
//     layer's training forward and backward, timed through `Network.timingSteps(into:)` (a
//     package hook; the copy computes exactly what the network computes), the loss, SGD;
//   - for every convolution, its backward split into the weight gradient (im2col + dW GEMM) and
//     the input gradient (dX GEMM + col2im) and the bias sums, timed by making the calls
//     `Convolution.backward` (Convolution+Fast.swift) makes, on the same shapes — a model of that
//     function, checked against its measured time in the same table;
//   - with `--stages`, the steps per second of `advance()` for each stage of the schedule.
//
// `--export DIR` writes what the PyTorch side needs to prove it computes the same thing: the
// shipped weights, the scene and labels, the score map, the loss, every parameter gradient and
// the parameters after one SGD step from zero momentum, and the crop offsets and learning rules.

import FCN
import FCNKernels
import FCNTraining
import Foundation

struct TrainStepOptions {
    var stage = TrainingStage.fcn8s
    var size = 128
    var steps = 20
    var warmup = 3
    var threads = 2
    var kernels = KernelPolicy.fastest
    var json = false
    var breakdown = true
    var advance = true
    var stages = false
    var stageSteps = 5
    var export: String?
    var sceneIndex = 0
}

func trainStepUsage() -> Never {
    FileHandle.standardError.write(Data("""
        usage: fcn-profile train-step [--stage classifier|fcn32s-fixed|fcn32s|fcn16s|fcn8s] [--size S]
                                      [--steps N] [--warmup W] [--threads T] [--kernels fastest|portable]
                                      [--json] [--no-breakdown] [--no-advance] [--stages [--stage-steps N]]
                                      [--scene I] [--export DIR]

        """.utf8))
    exit(2)
}

func parseTrainStepOptions(_ arguments: [String]) -> TrainStepOptions {
    var o = TrainStepOptions()
    var i = 0
    func value() -> String {
        i += 1
        guard i < arguments.count else { trainStepUsage() }
        return arguments[i]
    }
    func count(_ minimum: Int) -> Int {
        guard let n = Int(value()), n >= minimum else { trainStepUsage() }
        return n
    }
    while i < arguments.count {
        switch arguments[i] {
        case "--stage": guard let s = TrainingStage(rawValue: value()), s != .fcn8sAtOnce else { trainStepUsage() }; o.stage = s
        case "--size": o.size = count(32)
        case "--steps": o.steps = count(1)
        case "--warmup": o.warmup = count(0)
        case "--threads": o.threads = count(1)
        case "--kernels": guard let k = KernelPolicy(rawValue: value()) else { trainStepUsage() }; o.kernels = k
        case "--json": o.json = true
        case "--no-breakdown": o.breakdown = false
        case "--no-advance": o.advance = false
        case "--stages": o.stages = true
        case "--stage-steps": o.stageSteps = count(1)
        case "--scene": o.sceneIndex = count(0)
        case "--export": o.export = value()
        default: trainStepUsage()
        }
        i += 1
    }
    return o
}

/// Everything a stage's step needs: the net, the shipped weights, the hyper-parameters, the rules.
struct StageSetup {
    let stage: TrainingStage
    let model = VGGMini.standard
    let description: NetworkDescription
    let inputShape: [Int]
    let parameters: [String: Tensor]
    let hyperparameters: StageHyperparameters
    let rules: [String: LearningRule]
    /// The parameters that learn (StageTrainer's `learning`).
    let learning: Set<String>
    let data: SyntheticData
    var output: String { stage == .classifier ? "fc8" : "score" }
    var datasetSize: Int { stage == .classifier ? 20000 : 2000 }       // TrainingPipeline's defaults

    init(_ stage: TrainingStage, sceneSize: Int) throws {
        self.stage = stage
        description = try stage.description(model)
        inputShape = stage == .classifier ? [1, 3, model.classifierInputSize, model.classifierInputSize] : [1, 3, sceneSize, sceneSize]
        parameters = try EmbeddedModels.parameters(stage)
        hyperparameters = .defaults(for: stage, sceneSize: sceneSize)
        rules = stage.rules(for: try description.parameterShapes(inputShape: inputShape))
        learning = Set(rules.filter { $0.value.learningRateMultiplier != 0 }.keys)
        data = SyntheticData(seed: 1, sceneSize: sceneSize, exampleSize: model.exampleSize)
    }

    /// Image `index` of the stage's data: a scene, or a classification example on its canvas.
    func example(_ index: Int) -> (input: Tensor, labels: Tensor) {
        stage == .classifier ? data.classificationBatch([index], inputSize: model.classifierInputSize) : data.trainingScene(index)
    }

    /// A trainer at step 0 holding the shipped weights, as `fcn train` would resume it.
    func trainer(steps: Int, sceneSize: Int) throws -> StageTrainer {
        let checkpoint = Checkpoint(stage: stage, step: 0, steps: steps, seed: 1, hyperparameters: hyperparameters, model: model,
                                    parameters: parameters, momentum: [:], history: [])
        return try StageTrainer(resuming: checkpoint, sceneSize: sceneSize, datasetSize: datasetSize)
    }
}

/// Wall-clock seconds per named phase of one step.
struct PhaseTimes {
    var seconds: [String: Double] = [:]
    var order: [String] = []
    let clock = ContinuousClock()

    mutating func time<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        let start = clock.now
        let result = try body()
        add(name, clock.now - start)
        return result
    }

    mutating func add(_ name: String, _ d: Duration) {
        if seconds[name] == nil { order.append(name) }
        seconds[name, default: 0] += FCN_seconds(d)
    }
}

func FCN_seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

/// `StageTrainer.learn` + its SGD step, with the same calls in the same order (StageTrainer.swift).
struct StepReplica {
    var network: Network
    var sgd: SGD
    let setup: StageSetup
    let loss: SoftmaxCrossEntropy
    let configuration: EngineConfiguration

    init(_ setup: StageSetup, network: Network, configuration: EngineConfiguration) {
        self.setup = setup
        self.network = network
        self.configuration = configuration
        let h = setup.hyperparameters
        sgd = SGD(learningRate: h.learningRate, momentum: h.momentum, weightDecay: h.weightDecay)
        loss = SoftmaxCrossEntropy(ignoreLabel: Int(ShapeClass.void), normalization: h.averagesLoss ? .validPixels : .none)
    }

    /// One step on `images` (one per image of the batch); returns the loss and the gradients.
    mutating func step(_ images: [(input: Tensor, labels: Tensor)], phases: inout PhaseTimes) throws -> (loss: Double, gradients: [String: Tensor], trace: ForwardTrace?) {
        var gradients: [String: Tensor] = [:]
        var total = 0.0
        var lastTrace: ForwardTrace?
        for (x, labels) in images {
            var rng = SeededRandom(seed: 7)              // dropout's masks (VGG-mini has no dropout)
            let trace = try phases.time("training forward") {
                try network.trainingForward(["data": x], using: &rng, configuration: configuration)
            }
            let raw = trace[setup.output]!
            let scores = raw.rank == 2 ? raw.reshaped([raw.shape[0], raw.shape[1], 1, 1]) : raw
            // As StageTrainer: loss and ∂L/∂scores in one sweep, gradients only for what learns.
            let (value, dScores) = phases.time("loss") { loss.lossAndGradient(scores: scores, labels: labels) }
            total += value
            let g = phases.time("backward") {
                network.backward(trace, outputGradients: [setup.output: dScores.reshaped(raw.shape)],
                                 parameters: setup.learning, configuration: configuration)
            }
            phases.time("gradient sums") {
                for (name, t) in g { if gradients[name] == nil { gradients[name] = t } else { gradients[name]!.add(t) } }
            }
            lastTrace = trace
        }
        let batch = images.count
        if batch > 1 { gradients = phases.time("gradient sums") { gradients.mapValues { (1 / Float(batch)) * $0 } } }
        phases.time("SGD step") {
            var parameters = network.parameters
            sgd.step(parameters: &parameters, gradients: gradients, rules: setup.rules)
            network.update(parameters)
        }
        return (total / Double(batch), gradients, lastTrace)
    }
}


/// The parts of one convolution's backward pass, seconds: the calls of `Convolution.backward`.
struct ConvolutionBackwardSplit {
    var zeroing = 0.0, im2col = 0.0, weightGEMM = 0.0, inputGEMM = 0.0, col2im = 0.0, biasSums = 0.0
    var weightGradient: Double { im2col + weightGEMM }
    var inputGradient: Double { inputGEMM + col2im }
    var total: Double { zeroing + weightGradient + inputGradient + biasSums }

    /// Times the calls `Convolution.backward(input:outputGradient:)` makes for this layer (one
    /// image, groups = 1), with a random dL/dy of the output's shape.
    static func measure(_ p: ConvolutionParameters, input x: Tensor, weight: Tensor, using rng: inout SeededRandom) -> ConvolutionBackwardSplit {
        var s = ConvolutionBackwardSplit()
        let clock = ContinuousClock()
        let d = x.nchw
        let O = weight.shape[0]
        let geometry = ColumnGeometry(channels: d.c, image: Size2(height: d.h, width: d.w), kernel: p.kernel, stride: p.stride,
                                      padding: p.padding, dilation: p.dilation)
        let out = geometry.output
        let P = out.height * out.width, R = geometry.rows
        let dy = Tensor(randomNormal: [1, O, out.height, out.width], using: &rng)
        let pointwise = p.kernel == Size2(1) && p.stride == Size2(1) && p.padding == Padding(0)
        let band = geometry.outputRowsPerChunk(budget: ColumnGeometry.defaultBudget)
        let columns = UnsafeMutablePointer<Float>.allocate(capacity: pointwise ? 1 : R * band * out.width)
        defer { columns.deallocate() }
        var dx: [Float] = [], dw: [Float] = []
        s.zeroing = FCN_seconds(clock.measure {
            dx = [Float](repeating: 0, count: x.count)
            dw = [Float](repeating: 0, count: weight.count)
        })
        x.scalars.withUnsafeBufferPointer { xb in
            dy.scalars.withUnsafeBufferPointer { dyb in
                weight.scalars.withUnsafeBufferPointer { wb in
                    dx.withUnsafeMutableBufferPointer { dxb in
                        dw.withUnsafeMutableBufferPointer { dwb in
                            let xs = xb.baseAddress!, dys = dyb.baseAddress!, ws = wb.baseAddress!
                            let dxs = dxb.baseAddress!, dws = dwb.baseAddress!
                            if pointwise {
                                s.weightGEMM += FCN_seconds(clock.measure {
                                    GEMM.multiply(transposeB: true, m: O, n: d.c, k: P, a: dys, lda: P, b: xs, ldb: P, beta: 1, c: dws, ldc: d.c)
                                })
                                s.inputGEMM += FCN_seconds(clock.measure {
                                    GEMM.multiply(transposeA: true, m: d.c, n: P, k: O, a: ws, lda: d.c, b: dys, ldb: P, c: dxs, ldc: P)
                                })
                                return
                            }
                            for first in stride(from: 0, to: out.height, by: band) {
                                let rows = first..<min(out.height, first + band)
                                let Q = rows.count * out.width
                                let dyBand = dys + first * out.width
                                s.im2col += FCN_seconds(clock.measure { FCNKernels.im2col(xs, geometry: geometry, outputRows: rows, into: columns) })
                                s.weightGEMM += FCN_seconds(clock.measure {
                                    GEMM.multiply(transposeB: true, m: O, n: R, k: Q, a: dyBand, lda: P, b: columns, ldb: Q,
                                                  beta: 1, c: dws, ldc: R)
                                })
                                s.inputGEMM += FCN_seconds(clock.measure {
                                    GEMM.multiply(transposeA: true, m: R, n: Q, k: O, a: ws, lda: R, b: dyBand, ldb: P, c: columns, ldc: Q)
                                })
                                s.col2im += FCN_seconds(clock.measure { FCNKernels.col2im(columns, geometry: geometry, outputRows: rows, addingInto: dxs) })
                            }
                        }
                    }
                }
            }
        }
        if p.bias {
            // channelSums (Convolution+Fast.swift): a Double sum per channel, channels over the cores.
            s.biasSums = FCN_seconds(clock.measure {
                var sums = [Float](repeating: 0, count: O)
                dy.scalars.withUnsafeBufferPointer { dyb in
                    sums.withUnsafeMutableBufferPointer { sb in
                        let dys = dyb.baseAddress!, ss = sb.baseAddress!
                        parallelFor(O) { c in
                            var total = 0.0
                            for k in 0..<P { total += Double(dys[c * P + k]) }
                            ss[c] = Float(total)
                        }
                    }
                }
                precondition(sums.count == O)
            })
        }
        return s
    }
}

func ms(_ s: Double) -> String { String(format: "%8.2f", s * 1000) }
func pct(_ part: Double, _ whole: Double) -> String { String(format: "%5.1f%%", 100 * part / whole) }
func pad(_ s: String, _ n: Int) -> String { s.padding(toLength: max(n, s.count), withPad: " ", startingAt: 0) }
func jsonList(_ values: [Double]) -> String { "[" + values.map { String(format: "%.6f", $0) }.joined(separator: ", ") + "]" }

/// The median over steps of each name's per-step seconds.
func medians(_ steps: [[String: Double]]) -> [String: Double] {
    var all: [String: [Double]] = [:]
    for s in steps { for (k, v) in s { all[k, default: []].append(v) } }
    return all.mapValues { median($0) }
}

func runTrainStep(_ arguments: [String]) throws {
    let o = parseTrainStepOptions(arguments)
    _ = AllocatorTuning.keepFreedMemoryForReuse()             // as `fcn train` does
    let configuration = EngineConfiguration(threads: o.threads, kernels: o.kernels)
    let clock = ContinuousClock()
    try configuration.apply {                                  // `advance()` runs inside it
        let setup = try StageSetup(o.stage, sceneSize: o.size)
        let batch = setup.hyperparameters.batchSize
        log("train-step \(o.stage.rawValue), input \(setup.inputShape), batch \(batch), \(o.threads) threads, kernels \(o.kernels.rawValue), "
            + "OpenBLAS \(BLAS.diagnostics.openBLASCoreName ?? "not loaded"); shipped weights; lr \(setup.hyperparameters.learningRate), "
            + "momentum \(setup.hyperparameters.momentum)")
        let images = (0..<batch).map { setup.example(o.sceneIndex + $0) }

        if let dir = o.export { try export(setup, images: images, configuration: configuration, to: URL(filePath: dir)) }

        // 1. The fixed-input step (what PyTorch is timed doing).
        var replica = StepReplica(setup, network: try Network(setup.description, parameters: setup.parameters), configuration: configuration)
        var stepSeconds: [Double] = []
        var losses: [Double] = []
        for k in 0..<(o.warmup + o.steps) {
            var phases = PhaseTimes()
            let start = clock.now
            let r = try replica.step(images, phases: &phases)
            let t = FCN_seconds(clock.now - start)
            if k >= o.warmup { stepSeconds.append(t); losses.append(r.loss) }
        }
        log(String(format: "step (forward + loss + backward + SGD, fixed input): min %.2f ms, median %.2f ms over %d steps (loss %.1f → %.1f)",
                   stepSeconds.min()! * 1000, median(stepSeconds) * 1000, stepSeconds.count, losses.first!, losses.last!))

        // 2. StageTrainer.advance() itself.
        var advanceSeconds: [Double] = []
        if o.advance {
            var trainer = try setup.trainer(steps: o.warmup + o.steps, sceneSize: o.size)
            for _ in 0..<o.warmup { try trainer.advance() }
            for _ in 0..<o.steps {
                let start = clock.now
                try trainer.advance()
                advanceSeconds.append(FCN_seconds(clock.now - start))
            }
            log(String(format: "StageTrainer.advance() (scene generation and hit counting included): min %.2f ms, median %.2f ms over %d steps",
                       advanceSeconds.min()! * 1000, median(advanceSeconds) * 1000, advanceSeconds.count))
        }

        // 3. The breakdown.
        var breakdownJSON = "null"
        if o.breakdown {
            breakdownJSON = try breakdown(setup, images: images, options: o, configuration: configuration, stepMedian: median(stepSeconds),
                                          advanceMedian: advanceSeconds.isEmpty ? nil : median(advanceSeconds))
        }

        // 4. Steps per second of every stage.
        var stagesJSON: [String] = []
        if o.stages {
            log("\nsteps per second of StageTrainer.advance(), shipped weights, \(o.size)×\(o.size) scenes (classifier: \(VGGMini.standard.classifierInputSize)², batch 8):")
            for stage in [TrainingStage.classifier, .fcn32sFixed, .fcn32s, .fcn16s, .fcn8s] {
                let s = try StageSetup(stage, sceneSize: o.size)
                var trainer = try s.trainer(steps: 1 + o.stageSteps, sceneSize: o.size)
                try trainer.advance()
                var times: [Double] = []
                for _ in 0..<o.stageSteps {
                    let start = clock.now
                    try trainer.advance()
                    times.append(FCN_seconds(clock.now - start))
                }
                let m = median(times)
                log(String(format: "  %@ %8.1f ms/step  %6.2f steps/s  (batch %d)", pad(stage.rawValue, 13), m * 1000, 1 / m, s.hyperparameters.batchSize))
                stagesJSON.append("\"\(stage.rawValue)\": {\"medianSeconds\": \(String(format: "%.6f", m)), \"stepsPerSecond\": \(String(format: "%.3f", 1 / m))}")
            }
        }

        if o.json {
            print("{\"stage\": \"\(o.stage.rawValue)\", \"size\": \(o.size), \"threads\": \(o.threads), \"stepSeconds\": \(jsonList(stepSeconds)), "
                  + "\"advanceSeconds\": \(jsonList(advanceSeconds)), \"losses\": \(jsonList(losses)), \"breakdown\": \(breakdownJSON), "
                  + "\"stages\": {\(stagesJSON.joined(separator: ", "))}}")
        }
    }
}

/// Runs timed steps through `Network.timingSteps(into:)`, prints the tables, returns them as JSON.
func breakdown(_ setup: StageSetup, images: [(input: Tensor, labels: Tensor)], options o: TrainStepOptions,
               configuration: EngineConfiguration, stepMedian: Double, advanceMedian: Double?) throws -> String {
    let clock = ContinuousClock()
    let timings = StepTimings()
    let timed = try Network(setup.description, parameters: setup.parameters).timingSteps(into: timings)
    var replica = StepReplica(setup, network: timed, configuration: configuration)
    var phaseSteps: [[String: Double]] = [], layerSteps: [[String: Double]] = [], totals: [Double] = []
    var lastTrace: ForwardTrace?
    for k in 0..<(o.warmup + o.steps) {
        timings.reset()
        var phases = PhaseTimes()
        let start = clock.now
        let r = try replica.step(images, phases: &phases)
        let total = FCN_seconds(clock.now - start)
        // What `advance` does besides: the hit count (its scene generation is timed below).
        let raw = r.trace![setup.output]!
        let scores = raw.rank == 2 ? raw.reshaped([raw.shape[0], raw.shape[1], 1, 1]) : raw
        _ = phases.time("arg-max hits") { StageTrainer.hits(scores, images.last!.labels) }
        lastTrace = r.trace
        guard k >= o.warmup else { continue }
        totals.append(total)
        phaseSteps.append(phases.seconds)
        var layers: [String: Double] = [:]
        for rec in timings.records { layers["\(rec.layer)|\(rec.phase.rawValue)", default: 0] += rec.seconds }
        layerSteps.append(layers)
    }
    var sceneTimes: [Double] = []
    for k in 0..<max(5, o.steps) {
        let start = clock.now
        _ = (0..<images.count).map { setup.example(100 + k * images.count + $0) }
        sceneTimes.append(FCN_seconds(clock.now - start))
    }
    let scene = median(sceneTimes)
    // Shape inference, which each training forward pass redoes (`checkedShapes`) outside any step.
    let inputs = ["data": images[0].input.shape]
    let shapeTimes = try (0..<max(5, o.steps)).map { _ in
        let start = clock.now
        _ = try setup.description.inferShapes(inputs: inputs)
        return FCN_seconds(clock.now - start)
    }
    let shapeInference = median(shapeTimes)
    let phase = medians(phaseSteps), layer = medians(layerSteps)
    let step = median(totals)

    // Per layer: training forward and backward.
    let names = setup.description.layers.map(\.name)
    let kinds = Dictionary(uniqueKeysWithValues: setup.description.layers.map { ($0.name, $0.kind.caffeType) })
    log("\nbreakdown of one step (medians over \(totals.count) timed steps; the timed step took \(String(format: "%.2f", step * 1000)) ms, "
        + "the untimed one \(String(format: "%.2f", stepMedian * 1000)) ms)")
    log(pad("layer", 16) + pad("type", 15) + "  forward ms  backward ms    total ms   share")
    var entries: [(String, Double)] = []
    var forwardSum = 0.0, backwardSum = 0.0
    for name in names {
        let f = layer["\(name)|trainingForward"] ?? 0, b = layer["\(name)|backward"] ?? 0
        forwardSum += f; backwardSum += b
        log(pad(name, 16) + pad(kinds[name]!, 15) + "  " + ms(f) + "    " + ms(b) + "    " + ms(f + b) + "  " + pct(f + b, step))
        entries.append(("\(name) forward", f)); entries.append(("\(name) backward", b))
    }
    let forwardPass = phase["training forward"] ?? 0, backwardPass = phase["backward"] ?? 0
    log(pad("(executor)", 31) + "  " + ms(forwardPass - forwardSum) + "    " + ms(backwardPass - backwardSum)
        + "                (the passes minus their steps; shape inference alone: \(ms(shapeInference).trimmingCharacters(in: .whitespaces)) ms)")
    log("\nphases of the step:")
    let phaseNames = ["training forward", "loss", "backward", "gradient sums", "SGD step"]
    var accounted = 0.0
    for p in phaseNames where phase[p] != nil {
        accounted += phase[p]!
        log("  " + pad(p, 24) + ms(phase[p]!) + " ms  " + pct(phase[p]!, step))
        if !p.hasPrefix("training forward") && p != "backward" { entries.append((p, phase[p]!)) }
    }
    log("  " + pad("(rest)", 24) + ms(step - accounted) + " ms  " + pct(step - accounted, step))
    log("  " + pad("step", 24) + ms(step) + " ms")
    let hits = phase["arg-max hits"] ?? 0
    log("also in StageTrainer.advance(): scene generation " + ms(scene).trimmingCharacters(in: .whitespaces) + " ms, arg-max hits "
        + ms(hits).trimmingCharacters(in: .whitespaces) + String(format: " ms (%.1f%% of step + both)", 100 * (scene + hits) / (step + scene + hits))
        + (advanceMedian.map { String(format: "; measured advance() median %.2f ms", $0 * 1000) } ?? ""))

    // The convolutions' backward, split.
    log("\nconvolution backward, split (the calls of Convolution.backward on the same shapes; measured: median in the step, model: fastest of 5, ms):")
    log(pad("layer", 14) + "  measured  model   zero  im2col  dW GEMM  dX GEMM  col2im  bias   weight grad  input grad")
    var rng = SeededRandom(seed: 11)
    var splitJSON: [String] = []
    var weightTotal = 0.0, inputTotal = 0.0
    configuration.apply {
        for l in setup.description.layers {
            guard case .convolution(let p) = l.kind, p.groups == 1, let x = lastTrace?[l.bottoms[0]] else { continue }
            // The fastest of five runs of each part (the least disturbed by other processes).
            let runs = (0..<5).map { _ in ConvolutionBackwardSplit.measure(p, input: x, weight: replica.network.parameters["\(l.name).weight"]!, using: &rng) }
            func m(_ key: KeyPath<ConvolutionBackwardSplit, Double>) -> Double { runs.map { $0[keyPath: key] }.min()! }
            let measured = layer["\(l.name)|backward"] ?? 0
            weightTotal += m(\.weightGradient); inputTotal += m(\.inputGradient)
            log(pad(l.name, 14) + "  " + String(format: "%7.2f %6.2f %6.2f %7.2f %8.2f %8.2f %7.2f %5.2f %12.2f %11.2f",
                measured * 1000, m(\.total) * 1000, m(\.zeroing) * 1000, m(\.im2col) * 1000, m(\.weightGEMM) * 1000, m(\.inputGEMM) * 1000,
                m(\.col2im) * 1000, m(\.biasSums) * 1000, m(\.weightGradient) * 1000, m(\.inputGradient) * 1000))
            splitJSON.append("\"\(l.name)\": {\"measured\": \(measured), \"weightGradient\": \(m(\.weightGradient)), \"inputGradient\": \(m(\.inputGradient)), "
                             + "\"im2col\": \(m(\.im2col)), \"weightGEMM\": \(m(\.weightGEMM)), \"inputGEMM\": \(m(\.inputGEMM)), \"col2im\": \(m(\.col2im)), "
                             + "\"biasSums\": \(m(\.biasSums)), \"zeroing\": \(m(\.zeroing))}")
        }
    }
    log(String(format: "all convolutions: weight gradients %.2f ms, input gradients %.2f ms", weightTotal * 1000, inputTotal * 1000))

    // Each convolution by each kernel that can compute it (the evidence for the kernel rules).
    if let trace = lastTrace {
        log("\nconvolution kernels (fastest of 5, ms; bwd im2col = both gradients, the direct columns one each):")
        configuration.apply { for line in trainKernelTable(setup.description, parameters: replica.network.parameters, trace: trace) { log(line) } }
    }

    // The largest entries.
    entries.append(("scene generation (advance only)", scene))
    entries.append(("arg-max hits (advance only)", hits))
    let top = entries.sorted { $0.1 > $1.1 }.prefix(10)
    log("\ntop 10 (share of the fixed-input step):")
    for (name, t) in top { log("  " + pad(name, 32) + ms(t) + " ms  " + pct(t, step)) }

    let layerJSON = names.map { n in
        "\"\(n)\": {\"forward\": \(layer["\(n)|trainingForward"] ?? 0), \"backward\": \(layer["\(n)|backward"] ?? 0)}"
    }.joined(separator: ", ")
    let phaseJSON = phase.keys.sorted().map { "\"\($0)\": \(phase[$0]!)" }.joined(separator: ", ")
    return "{\"timedStepSeconds\": \(step), \"sceneGenerationSeconds\": \(scene), \"shapeInferenceSeconds\": \(shapeInference), \"phases\": {\(phaseJSON)}, \"layers\": {\(layerJSON)}, "
        + "\"convolutionBackward\": {\(splitJSON.joined(separator: ", "))}}"
}

/// Writes the parity files: weights, input, labels, scores, loss, gradients, updated weights.
func export(_ setup: StageSetup, images: [(input: Tensor, labels: Tensor)], configuration: EngineConfiguration, to dir: URL) throws {
    precondition(setup.stage != .classifier, "--export: segmentation stages only")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let (x, labels) = images[0]
    var replica = StepReplica(setup, network: try Network(setup.description, parameters: setup.parameters), configuration: configuration)
    var phases = PhaseTimes()
    let r = try replica.step([images[0]], phases: &phases)
    try Safetensors.write(setup.parameters, metadata: ["stage": setup.stage.rawValue], to: dir.appending(path: "weights.safetensors"))
    try Safetensors.write(r.gradients, to: dir.appending(path: "gradients.safetensors"))
    try Safetensors.write(replica.network.parameters, to: dir.appending(path: "updated.safetensors"))
    try NPY.write(x, to: dir.appending(path: "input.npy"))
    try NPY.write(labels, to: dir.appending(path: "labels.npy"))
    try NPY.write(r.trace![setup.output]!, to: dir.appending(path: "scores.npy"))
    let shapes = try setup.description.inferShapes(input: setup.inputShape)
    let crops = shapes.cropOffsets.keys.sorted().map { "\"\($0)\": [\(shapes.cropOffsets[$0]!.height), \(shapes.cropOffsets[$0]!.width)]" }
    let rules = setup.rules.keys.sorted().map { "\"\($0)\": [\(setup.rules[$0]!.learningRateMultiplier), \(setup.rules[$0]!.decayMultiplier)]" }
    let h = setup.hyperparameters
    let json = "{\"stage\": \"\(setup.stage.rawValue)\", \"inputShape\": \(setup.inputShape), \"loss\": \(r.loss), "
        + "\"learningRate\": \(h.learningRate), \"momentum\": \(h.momentum), \"weightDecay\": \(h.weightDecay), "
        + "\"ignoreLabel\": \(Int(ShapeClass.void)), \"averagesLoss\": \(h.averagesLoss), "
        + "\"cropOffsets\": {\(crops.joined(separator: ", "))}, \"rules\": {\(rules.joined(separator: ", "))}}\n"
    try json.write(to: dir.appending(path: "reference.json"), atomically: true, encoding: .utf8)
    log("exported weights, scene, scores, loss \(r.loss), gradients and updated weights to \(dir.path)")
}

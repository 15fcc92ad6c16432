// Network+Inference.swift — running a network forward, as lean as it can be.
//
// The paper's point (§3, §4.1) is that a fully convolutional net computes a dense output for an
// input of any size in one pass. This is that pass. For each step in order:
//   1. gather the step's input values;
//   2. ask the step's layer definition (`Layers/<Kind>/<Kind>+Definition.swift`) for its output,
//      with the kernels the caller's `EngineConfiguration` allows (for a convolution,
//      `Convolution.kernel(for:purpose:precision:)` chooses: Winograd for wide 3×3 layers, a direct kernel
//      for conv1_1's 3 input channels, im2col + sgemm otherwise), ReLU fused into the
//      convolution that feeds it;
//   3. drop every value that no later step reads — peak memory is then a few activations, not
//      the sum of all of them.
// Shapes are inferred first, so a window that does not fit or a crop that cannot align is a
// thrown error before any arithmetic, never a trap in a kernel.

import FCNCore

extension Network {
    /// The network's output (the top of its last layer) for `input`.
    ///
    /// - Parameters:
    ///   - input: `[N, C, H, W]`; for an FCN any H, W ≥ 1.
    ///   - configuration: threads, kernels and precision (default: every core, the fastest kernels, f32).
    /// - Returns: for FCNs the score map `[N, K, H, W]`; for classifiers `[N, K]`.
    /// - Throws: `UnsupportedPrecisionError` for bf16 on a CPU without AVX512-BF16 (or under
    ///   the portable or reference kernels); shape errors for an input the network cannot take.
    public func forward(_ input: Tensor, configuration: EngineConfiguration = .inForce) throws -> Tensor {
        let output = description.outputBlob ?? description.inputs[0]
        return try forward([description.inputs[0]: input], keeping: [output], configuration: configuration)[output]!
    }

    /// Runs the network and returns the requested blobs (each blob's final value).
    ///
    /// - Parameters:
    ///   - inputs: a tensor for every input blob.
    ///   - keeping: blob names to return; everything else is freed as soon as possible.
    ///   - configuration: threads and kernels (default: every core, the fastest kernels;
    ///     `EngineConfiguration(kernels: .portable)` or `.reference` to compare).
    ///   - stepObserver: if given, called after every step with the layer's name and the
    ///     seconds it took (a fused convolution + ReLU is reported once, under the
    ///     convolution's name) — for profilers such as `Benchmarks/fcn-profile`.
    public func forward(_ inputs: [String: Tensor], keeping: Set<String>, configuration: EngineConfiguration = .inForce,
                        stepObserver: ((_ layer: String, _ seconds: Double) -> Void)? = nil) throws -> [String: Tensor] {
        try configuration.requireSupportedPrecision()
        return try configuration.apply {
            try forward(inputs, keeping: keeping, inForce: configuration, stepObserver: stepObserver)
        }
    }

    /// The forward pass with the configuration already in force.
    private func forward(_ inputs: [String: Tensor], keeping: Set<String>, inForce configuration: EngineConfiguration,
                         stepObserver: ((_ layer: String, _ seconds: Double) -> Void)?) throws -> [String: Tensor] {
        let shapes = try checkedShapes(for: inputs)
        var kept = Set<Int>()
        for name in keeping {
            guard let v = plan.finalValues[name] else { throw NetworkError.unknownLayer(name) }
            kept.insert(v)
        }
        var values = [Tensor?](repeating: nil, count: plan.valueCount)
        for (name, v) in plan.inputValues { values[v] = inputs[name] }

        var position = 0
        while position < plan.steps.count {
            let step = plan.steps[position]
            let fuse = plan.fusesReLU(at: position, keeping: kept)
            // Take the inputs out of the table when this is their last reader, so that an
            // in-place ReLU owns its buffer and writes into it without a copy.
            var x: [Tensor] = []
            for v in step.inputs {
                if plan.lastUse[v] == position && !kept.contains(v) {
                    x.append(values[v]!)
                    values[v] = nil
                } else {
                    x.append(values[v]!)
                }
            }
            let start = stepObserver == nil ? nil : ContinuousClock.now
            let y = try run(step, x, fusingReLU: fuse, shapes: shapes, configuration: configuration, purpose: .inference)
            if let start, let stepObserver {
                let elapsed = (ContinuousClock.now - start).components
                stepObserver(step.layer.name, Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18)
            }
            if fuse {
                // The ReLU step that follows is done: its output is the fused result.
                values[plan.steps[position + 1].output] = y
                position += 2
            } else {
                values[step.output] = y
                position += 1
            }
        }
        var result: [String: Tensor] = [:]
        for name in keeping { result[name] = values[plan.finalValues[name]!] }
        return result
    }

    /// One step: the step's kind runs its forward pass (`Layers/<Kind>/<Kind>+Definition.swift`)
    /// with the kernels `configuration` allows for `purpose`.
    func run(_ step: ExecutionPlan.Step, _ x: [Tensor], fusingReLU: Bool, shapes: BlobShapes,
             configuration: EngineConfiguration, purpose: ConvolutionPurpose) throws -> Tensor {
        try step.definition.forward(x, context(step, cropOffsets: shapes.cropOffsets, fusingReLU: fusingReLU,
                                               configuration: configuration, purpose: purpose))
    }

    /// What a step's forward or backward pass may consult: the layer, the weights, the resolved
    /// crop offsets, whether a ReLU is fused, and the engine configuration.
    func context(_ step: ExecutionPlan.Step, cropOffsets: [String: Size2], fusingReLU: Bool = false,
                 configuration: EngineConfiguration, purpose: ConvolutionPurpose) -> StepContext {
        StepContext(layer: step.layer, parameters: parameters, cropOffsets: cropOffsets, fusingReLU: fusingReLU,
                    configuration: configuration, purpose: purpose, packedWeights: packedWeights)
    }
}

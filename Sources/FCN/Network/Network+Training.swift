// Network+Training.swift — the forward pass that remembers, and backpropagation (paper §3, §4.3).
//
// "Dense feedforward computation and backpropagation" (§3): learning is the chain rule applied
// layer by layer in reverse order. A training forward pass therefore keeps every intermediate
// value (the executor's numbered values, see `ExecutionPlan.swift`) and what the non-smooth
// layers decided — where each max came from, which units dropout kept — and `backward` walks
// the steps from last to first:
//
//     ∂L/∂x = Σ over the steps that read x of (that step's backward)(∂L/∂its output)
//
// summing where a value feeds several steps (the skip connections of FCN-16s/8s make pool4 and
// pool3 such values). Parameter gradients come out of the same backward calls.

import FCNCore

/// Everything a training forward pass computed, for ``Network/backward(_:outputGradients:configuration:)``.
public struct ForwardTrace: Sendable {
    var values: [Tensor?]
    var poolingArgmax: [Int: [Int32]] = [:]
    var dropoutMasks: [Int: [Bool]] = [:]
    let finalValues: [String: Int]
    /// Each crop layer's offset, as shape inference resolved it.
    let cropOffsets: [String: Size2]

    /// The final value of a blob (e.g. `"score"`).
    public subscript(blob: String) -> Tensor? {
        finalValues[blob].flatMap { values[$0] }
    }
}

extension Network {
    /// Runs the network in training mode (dropout active, everything kept for `backward`).
    ///
    /// - Parameters:
    ///   - inputs: a tensor for every input blob (for a training net, the image and its labels).
    ///   - rng: the dropout masks' randomness.
    ///   - configuration: threads and kernels. Convolutions use the kernels of
    ///     ``ConvolutionPurpose/training`` (no Winograd; see ``Convolution/kernel(for:purpose:)``).
    public func trainingForward(_ inputs: [String: Tensor], using rng: inout SeededRandom,
                                configuration: EngineConfiguration = .automatic) throws -> ForwardTrace {
        try configuration.apply { try trainingForward(inputs, using: &rng, policy: configuration.kernels) }
    }

    private func trainingForward(_ inputs: [String: Tensor], using rng: inout SeededRandom, policy: KernelPolicy) throws -> ForwardTrace {
        let shapes = try checkedShapes(for: inputs)
        var trace = ForwardTrace(values: [Tensor?](repeating: nil, count: plan.valueCount), finalValues: plan.finalValues,
                                 cropOffsets: shapes.cropOffsets)
        for (name, v) in plan.inputValues { trace.values[v] = inputs[name] }
        for (position, step) in plan.steps.enumerated() {
            let x = step.inputs.map { trace.values[$0]! }
            let y: Tensor
            switch step.layer.kind {
            case .maxPooling(let p):
                let r = Network.maxPooling(p).forwardWithArgmax(x[0])
                trace.poolingArgmax[position] = r.argmax
                y = r.output
            case .dropout(let ratio):
                let r = Dropout(ratio: ratio).forward(x[0], using: &rng)
                trace.dropoutMasks[position] = r.mask
                y = r.output
            default:
                y = try run(step, x, fusingReLU: false, shapes: shapes, policy: policy, purpose: .training)
            }
            trace.values[step.output] = y
        }
        return trace
    }

    /// Backpropagates from the given output gradients and returns ∂L/∂parameter for every
    /// parameter of the network.
    ///
    /// - Parameters:
    ///   - trace: the result of ``trainingForward(_:using:configuration:)``.
    ///   - outputGradients: ∂L/∂blob for the blobs the loss depends on, by blob name (their
    ///     final values). For a network that ends in its own loss layer pass
    ///     `["loss": Tensor(shape: [1], scalars: [1])]`.
    ///   - configuration: threads (the backward kernels do not depend on the policy yet).
    public func backward(_ trace: ForwardTrace, outputGradients: [String: Tensor],
                         configuration: EngineConfiguration = .automatic) -> [String: Tensor] {
        configuration.apply { backwardPass(trace, outputGradients: outputGradients) }
    }

    private func backwardPass(_ trace: ForwardTrace, outputGradients: [String: Tensor]) -> [String: Tensor] {
        var gradients = [Tensor?](repeating: nil, count: plan.valueCount)
        for (name, g) in outputGradients {
            let v = plan.finalValues[name]!
            precondition(trace.values[v]?.shape == g.shape, "backward: gradient of \(name) has shape \(g.shape), value \(trace.values[v]?.shape ?? [])")
            gradients[v] = g
        }
        func accumulate(_ v: Int, _ g: Tensor) {
            if gradients[v] == nil { gradients[v] = g } else { gradients[v]!.add(g) }
        }
        var parameterGradients: [String: Tensor] = [:]

        for (position, step) in plan.steps.enumerated().reversed() {
            guard let dy = gradients[step.output] else { continue }     // the loss does not depend on it
            gradients[step.output] = nil
            let x = step.inputs.map { trace.values[$0]! }
            let layer = step.layer
            switch layer.kind {
            case .convolution(let p):
                let g = convolution(layer, p).backward(input: x[0], outputGradient: dy)
                accumulate(step.inputs[0], g.input)
                parameterGradients["\(layer.name).weight"] = g.weight
                if let b = g.bias { parameterGradients["\(layer.name).bias"] = b }
            case .transposedConvolution(let p):
                let g = transposedConvolution(layer, p).backward(input: x[0], outputGradient: dy)
                accumulate(step.inputs[0], g.input)
                parameterGradients["\(layer.name).weight"] = g.weight
                if let b = g.bias { parameterGradients["\(layer.name).bias"] = b }
            case .linear(let p):
                let g = linear(layer, p).backward(input: x[0], outputGradient: dy)
                accumulate(step.inputs[0], g.input)
                parameterGradients["\(layer.name).weight"] = g.weight
                if let b = g.bias { parameterGradients["\(layer.name).bias"] = b }
            case .maxPooling(let p):
                accumulate(step.inputs[0], Network.maxPooling(p).backward(inputShape: x[0].shape, argmax: trace.poolingArgmax[position]!, outputGradient: dy))
            case .relu:
                accumulate(step.inputs[0], ReLU().backward(input: x[0], outputGradient: dy))
            case .dropout(let ratio):
                accumulate(step.inputs[0], Dropout(ratio: ratio).backward(mask: trace.dropoutMasks[position]!, outputGradient: dy))
            case .localResponseNormalization(let p):
                accumulate(step.inputs[0], Network.localResponseNormalization(p).backward(input: x[0], outputGradient: dy))
            case .crop:
                // Only the cropped blob receives a gradient; the reference gives just a size.
                let offset = trace.cropOffsets[layer.name]!
                accumulate(step.inputs[0], Crop(offset: offset).backward(inputShape: x[0].shape, outputGradient: dy))
            case .sum(let coefficients):
                for (v, g) in zip(step.inputs, Sum(coefficients: coefficients).backward(outputGradient: dy)) { accumulate(v, g) }
            case .softmaxCrossEntropy(let p):
                accumulate(step.inputs[0], Network.loss(p).backward(scores: x[0], labels: x[1], lossGradient: dy.scalars[0]))
            }
        }
        return parameterGradients
    }
}

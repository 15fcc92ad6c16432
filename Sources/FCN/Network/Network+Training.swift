// Network+Training.swift — the forward pass that remembers, and backpropagation (paper §3, §4.3).
//
// "Dense feedforward computation and backpropagation" (§3): learning is the chain rule applied
// layer by layer in reverse order. A training forward pass therefore keeps every intermediate
// value (the executor's numbered values, see `ExecutionPlan.swift`) and what the non-smooth
// layers decided — where each max came from, which units dropout kept — and `backward` walks
// the steps from last to first, asking each step's layer definition (`Layers/<Kind>/`) for its
// gradients:
//
//     ∂L/∂x = Σ over the steps that read x of (that step's backward)(∂L/∂its output)
//
// summing where a value feeds several steps (the skip connections of FCN-16s/8s make pool4 and
// pool3 such values). Parameter gradients come out of the same backward calls.
//
// Only the gradients someone reads are computed: a value gets one only if it depends on a
// parameter that learns. The image does not, so conv1_1 does not scatter its gradient onto the
// pixels; a frozen parameter (fixed bilinear upsampling, FCN-32s-fixed's backbone) gets no ∂L/∂w;
// and a step none of whose inputs or parameters learn is not run backwards at all.

import FCNCore

/// Everything a training forward pass computed, for ``Network/backward(_:outputGradients:parameters:configuration:)``.
public struct ForwardTrace: Sendable {
    var values: [Tensor?]
    /// What each non-smooth step decided (pooling and max arg-maxes, dropout masks), by step position.
    var decisions: [Int: Decisions] = [:]
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
    ///     ``ConvolutionPurpose/training`` (no Winograd; see ``Convolution/kernel(for:purpose:precision:)``).
    public func trainingForward(_ inputs: [String: Tensor], using rng: inout SeededRandom,
                                configuration: EngineConfiguration = .inForce) throws -> ForwardTrace {
        try configuration.apply { try trainingForward(inputs, using: &rng, inForce: configuration) }
    }

    /// The training forward pass with the configuration already in force.
    private func trainingForward(_ inputs: [String: Tensor], using rng: inout SeededRandom,
                                 inForce configuration: EngineConfiguration) throws -> ForwardTrace {
        let shapes = try checkedShapes(for: inputs)
        var trace = ForwardTrace(values: [Tensor?](repeating: nil, count: plan.valueCount), finalValues: plan.finalValues,
                                 cropOffsets: shapes.cropOffsets)
        for (name, v) in plan.inputValues { trace.values[v] = inputs[name] }
        for (position, step) in plan.steps.enumerated() {
            let x = step.inputs.map { trace.values[$0]! }
            let (y, decisions) = try step.definition.trainingForward(
                x, context(step, cropOffsets: shapes.cropOffsets, configuration: configuration, purpose: .training), using: &rng)
            trace.decisions[position] = decisions
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
    ///   - wanted: the parameters whose gradients are wanted (the learnable ones of a
    ///     training stage), or `nil` for every parameter. Nothing is computed that only a frozen
    ///     parameter or the input image would receive.
    ///   - configuration: threads (the backward kernels do not depend on the policy yet).
    public func backward(_ trace: ForwardTrace, outputGradients: [String: Tensor], parameters wanted: Set<String>? = nil,
                         configuration: EngineConfiguration = .inForce) -> [String: Tensor] {
        configuration.apply { backwardPass(trace, outputGradients: outputGradients, wanted: wanted, inForce: configuration) }
    }

    /// What each step's backward pass must compute, by step position: `nil` for a step none of
    /// whose inputs or parameters depend on a wanted parameter (it is not run backwards).
    ///
    /// A value needs a gradient when it depends on a parameter that learns; network inputs (the
    /// image, the labels) do not.
    func stepNeeds(_ wanted: Set<String>?) -> [GradientNeeds?] {
        var dependsOnLearning = [Bool](repeating: false, count: plan.valueCount)   // by value
        var needs: [GradientNeeds?] = []
        for step in plan.steps {
            let name = step.layer.name
            let learns = ["\(name).weight", "\(name).bias"].contains { p in parameters[p] != nil && (wanted?.contains(p) ?? true) }
            let inputs = step.inputs.map { dependsOnLearning[$0] }
            needs.append(learns || inputs.contains(true) ? GradientNeeds(inputs: inputs, parameters: learns) : nil)
            dependsOnLearning[step.output] = dependsOnLearning[step.output] || learns || inputs.contains(true)
        }
        return needs
    }

    /// ``stepNeeds(_:)`` by layer name, for the steps that run backwards (tests, profiling).
    func gradientNeeds(_ wanted: Set<String>?) -> [String: GradientNeeds] {
        var byName: [String: GradientNeeds] = [:]
        for (step, needs) in zip(plan.steps, stepNeeds(wanted)) { if let needs { byName[step.layer.name] = needs } }
        return byName
    }

    /// Backpropagation with the configuration already in force.
    private func backwardPass(_ trace: ForwardTrace, outputGradients: [String: Tensor], wanted: Set<String>?,
                              inForce configuration: EngineConfiguration) -> [String: Tensor] {
        let stepNeeds = stepNeeds(wanted)
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
            guard let needs = stepNeeds[position] else { continue }     // nothing upstream learns
            let x = step.inputs.map { trace.values[$0]! }
            var stepContext = context(step, cropOffsets: trace.cropOffsets, configuration: configuration, purpose: .training)
            stepContext.needs = needs
            let g = step.definition.backward(x, outputGradient: dy, decisions: trace.decisions[position], stepContext)
            for (i, (v, gradient)) in zip(step.inputs, g.inputs).enumerated() where needs.input(i) {
                if let gradient { accumulate(v, gradient) }   // a crop's reference and a loss's labels get none
            }
            parameterGradients.merge(g.parameters.filter { wanted?.contains($0.key) ?? true }) { $1 }
        }
        return parameterGradients
    }
}

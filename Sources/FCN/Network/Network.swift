// Network.swift — a network description with its weights: something that can run.
//
// `NetworkDescription` says what the layers are; `Network` adds the numbers (a dictionary from
// `"<layer>.weight"` / `"<layer>.bias"` to tensors) and runs them:
//
//   - `forward(_:)` for inference (`Network+Inference.swift`): frees every intermediate as soon
//     as no later layer needs it, fuses convolution + ReLU, and uses the fast kernels;
//   - `trainingForward` / `backward` for learning (`Network+Training.swift`): keeps every
//     intermediate and computes the gradient of every parameter by backpropagation (paper §3:
//     "backpropagation … for learning").
//
// The executor itself is a loop over steps: each step's layer definition
// (`Layers/<Kind>/<Kind>+Definition.swift`) builds its compute struct from the weights and runs it.

import FCNCore

/// A network description bound to its parameters.
///
/// ```swift
/// let description = try FCN.description(.fcn8s, classes: 21)
/// var rng = SeededRandom(seed: 1)
/// let net = try Network(description, parameters: Network.initialParameters(for: description, using: &rng))
/// let scores = try net.forward(image)          // [1, 21, H, W] for an image [1, 3, H, W]
/// ```
///
/// ### See Also
/// - ``NetworkDescription``, ``FCN``, ``VGG``; ``SafetensorsFile`` to load real weights.
public struct Network: Sendable {
    /// The description this network executes.
    public let description: NetworkDescription
    /// Weights by name, `"<layer>.weight"` and `"<layer>.bias"`.
    public private(set) var parameters: [String: Tensor]
    /// The channel count of the (first) input blob the parameters were checked against.
    public let inputChannels: Int
    /// The compiled steps (`var` only so that `timingSteps(into:)` can wrap them; nothing else changes it).
    var plan: ExecutionPlan
    /// Weights packed for the bf16 kernels on first use (`PackedWeights.swift`); replaced by `update`.
    var packedWeights = PackedWeights()

    /// Binds `parameters` to `description`, checking that every tensor the layers need is there
    /// with the right shape and that there is nothing else.
    ///
    /// Fully connected layers are checked when the input's spatial size is known (at the first
    /// `forward`); every other layer is checked here.
    public init(_ description: NetworkDescription, parameters: [String: Tensor], inputChannels: Int = 3) throws {
        try description.validate()
        self.description = description
        self.parameters = parameters
        self.inputChannels = inputChannels
        self.plan = ExecutionPlan(description)
        if !description.hasFullyConnectedLayers {
            try Network.check(parameters, against: description.parameterShapes(inputChannels: inputChannels))
        }
    }

    /// Throws the first missing, unexpected or mis-shaped tensor.
    static func check(_ parameters: [String: Tensor], against expected: [ParameterShape]) throws(ParameterError) {
        let names = Set(expected.map(\.name))
        for p in expected {
            guard let t = parameters[p.name] else { throw .missing(name: p.name, expectedShape: p.shape) }
            guard t.shape == p.shape else { throw .shapeMismatch(name: p.name, expected: p.shape, found: t.shape) }
        }
        if let extra = parameters.keys.sorted().first(where: { !names.contains($0) }) {
            throw .unexpected(name: extra, shape: parameters[extra]!.shape)
        }
    }

    /// Every blob's shape for these inputs — a thrown error, before any arithmetic, if a window
    /// does not fit or a crop cannot align. Fully connected layers, whose weight size depends on
    /// the spatial size, have their parameters checked here too (the others were at `init`).
    func checkedShapes(for inputs: [String: Tensor]) throws -> BlobShapes {
        let shapes = try description.inferShapes(inputs: inputs.mapValues(\.shape))
        if description.hasFullyConnectedLayers {
            try Network.check(parameters, against: description.parameterShapes(inputShape: inputs[description.inputs[0]]!.shape))
        }
        return shapes
    }

    /// Replaces parameters by name (e.g. after an SGD step); shapes must not change.
    public mutating func update(_ newValues: [String: Tensor]) {
        for (name, t) in newValues {
            precondition(parameters[name]?.shape == t.shape, "Network.update: \(name) must keep its shape")
            parameters[name] = t
        }
        packedWeights = PackedWeights()
    }

    /// The names of the parameters that learn (fixed bilinear kernels excluded).
    public func learnableParameterNames(inputShape: [Int]) throws -> [String] {
        try description.parameterShapes(inputShape: inputShape).filter(\.learnable).map(\.name)
    }
}

// LayerDefinition.swift — everything the library knows about one kind of layer, behind one small
// protocol (paper §3: "each layer of data in a convnet is a three-dimensional array"; the
// function f_ks a layer applies "is determined by the layer type").
//
// A `LayerKind` is data: a case and its parameters, as in a Caffe prototxt. What a kind *means*
// — how many bottoms it reads, the shape it writes, how it moves the pixel grid, what weights it
// has, what it costs, how it runs forward and backward — is stated once, by the kind's
// conformance to `LayerDefinition` in its own folder (`Layers/<Kind>/<Kind>+Definition.swift`,
// next to the kind's reference loops and fast path). Every tool asks the definition: shape
// inference, coordinate maps, receptive fields, parameter shapes, multiply-adds, memory, the
// figures' one-line summaries and the executor. One switch maps a case to its definition:
// `LayerKind.definition` in `Network/LayerDescription.swift`.
//
// The requirements come in two halves:
//   description — caffeType … summary: pure arithmetic on shapes and maps, no tensors;
//   execution   — forward (inference, fast kernels), trainingForward (what a non-smooth layer
//                 decided), backward (∂L/∂bottoms and ∂L/∂parameters).
// Most have defaults that fit a one-bottom layer without weights which keeps the pixel grid
// (ReLU, dropout, LRN): such a kind states its type name, its output shape and its passes.
//
// Dimension letters: N batch, C channels, H×W spatial size, O output channels.
//
// (The shape of this protocol follows mlx-swift's MLXNN, where every layer conforms to one
// `UnaryLayer`/`Module` protocol, and swift-argument-parser, whose `ParsableArguments`
// requirements all have defaults but the one that matters.)

import FCNCore

/// One kind of layer: its description rules and its execution (see the file's header).
///
/// Conformances are the kinds' parameter structs (``ConvolutionParameters``, ``PoolingParameters``,
/// …), in `Layers/<Kind>/<Kind>+Definition.swift`.
protocol LayerDefinition: Sendable {
    // MARK: Description

    /// The Caffe layer type ("Convolution", "Eltwise", …), as written in a prototxt.
    var caffeType: String { get }
    /// The number of bottoms read, or `nil` for "one or more" (a fusion). Default 1.
    var bottomCount: Int? { get }
    /// Whether the top may reuse the bottom's name (Caffe's `in_place=True`): only for layers
    /// that map each value to one value independently (ReLU, dropout). Default `false`.
    var allowsInPlace: Bool { get }
    /// Range checks on the parameters; throws ``NetworkError/invalidParameter(layer:problem:)``.
    /// Default: nothing to check.
    func validate(_ layer: LayerDescription) throws(NetworkError)
    /// The top's shape given the bottoms' (and, for a crop, its resolved offset).
    func outputShape(_ layer: LayerDescription, bottoms: [[Int]], cropOffset: Size2?) throws(NetworkError) -> [Int]
    /// The layer's own map along one axis, output → input (`x = a·y + b` as an ``AxisMap``), or
    /// `nil` when it has none (a fully connected layer). Default: the identity.
    func axisStep(_ axis: Axis) -> AxisMap?
    /// The top's map to the network input, from the bottoms' maps (`nil`: undefined). A crop also
    /// records its offset in `cropOffsets`. Default: the first bottom's map, then ``axisStep(_:)``.
    func coordinateMap(_ layer: LayerDescription, bottoms: [CoordinateMap?],
                       cropOffsets: inout [String: Size2]) throws(NetworkError) -> CoordinateMap?
    /// How many bottom pixels, minus one, a top pixel depends on along `axis`. Default 0.
    func receptiveFieldGrowth(_ axis: Axis) -> Int
    /// The top's field size from the bottoms' sizes and the first bottom's jump (its stride in
    /// image pixels). Default: the first bottom's size plus ``receptiveFieldGrowth(_:)`` × jump.
    func receptiveFieldSize(bottoms: [FieldSize?], firstBottomJump: FieldSize?) -> FieldSize?
    /// The layer's weight tensors, given its bottom's channels C (and, after a flattening
    /// layer, its feature count F). Default: none.
    func parameterShapes(_ layer: String, inputChannels c: Int, inputFeatures f: Int?) throws(NetworkError) -> [ParameterShape]
    /// The top's channels, and whether it is flat (`[N, F]`), from the bottom's. Default: unchanged.
    func outputChannels(inputChannels c: Int, flat: Bool) -> (channels: Int, flat: Bool)
    /// The weight a network starts from (`Network+Initialization.swift`). Default: He et al.'s
    /// Gaussian, √(2 / fan-in); upsampling starts bilinear.
    func initialWeight(shape: [Int], using rng: inout SeededRandom) -> Tensor
    /// 1 for a learnable convolution counted in Table 1's "conv. layers" depth. Default 0.
    var convolutionDepth: Int { get }
    /// The bottoms whose pixels flow into the top (a crop's second bottom only lends its size).
    /// Default: all of them.
    func pathBottoms(_ layer: LayerDescription) -> [String]
    /// The multiply-adds of one forward pass (`input`: the first bottom's shape). Comparisons and
    /// additions are not counted. Default 0.
    func multiplyAdds(input: [Int], output: [Int]) -> Int
    /// Scratch floats the fast forward pass allocates beside its top (an im2col band). Default 0.
    func workspaceFloats(input: [Int], output: [Int]) -> Int
    /// A few words for figures and tables ("3×3 conv → 64", "×2 up (k 4)"). Default: ``caffeType``.
    func summary(_ layer: LayerDescription, cropOffset: Size2?) -> String

    // MARK: Execution

    /// Whether a ReLU that alone reads this layer's top may run inside this layer's output loop
    /// (inference only; see `ExecutionPlan.swift`). Default `false`.
    var fusesFollowingReLU: Bool { get }
    /// The inference forward pass with the fast kernels; `x` holds the bottoms' values in order.
    func forward(_ x: [Tensor], _ step: StepContext) throws -> Tensor
    /// The training forward pass: the output, and what a non-smooth layer decided (where each
    /// max came from, which units dropout kept) for ``backward(_:outputGradient:decisions:_:)``.
    /// Default: ``forward(_:_:)``, nothing remembered.
    func trainingForward(_ x: [Tensor], _ step: StepContext, using rng: inout SeededRandom) throws -> (output: Tensor, decisions: Decisions?)
    /// ∂L/∂bottoms and ∂L/∂parameters from dL/dtop `dy`, the forward inputs `x` and the decisions.
    func backward(_ x: [Tensor], outputGradient dy: Tensor, decisions: Decisions?, _ step: StepContext) -> StepGradients
}

/// A receptive field's size along both axes, in image pixels (or a jump: the stride so far).
typealias FieldSize = (vertical: Rational, horizontal: Rational)

extension LayerDefinition {
    var bottomCount: Int? { 1 }
    var allowsInPlace: Bool { false }
    func validate(_ layer: LayerDescription) throws(NetworkError) {}
    func axisStep(_ axis: Axis) -> AxisMap? { .identity }
    func coordinateMap(_ layer: LayerDescription, bottoms: [CoordinateMap?],
                       cropOffsets: inout [String: Size2]) throws(NetworkError) -> CoordinateMap? {
        guard let m = bottoms[0], let v = axisStep(.vertical), let h = axisStep(.horizontal) else { return nil }
        return CoordinateMap(vertical: m.vertical.then(v), horizontal: m.horizontal.then(h))
    }
    func receptiveFieldGrowth(_ axis: Axis) -> Int { 0 }
    func receptiveFieldSize(bottoms: [FieldSize?], firstBottomJump jump: FieldSize?) -> FieldSize? {
        guard let s = bottoms[0], let jump else { return nil }
        return (s.vertical + Rational(receptiveFieldGrowth(.vertical)) * jump.vertical,
                s.horizontal + Rational(receptiveFieldGrowth(.horizontal)) * jump.horizontal)
    }
    func parameterShapes(_ layer: String, inputChannels c: Int, inputFeatures f: Int?) throws(NetworkError) -> [ParameterShape] { [] }
    func outputChannels(inputChannels c: Int, flat: Bool) -> (channels: Int, flat: Bool) { (c, flat) }
    var convolutionDepth: Int { 0 }
    func pathBottoms(_ layer: LayerDescription) -> [String] { layer.bottoms }
    func multiplyAdds(input: [Int], output: [Int]) -> Int { 0 }
    func workspaceFloats(input: [Int], output: [Int]) -> Int { 0 }
    func summary(_ layer: LayerDescription, cropOffset: Size2?) -> String { caffeType }
    var fusesFollowingReLU: Bool { false }
    func trainingForward(_ x: [Tensor], _ step: StepContext, using rng: inout SeededRandom) throws -> (output: Tensor, decisions: Decisions?) {
        (try forward(x, step), nil)
    }

    /// Throws ``NetworkError/invalidParameter(layer:problem:)`` with `problem` unless `ok`.
    func require(_ ok: Bool, _ problem: @autoclosure () -> String, in layer: LayerDescription) throws(NetworkError) {
        if !ok { throw .invalidParameter(layer: layer.name, problem: problem()) }
    }

    /// The bottom `[N, C, H, W]`, or ``NetworkError/rankMismatch(layer:expected:got:)``.
    func spatial(_ x: [Int], of layer: LayerDescription) throws(NetworkError) -> Tensor.NCHW {
        guard x.count == 4 else { throw .rankMismatch(layer: layer.name, expected: 4, got: x) }
        return Tensor.NCHW(n: x[0], c: x[1], h: x[2], w: x[3])
    }
}

/// What one step's forward or backward pass may consult besides its input values.
struct StepContext {
    /// The layer being run.
    let layer: LayerDescription
    /// The network's weights by name, `"<layer>.weight"` and `"<layer>.bias"`.
    let parameters: [String: Tensor]
    /// Every crop's offset, as shape inference resolved it.
    let cropOffsets: [String: Size2]
    /// Whether the ReLU that follows runs inside this step (inference only).
    var fusingReLU = false
    /// Threads and kernel policy, already in force (`EngineConfiguration.apply`) when a step runs.
    var configuration: EngineConfiguration = .automatic
    /// Inference or training: training's forward pass keeps the kernels its backward pass
    /// differentiates (see ``Convolution/kernel(for:purpose:precision:)``).
    var purpose: ConvolutionPurpose = .inference
    /// Which gradients the backward pass must return (training computes no gradient nobody
    /// reads: not the image's, not a frozen kernel's).
    var needs = GradientNeeds.all
    /// The network's cache of weights packed for the bf16 kernels (`PackedWeights.swift`).
    var packedWeights: PackedWeights?

    /// The layer's weight tensor.
    var weight: Tensor { parameters["\(layer.name).weight"]! }
    /// The layer's bias, when it has one.
    func bias(_ present: Bool) -> Tensor? { present ? parameters["\(layer.name).bias"]! : nil }
    /// This crop's offset.
    var cropOffset: Size2 { cropOffsets[layer.name]! }
}

/// Which gradients a step's backward pass must compute.
///
/// The chain rule only needs ∂L/∂x where x depends on something that learns: nothing upstream of
/// the image does, so conv1_1 need not scatter its output gradient onto the pixels; and a frozen
/// parameter (FCN's fixed bilinear upsampling, the backbone of FCN-32s-fixed) needs no ∂L/∂w.
/// Layers without weights may ignore `parameters`; a layer may always return more than asked.
struct GradientNeeds: Sendable {
    /// Per bottom, whether its gradient is read.
    var inputs: [Bool]?
    /// Whether the layer's weight and bias gradients are read.
    var parameters: Bool

    /// Everything (the default, and what the public backward passes compute).
    static let all = GradientNeeds(inputs: nil, parameters: true)

    /// Whether bottom `i`'s gradient is read.
    func input(_ i: Int) -> Bool { inputs?[i] ?? true }
}

/// What a training forward pass decided at a non-smooth layer, kept for its backward pass.
struct Decisions: Sendable {
    /// For each output element, where its maximum came from: the flat input index (max pooling)
    /// or the bottom (element-wise max).
    var argmax: [Int32] = []
    /// For each element, whether dropout kept it.
    var kept: [Bool] = []
}

/// What one step's backward pass returns.
struct StepGradients {
    /// ∂L/∂bottom per bottom, in order; `nil` where a bottom receives none (a crop's reference,
    /// the labels of a loss).
    var inputs: [Tensor?]
    /// ∂L/∂parameter by name.
    var parameters: [String: Tensor] = [:]

    /// Gradients for the bottoms only.
    init(inputs: [Tensor?]) { self.inputs = inputs }

    /// The gradients of a one-bottom layer with a weight and an optional bias, named for
    /// `layer`; `nil` where they were not asked for.
    init(layer: String, input: Tensor?, weight: Tensor?, bias: Tensor?) {
        inputs = [input]
        if let weight { parameters["\(layer).weight"] = weight }
        if let bias { parameters["\(layer).bias"] = bias }
    }

    /// The gradients of a one-bottom layer with a weight and an optional bias, named for `layer`.
    init(layer: String, _ g: LayerGradients) {
        inputs = [g.input]
        parameters["\(layer).weight"] = g.weight
        if let b = g.bias { parameters["\(layer).bias"] = b }
    }
}

// Linear+Definition.swift — what a fully connected layer is, as a description and as a step of
// the executor (paper §3.1: "fully connected layers can also be viewed as convolutions with
// kernels that cover their entire input regions").
//
// Rules, with F = C·H·W the flattened bottom and O the outputs:
//   output shape     [N, O] — flat, so the layers after it have no pixel grid
//   coordinate map   none (it sees the whole input), hence no receptive field either
//   weights          weight [O, F], bias [O]; F needs the bottom's spatial size
//   multiply-adds    N·F·O; it counts as one convolution of Table 1's depth (§3.1)

import FCNCore

/// Parameters of a fully connected layer [Caffe `InnerProduct`]: the bottom `[N, C, H, W]` is
/// flattened to `[N, C·H·W]`; weight `[O, C·H·W]`, bias `[O]`, output `[N, O]`.
public struct LinearParameters: Hashable, Sendable {
    /// Number of outputs O.
    public var outputs: Int
    /// Whether the layer has a bias `[O]`.
    public var bias: Bool
    /// A fully connected layer of `outputs` outputs.
    public init(outputs: Int, bias: Bool = true) { self.outputs = outputs; self.bias = bias }
}

extension LinearParameters: LayerDefinition {
    var caffeType: String { "InnerProduct" }

    func validate(_ layer: LayerDescription) throws(NetworkError) {
        try require(outputs >= 1, "outputs must be ≥ 1", in: layer)
    }

    func outputShape(_ layer: LayerDescription, bottoms: [[Int]], cropOffset: Size2?) throws(NetworkError) -> [Int] {
        [bottoms[0][0], outputs]                                                // [N, O]; the rest is flattened
    }

    func axisStep(_ axis: Axis) -> AxisMap? { nil }

    func parameterShapes(_ layer: String, inputChannels c: Int, inputFeatures f: Int?) throws(NetworkError) -> [ParameterShape] {
        guard let f else { throw .needsSpatialSize(layer: layer) }
        return [ParameterShape(name: "\(layer).weight", shape: [outputs, f], learnable: true)]
            + (bias ? [ParameterShape(name: "\(layer).bias", shape: [outputs], learnable: true)] : [])
    }

    func outputChannels(inputChannels c: Int, flat: Bool) -> (channels: Int, flat: Bool) { (outputs, true) }
    var convolutionDepth: Int { 1 }
    func multiplyAdds(input x: [Int], output y: [Int]) -> Int { x.reduce(1, *) * outputs }
    func summary(_ layer: LayerDescription, cropOffset: Size2?) -> String { "linear → \(outputs)" }

    /// The compute struct with the step's weights.
    func operation(with step: StepContext) -> Linear { Linear(weight: step.weight, bias: step.bias(bias)) }

    func forward(_ x: [Tensor], _ step: StepContext) throws -> Tensor { operation(with: step).forward(x[0]) }

    func backward(_ x: [Tensor], outputGradient dy: Tensor, decisions: Decisions?, _ step: StepContext) -> StepGradients {
        StepGradients(layer: step.layer.name, operation(with: step).backward(input: x[0], outputGradient: dy))
    }
}

// Sum+Definition.swift — what the weighted sum is, as a description and as a step of the executor
// (paper §4.2: FCN-16s and FCN-8s "sum both predictions").
//
// A fusion (`FusionParameters.swift`): all bottoms must share one shape, which the top keeps.
// Caffe calls it Eltwise SUM with `coeff`; with a single bottom it is a fixed scaling (FCN-8s
// at-once's `scale_pool4`, ×0.01), which Caffe writes as a Scale layer.

import FCNCore

/// The sum kind's definition (`LayerKind.sum(coefficients:)`).
struct SumParameters: FusionParameters {
    /// One coefficient per bottom.
    var coefficients: [Float]

    var caffeType: String { coefficients.count == 1 ? "Scale" : "Eltwise" }

    func validate(_ layer: LayerDescription) throws(NetworkError) {
        try require(coefficients.count == layer.bottoms.count, "\(coefficients.count) coefficients for \(layer.bottoms.count) bottoms", in: layer)
    }

    func outputShape(_ layer: LayerDescription, bottoms: [[Int]], cropOffset: Size2?) throws(NetworkError) -> [Int] {
        guard bottoms.allSatisfy({ $0 == bottoms[0] }) else { throw .sumShapeMismatch(layer: layer.name, shapes: bottoms) }
        return bottoms[0]
    }

    func summary(_ layer: LayerDescription, cropOffset: Size2?) -> String {
        coefficients.count == 1 ? "× \(coefficients[0])" : "sum"
    }

    func forward(_ x: [Tensor], _ step: StepContext) throws -> Tensor { Sum(coefficients: coefficients).forward(x) }

    func backward(_ x: [Tensor], outputGradient dy: Tensor, decisions: Decisions?, _ step: StepContext) -> StepGradients {
        StepGradients(inputs: Sum(coefficients: coefficients).backward(outputGradient: dy))
    }
}

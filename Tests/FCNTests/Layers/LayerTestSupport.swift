// LayerTestSupport.swift — shared checks for the layer tests: fast = reference, and
// analytic gradients = finite differences (see Support/GradientCheck.swift).
import Testing
@testable import FCN

/// Asserts `max|fast − reference| ≤ tolerance · max|reference|` and records both numbers.
func expectFastMatchesReference(_ fast: Tensor, _ reference: Tensor, tolerance: Float = 1e-4, _ what: String,
                                sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(fast.shape == reference.shape, "\(what): shape \(fast.shape) vs reference \(reference.shape)",
            sourceLocation: sourceLocation)
    guard fast.shape == reference.shape else { return }
    let relative = fast.relativeDifference(to: reference)
    #expect(relative <= tolerance,
            "\(what): max relative difference \(relative) (max |Δ| \(fast.maxAbsoluteDifference(reference)), max |ref| \(reference.maxAbsolute()))",
            sourceLocation: sourceLocation)
}

/// Checks the three gradients of a layer `y = f(x; w, b)` against central differences of
/// `L = ⟨f(x; w, b), r⟩` with a fixed random upstream gradient r.
///
/// - Parameters:
///   - forward: the layer's forward pass as a function of (x, w, b).
///   - analytic: what the backward pass returned for `outputGradient: upstream`.
func expectGradientsMatchFiniteDifferences(
    x: Tensor, weight: Tensor, bias: Tensor?, upstream: Tensor,
    analytic: (input: Tensor, weight: Tensor, bias: Tensor?),
    _ what: String,
    sourceLocation: SourceLocation = #_sourceLocation,
    forward: (Tensor, Tensor, Tensor?) -> Tensor
) {
    let dx = numericalGradient(at: x) { forward($0, weight, bias).dot(upstream) }
    expectGradientsClose(analytic.input, dx, "\(what) dL/dx", sourceLocation: sourceLocation)
    let dw = numericalGradient(at: weight) { forward(x, $0, bias).dot(upstream) }
    expectGradientsClose(analytic.weight, dw, "\(what) dL/dw", sourceLocation: sourceLocation)
    #expect((analytic.bias == nil) == (bias == nil), "\(what): bias gradient present iff bias", sourceLocation: sourceLocation)
    if let bias, let analyticBias = analytic.bias {
        let db = numericalGradient(at: bias) { forward(x, weight, $0).dot(upstream) }
        expectGradientsClose(analyticBias, db, "\(what) dL/db", sourceLocation: sourceLocation)
    }
}

/// The ReLU of a tensor, element by element (to check fused conv + ReLU).
func relu(_ x: Tensor) -> Tensor {
    Tensor(shape: x.shape, scalars: x.scalars.map { max($0, 0) })
}

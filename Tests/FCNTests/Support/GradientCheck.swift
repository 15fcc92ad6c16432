// GradientCheck.swift — finite differences, the independent witness for every backward pass.
//
// For a layer y = f(x) we pick a fixed random "upstream gradient" r and look at the scalar
//
//     L(x) = ⟨f(x), r⟩ = Σᵢ f(x)ᵢ rᵢ          (accumulated in Double)
//
// whose gradient is exactly what `backward(input: x, outputGradient: r)` must return. The
// central difference (L(x + εeⱼ) − L(x − εeⱼ)) / 2ε approximates ∂L/∂xⱼ with error O(ε²) for
// smooth f and none at all for linear f (convolution, crop, sum); the remaining error is Float
// rounding of f's output, about 1e-7·|y|·√(count)/ε. We divide by the perturbation that Float
// actually represented, not by the ε we asked for.
import Testing
@testable import FCN

/// The numerical gradient of `loss` at `x` by central differences.
func numericalGradient(at x: Tensor, epsilon: Float = 1e-2, _ loss: (Tensor) -> Double) -> Tensor {
    var gradient = Tensor(zeros: x.shape)
    var probe = x
    for j in 0..<x.count {
        let original = x.scalars[j]
        probe.scalars[j] = original + epsilon
        let plusValue = probe.scalars[j]
        let plus = loss(probe)
        probe.scalars[j] = original - epsilon
        let minusValue = probe.scalars[j]
        let minus = loss(probe)
        probe.scalars[j] = original
        gradient.scalars[j] = Float((plus - minus) / Double(plusValue - minusValue))
    }
    return gradient
}

/// Asserts that an analytic gradient matches the numerical one:
/// `max|analytic − numeric| ≤ tolerance · max(1, max|numeric|)`. Records the max difference.
func expectGradientsClose(_ analytic: Tensor, _ numeric: Tensor, tolerance: Float = 1e-3,
                          _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(analytic.shape == numeric.shape, "\(what): gradient shape", sourceLocation: sourceLocation)
    guard analytic.shape == numeric.shape else { return }
    let scale = max(1, numeric.maxAbsolute())
    let difference = analytic.maxAbsoluteDifference(numeric)
    #expect(difference <= tolerance * scale,
            "\(what): max |analytic − numeric| = \(difference), allowed \(tolerance * scale)",
            sourceLocation: sourceLocation)
}

// FusedReLUComparison.swift — the comparison every fused fast path's test makes: the fast
// output, with and without its fused ReLU, against the plain reference (and max(·, 0) of it).
import FCN
import Testing

/// The largest relative difference between `fast(relu)` and the reference (clamped at 0 when
/// `relu`), over `relu = false` and, if `alsoWithReLU`, `relu = true`. Records a failed
/// expectation and returns infinity if a shape differs; the second value is the shape expected.
func worstRelativeError(reference: Tensor, alsoWithReLU: Bool, fast: (_ relu: Bool) -> Tensor) -> (Float, [Int]) {
    var worst: Float = 0
    for relu in alsoWithReLU ? [false, true] : [false] {
        let expected = relu ? Tensor(shape: reference.shape, scalars: reference.scalars.map { max($0, 0) }) : reference
        let y = fast(relu)
        #expect(y.shape == expected.shape)
        guard y.shape == expected.shape else { return (.infinity, y.shape) }
        worst = max(worst, y.relativeDifference(to: expected))
    }
    return (worst, reference.shape)
}

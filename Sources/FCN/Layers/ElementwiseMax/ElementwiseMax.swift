// ElementwiseMax.swift — fusing predictions by their element-wise maximum, the alternative to
// summing that the paper tried and set aside (paper §4.2 and its footnote, CVPR 2015: "max
// fusion made learning difficult due to gradient switching").
//
// FCN-16s and FCN-8s fuse a coarse, upsampled prediction with a finer one by adding them. The
// other fusion Caffe's Eltwise layer offers is MAX: every output value is the largest of the
// inputs' values at that position,
//
//     y[k] = max_i x_i[k],
//
// and the gradient flows only to the input that won there:
//
//     ∂L/∂x_i[k] = ∂L/∂y[k]  if i is the arg-max at k,  0 otherwise.
//
// This is the "gradient switching" of the footnote: at each pixel exactly one stream learns,
// and which one can change from one step to the next. Ties go to the first input with the
// maximum (a later input must be strictly larger to win). Caffe's CPU loop differs on one
// detail: it compares the first two inputs with `a > b ? a : b`, so an exact tie between inputs
// 0 and 1 goes to input 1; later ties go to the earlier input as here. Exact ties of float
// activations are rare, and only the gradient's route changes, never the output.
//
// This file holds the definition and the plain-loop reference; the fast passes are in
// `ElementwiseMax+Fast.swift`, tested equal to these. Any shape works (all inputs share it);
// score maps are `[N, K, H, W]`.

import FCNCore

/// The element-wise maximum of one or more same-shaped tensors [Caffe `Eltwise` with
/// `operation: MAX`].
///
/// ```swift
/// let a = Tensor(shape: [1, 1, 1, 3], scalars: [1, 5, 3])
/// let b = Tensor(shape: [1, 1, 1, 3], scalars: [4, 2, 3])
/// let r = ElementwiseMax().referenceForward([a, b])
/// r.output.scalars   // [4, 5, 3]
/// r.argmax           // [1, 0, 0]: the tie at the last position goes to the first input
/// ```
///
/// ### See Also
/// - ``Sum``, the fusion FCN uses.
public struct ElementwiseMax: Sendable {
    /// The output of a training forward pass: the maximum and, for every element, the input it
    /// came from.
    public struct Result: Sendable {
        /// The element-wise maximum, shaped like the inputs.
        public var output: Tensor
        /// One entry per element: the index of the input that holds the maximum there.
        public var argmax: [Int32]
    }

    /// The element-wise maximum (it has no parameters).
    public init() {}

    /// Checks that there is at least one input and that all share the first one's shape.
    func checkShapes(_ inputs: [Tensor]) {
        precondition(!inputs.isEmpty, "ElementwiseMax: needs at least one input")
        for x in inputs {
            precondition(x.shape == inputs[0].shape, "ElementwiseMax: input shapes \(inputs[0].shape) and \(x.shape) differ")
        }
    }

    /// The reference forward pass: for each element, the first input holding the largest value.
    ///
    /// - Parameter inputs: one or more tensors of one shape.
    /// - Returns: the maximum (shaped like the inputs) and the arg-max input per element.
    public func referenceForward(_ inputs: [Tensor]) -> Result {
        checkShapes(inputs)
        var y = inputs[0].scalars
        var argmax = [Int32](repeating: 0, count: y.count)
        for i in inputs.indices.dropFirst() {
            for k in 0..<y.count where inputs[i].scalars[k] > y[k] {   // strictly larger: ties stay with the earlier input
                y[k] = inputs[i].scalars[k]
                argmax[k] = Int32(i)
            }
        }
        return Result(output: Tensor(shape: inputs[0].shape, scalars: y), argmax: argmax)
    }

    /// The reference backward pass: each element's output gradient goes to the input that won
    /// there; the others receive zero.
    ///
    /// - Parameters:
    ///   - argmax: ``Result/argmax`` of the forward pass.
    ///   - dy: ∂L/∂y, shaped like the inputs.
    ///   - inputCount: how many inputs the forward pass had.
    /// - Returns: ∂L/∂x_i for every input i.
    public func referenceBackward(argmax: [Int32], outputGradient dy: Tensor, inputCount: Int) -> [Tensor] {
        precondition(argmax.count == dy.count, "ElementwiseMax: argmax of \(argmax.count) for a gradient of \(dy.count) elements")
        var dx = [Tensor](repeating: Tensor(zeros: dy.shape), count: inputCount)
        for k in 0..<dy.count { dx[Int(argmax[k])].scalars[k] = dy.scalars[k] }
        return dx
    }
}

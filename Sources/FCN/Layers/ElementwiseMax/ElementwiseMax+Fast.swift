// ElementwiseMax+Fast.swift — the fast passes of the element-wise max (paper §4.2, footnote).
//
// The same arithmetic as `ElementwiseMax.referenceForward` / `referenceBackward` (and tested equal
// to them). Only the inference pass has a faster form: a running maximum in one output buffer,
// on raw pointers, without the arg-max that training needs. Recording the arg-max and routing the
// gradient are single passes already, so training uses the reference passes, as `Sum` does.

import FCNCore

extension ElementwiseMax {
    /// The fast inference forward pass: the maximum only, equal to
    /// `referenceForward(inputs).output`.
    ///
    /// - Parameter inputs: one or more tensors of one shape.
    /// - Returns: the element-wise maximum.
    public func forward(_ inputs: [Tensor]) -> Tensor {
        checkShapes(inputs)
        var y = inputs[0].scalars
        withBuffers(reading: inputs.dropFirst().map(\.scalars), writing: &y) { xs, ys in
            for x in xs {
                for k in 0..<inputs[0].count where x[k] > ys[k] { ys[k] = x[k] }
            }
        }
        return Tensor(shape: inputs[0].shape, scalars: y)
    }

    /// The training forward pass: the maximum and the arg-max needed by
    /// ``backward(argmax:outputGradient:inputCount:)``. Recording the winner costs as much as
    /// finding it, so this is the reference pass.
    public func forwardWithArgmax(_ inputs: [Tensor]) -> Result { referenceForward(inputs) }

    /// The backward pass: ∂L/∂y routed to the arg-max inputs. One write per element whichever
    /// way it is written, so this is the reference pass.
    public func backward(argmax: [Int32], outputGradient dy: Tensor, inputCount: Int) -> [Tensor] {
        referenceBackward(argmax: argmax, outputGradient: dy, inputCount: inputCount)
    }
}

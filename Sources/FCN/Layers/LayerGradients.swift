// LayerGradients.swift — the three gradients of a layer with weights (paper §3: "backpropagation
// … for learning"; §4.1).
//
// Convolution, transposed convolution and the fully connected layer all compute y = f(x; w, b),
// linear in each argument, so each backward pass returns the same three things: dL/dx, dL/dw
// and dL/db. One type holds them for all three layers.

import FCNCore

/// The gradients of a loss with respect to a layer's input, weight and bias.
///
/// Shapes match what they are the gradient of: for a ``Convolution`` `input` is `[N, C, H, W]`,
/// `weight` `[O, C/G, KH, KW]`, `bias` `[O]`; for a ``TransposedConvolution`` `weight` is
/// `[C, O/G, KH, KW]`; for a ``Linear`` layer `input` has the input's original shape and
/// `weight` is `[O, I]`.
///
/// ```swift
/// let g = conv.backward(input: x, outputGradient: dy)
/// g.weight.shape == conv.weight.shape     // true
/// ```
public struct LayerGradients: Sendable {
    /// dL/dx, shaped like the input.
    public var input: Tensor
    /// dL/dw, shaped like the weight, summed over the batch.
    public var weight: Tensor
    /// dL/db, `[O]`, summed over the batch and all pixels; `nil` if the layer has no bias.
    public var bias: Tensor?

    /// Bundles the three gradients.
    public init(input: Tensor, weight: Tensor, bias: Tensor?) {
        self.input = input; self.weight = weight; self.bias = bias
    }
}

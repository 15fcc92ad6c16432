// Linear.swift — the fully connected layer (Caffe's InnerProduct), the thing FCN converts (paper §3.1).
//
// A classification net such as VGG16 ends in fully connected layers: every output is a
// weighted sum of *all* inputs,
//
//     y[n, o] = b[o] + Σ_i w[o, i] · x[n, i]
//
// which ties the net to one input size. §3.1, "Adapting classifiers for dense prediction":
// "these fully connected layers can also be viewed as convolutions with kernels that cover their
// entire input regions." fc6's weight `[4096, 512·7·7]` *is* a `[4096, 512, 7, 7]` convolution
// weight — the same numbers, reshaped — and the converted net slides it over larger inputs.
// This layer exists so that the original classifier can be run (and checked against its
// convolutionalised twin) and so that weights can be read in InnerProduct form.
//
// Input `[N, …]` of any rank is flattened to `[N, I]` (row-major, so for NCHW input
// i = (c·H + h)·W + w — exactly the order in which a `[O, C, H, W]` convolution weight is stored).
// The fast path (`Linear+Fast.swift` beside it) is one GEMM.
//
// Dimension letters: N batch, I inputs per example (the product of the non-batch dimensions),
// O outputs.

import FCNCore

/// A fully connected layer: `y = x·wᵀ + b` on inputs flattened to `[N, I]`.
///
/// Layout: input `[N, …]` with I elements per example, weight `[O, I]`, bias `[O]`, output `[N, O]`.
///
/// ```swift
/// var rng = SeededRandom(seed: 1)
/// let fc = Linear(weight: Tensor(randomNormal: [10, 3 * 4 * 4], using: &rng), bias: Tensor(zeros: [10]))
/// let y = fc.referenceForward(Tensor(zeros: [2, 3, 4, 4]))    // [2, 10]
/// ```
///
/// ### See Also
/// - ``Convolution``, which a `Linear` layer becomes in a fully convolutional net (§3.1).
public struct Linear: Sendable {
    /// `[O, I]`.
    public var weight: Tensor
    /// `[O]` or `nil`.
    public var bias: Tensor?

    /// A fully connected layer with weight `[O, I]` and an optional bias `[O]`.
    ///
    /// - Parameters:
    ///   - weight: `[O, I]`.
    ///   - bias: `[O]` or `nil`.
    public init(weight: Tensor, bias: Tensor? = nil) {
        precondition(weight.rank == 2, "Linear: weight must be [O, I], got \(weight.shape)")
        if let bias { precondition(bias.shape == [weight.shape[0]], "Linear: bias must be [\(weight.shape[0])], got \(bias.shape)") }
        self.weight = weight
        self.bias = bias
    }

    /// O, the number of outputs.
    public var outputCount: Int { weight.shape[0] }
    /// I = C·H·W, the number of inputs after flattening.
    public var inputCount: Int { weight.shape[1] }

    /// The input viewed as `[N, I]` (checks that each example has I elements).
    func flattened(_ x: Tensor) -> Tensor {
        precondition(x.rank >= 1, "Linear: input must have a batch dimension")
        let perExample = x.shape.dropFirst().reduce(1, *)
        precondition(perExample == inputCount, "Linear: input \(x.shape) has \(perExample) values per example, weight expects \(inputCount)")
        return x.reshaped([x.shape[0], inputCount])
    }

    /// The reference forward pass: `y[n, o] = b[o] + Σ_i w[o, i] · x[n, i]`, accumulated in `Double`.
    ///
    /// - Parameter x: `[N, …]`, I values per example.
    /// - Returns: `[N, O]`.
    public func referenceForward(_ x: Tensor) -> Tensor {
        let x2 = flattened(x)                              // [N, I]
        let N = x2.shape[0], O = outputCount, I = inputCount
        var y = Tensor(zeros: [N, O])                      // [N, O]
        for n in 0..<N {
            for o in 0..<O {
                var sum = Double(bias?.scalars[o] ?? 0)
                for i in 0..<I { sum += Double(weight[o, i]) * Double(x2[n, i]) }
                y[n, o] = Float(sum)
            }
        }
        return y
    }
}

extension Linear {
    /// The reference backward pass: the forward loops, sending each dL/dy[n, o] back to both
    /// factors of every product `w[o, i] · x[n, i]`:
    ///
    ///     dL/dx[n, i] = Σ_o dL/dy[n, o] · w[o, i]
    ///     dL/dw[o, i] = Σ_n dL/dy[n, o] · x[n, i]
    ///     dL/db[o]    = Σ_n dL/dy[n, o]
    ///
    /// - Parameters:
    ///   - x: the forward input x, `[N, …]`.
    ///   - dy: dL/dy, `[N, O]`.
    /// - Returns: dL/dx (shaped like `input`), dL/dw `[O, I]`, dL/db `[O]`.
    ///
    /// ### See Also
    /// - ``backward(input:outputGradient:)``, the fast path.
    public func referenceBackward(input x: Tensor, outputGradient dy: Tensor) -> LayerGradients {
        let x2 = flattened(x)                              // [N, I]
        let N = x2.shape[0], O = outputCount, I = inputCount
        precondition(dy.shape == [N, O], "Linear: output gradient must be \([N, O]), got \(dy.shape)")
        var dx = Tensor(zeros: [N, I])                     // [N, I]
        var dw = Tensor(zeros: [O, I])                     // [O, I]
        var db = Tensor(zeros: [O])                        // [O]
        for n in 0..<N {
            for o in 0..<O {
                let gradient = dy[n, o]
                db[o] += gradient
                for i in 0..<I {
                    dx[n, i] += gradient * weight[o, i]
                    dw[o, i] += gradient * x2[n, i]
                }
            }
        }
        return LayerGradients(input: dx.reshaped(x.shape), weight: dw, bias: bias == nil ? nil : db)
    }
}

// Linear+Fast.swift — the fast path of the fully connected layer: one GEMM each way (paper §3.1).
//
//     Y[N, O]   = X[N, I] · Wᵀ[I, O]   (+ b, in an epilogue)
//     dX[N, I]  = dY[N, O] · W[O, I]
//     dW[O, I]  = dYᵀ[O, N] · X[N, I]
//     db[o]     = Σ_n dY[n, o]
//
// Dimension letters: N batch, I inputs per example, O outputs.

import FCNCore
import FCNKernels

extension Linear {
    /// The fast forward pass (GEMM), equal to ``referenceForward(_:)`` up to rounding.
    ///
    /// - Parameter x: `[N, …]`, I values per example.
    /// - Returns: `[N, O]`.
    public func forward(_ x: Tensor) -> Tensor {
        let x2 = flattened(x)                                                    // [N, I]
        let N = x2.shape[0], O = outputCount, I = inputCount
        var y = [Float](repeating: 0, count: N * O)                              // [N, O]
        withBuffers(reading: [x2.scalars, weight.scalars], writing: &y) { read, ys in
            let xs = read[0], ws = read[1]
            GEMM.multiply(transposeB: true, m: N, n: O, k: I, a: xs, lda: I, b: ws, ldb: I, c: ys, ldc: O)
            if let bias = bias?.scalars {
                for n in 0..<N { for o in 0..<O { ys[n * O + o] += bias[o] } }
            }
        }
        return Tensor(shape: [N, O], scalars: y)
    }

    /// The fast backward pass (two GEMMs), equal to ``referenceBackward(input:outputGradient:)`` up to rounding.
    ///
    /// - Parameters:
    ///   - x: the forward input x, `[N, …]`.
    ///   - dy: dL/dy, `[N, O]`.
    /// - Returns: dL/dx (shaped like `input`), dL/dw `[O, I]`, dL/db `[O]` (nil without bias).
    public func backward(input x: Tensor, outputGradient dy: Tensor) -> LayerGradients {
        let x2 = flattened(x)                                                    // [N, I]
        let N = x2.shape[0], O = outputCount, I = inputCount
        precondition(dy.shape == [N, O], "Linear: output gradient must be \([N, O]), got \(dy.shape)")
        var dx = [Float](repeating: 0, count: N * I)                             // [N, I]
        var dw = [Float](repeating: 0, count: O * I)                             // [O, I]
        var db = [Double](repeating: 0, count: O)                                // [O], summed in Double
        withBuffers(reading: [x2.scalars, dy.scalars, weight.scalars], writing: &dx, &dw) { read, dxs, dws in
            let xs = read[0], dys = read[1], ws = read[2]
            GEMM.multiply(m: N, n: I, k: O, a: dys, lda: O, b: ws, ldb: I, c: dxs, ldc: I)
            GEMM.multiply(transposeA: true, m: O, n: I, k: N, a: dys, lda: O, b: xs, ldb: I, c: dws, ldc: I)
            for n in 0..<N { for o in 0..<O { db[o] += Double(dys[n * O + o]) } }
        }
        return LayerGradients(input: Tensor(shape: x.shape, scalars: dx),
                              weight: Tensor(shape: weight.shape, scalars: dw),
                              bias: bias == nil ? nil : Tensor(shape: [O], scalars: db.map { Float($0) }))
    }
}

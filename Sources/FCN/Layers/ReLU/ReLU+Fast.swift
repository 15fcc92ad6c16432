// ReLU+Fast.swift — the fast ReLU passes used by the executor (paper §3).
//
// Same arithmetic as `ReLU.referenceForward` / `referenceBackward`, on raw pointers, split into
// contiguous chunks spread over the cores. Chunks rather than N·C planes because ReLU also
// follows fc6 and fc7, whose outputs `[N, 4096, 1, 1]` have thousands of one-pixel planes.

import FCNCore
import FCNKernels

extension ReLU {
    /// Elements per parallel task: big enough that scheduling costs nothing next to the work.
    static let chunk = 1 << 16

    /// The fast forward pass into a new tensor.
    public func forward(_ x: Tensor) -> Tensor {
        var y = x
        forwardInPlace(&y)
        return y
    }

    /// The fast forward pass, overwriting `x` with ReLU(x) in its own storage, so an executor
    /// that owns an activation need not allocate a second one.
    public func forwardInPlace(_ x: inout Tensor) {
        let count = x.count, slope = negativeSlope
        x.scalars.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            parallelFor((count + ReLU.chunk - 1) / ReLU.chunk) { t in
                let start = t * ReLU.chunk, end = min(start + ReLU.chunk, count)
                for i in start..<end {
                    let v = base[i]
                    base[i] = max(v, 0) + slope * min(v, 0)
                }
            }
        }
    }

    /// The fast backward pass: ∂L/∂x = ∂L/∂y where x > 0, slope·∂L/∂y elsewhere.
    public func backward(input x: Tensor, outputGradient dy: Tensor) -> Tensor {
        precondition(x.shape == dy.shape, "ReLU: gradient \(dy.shape) does not match input \(x.shape)")
        let count = x.count, slope = negativeSlope
        let scalars = [Float](unsafeUninitializedCapacity: count) { dx, initialized in
            guard let dxBase = dx.baseAddress, count > 0 else { initialized = 0; return }
            x.scalars.withUnsafeBufferPointer { xBuffer in
                dy.scalars.withUnsafeBufferPointer { dyBuffer in
                    let xBase = xBuffer.baseAddress!, dyBase = dyBuffer.baseAddress!
                    parallelFor((count + ReLU.chunk - 1) / ReLU.chunk) { t in
                        let start = t * ReLU.chunk, end = min(start + ReLU.chunk, count)
                        for i in start..<end {
                            dxBase[i] = xBase[i] > 0 ? dyBase[i] : slope * dyBase[i]
                        }
                    }
                }
            }
            initialized = count
        }
        return Tensor(shape: x.shape, scalars: scalars)
    }
}

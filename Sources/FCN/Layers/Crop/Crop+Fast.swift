// Crop+Fast.swift — the fast crop passes used by the executor (paper §4.1, §4.2).
//
// Same result as `Crop.referenceForward` / `referenceBackward`: each kept row is one contiguous
// run of WB floats, so a crop is a copy of N·C·HB short rows. The N·C planes are spread over
// the cores; each writes only its own output plane.

import FCNCore
import FCNKernels

extension Crop {
    /// The fast forward pass: `a` `[N, C, HA, WA]` cropped to `[N, C, HB, WB]` at `offset`.
    public func forward(_ a: Tensor, size: Size2) -> Tensor {
        let d = a.nchw
        checkFits(d, size)
        let planes = d.n * d.c, HB = size.height, WB = size.width
        let count = planes * HB * WB
        let scalars = [Float](unsafeUninitializedCapacity: count) { y, initialized in
            guard let yBase = y.baseAddress, count > 0 else { initialized = 0; return }
            a.scalars.withUnsafeBufferPointer { aBuffer in
                let aBase = aBuffer.baseAddress!
                parallelFor(planes) { p in
                    // The window's first element: plane p, row offH, column offW.
                    let source = aBase + (p * d.h + offset.height) * d.w + offset.width
                    let target = yBase + p * HB * WB
                    for i in 0..<HB {
                        (target + i * WB).initialize(from: source + i * d.w, count: WB)
                    }
                }
            }
            initialized = count
        }
        return Tensor(shape: [d.n, d.c, HB, WB], scalars: scalars)
    }

    /// The fast backward pass: zeros of A's shape with ∂L/∂y copied into the window.
    public func backward(inputShape: [Int], outputGradient dy: Tensor) -> Tensor {
        precondition(inputShape.count == 4, "Crop: input shape must be [N, C, HA, WA], got \(inputShape)")
        let d = Tensor.NCHW(n: inputShape[0], c: inputShape[1], h: inputShape[2], w: inputShape[3]), o = dy.nchw
        precondition(o.n == d.n && o.c == d.c, "Crop: gradient \(dy.shape) does not match input \(inputShape)")
        checkFits(d, Size2(height: o.h, width: o.w))
        let planes = d.n * d.c, count = planes * d.h * d.w
        let scalars = [Float](unsafeUninitializedCapacity: count) { da, initialized in
            guard let daBase = da.baseAddress, count > 0 else { initialized = 0; return }
            dy.scalars.withUnsafeBufferPointer { dyBuffer in
                let dyBase = dyBuffer.baseAddress
                parallelFor(planes) { p in
                    let plane = daBase + p * d.h * d.w
                    plane.initialize(repeating: 0, count: d.h * d.w)
                    guard let dyBase else { return }                     // an empty window: all zero
                    let target = plane + offset.height * d.w + offset.width
                    let source = dyBase + p * o.h * o.w
                    for i in 0..<o.h {
                        (target + i * d.w).update(from: source + i * o.w, count: o.w)
                    }
                }
            }
            initialized = count
        }
        return Tensor(shape: inputShape, scalars: scalars)
    }
}

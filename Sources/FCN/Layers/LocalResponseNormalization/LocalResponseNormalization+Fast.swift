// LocalResponseNormalization+Fast.swift — the fast LRN passes used by the executor (FCN-AlexNet, §4.1).
//
// Same arithmetic as `LocalResponseNormalization.referenceForward` / `referenceBackward`, one
// image row at a time: the C rows of W pixels at (n, ·, h) are all a pixel's window needs, so
// each of the N·H tasks gathers its window sums over contiguous rows (a pixel's channels are
// H·W floats apart in NCHW) and writes only its own rows of the output. Window sums are taken
// directly over the n channels rather than as a running sum, so no rounding drifts along C.
//
// Dimension letters: N batch, C channels, H×W spatial size, n the window size (`localSize`).

import FCNCore
import FCNKernels
import Foundation

extension LocalResponseNormalization {
    /// The fast forward pass: y = x · scale^(−β), `[N, C, H, W]`.
    public func forward(_ x: Tensor) -> Tensor {
        let d = x.nchw
        let count = x.count, C = d.c, H = d.h, W = d.w, plane = H * W
        let half = (localSize - 1) / 2, alphaOverN = alpha / Float(localSize), k = self.k, minusBeta = -beta
        let scalars = [Float](unsafeUninitializedCapacity: count) { y, initialized in
            guard let yBase = y.baseAddress, count > 0 else { initialized = 0; return }
            x.scalars.withUnsafeBufferPointer { xBuffer in
                let xBase = xBuffer.baseAddress!
                parallelFor(d.n * H) { r in
                    let rowStart = (r / H) * C * plane + (r % H) * W        // x[n, 0, h, 0]
                    var energy = [Float](repeating: 0, count: W)
                    for c in 0..<C {
                        for w in 0..<W { energy[w] = 0 }
                        for c2 in max(c - half, 0)...min(c + half, C - 1) {
                            let row = xBase + rowStart + c2 * plane
                            for w in 0..<W { energy[w] += row[w] * row[w] }
                        }
                        let source = xBase + rowStart + c * plane, target = yBase + rowStart + c * plane
                        for w in 0..<W { target[w] = source[w] * pow(k + alphaOverN * energy[w], minusBeta) }
                    }
                }
            }
            initialized = count
        }
        return Tensor(shape: x.shape, scalars: scalars)
    }

    /// The fast backward pass, Caffe's formula (see `LocalResponseNormalization.swift`).
    ///
    /// - Parameters:
    ///   - x: the forward input x, `[N, C, H, W]`.
    ///   - dy: ∂L/∂y, `[N, C, H, W]`.
    /// - Returns: ∂L/∂x, `[N, C, H, W]`.
    public func backward(input x: Tensor, outputGradient dy: Tensor) -> Tensor {
        precondition(x.shape == dy.shape, "LocalResponseNormalization: gradient \(dy.shape) does not match input \(x.shape)")
        let d = x.nchw
        let count = x.count, C = d.c, H = d.h, W = d.w, plane = H * W
        let half = (localSize - 1) / 2, alphaOverN = alpha / Float(localSize), k = self.k, beta = self.beta
        let cache = 2 * alpha * beta / Float(localSize)                       // 2αβ/n
        let scalars = [Float](unsafeUninitializedCapacity: count) { dx, initialized in
            guard let dxBase = dx.baseAddress, count > 0 else { initialized = 0; return }
            x.scalars.withUnsafeBufferPointer { xBuffer in
                dy.scalars.withUnsafeBufferPointer { dyBuffer in
                    let xBase = xBuffer.baseAddress!, dyBase = dyBuffer.baseAddress!
                    parallelFor(d.n * H) { r in
                        let rowStart = (r / H) * C * plane + (r % H) * W    // x[n, 0, h, 0]
                        // Per channel row: scale^(−β) and ratio = ∂L/∂y · y / scale = ∂L/∂y · x · scale^(−β−1).
                        var scalePower = [Float](repeating: 0, count: C * W)
                        var ratio = [Float](repeating: 0, count: C * W)
                        for c in 0..<C {
                            for c2 in max(c - half, 0)...min(c + half, C - 1) {
                                let row = xBase + rowStart + c2 * plane
                                for w in 0..<W { ratio[c * W + w] += row[w] * row[w] }        // energy for now
                            }
                            let xRow = xBase + rowStart + c * plane, dyRow = dyBase + rowStart + c * plane
                            for w in 0..<W {
                                let scale = k + alphaOverN * ratio[c * W + w]
                                let power = pow(scale, -beta)
                                scalePower[c * W + w] = power
                                ratio[c * W + w] = dyRow[w] * xRow[w] * power / scale
                            }
                        }
                        for c in 0..<C {
                            let xRow = xBase + rowStart + c * plane, dyRow = dyBase + rowStart + c * plane
                            let target = dxBase + rowStart + c * plane
                            for w in 0..<W {
                                var accumulated: Float = 0
                                for c2 in max(c - half, 0)...min(c + half, C - 1) { accumulated += ratio[c2 * W + w] }
                                target[w] = dyRow[w] * scalePower[c * W + w] - cache * xRow[w] * accumulated
                            }
                        }
                    }
                }
            }
            initialized = count
        }
        return Tensor(shape: x.shape, scalars: scalars)
    }
}

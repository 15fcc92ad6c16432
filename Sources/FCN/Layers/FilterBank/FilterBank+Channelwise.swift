// FilterBank+Channelwise.swift — banks that link each channel only with itself: FCN's bilinear
// upsampling (paper §3.3), computed without the matrix product.
//
// §3.3 initialises every upsampling layer to bilinear interpolation, and Berkeley's nets keep
// upscore8 (and FCN-32s's upscore) fixed so: its weight `[K, K, 16, 16]` holds the bilinear
// kernel on the class diagonal (c = o) and zeros everywhere else. As a matrix product
// (`FilterBank+Fast.swift`) all K² kernels are multiplied, K − 1 of every K by zero — for
// FCN-8s's 21 classes, 21 times the work. A *channel-wise* bank (grid channel s linked with image
// channel s only, through one KH×KW kernel) is better computed directly, one plane at a time:
//
//     scatter   image[n, s, h, w] += k_s[u, v] · grid[n, s, i, j]    over the connections
//     gather    grid[n, s, i, j]  += k_s[u, v] · image[n, s, h, w]
//
// For upscore8 each output pixel receives ⌈16/8⌉² = 4 stamps, so the scatter is 4 multiply-adds
// per output pixel and class instead of 4·21. Banks with `groups == S == L` (depthwise) are
// channel-wise by construction; a dense `[S, S, KH, KW]` one is when its off-diagonal kernels are
// all zero, which is checked on every call (K²·KH·KW reads, nothing next to the pass itself).
// Only the passes whose result does not involve the off-diagonal weights take this route:
// scatter and gather. The weight gradient is dense even for a diagonal weight, so it keeps the
// matrix product.
//
// Same values as the reference loops up to rounding (each output sums the same products in a
// different order); tests hold the two equal.

import FCNCore
import FCNKernels

extension FilterBank {
    /// The per-channel kernels `[S, KH, KW]` when grid channel s is linked with image channel s
    /// only; `nil` otherwise.
    var channelwiseKernels: [Float]? {
        let S = gridChannels, taps = kernelSize.height * kernelSize.width
        guard S == imageChannels else { return nil }
        if groups == S { return weight.scalars }                       // depthwise: [S, 1, KH, KW]
        guard groups == 1 else { return nil }
        var kernels = [Float](repeating: 0, count: S * taps)
        let w = weight.scalars                                          // [S, S, KH, KW]
        for s in 0..<S {
            for l in 0..<S {
                let start = (s * S + l) * taps
                if s == l {
                    for t in 0..<taps { kernels[s * taps + t] = w[start + t] }
                } else {
                    for t in 0..<taps where w[start + t] != 0 { return nil }
                }
            }
        }
        return kernels
    }

    /// The scatter of a channel-wise bank, plane by plane.
    ///
    /// - Parameters:
    ///   - grid: `[N, S, GH, GW]`.
    ///   - image: H×W.
    ///   - kernels: ``channelwiseKernels``.
    /// - Returns: `[N, S, H, W]`.
    func channelwiseScatter(_ grid: Tensor, image: Size2, kernels: [Float]) -> Tensor {
        let d = grid.nchw, KH = kernelSize.height, KW = kernelSize.width
        return byPlane(grid, kernels: kernels, output: image) { y, out, k in
            for i in 0..<d.h {
                for u in 0..<KH {
                    let h = i * stride.height - padding.top + u * dilation.height
                    if h < 0 || h >= image.height { continue }
                    let row = out + h * image.width, taps = k + u * KW
                    for j in 0..<d.w {                                   // one kernel row stamped onto one image row
                        let (first, end) = tapRange(j, kernel: KW, limit: image.width)
                        axpy(y[i * d.w + j], taps, row + j * stride.width - padding.left, first..<end, step: dilation.width)
                    }
                }
            }
        }
    }

    /// The gather of a channel-wise bank, plane by plane, then the bias and ReLU epilogue.
    ///
    /// - Parameters:
    ///   - image: `[N, S, H, W]`.
    ///   - grid: GH×GW.
    ///   - kernels: ``channelwiseKernels``.
    ///   - bias: `[S]` or `nil`.
    ///   - relu: clamp at zero after the bias.
    /// - Returns: `[N, S, GH, GW]`.
    func channelwiseGather(_ image: Tensor, grid: Size2, kernels: [Float], bias: [Float]?, relu: Bool) -> Tensor {
        let d = image.nchw, KH = kernelSize.height, KW = kernelSize.width
        var y = byPlane(image, kernels: kernels, output: grid) { x, out, k in
            for i in 0..<grid.height {
                for j in 0..<grid.width {
                    let (first, end) = tapRange(j, kernel: KW, limit: d.w)
                    var sum: Float = 0
                    for u in 0..<KH {
                        let h = i * stride.height - padding.top + u * dilation.height
                        if h < 0 || h >= d.h { continue }
                        sum += dot(k + u * KW, x + h * d.w + j * stride.width - padding.left, first..<end, step: dilation.width)
                    }
                    out[i * grid.width + j] = sum
                }
            }
        }
        y.scalars.withUnsafeMutableBufferPointer { ys in
            guard let ys = ys.baseAddress else { return }
            biasReLUEpilogue(ys, batch: d.n, channels: d.c, planeSize: grid.height * grid.width, bias: bias, relu: relu)
        }
        return y
    }

    /// Runs `pass(source plane, zeroed output plane, the plane's kernel)` for every plane (n, s)
    /// of `source` `[N, S, ·, ·]`, spread over the cores (each task writes its own plane), into a
    /// new `[N, S, output]` tensor.
    private func byPlane(_ source: Tensor, kernels: [Float], output: Size2,
                         _ pass: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, UnsafePointer<Float>) -> Void) -> Tensor {
        let d = source.nchw, taps = kernelSize.height * kernelSize.width
        let inPlane = d.h * d.w, outPlane = output.height * output.width
        var result = [Float](repeating: 0, count: d.n * d.c * outPlane)
        withBuffers(reading: [source.scalars, kernels], writing: &result) { read, out in
            parallelFor(d.n * d.c) { plane in
                pass(read[0] + plane * inPlane, out + plane * outPlane, read[1] + (plane % d.c) * taps)
            }
        }
        return Tensor(shape: [d.n, d.c, output.height, output.width], scalars: result)
    }

    /// The taps `v` of grid column `j` whose image column `j·SW − padLeft + v·DW` lies in `0..<limit`.
    @inline(__always)
    private func tapRange(_ j: Int, kernel KW: Int, limit: Int) -> (first: Int, end: Int) {
        let start = j * stride.width - padding.left, d = dilation.width
        let first = start >= 0 ? 0 : (-start + d - 1) / d                  // first v with start + v·d ≥ 0
        let end = limit - start <= 0 ? 0 : min(KW, (limit - start + d - 1) / d)   // v·d < limit − start
        return (first, max(first, end))
    }
}

/// `Σ_{v in taps} k[v] · x[v·step]`, in SIMD8 lanes where the run is contiguous.
@inline(__always)
private func dot(_ k: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ taps: Range<Int>, step: Int) -> Float {
    var v = taps.lowerBound, sum: Float = 0
    if step == 1 {
        var lanes = SIMD8<Float>.zero
        while v + 8 <= taps.upperBound {
            lanes += UnsafeRawPointer(k + v).loadUnaligned(as: SIMD8<Float>.self)
                   * UnsafeRawPointer(x + v).loadUnaligned(as: SIMD8<Float>.self)
            v += 8
        }
        sum = lanes.sum()
    }
    while v < taps.upperBound { sum += k[v] * x[v * step]; v += 1 }
    return sum
}

/// `y[v·step] += a · k[v]` for `v in taps`, in SIMD8 lanes where the run is contiguous.
@inline(__always)
private func axpy(_ a: Float, _ k: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ taps: Range<Int>, step: Int) {
    var v = taps.lowerBound
    if step == 1 {
        while v + 8 <= taps.upperBound {
            let sum = UnsafeRawPointer(y + v).loadUnaligned(as: SIMD8<Float>.self)
                    + a * UnsafeRawPointer(k + v).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(y + v).storeBytes(of: sum, as: SIMD8<Float>.self)
            v += 8
        }
    }
    while v < taps.upperBound { y[v * step] += a * k[v]; v += 1 }
}

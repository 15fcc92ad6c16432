// BilinearKernel.swift — the bilinear upsampling filter that initialises FCN's deconvolutions (paper §3.3).
//
// §3.3: "the deconvolution filter in such a layer need not be fixed (e.g., to bilinear
// upsampling), but can be learned", and §4.2: "We initialize this 2x upsampling to bilinear
// interpolation, but allow the parameters to be learned". A transposed convolution with stride
// f and the tent-shaped kernel below *is* bilinear interpolation by a factor f: each input pixel
// stamps a pyramid that is 1 at its own position and falls linearly to 0 one input pixel (f
// output pixels) away, and neighbouring pyramids sum to the linear interpolant between them.
//
// The values reproduce Berkeley FCN's `surgery.upsample_filt` exactly, so that weights
// initialised here equal the published nets' initial weights:
//
//     k = 2f − f mod 2                          (kernel size for factor f: 4 for 2, 64 for 32)
//     s = ⌊(k + 1) / 2⌋                         (the tent's half-width)
//     center = s − 1 if k is odd, else s − 0.5
//     filt(u, v) = (1 − |u − center| / s) · (1 − |v − center| / s)
//
// The weight is class-diagonal: class c's scores are upsampled from class c's coarse scores
// only (w[c, d] = 0 for d ≠ c). Whether the layer then stays bilinear (FCN-32s, -16s, -8s keep
// the final upsampling fixed) or learns (the 2× layers) is a training choice, expressed by
// freezing the parameter there — the layer itself is just a `TransposedConvolution`.
//
// Dimension letters: C channels (classes), k kernel size, f upsampling factor.

import FCNCore

/// The 2-D bilinear interpolation filter of size `k × k`, as rows of values (for figures and tests).
///
/// ```swift
/// bilinearFilter(size: 4)[0]   // [0.0625, 0.1875, 0.1875, 0.0625] = 0.25 · [0.25, 0.75, 0.75, 0.25]
/// ```
///
/// - Parameter k: k ≥ 1.
/// - Returns: `k` rows of `k` values, the outer product of the 1-D tent with itself.
///
/// ### See Also
/// - ``bilinearUpsamplingWeight(channels:factor:)``.
public func bilinearFilter(size k: Int) -> [[Float]] {
    precondition(k >= 1, "bilinearFilter: size must be ≥ 1, got \(k)")
    let tent = bilinearTent(size: k)
    return tent.map { a in tent.map { b in a * b } }
}

/// The 1-D tent `1 − |u − center| / s` of `upsample_filt`, computed in `Double`.
func bilinearTent(size k: Int) -> [Float] {
    let s = (k + 1) / 2                                          // integer division, as in Python's //
    let center = k % 2 == 1 ? Double(s - 1) : Double(s) - 0.5
    return (0..<k).map { u in Float(1 - abs(Double(u) - center) / Double(s)) }
}

/// The kernel size FCN uses for upsampling by `factor`: `2·factor − factor mod 2`.
public func bilinearKernelSize(factor: Int) -> Int {
    2 * factor - factor % 2
}

/// The weight of a transposed convolution that upsamples `channels` maps by `factor` bilinearly.
///
/// Layout `[C, C, k, k]` (TransposedConvolution's `[C, O, KH, KW]` with O = C), k =
/// ``bilinearKernelSize(factor:)``; `w[c, c]` is ``bilinearFilter(size:)`` and `w[c, d ≠ c]` is 0.
/// Use it with stride `factor`; then either crop the output as FCN does (its Crop layer works
/// out the offset from the net's geometry) or pad by `(k − factor) / 2`, which gives exactly
/// `factor·H × factor·W` with output pixel j centred on input coordinate `(j + ½)/factor − ½`.
///
/// - Parameters:
///   - channels: C, the number of maps (21 classes for PASCAL VOC).
///   - factor: f ≥ 1, the upsampling factor (2, 8, 16 or 32 in FCN).
///
/// ```swift
/// let up = TransposedConvolution(weight: bilinearUpsamplingWeight(channels: 21, factor: 2), stride: 2, padding: 1)
/// up.outputSize(height: 10, width: 10)   // 20×20
/// ```
///
/// ### See Also
/// - ``TransposedConvolution``.
public func bilinearUpsamplingWeight(channels: Int, factor: Int) -> Tensor {
    precondition(channels >= 1 && factor >= 1, "bilinearUpsamplingWeight: channels and factor must be ≥ 1")
    let k = bilinearKernelSize(factor: factor)
    let filter = bilinearFilter(size: k)
    var weight = Tensor(zeros: [channels, channels, k, k])       // [C, C, k, k]
    for c in 0..<channels {
        for u in 0..<k {
            for v in 0..<k { weight[c, c, u, v] = filter[u][v] }
        }
    }
    return weight
}

// Crop.swift — cutting a score map down to the size of another (paper §4.1, §4.2).
//
// Why FCN needs it: conv1_1 pads its input by 100 pixels (§4.1, the Berkeley nets' `pad: 100`)
// so that even a small image survives the five poolings and the 7×7 fc6-as-convolution. The
// price is that every score map comes out *larger* than the image it describes, and shifted.
// The upsampled prediction must therefore be cut back to the image (FCN-32s: `score`), and in
// the skip nets the upsampled coarse map and the finer pool4 / pool3 predictions must be cut to
// a common grid before they are summed (§4.2: `score_pool4c`, `score_pool3c`). Caffe's Crop
// layer does this: it keeps a window of A the size of a reference B, starting at an offset.
//
// The offsets are not arbitrary: they follow from each layer's stride, kernel and padding (the
// coordinate maps computed in `Network/`). This layer only applies them.
//
// Dimension letters: N batch, C channels, HA×WA the input A, HB×WB the reference B (output size).

import FCNCore

/// Caffe's Crop on the spatial axes (axis 2): y[n, c, i, j] = a[n, c, i + offH, j + offW].
///
/// Layout: input A `[N, C, HA, WA]`, output `[N, C, HB, WB]`; needs offH + HB ≤ HA, offW + WB ≤ WA.
///
/// ```swift
/// let crop = Crop(offset: Size2(19))                               // FCN-32s: score from upscore
/// let y = crop.referenceForward(upscore, size: Size2(500))         // [1, 21, 544, 544] → [1, 21, 500, 500]
/// ```
///
/// - Parameters:
///   - offset: where the kept window starts in A, (offH, offW).
///
/// ### See Also
/// - ``Sum``, which the cropped skip predictions feed.
public struct Crop: Sendable {
    /// The first kept row and column of the input, (offH, offW).
    public var offset: Size2

    /// A crop that keeps the window starting at `offset` (top, left).
    public init(offset: Size2) {
        precondition(offset.height >= 0 && offset.width >= 0, "Crop: offset \(offset) must be ≥ 0")
        self.offset = offset
    }

    /// Checks that an `size` window at `offset` fits an input of NCHW dimensions `d`.
    func checkFits(_ d: Tensor.NCHW, _ size: Size2) {
        precondition(size.height >= 0 && size.width >= 0
                     && offset.height + size.height <= d.h && offset.width + size.width <= d.w,
                     "Crop: a \(size.height)×\(size.width) window at offset \(offset) does not fit a \(d.h)×\(d.w) input")
    }

    /// The reference forward pass, exactly the definition.
    ///
    /// - Parameters:
    ///   - a: the input A, `[N, C, HA, WA]`.
    ///   - size: the reference B's spatial size HB×WB (Caffe takes B itself but reads only its shape).
    /// - Returns: `[N, C, HB, WB]`.
    public func referenceForward(_ a: Tensor, size: Size2) -> Tensor {
        let d = a.nchw
        checkFits(d, size)
        var y = [Float]()
        y.reserveCapacity(d.n * d.c * size.height * size.width)
        for n in 0..<d.n {
            for c in 0..<d.c {
                for i in 0..<size.height {
                    for j in 0..<size.width {
                        y.append(a[n, c, i + offset.height, j + offset.width])    // row-major order
                    }
                }
            }
        }
        return Tensor(shape: [d.n, d.c, size.height, size.width], scalars: y)
    }

    /// The reference backward pass: the gradient goes back to the window it came from; the
    /// cropped-away border gets zero.
    ///
    /// - Parameters:
    ///   - inputShape: A's shape `[N, C, HA, WA]`.
    ///   - dy: ∂L/∂y, `[N, C, HB, WB]`.
    /// - Returns: ∂L/∂a, `[N, C, HA, WA]`.
    public func referenceBackward(inputShape: [Int], outputGradient dy: Tensor) -> Tensor {
        var da = Tensor(zeros: inputShape)
        let d = da.nchw, o = dy.nchw
        precondition(o.n == d.n && o.c == d.c, "Crop: gradient \(dy.shape) does not match input \(inputShape)")
        checkFits(d, Size2(height: o.h, width: o.w))
        for n in 0..<o.n {
            for c in 0..<o.c {
                for i in 0..<o.h {
                    for j in 0..<o.w {
                        da[n, c, i + offset.height, j + offset.width] = dy[n, c, i, j]
                    }
                }
            }
        }
        return da
    }
}

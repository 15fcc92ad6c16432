// MaxPooling.swift — max pooling, the subsampling layer between VGG's blocks (paper §3, §4.1).
//
// In the paper's notation (§3) every layer computes y_ij = f_ks({x_{si+δi, sj+δj}}) from a
// k×k window moved with stride s; for max pooling f is the maximum. VGG16 has five 2×2
// stride-2 poolings, which is why FCN-32s predicts on a grid 32 times coarser than the image,
// and why pool4 (stride 16) and pool3 (stride 8) are the skip sources of FCN-16s and FCN-8s
// (§4.2).
//
// The output size is where frameworks disagree. Caffe rounds *up* (a last, partial window
// still counts), PyTorch and cuDNN round down by default. FCN's published nets were trained
// in Caffe, and with its `pad: 100` trick (§4.1) the sizes only come out right with Caffe's
// rule, so `.ceil` is the default. Windows that run past the edge are clipped to the image:
// padding never wins a max.
//
// This file holds the definition and the reference passes in plain loops; the fast passes
// (`forward`, `forwardWithArgmax`, `backward`) are in `MaxPooling+Fast.swift` beside it.
//
// Dimension letters used below:
//   N batch, C channels, H×W input size, KH×KW window, SH×SW stride, OH×OW output size.

import FCNCore

/// How a pooling layer rounds its output size when the windows do not tile the input exactly.
///
/// ```swift
/// MaxPooling.outputLength(input: 7, kernel: 2, stride: 2, padBefore: 0, padAfter: 0, rounding: .ceil)    // 4
/// MaxPooling.outputLength(input: 7, kernel: 2, stride: 2, padBefore: 0, padAfter: 0, rounding: .floor)   // 3
/// ```
public enum Rounding: Hashable, Sendable {
    /// Caffe: a last, partial window still produces an output.
    case ceil
    /// PyTorch and cuDNN (`ceil_mode=False`): only whole windows produce outputs.
    case floor
}

/// 2-D max pooling with stride, padding and Caffe's (or PyTorch's) output-size rounding.
///
/// Layout: input `[N, C, H, W]`, output `[N, C, OH, OW]`, each (n, c) plane pooled on its own.
/// Output (i, j) is the largest input in rows `i·SH − padTop ..< i·SH − padTop + KH` and
/// columns `j·SW − padLeft ..< j·SW − padLeft + KW`, clipped to the image.
///
/// ```swift
/// let pool = MaxPooling(kernel: 2, stride: 2)                  // VGG's pool1 … pool5
/// let r = pool.referenceForward(Tensor(zeros: [1, 64, 7, 7]))  // r.output: [1, 64, 4, 4] (ceil)
/// ```
///
/// ### See Also
/// - ``Rounding``, ``MaxPooling/outputLength(input:kernel:stride:padBefore:padAfter:rounding:)``.
public struct MaxPooling: Sendable {
    /// The output of a training forward pass: the pooled tensor and, for every output element,
    /// where its maximum came from.
    public struct Result: Sendable {
        /// `[N, C, OH, OW]`.
        public var output: Tensor
        /// One entry per output element, in the output's order: the index `h·W + w` of the
        /// winning input *within its (n, c) plane* (as Caffe's pooling mask), or −1 if the
        /// window held no finite value (possible only in Caffe's degenerate empty window).
        public var argmax: [Int32]
    }

    /// KH×KW, the window.
    public var kernel: Size2
    /// Step between windows.
    public var stride: Size2
    /// Rows and columns on each side that no maximum takes from (treated as −∞).
    public var padding: Padding
    /// How the output size is rounded: Caffe's `.ceil` or PyTorch's default `.floor`.
    public var rounding: Rounding

    /// Max pooling over `kernel` windows every `stride` pixels.
    ///
    /// - Parameters:
    ///   - kernel: the window size KH×KW.
    ///   - stride: the step between windows (default 1, as in Caffe).
    ///   - padding: how far windows may start before the image (default 0).
    ///   - rounding: `.ceil` (Caffe, default) or `.floor` (PyTorch / cuDNN).
    public init(kernel: Size2, stride: Size2 = 1, padding: Padding = 0, rounding: Rounding = .ceil) {
        precondition(kernel.height >= 1 && kernel.width >= 1 && stride.height >= 1 && stride.width >= 1,
                     "MaxPooling: kernel and stride must be ≥ 1")
        precondition(padding.top >= 0 && padding.left >= 0 && padding.bottom >= 0 && padding.right >= 0,
                     "MaxPooling: padding must be ≥ 0")
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.rounding = rounding
    }

    /// The number of windows along one axis.
    ///
    /// With `.floor`: `out = ⌊(in + padBefore + padAfter − kernel) / stride⌋ + 1`.
    ///
    /// With `.ceil` (Caffe's `PoolingLayer::Reshape`):
    ///
    ///     out = ⌈(in + padBefore + padAfter − kernel) / stride⌉ + 1
    ///     if padding > 0 and (out − 1)·stride ≥ in + padBefore:  out −= 1
    ///
    /// The correction drops a last window that would start in the right padding, so every
    /// window starts inside the image or the left padding. (Caffe applies it when *either*
    /// axis is padded; per axis, as here, differs only for stride > kernel on an unpadded axis
    /// of a net padded on the other, which no Caffe net we know uses.)
    ///
    /// Without padding and with stride > kernel, Caffe's rule can leave a last window that starts
    /// past the image (5 pixels, kernel 1, stride 3: windows at 0, 3 and 6). We keep Caffe's size
    /// and its value for that empty window, −FLT_MAX with argmax −1, so imported nets keep their
    /// shapes; no FCN net meets this case.
    ///
    /// Returns a value ≤ 0 when the window does not fit; callers turn that into an error.
    public static func outputLength(input: Int, kernel: Int, stride: Int, padBefore: Int, padAfter: Int,
                                    rounding: Rounding) -> Int {
        let span = input + padBefore + padAfter - kernel                 // may be negative
        // Integer ⌊span/stride⌋ and ⌈span/stride⌉, correct for negative spans too (Swift's `/`
        // truncates toward zero). Caffe takes the ceil even of a negative span, so a 2×2
        // window on a 1-pixel input gives ⌈−1/2⌉ + 1 = 1 output.
        let floorQuotient = span >= 0 ? span / stride : -((-span + stride - 1) / stride)
        let ceilQuotient = span >= 0 ? (span + stride - 1) / stride : -((-span) / stride)
        switch rounding {
        case .floor:
            return floorQuotient + 1
        case .ceil:
            var out = ceilQuotient + 1
            if padBefore + padAfter > 0 && (out - 1) * stride >= input + padBefore { out -= 1 }
            return out
        }
    }

    /// The output spatial size for an input of `height × width` (≤ 0 if the window does not fit).
    public func outputSize(height: Int, width: Int) -> Size2 {
        Size2(height: MaxPooling.outputLength(input: height, kernel: kernel.height, stride: stride.height,
                                              padBefore: padding.top, padAfter: padding.bottom, rounding: rounding),
              width: MaxPooling.outputLength(input: width, kernel: kernel.width, stride: stride.width,
                                             padBefore: padding.left, padAfter: padding.right, rounding: rounding))
    }

    /// The output shape `[N, C, OH, OW]` for an input of shape `[N, C, H, W]`; traps if it is empty.
    func outputShape(for d: Tensor.NCHW) -> [Int] {
        let out = outputSize(height: d.h, width: d.w)
        precondition(out.height >= 1 && out.width >= 1, "MaxPooling: a \(kernel) window does not fit a \(d.h)×\(d.w) input")
        return [d.n, d.c, out.height, out.width]
    }

    /// The input positions seen by window `i` along one axis: it starts at `i·stride − padBefore`
    /// and spans `kernel` positions, clipped to `0..<input` (empty if it lies wholly outside).
    @inline(__always)
    static func window(_ i: Int, kernel: Int, stride: Int, padBefore: Int, input: Int) -> Range<Int> {
        let start = i * stride - padBefore
        let lower = max(start, 0)
        return lower..<max(min(start + kernel, input), lower)
    }

    /// The reference forward pass, exactly the definition: for every output, scan its clipped
    /// window and keep the first largest value and its position.
    ///
    ///     y[n, c, i, j] = max { x[n, c, h, w] : h in rows(i), w in cols(j) }
    public func referenceForward(_ x: Tensor) -> Result {
        let d = x.nchw
        let shape = outputShape(for: d)                                  // [N, C, OH, OW]
        var y = Tensor(zeros: shape)
        var argmax = [Int32](repeating: -1, count: y.count)
        var index = 0                                                    // row-major position in y
        for n in 0..<d.n {
            for c in 0..<d.c {
                for i in 0..<shape[2] {
                    let rows = MaxPooling.window(i, kernel: kernel.height, stride: stride.height, padBefore: padding.top, input: d.h)
                    for j in 0..<shape[3] {
                        let cols = MaxPooling.window(j, kernel: kernel.width, stride: stride.width, padBefore: padding.left, input: d.w)
                        // Caffe's starting value; `>` keeps the first of equal maxima.
                        var best = -Float.greatestFiniteMagnitude
                        for h in rows {
                            for w in cols where x[n, c, h, w] > best {
                                best = x[n, c, h, w]
                                argmax[index] = Int32(h * d.w + w)
                            }
                        }
                        y[n, c, i, j] = best
                        index += 1
                    }
                }
            }
        }
        return Result(output: y, argmax: argmax)
    }

    /// The reference backward pass: each output gradient goes to the input that won its max
    /// (several outputs may route to the same input when windows overlap; they add up).
    ///
    /// - Parameters:
    ///   - inputShape: the forward input's shape `[N, C, H, W]`.
    ///   - argmax: `Result.argmax` from the forward pass.
    ///   - dy: ∂L/∂y, `[N, C, OH, OW]`.
    /// - Returns: ∂L/∂x, `[N, C, H, W]`.
    public func referenceBackward(inputShape: [Int], argmax: [Int32], outputGradient dy: Tensor) -> Tensor {
        var dx = Tensor(zeros: inputShape)
        let d = dx.nchw, o = dy.nchw
        precondition(o.n == d.n && o.c == d.c && argmax.count == dy.count,
                     "MaxPooling: gradient \(dy.shape) and argmax (\(argmax.count)) do not match input \(inputShape)")
        var index = 0
        for n in 0..<o.n {
            for c in 0..<o.c {
                for i in 0..<o.h {
                    for j in 0..<o.w {
                        let winner = Int(argmax[index])
                        if winner >= 0 { dx[n, c, winner / d.w, winner % d.w] += dy[n, c, i, j] }
                        index += 1
                    }
                }
            }
        }
        return dx
    }
}

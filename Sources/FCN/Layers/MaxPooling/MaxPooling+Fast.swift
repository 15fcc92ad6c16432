// MaxPooling+Fast.swift — the fast max pooling passes used by the executor (paper §3, §4.1).
//
// Same arithmetic as `MaxPooling.referenceForward` / `referenceBackward` (and tested equal to
// them), written for speed: raw pointers instead of checked subscripts, no intermediate copies,
// and the N·C planes spread over the cores with `parallelFor` — each plane reads its own input
// plane and writes its own output plane, so iterations are independent.
//
// Dimension letters: N batch, C channels, H×W input, OH×OW output, P = N·C planes.

import FCNCore
import FCNKernels

extension MaxPooling {
    /// The fast inference forward pass: the pooled tensor `[N, C, OH, OW]`, without the argmax.
    ///
    /// ```swift
    /// let y = MaxPooling(kernel: 2, stride: 2).forward(x)   // x [1, 64, 500, 500] → y [1, 64, 250, 250]
    /// ```
    public func forward(_ x: Tensor) -> Tensor {
        let d = x.nchw
        let shape = outputShape(for: d)                                      // [N, C, OH, OW]
        let scalars = run(x, outputCount: Tensor.elementCount(shape), argmax: nil)
        return Tensor(shape: shape, scalars: scalars)
    }

    /// The fast training forward pass: the pooled tensor and the argmax needed by `backward`.
    public func forwardWithArgmax(_ x: Tensor) -> Result {
        let d = x.nchw
        let shape = outputShape(for: d)                                      // [N, C, OH, OW]
        let count = Tensor.elementCount(shape)
        var argmax = [Int32](repeating: -1, count: count)
        let scalars = argmax.withUnsafeMutableBufferPointer { run(x, outputCount: count, argmax: $0.baseAddress) }
        return Result(output: Tensor(shape: shape, scalars: scalars), argmax: argmax)
    }

    /// The fast backward pass: routes ∂L/∂y to the argmax positions (see `referenceBackward`).
    ///
    /// - Parameters:
    ///   - inputShape: the forward input's shape `[N, C, H, W]`.
    ///   - argmax: `Result.argmax` from `forwardWithArgmax` or `referenceForward`.
    ///   - dy: ∂L/∂y, `[N, C, OH, OW]`.
    /// - Returns: ∂L/∂x, `[N, C, H, W]`.
    public func backward(inputShape: [Int], argmax: [Int32], outputGradient dy: Tensor) -> Tensor {
        precondition(inputShape.count == 4, "MaxPooling: input shape must be [N, C, H, W], got \(inputShape)")
        let o = dy.nchw
        precondition(o.n == inputShape[0] && o.c == inputShape[1] && argmax.count == dy.count,
                     "MaxPooling: gradient \(dy.shape) and argmax (\(argmax.count)) do not match input \(inputShape)")
        let planes = o.n * o.c                                               // P
        let inPlane = inputShape[2] * inputShape[3], outPlane = o.h * o.w    // H·W, OH·OW
        let scalars = [Float](unsafeUninitializedCapacity: planes * inPlane) { dx, initialized in
            guard let dxBase = dx.baseAddress, planes * inPlane > 0 else { initialized = 0; return }
            dy.scalars.withUnsafeBufferPointer { dyBuffer in
                argmax.withUnsafeBufferPointer { argmaxBuffer in
                    let dyBase = dyBuffer.baseAddress!, argmaxBase = argmaxBuffer.baseAddress!
                    parallelFor(planes) { p in
                        let dxPlane = dxBase + p * inPlane
                        dxPlane.initialize(repeating: 0, count: inPlane)
                        let dyPlane = dyBase + p * outPlane, winners = argmaxBase + p * outPlane
                        for k in 0..<outPlane where winners[k] >= 0 {
                            dxPlane[Int(winners[k])] += dyPlane[k]
                        }
                    }
                }
            }
            initialized = planes * inPlane
        }
        return Tensor(shape: inputShape, scalars: scalars)
    }

    /// Pools every plane of `x` into a new array of `outputCount` scalars, writing the winners'
    /// in-plane indices to `argmax` when it is non-nil.
    private func run(_ x: Tensor, outputCount: Int, argmax: UnsafeMutablePointer<Int32>?) -> [Float] {
        let d = x.nchw
        let out = outputSize(height: d.h, width: d.w)
        let H = d.h, W = d.w, OH = out.height, OW = out.width
        let KH = kernel.height, KW = kernel.width, SH = stride.height, SW = stride.width
        let padTop = padding.top, padLeft = padding.left
        let planes = d.n * d.c
        return [Float](unsafeUninitializedCapacity: outputCount) { y, initialized in
            guard let yBase = y.baseAddress, outputCount > 0 else { initialized = 0; return }
            x.scalars.withUnsafeBufferPointer { xBuffer in
                let xBase = xBuffer.baseAddress!
                // VGG's pooling — 2×2, stride 2, no padding — takes the vector path for every window
                // that lies wholly inside the image (with the winners' indices in training), and the
                // general loop below for the clipped windows of ceil mode (last row / column when H
                // or W is odd).
                let pairs = KH == 2 && KW == 2 && SH == 2 && SW == 2 && padTop == 0 && padLeft == 0
                let fullRows = pairs ? min(OH, H / 2) : 0, fullColumns = pairs ? min(OW, W / 2) : 0
                parallelFor(planes) { p in
                    let xPlane = xBase + p * H * W
                    let yPlane = yBase + p * OH * OW
                    let argmaxPlane = argmax.map { $0 + p * OH * OW }
                    for i in 0..<fullRows {
                        if let argmaxPlane {
                            Self.poolPairs(xPlane, row: 2 * i, width: W, count: fullColumns, into: yPlane + i * OW,
                                           winners: argmaxPlane + i * OW)
                        } else {
                            Self.poolPairs(xPlane + 2 * i * W, xPlane + (2 * i + 1) * W, count: fullColumns, into: yPlane + i * OW)
                        }
                    }
                    for i in 0..<OH {
                        let firstColumn = i < fullRows ? fullColumns : 0   // the vector path did the rest
                        // The clipped window rows, as in `MaxPooling.window`.
                        let top = i * SH - padTop
                        let h0 = max(top, 0), h1 = min(top + KH, H)
                        for j in firstColumn..<OW {
                            let left = j * SW - padLeft
                            let w0 = max(left, 0), w1 = min(left + KW, W)
                            var best = -Float.greatestFiniteMagnitude        // Caffe's starting value
                            var winner: Int32 = -1
                            var h = h0
                            while h < h1 {
                                let row = xPlane + h * W
                                var w = w0
                                while w < w1 {
                                    if row[w] > best { best = row[w]; winner = Int32(h * W + w) }
                                    w += 1
                                }
                                h += 1
                            }
                            yPlane[i * OW + j] = best
                            argmaxPlane?[i * OW + j] = winner
                        }
                    }
                }
            }
            initialized = outputCount
        }
    }

    /// 2×2 windows, stride 2, wholly inside the image: `out[j]` = the largest of `r0[2j]`,
    /// `r0[2j + 1]`, `r1[2j]`, `r1[2j + 1]` and −greatestFiniteMagnitude, for j < count — the
    /// reference's rule exactly (a candidate replaces the best only when strictly greater, so
    /// NaN never wins). Eight input columns (four windows) per step: `evenHalf`/`oddHalf`
    /// split each row into the windows' left and right columns.
    @inline(__always)
    static func poolPairs(_ r0: UnsafePointer<Float>, _ r1: UnsafePointer<Float>, count: Int, into out: UnsafeMutablePointer<Float>) {
        let floor = SIMD4<Float>(repeating: -.greatestFiniteMagnitude)
        var j = 0
        while j + 4 <= count {
            let a = UnsafeRawPointer(r0 + 2 * j).loadUnaligned(as: SIMD8<Float>.self)
            let b = UnsafeRawPointer(r1 + 2 * j).loadUnaligned(as: SIMD8<Float>.self)
            var best = floor
            let v0 = a.evenHalf, v1 = a.oddHalf, v2 = b.evenHalf, v3 = b.oddHalf
            best.replace(with: v0, where: v0 .> best)
            best.replace(with: v1, where: v1 .> best)
            best.replace(with: v2, where: v2 .> best)
            best.replace(with: v3, where: v3 .> best)
            UnsafeMutableRawPointer(out + j).storeBytes(of: best, as: SIMD4<Float>.self)
            j += 4
        }
        while j < count {
            var best = -Float.greatestFiniteMagnitude
            if r0[2 * j] > best { best = r0[2 * j] }
            if r0[2 * j + 1] > best { best = r0[2 * j + 1] }
            if r1[2 * j] > best { best = r1[2 * j] }
            if r1[2 * j + 1] > best { best = r1[2 * j + 1] }
            out[j] = best
            j += 1
        }
    }

    /// ``poolPairs(_:_:count:into:)`` with the winners: for the 2×2 windows of input rows `row`
    /// and `row + 1` of `plane` (`width` columns), `out[j]` is the largest value and `winners[j]`
    /// its in-plane index, the first of equals in the reference's order (row `row` left, right,
    /// then row `row + 1` left, right) — what training's backward pass routes dL/dy to.
    @inline(__always)
    static func poolPairs(_ plane: UnsafePointer<Float>, row: Int, width: Int, count: Int,
                          into out: UnsafeMutablePointer<Float>, winners: UnsafeMutablePointer<Int32>) {
        let r0 = plane + row * width, r1 = r0 + width
        let floor = SIMD4<Float>(repeating: -.greatestFiniteMagnitude)
        let lanes = SIMD4<Int32>(0, 2, 4, 6)                 // window j's left column is 2j
        let top = Int32(row * width), bottom = Int32((row + 1) * width)
        var j = 0
        while j + 4 <= count {
            let a = UnsafeRawPointer(r0 + 2 * j).loadUnaligned(as: SIMD8<Float>.self)
            let b = UnsafeRawPointer(r1 + 2 * j).loadUnaligned(as: SIMD8<Float>.self)
            let left = lanes &+ Int32(2 * j)
            var best = floor
            var winner = SIMD4<Int32>(repeating: -1)
            @inline(__always) func consider(_ value: SIMD4<Float>, _ index: SIMD4<Int32>) {
                let better = value .> best
                best.replace(with: value, where: better)
                winner.replace(with: index, where: better)
            }
            consider(a.evenHalf, top &+ left)
            consider(a.oddHalf, top &+ left &+ 1)
            consider(b.evenHalf, bottom &+ left)
            consider(b.oddHalf, bottom &+ left &+ 1)
            UnsafeMutableRawPointer(out + j).storeBytes(of: best, as: SIMD4<Float>.self)
            UnsafeMutableRawPointer(winners + j).storeBytes(of: winner, as: SIMD4<Int32>.self)
            j += 4
        }
        while j < count {
            var best = -Float.greatestFiniteMagnitude
            var winner: Int32 = -1
            for h in row...(row + 1) {
                for w in (2 * j)...(2 * j + 1) where plane[h * width + w] > best { best = plane[h * width + w]; winner = Int32(h * width + w) }
            }
            out[j] = best
            winners[j] = winner
            j += 1
        }
    }
}

// BilinearKernelTests.swift — the bilinear upsampling filter (§3.3) by hand and by its effect.
import Testing
@testable import FCN

@Suite struct BilinearKernelTests {
    /// Factor 2 → k = 4, tent [¼, ¾, ¾, ¼]; the filter is its outer product.
    @Test func factor2FilterByHand() {
        #expect(bilinearKernelSize(factor: 2) == 4)
        let tent: [Float] = [0.25, 0.75, 0.75, 0.25]
        let filter = bilinearFilter(size: 4)
        for u in 0..<4 {
            for v in 0..<4 { #expect(filter[u][v] == tent[u] * tent[v], "filter[\(u)][\(v)]") }
        }
        #expect(filter[0] == [0.0625, 0.1875, 0.1875, 0.0625])
    }

    /// Odd sizes: factor 3 → k = 5, half-width 3, centre 2: tent [⅓, ⅔, 1, ⅔, ⅓];
    /// and size 3 (half-width 2, centre 1): [½, 1, ½].
    @Test func oddFiltersByHand() {
        #expect(bilinearKernelSize(factor: 3) == 5)
        let five = bilinearFilter(size: 5)
        let tent5: [Float] = [1.0 / 3, 2.0 / 3, 1, 2.0 / 3, 1.0 / 3]
        for v in 0..<5 { #expect(abs(five[2][v] - tent5[v]) < 1e-7, "row 2, column \(v)") }
        #expect(abs(five[0][0] - 1.0 / 9) < 1e-7)
        #expect(bilinearFilter(size: 3) == [[0.25, 0.5, 0.25], [0.5, 1, 0.5], [0.25, 0.5, 0.25]])
    }

    @Test(arguments: [(2, 4), (3, 5), (8, 16), (16, 32), (32, 64)])
    func kernelSizes(factor: Int, size: Int) {
        #expect(bilinearKernelSize(factor: factor) == size)
    }

    /// [C, C, k, k], the filter on the diagonal, zeros elsewhere.
    @Test func weightIsClassDiagonal() {
        let weight = bilinearUpsamplingWeight(channels: 3, factor: 2)
        #expect(weight.shape == [3, 3, 4, 4])
        let filter = bilinearFilter(size: 4)
        for c in 0..<3 {
            for d in 0..<3 {
                for u in 0..<4 {
                    for v in 0..<4 { #expect(weight[c, d, u, v] == (c == d ? filter[u][v] : 0)) }
                }
            }
        }
    }

    /// The bilinear layer of factor f, padded by (k − f)/2 so the output is exactly f·H × f·W.
    func upsampler(channels: Int, factor: Int) -> TransposedConvolution {
        let k = bilinearKernelSize(factor: factor)
        return TransposedConvolution(weight: bilinearUpsamplingWeight(channels: channels, factor: factor),
                                     stride: Size2(factor), padding: Padding((k - factor) / 2))
    }

    /// Output row or column j sits at input coordinate t = (j + ½)/f − ½; it is "inside" when
    /// both input pixels it interpolates between exist, t ∈ [0, n − 1].
    func insideIndices(count n: Int, factor f: Int) -> [Int] {
        (0..<(n * f)).filter { j in
            let t = (Double(j) + 0.5) / Double(f) - 0.5
            return t >= 0 && t <= Double(n - 1)
        }
    }

    /// A constant image stays constant away from the borders, for even and odd factors.
    @Test(arguments: [2, 3, 4])
    func constantStaysConstant(factor: Int) {
        let layer = upsampler(channels: 2, factor: factor)
        let x = Tensor(repeating: 0.7, shape: [1, 2, 4, 5])
        let y = layer.forward(x)
        #expect(y.shape == [1, 2, 4 * factor, 5 * factor])
        var worst: Float = 0
        for c in 0..<2 {
            for i in insideIndices(count: 4, factor: factor) {
                for j in insideIndices(count: 5, factor: factor) { worst = max(worst, abs(y[0, c, i, j] - 0.7)) }
            }
        }
        #expect(worst < 1e-6, "max |y − 0.7| inside = \(worst)")
        expectFastMatchesReference(y, layer.referenceForward(x), "bilinear forward")
    }

    /// A linear ramp a·h + b·w + c becomes the ramp sampled at t = (j + ½)/f − ½: interpolation is exact on linear functions.
    @Test(arguments: [2, 3, 4])
    func rampStaysRamp(factor: Int) {
        let layer = upsampler(channels: 1, factor: factor)
        let (a, b, c): (Float, Float, Float) = (0.5, -0.25, 1)
        let x = Tensor(shape: [1, 1, 5, 4]) { i in a * Float(i[2]) + b * Float(i[3]) + c }
        let y = layer.forward(x)
        var worst: Float = 0
        for i in insideIndices(count: 5, factor: factor) {
            for j in insideIndices(count: 4, factor: factor) {
                let th = (Float(i) + 0.5) / Float(factor) - 0.5
                let tw = (Float(j) + 0.5) / Float(factor) - 0.5
                worst = max(worst, abs(y[0, 0, i, j] - (a * th + b * tw + c)))
            }
        }
        #expect(worst < 1e-5, "max deviation from the ramp inside = \(worst)")
    }

    /// Checkerboard artifacts: a kernel whose size is not a multiple of the stride (a 3×3 box,
    /// stride 2) covers output pixels unevenly, so a constant image comes out non-constant.
    @Test func illSizedKernelMakesACheckerboard() {
        let layer = TransposedConvolution(weight: Tensor(repeating: 1, shape: [1, 1, 3, 3]), stride: 2, padding: 1)
        let y = layer.forward(Tensor(repeating: 1, shape: [1, 1, 4, 4]))
        let inside = (2..<5).flatMap { i in (2..<5).map { j in y[0, 0, i, j] } }
        // Output row i = 2h − 1 + u: odd rows are reached by two stamps (u = 0 and 2), even rows
        // by one (u = 1); likewise columns. So the values are 1, 2 and 4.
        #expect(Set(inside) == [1, 2, 4], "inside values \(inside)")
        #expect(y[0, 0, 2, 2] == 1 && y[0, 0, 2, 3] == 2 && y[0, 0, 3, 3] == 4)
    }
}

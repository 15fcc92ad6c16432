// WinogradTests.swift — Winograd F(4×4, 3×3) equals the reference convolution.
//
// First the algebra (the fast 1-D transforms equal the documented matrices; the 1-D algorithm
// computes a correlation exactly), then the layer on awkward shapes against
// `Convolution.referenceForward`, within 1e-4 relative.
import FCNKernels
import Testing
@testable import FCN

@Suite struct WinogradTests {
    // MARK: The transforms

    /// The vectorised transforms on 11 vectors (one SIMD8 step plus a scalar tail of 3), with
    /// component strides larger than the count, against plain matrix–vector products.
    @Test func fastTransformsEqualTheMatrices() {
        var rng = SeededRandom(seed: 4)
        let count = 11, stride = 13
        let d = (0..<6 * stride).map { _ in rng.nextFloat() * 2 - 1 }         // component i of vector q at d[i·13 + q]
        var r = [Float](repeating: .nan, count: 6 * stride), y = [Float](repeating: .nan, count: 4 * stride)
        Winograd.inputTransform(count: count, d, stride, &r, stride)
        Winograd.outputTransform(count: count, d, stride, &y, stride)
        for q in 0..<count {
            let vector = (0..<6).map { d[$0 * stride + q] }
            for (k, row) in Winograd.inputTransform.enumerated() {
                let expected = zip(row, vector).reduce(0) { $0 + $1.0 * $1.1 }
                #expect(abs(r[k * stride + q] - expected) <= 1e-5, "Bᵀd[\(k)] of vector \(q): \(r[k * stride + q]) vs \(expected)")
            }
            for (k, row) in Winograd.outputTransform.enumerated() {
                let expected = zip(row, vector).reduce(0) { $0 + $1.0 * $1.1 }
                #expect(abs(y[k * stride + q] - expected) <= 1e-5, "Aᵀm[\(k)] of vector \(q): \(y[k * stride + q]) vs \(expected)")
            }
        }
        // Nothing written past `count` in any component.
        #expect((0..<6).allSatisfy { k in (count..<stride).allSatisfy { r[k * stride + $0].isNaN } })
    }

    /// F(4, 3) in one dimension: Aᵀ[(G g) ⊙ (Bᵀ d)] is the correlation y_i = Σ_u g_u·d_{i+u}.
    @Test func oneDimensionalAlgorithmIsACorrelation() {
        var rng = SeededRandom(seed: 5)
        let d = (0..<6).map { _ in Double(rng.nextFloat() * 2 - 1) }
        let g = (0..<3).map { _ in Double(rng.nextFloat() * 2 - 1) }
        let Gg = Winograd.filterTransform.map { row in zip(row, g).reduce(0) { $0 + $1.0 * $1.1 } }
        let Btd = Winograd.inputTransform.map { row in zip(row, d).reduce(0) { $0 + Double($1.0) * $1.1 } }
        let product = zip(Gg, Btd).map { $0 * $1 }                       // the only 6 multiplications
        let y = Winograd.outputTransform.map { row in zip(row, product).reduce(0) { $0 + Double($1.0) * $1.1 } }
        for i in 0..<4 {
            let direct = (0..<3).reduce(0.0) { $0 + g[$1] * d[i + $1] }
            #expect(abs(y[i] - direct) <= 1e-12, "y[\(i)] = \(y[i]), direct \(direct)")
        }
    }

    /// A filter that is 1 at one tap and 0 elsewhere transforms to the outer product of a G column with itself.
    @Test func filterTransformOfAUnitTap() {
        var weight = Tensor(zeros: [1, 1, 3, 3])
        weight[0, 0, 2, 0] = 1                                          // g = e₂ e₀ᵀ
        let u = WinogradFilter(weight: weight)
        let G = Winograd.filterTransform
        for i in 0..<6 { for j in 0..<6 { #expect(abs(Double(u.scalars[i * 6 + j]) - G[i][2] * G[j][0]) <= 1e-7) } }
    }

    /// The vectorised `Float` filter transform (eight channels per SIMD step, then a scalar
    /// tail: C = 13) against the `Double` definition G g Gᵀ, filter by filter.
    @Test func fastFilterTransformEqualsTheDefinition() {
        var rng = SeededRandom(seed: 12)
        let O = 3, C = 13
        let weight = Tensor(randomNormal: [O, C, 3, 3], using: &rng)
        let u = WinogradFilter(weight: weight)
        var worst = 0.0
        for o in 0..<O {
            for c in 0..<C {
                let g = (0..<9).map { Double(weight.scalars[(o * C + c) * 9 + $0]) }
                let expected = Winograd.transformFilter(g)
                for xi in 0..<36 { worst = max(worst, abs(Double(u.scalars[xi * O * C + o * C + c]) - expected[xi])) }
            }
        }
        #expect(worst <= 1e-6, "max |fast − definition| = \(worst)")
    }

    /// FCN's shapes in miniature: pad 100 on an odd-sized input, and widths whose tile counts
    /// leave SIMD tails, with 16 channels so the filter transform takes its vector path.
    @Test(arguments: [(16, 8, 5, 7, 100), (16, 12, 23, 9, 1), (17, 9, 9, 31, 1)])
    func equalsReferenceWithFCNPaddings(C: Int, O: Int, H: Int, W: Int, pad: Int) {
        let (error, shape) = Self.relativeError(C: C, O: O, H: H, W: W, padding: Padding(pad), relu: true, seed: UInt64(H * W))
        #expect(shape == [1, O, H + 2 * pad - 2, W + 2 * pad - 2])
        #expect(error <= 1e-4, "C \(C) O \(O) \(H)×\(W) pad \(pad): max relative difference \(error)")
    }

    // MARK: The layer

    /// Random weights, bias and input; Winograd output against the reference, max relative difference.
    static func relativeError(C: Int, O: Int, H: Int, W: Int, padding: Padding, bias: Bool = true, relu: Bool = false,
                              batch: Int = 1, tilesPerChunk: Int = WinogradConvolution.targetTilesPerChunk, seed: UInt64) -> (Float, [Int]) {
        var rng = SeededRandom(seed: seed)
        let conv = Convolution(weight: Tensor(randomNormal: [O, C, 3, 3], standardDeviation: 0.3, using: &rng),
                               bias: bias ? Tensor(randomNormal: [O], using: &rng) : nil, padding: padding)
        // Non-negative activations with a bright offset, like the output of a ReLU layer.
        let x = Tensor(randomUniform: [batch, C, H, W], in: 0...4, using: &rng)
        var expected = conv.referenceForward(x)
        if relu { expected = Tensor(shape: expected.shape, scalars: expected.scalars.map { max($0, 0) }) }
        let y = WinogradConvolution(conv).forward(x, fusingReLU: relu, targetTilesPerChunk: tilesPerChunk)
        #expect(y.shape == expected.shape)
        guard y.shape == expected.shape else { return (.infinity, y.shape) }
        return (y.relativeDifference(to: expected), y.shape)
    }

    @Test(arguments: [
        (3, 5, 7, 9, 0), (3, 5, 7, 9, 1), (2, 3, 13, 5, 2), (5, 7, 4, 4, 1),   // odd and non-multiple-of-4 sizes
        (1, 1, 3, 3, 0), (4, 2, 6, 6, 0), (3, 3, 11, 17, 1), (7, 6, 1, 1, 1),  // one-tile, exact-tile and 1×1 inputs
    ])
    func equalsReferenceOnOddShapes(C: Int, O: Int, H: Int, W: Int, pad: Int) {
        let (error, shape) = Self.relativeError(C: C, O: O, H: H, W: W, padding: Padding(pad), seed: UInt64(C * 100 + H))
        #expect(error <= 1e-4, "C \(C) O \(O) \(H)×\(W) pad \(pad) → \(shape): max relative difference \(error)")
    }

    /// FCN's conv1_1 pads by 100: a 3×3 image gives a 201×201 output, almost all bias.
    @Test func padHundredOnATinyImage() {
        let (error, shape) = Self.relativeError(C: 2, O: 3, H: 3, W: 3, padding: 100, seed: 100)
        #expect(shape == [1, 3, 201, 201])          // 3 + 2·100 − 2
        #expect(error <= 1e-4, "max relative difference \(error)")
    }

    @Test func asymmetricPaddingWithoutBias() {
        let (error, shape) = Self.relativeError(C: 3, O: 4, H: 9, W: 6, padding: Padding(top: 0, left: 2, bottom: 3, right: 1),
                                                bias: false, seed: 8)
        #expect(shape == [1, 4, 10, 7])
        #expect(error <= 1e-4, "max relative difference \(error)")
    }

    @Test func fusedReLUAndBatch() {
        // Zero-mean input so that about half the outputs are negative and ReLU matters.
        var rng = SeededRandom(seed: 9)
        let conv = Convolution(weight: Tensor(randomNormal: [5, 3, 3, 3], using: &rng),
                               bias: Tensor(randomNormal: [5], using: &rng), padding: 1)
        let x = Tensor(randomNormal: [2, 3, 10, 7], using: &rng)
        let reference = conv.referenceForward(x)
        let expected = Tensor(shape: reference.shape, scalars: reference.scalars.map { max($0, 0) })
        let y = WinogradConvolution(conv).forward(x, fusingReLU: true)
        #expect(reference.scalars.contains { $0 < 0 }, "the test needs negative pre-activations")
        #expect(y.scalars.allSatisfy { $0 >= 0 })
        #expect(y.relativeDifference(to: expected) <= 1e-4, "max relative difference \(y.relativeDifference(to: expected))")
    }

    /// One tile row per chunk: many chunks; 12 tiles per row exercise the SIMD loops and their tails.
    @Test func manySmallChunks() {
        let (error, _) = Self.relativeError(C: 3, O: 5, H: 21, W: 45, padding: 1, batch: 2, tilesPerChunk: 1, seed: 10)
        #expect(error <= 1e-4, "max relative difference \(error)")
    }

    /// More channels, so that the sum over C inside the GEMMs is long enough to show rounding.
    @Test func manyChannels() {
        let (error, _) = Self.relativeError(C: 67, O: 9, H: 12, W: 10, padding: 1, seed: 11)
        #expect(error <= 1e-4, "max relative difference \(error)")
    }

    @Test func emptyBatchGivesAnEmptyOutput() {
        let conv = Convolution(weight: Tensor(repeating: 1, shape: [2, 3, 3, 3]), padding: 1)
        #expect(WinogradConvolution(conv).forward(Tensor(zeros: [0, 3, 5, 5])).shape == [0, 2, 5, 5])
    }

    @Test func applicability() {
        let w = Tensor(zeros: [2, 2, 3, 3])
        #expect(WinogradConvolution.isApplicable(to: Convolution(weight: w, padding: 100)))
        #expect(!WinogradConvolution.isApplicable(to: Convolution(weight: w, stride: 2)))
        #expect(!WinogradConvolution.isApplicable(to: Convolution(weight: w, dilation: 2)))
        #expect(!WinogradConvolution.isApplicable(to: Convolution(weight: w, groups: 2)))
        #expect(!WinogradConvolution.isApplicable(to: Convolution(weight: Tensor(zeros: [2, 2, 5, 5]))))
    }
}

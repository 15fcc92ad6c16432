// WinogradFusedTests.swift — the fused AVX-512 Winograd block kernel equals the reference convolution.
//
// `WinogradConvolution.fusedForward` against `Convolution.referenceForward` (1e-4 relative) on
// shapes chosen to reach every branch of `Sources/CFCNKernels/winograd_f43.c`: channel counts
// that are not multiples of 8 or 16 (micro-kernel row tails), tile rows shorter than a 16-lane
// group (groups that wrap over several tile rows, staged path) and longer (direct masked
// loads), image borders with padding 0, 1, asymmetric and 100, blocks of 16 to 144 tiles
// (one to three 48-tile chunks), batches, and ReLU. Skipped (with a note) on processors without AVX-512.
import FCNKernels
import Testing
@testable import FCN

@Suite(.enabled(if: WinogradConvolution.isFusedKernelAvailable, "needs AVX-512"))
struct WinogradFusedTests {
    /// Random weights, bias and input; fused output against the reference, max relative difference.
    static func relativeError(C: Int, O: Int, H: Int, W: Int, padding: Padding, alsoWithReLU: Bool, batch: Int = 1,
                              blockTiles: Int? = nil, seed: UInt64) -> (Float, [Int]) {
        var rng = SeededRandom(seed: seed)
        let conv = Convolution(weight: Tensor(randomNormal: [O, C, 3, 3], standardDeviation: 0.3, using: &rng),
                               bias: Tensor(randomNormal: [O], using: &rng), padding: padding)
        // Zero-mean input, so that ReLU clamps about half the outputs.
        let x = Tensor(randomNormal: [batch, C, H, W], using: &rng)
        let reference = conv.referenceForward(x)           // the slow part (debug build): computed once
        return worstRelativeError(reference: reference, alsoWithReLU: alsoWithReLU) { relu in
            WinogradConvolution(conv).fusedForward(x, fusingReLU: relu, blockTiles: blockTiles)
        }
    }

    @Test(arguments: [
        (3, 5, 7, 9, 0, 48), (5, 11, 13, 10, 1, 16), (17, 9, 9, 31, 1, 32),    // wrapping groups, row tails of O
        (9, 19, 6, 70, 1, 48), (16, 8, 7, 66, 1, 32),                          // tile rows ≥ 16: direct loads
        (1, 1, 3, 3, 0, 16), (7, 6, 1, 1, 1, 48), (4, 24, 5, 130, 1, 48),       // one tile; 33 tiles per row
        (6, 9, 30, 41, 1, 100), (3, 10, 38, 50, 1, 144),                        // blocks of several 48-tile chunks
    ])
    func equalsReference(C: Int, O: Int, H: Int, W: Int, pad: Int, block: Int) {
        do {                                               // with and without ReLU
            let (error, shape) = Self.relativeError(C: C, O: O, H: H, W: W, padding: Padding(pad), alsoWithReLU: true,
                                                    blockTiles: block, seed: UInt64(C * 1000 + H * 10 + W))
            #expect(shape == [1, O, H + 2 * pad - 2, W + 2 * pad - 2])
            #expect(error <= 1e-4, "C \(C) O \(O) \(H)×\(W) pad \(pad) block \(block) (ReLU on and off): max relative difference \(error)")
        }
    }

    /// FCN's conv1_1 padding on a tiny image: a 201×200 output, mostly bias; automatic block size.
    @Test func padHundred() {
        let (error, shape) = Self.relativeError(C: 2, O: 3, H: 3, W: 2, padding: 100, alsoWithReLU: true, seed: 100)
        #expect(shape == [1, 3, 201, 200])
        #expect(error <= 1e-4, "max relative difference \(error)")
    }

    @Test func asymmetricPaddingAndBatch() {
        let (error, shape) = Self.relativeError(C: 6, O: 10, H: 19, W: 23, padding: Padding(top: 0, left: 2, bottom: 3, right: 1),
                                                alsoWithReLU: false, batch: 3, seed: 8)
        #expect(shape == [3, 10, 20, 24])
        #expect(error <= 1e-4, "max relative difference \(error)")
    }

    /// A long sum over channels (C = 131) to show rounding; O = 8 + 3 exercises a full micro-kernel and a tail.
    @Test func manyChannels() {
        let (error, _) = Self.relativeError(C: 131, O: 11, H: 6, W: 6, padding: 1, alsoWithReLU: true, seed: 11)
        #expect(error <= 1e-4, "max relative difference \(error)")
    }

    /// The public `forward` takes the fused path here and agrees with the BLAS path.
    @Test func publicForwardMatchesBLASPath() {
        var rng = SeededRandom(seed: 12)
        let conv = Convolution(weight: Tensor(randomNormal: [12, 10, 3, 3], using: &rng), bias: Tensor(randomNormal: [12], using: &rng), padding: 1)
        let x = Tensor(randomNormal: [2, 10, 17, 29], using: &rng)
        let fast = WinogradConvolution(conv)
        let a = fast.forward(x, fusingReLU: true), b = fast.forward(x, fusingReLU: true, targetTilesPerChunk: 512)
        #expect(a.relativeDifference(to: b) <= 1e-5, "fused vs BLAS: \(a.relativeDifference(to: b))")
    }
}

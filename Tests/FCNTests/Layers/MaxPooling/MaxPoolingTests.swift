// MaxPoolingTests.swift — output sizes against Caffe's formula, a pool by hand, fast = reference,
// and the backward pass against finite differences.
import Foundation
import Testing
@testable import FCN

/// Caffe's `PoolingLayer::Reshape`, transcribed literally (float division, `ceil`, the
/// `pad_h_ || pad_w_` correction) as an independent oracle for the ceil rule.
private func caffePooledLength(input: Int, kernel: Int, stride: Int, pad: Int) -> Int {
    var pooled = Int(ceil(Float(input + 2 * pad - kernel) / Float(stride))) + 1
    if pad != 0 && (pooled - 1) * stride >= input + pad { pooled -= 1 }
    return pooled
}

/// A tensor holding a random permutation of 0, 0.1, 0.2, …: distinct values far apart compared
/// with the finite-difference step, so no perturbation changes which input wins a max.
private func distinctValues(_ shape: [Int], using rng: inout SeededRandom) -> Tensor {
    let count = Tensor.elementCount(shape)
    let values = (0..<count).map { Float($0) * 0.1 - Float(count) * 0.05 }.shuffled(using: &rng)
    return Tensor(shape: shape, scalars: values)
}

@Suite struct MaxPoolingTests {
    /// The sizes FCN-VGG16 meets (k = 2, s = 2 after conv1_1's pad 100 on a 500×500 image),
    /// the edge case of a single pixel, and padded windows, in Caffe's ceil mode.
    @Test(arguments: [
        // (input, kernel, stride, pad, expected)
        (7, 2, 2, 0, 4), (175, 2, 2, 0, 88), (349, 2, 2, 0, 175), (500, 2, 2, 0, 250), (698, 2, 2, 0, 349),
        (1, 2, 2, 0, 1), (55, 3, 2, 0, 27), (173, 3, 2, 0, 86), (112, 3, 2, 0, 56),
        (5, 3, 2, 1, 3), (6, 2, 2, 1, 4),
        (3, 2, 2, 1, 2),   // ⌈3/2⌉ + 1 = 3, but window 2 would start at 4 − 1 = 3, in the right padding: 2
        (4, 1, 2, 1, 3),   // ⌈5/2⌉ + 1 = 4, last start 6 − 1 = 5 ≥ 4: 3
    ])
    func ceilLengths(input: Int, kernel: Int, stride: Int, pad: Int, expected: Int) {
        #expect(MaxPooling.outputLength(input: input, kernel: kernel, stride: stride, padBefore: pad, padAfter: pad,
                                        rounding: .ceil) == expected)
        #expect(caffePooledLength(input: input, kernel: kernel, stride: stride, pad: pad) == expected)
    }

    /// The ceil rule agrees with the literal transcription of Caffe's code on every small case
    /// (Caffe requires pad < kernel).
    @Test func ceilMatchesCaffeEverywhere() {
        var mismatches: [String] = []
        for input in 1...40 {
            for kernel in 1...5 {
                for stride in 1...4 {
                    for pad in 0..<kernel where input + 2 * pad >= kernel {
                        let ours = MaxPooling.outputLength(input: input, kernel: kernel, stride: stride,
                                                           padBefore: pad, padAfter: pad, rounding: .ceil)
                        let caffe = caffePooledLength(input: input, kernel: kernel, stride: stride, pad: pad)
                        if ours != caffe { mismatches.append("in \(input) k \(kernel) s \(stride) p \(pad): \(ours) ≠ \(caffe)") }
                    }
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    /// PyTorch's default (`ceil_mode=False`): only whole windows.
    @Test(arguments: [(7, 2, 2, 0, 3), (175, 2, 2, 0, 87), (500, 2, 2, 0, 250), (5, 3, 2, 1, 3), (3, 2, 2, 1, 2),
                      (1, 2, 2, 0, 0), (6, 3, 3, 0, 2)])
    func floorLengths(input: Int, kernel: Int, stride: Int, pad: Int, expected: Int) {
        #expect(MaxPooling.outputLength(input: input, kernel: kernel, stride: stride, padBefore: pad, padAfter: pad,
                                        rounding: .floor) == expected)
    }

    /// A 4×4 plane, 2×2 windows, stride 2: each output is the largest of its quadrant.
    @Test func fourByFourByHand() {
        let x = Tensor(shape: [1, 1, 4, 4], scalars: [1, 5, 2, 0,
                                                      3, 4, 8, 6,
                                                      7, 0, 1, 2,
                                                      9, 3, 4, -1])
        let pool = MaxPooling(kernel: 2, stride: 2)
        let r = pool.referenceForward(x)
        #expect(r.output.shape == [1, 1, 2, 2])
        #expect(r.output.scalars == [5, 8, 9, 4])
        #expect(r.argmax == [1, 6, 12, 14])                     // in-plane indices h·4 + w
        let dx = pool.referenceBackward(inputShape: x.shape, argmax: r.argmax,
                                        outputGradient: Tensor(shape: [1, 1, 2, 2], scalars: [10, 20, 30, 40]))
        #expect(dx.scalars == [0, 10, 0, 0,
                               0, 0, 20, 0,
                               0, 0, 0, 0,
                               30, 0, 40, 0])
        #expect(pool.forward(x) == r.output)
    }

    /// Ceil mode on 3×3: the last row and column of windows are clipped to one pixel wide, and
    /// padding never wins even when every value is negative.
    @Test func clippedWindowsByHand() {
        let x = Tensor(shape: [1, 1, 3, 3], scalars: [-1, -2, -3, -4, -5, -6, -7, -8, -9])
        let r = MaxPooling(kernel: 2, stride: 2).referenceForward(x)
        #expect(r.output.scalars == [-1, -3, -7, -9])
        #expect(r.argmax == [0, 2, 6, 8])
        let padded = MaxPooling(kernel: 3, stride: 2, padding: 1).referenceForward(x)  // 3×3 → 2×2
        #expect(padded.output.scalars == [-1, -2, -4, -5])
    }

    /// Caffe's degenerate case: 5 pixels, kernel 1, stride 3, no padding gives 3 windows, the
    /// last one starting at 6, past the image. It outputs −FLT_MAX, has no argmax, gets no gradient.
    @Test func emptyWindowAsCaffe() {
        let x = Tensor(shape: [1, 1, 1, 5], scalars: [1, 2, 3, 4, 5])
        let pool = MaxPooling(kernel: Size2(height: 1, width: 1), stride: Size2(height: 1, width: 3))
        let r = pool.referenceForward(x)
        #expect(r.output.scalars == [1, 4, -Float.greatestFiniteMagnitude])
        #expect(r.argmax == [0, 3, -1])
        #expect(pool.forwardWithArgmax(x).argmax == r.argmax)
        let dx = pool.backward(inputShape: x.shape, argmax: r.argmax, outputGradient: Tensor(repeating: 1, shape: [1, 1, 1, 3]))
        #expect(dx.scalars == [1, 0, 0, 1, 0])
    }

    /// Ties in VGG's 2×2 windows (ReLU's zeros make them common) go to the first candidate in the
    /// reference's order, in the vector path and its tail alike.
    @Test func tiesGoToTheFirstCandidate() {
        let w = 22                                                   // 11 windows: 2 vectors of 4 + 3 in the tail
        let x = Tensor(shape: [1, 1, 2, w]) { i in i[3] % 4 == 3 ? 1 : (i[2] == 1 && i[3] % 8 == 0 ? 1 : 0) }
        let pool = MaxPooling(kernel: Size2(2), stride: Size2(2))
        #expect(pool.forwardWithArgmax(x).argmax == pool.referenceForward(x).argmax)
        let zeros = Tensor(zeros: [1, 1, 2, w])
        #expect(pool.forwardWithArgmax(zeros).argmax == (0..<11).map { Int32(2 * $0) })
    }

    /// The fast passes agree with the reference on awkward shapes: odd sizes, stride > kernel,
    /// stride < kernel (overlapping windows), asymmetric kernels, padding, both roundings.
    @Test(arguments: [
        (2, 3, 7, 9, Size2(2), Size2(2), Padding(0), Rounding.ceil),
        (1, 2, 11, 5, Size2(3), Size2(2), Padding(1), Rounding.ceil),
        (1, 4, 9, 10, Size2(2), Size2(3), Padding(0), Rounding.ceil),
        (3, 1, 8, 8, Size2(height: 3, width: 2), Size2(1), Padding(vertical: 1, horizontal: 0), Rounding.floor),
        (1, 2, 13, 6, Size2(3), Size2(3), Padding(top: 2, left: 1, bottom: 0, right: 2), Rounding.ceil),
        (2, 2, 5, 7, Size2(3), Size2(2), Padding(1), Rounding.floor),
        (1, 2, 6, 21, Size2(2), Size2(2), Padding(0), Rounding.ceil),     // VGG's 2×2: vectors of 4 windows + tail + ceil column
    ])
    func fastMatchesReference(n: Int, c: Int, h: Int, w: Int, kernel: Size2, stride: Size2, padding: Padding, rounding: Rounding) {
        var rng = SeededRandom(seed: UInt64(h * 31 + w))
        let x = Tensor(randomNormal: [n, c, h, w], using: &rng)
        let pool = MaxPooling(kernel: kernel, stride: stride, padding: padding, rounding: rounding)
        let reference = pool.referenceForward(x)
        let fast = pool.forwardWithArgmax(x)
        let difference = fast.output.relativeDifference(to: reference.output)
        #expect(difference <= 1e-4, "forward: max relative difference \(difference)")
        #expect(fast.argmax == reference.argmax)
        #expect(pool.forward(x) == fast.output)
        let dy = Tensor(randomNormal: reference.output.shape, using: &rng)
        let dxReference = pool.referenceBackward(inputShape: x.shape, argmax: reference.argmax, outputGradient: dy)
        let dxFast = pool.backward(inputShape: x.shape, argmax: fast.argmax, outputGradient: dy)
        let backwardDifference = dxFast.relativeDifference(to: dxReference)
        #expect(backwardDifference <= 1e-4, "backward: max relative difference \(backwardDifference)")
    }

    /// Backward against finite differences, with overlapping windows (3×3, stride 2) and padding.
    @Test(arguments: [(Size2(3), Size2(2), Padding(1)), (Size2(2), Size2(2), Padding(0)), (Size2(2), Size2(3), Padding(0))])
    func gradientMatchesFiniteDifferences(kernel: Size2, stride: Size2, padding: Padding) {
        var rng = SeededRandom(seed: 7)
        let x = distinctValues([2, 2, 5, 7], using: &rng)
        let pool = MaxPooling(kernel: kernel, stride: stride, padding: padding)
        let r = pool.referenceForward(x)
        let dy = Tensor(randomNormal: r.output.shape, using: &rng)
        let analytic = pool.referenceBackward(inputShape: x.shape, argmax: r.argmax, outputGradient: dy)
        let numeric = numericalGradient(at: x) { pool.referenceForward($0).output.dot(dy) }
        expectGradientsClose(analytic, numeric, "max pooling k \(kernel) s \(stride) p \(padding)")
    }
}

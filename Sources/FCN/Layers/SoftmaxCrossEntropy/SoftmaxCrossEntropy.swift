// SoftmaxCrossEntropy.swift — the per-pixel multinomial logistic loss FCN trains with (paper §3, §4.3).
//
// "We use a per-pixel multinomial logistic loss" (§4.3): at every pixel the C class scores are
// turned into probabilities by a softmax over the channel axis, and the loss is the negative
// log probability of the true class. §3 explains why this is dense training done right: a loss
// that is a sum over the spatial dimensions of the final layer, ℓ(x; θ) = Σ_ij ℓ'(x_ij; θ), has a
// gradient that is the sum of the per-pixel gradients, so one forward and one backward pass of
// the whole image equal patchwise training on every pixel at once. Pixels labelled 255 (PASCAL
// VOC's object borders and "void") are ignored: they add nothing to the loss or the gradient.
//
// This is Caffe's SoftmaxWithLoss. The FCN nets set `normalize: false`: the loss is summed,
// not averaged, over the pixels, which is why their learning rates are as small as 1e-10 (§4.3).
//
// This file holds the reference passes; the fast ones are in `SoftmaxCrossEntropy+Fast.swift` beside it.
//
// Dimension letters: N batch, C classes, H×W the score map.

import FCNCore
import Foundation

/// Softmax over the channels followed by the negative log likelihood of each pixel's label,
/// summed (or averaged) over the pixels that are not ignored.
///
/// Layout: scores `[N, C, H, W]`, labels `[N, 1, H, W]` holding integer class values as `Float`
/// (Caffe's convention; a fractional value is truncated as Caffe's `static_cast<int>` does).
/// A label must be in `0..<C` or equal `ignoreLabel`; anything else is a programming error and
/// traps with a message (labels from files are validated when they are read).
///
///     loss = (1 / normalizer) · Σ_{n, h, w not ignored} −log softmax(scores[n, :, h, w])[label]
///
/// ```swift
/// let loss = SoftmaxCrossEntropy(normalization: .none)          // the FCN nets' setting
/// let value = loss.referenceForward(scores: s, labels: t)        // s [1, 21, 500, 500], t [1, 1, 500, 500]
/// let dScores = loss.referenceBackward(scores: s, labels: t)     // [1, 21, 500, 500]
/// ```
///
/// ### See Also
/// - ``Crop``, which brings the score map to the label's size.
public struct SoftmaxCrossEntropy: Sendable {
    /// What the summed loss is divided by.
    public enum Normalization: Hashable, Sendable {
        /// The number of pixels that are not ignored (Caffe's VALID, its default), at least 1.
        case validPixels
        /// The batch size N (Caffe's BATCH_SIZE — what Caffe's legacy `normalize: false` means;
        /// for FCN's batches of one image it equals `.none`).
        case batchSize
        /// Nothing: the plain sum (Caffe's NONE).
        case none
    }

    /// The label value whose pixels are skipped (`nil`: none is skipped). PASCAL VOC uses 255.
    public var ignoreLabel: Int?
    /// What the summed loss is divided by.
    public var normalization: Normalization

    /// A per-pixel loss that skips `ignoreLabel` and divides as `normalization` says.
    ///
    /// - Parameters:
    ///   - ignoreLabel: label value to skip (default 255, PASCAL VOC's void), or `nil`.
    ///   - normalization: `.validPixels` (default, Caffe's), `.batchSize` or `.none` (FCN's nets).
    public init(ignoreLabel: Int? = 255, normalization: Normalization = .validPixels) {
        self.ignoreLabel = ignoreLabel
        self.normalization = normalization
    }

    /// Caffe's cap on a pixel's loss: it takes −log(max(p, FLT_MIN)), so a pixel never costs
    /// more than −log(FLT_MIN) ≈ 87.34 even when its probability underflows.
    static let maximumPixelLoss = -log(Double(Float.leastNormalMagnitude))

    /// The class of a label value, or `nil` for an ignored pixel; traps on an invalid label.
    @inline(__always)
    func labelClass(_ value: Float, classes: Int) -> Int? {
        precondition(value.isFinite, "SoftmaxCrossEntropy: label \(value) is not a number")
        let label = Int(value)                                  // truncation, as Caffe
        if label == ignoreLabel { return nil }
        precondition(label >= 0 && label < classes,
                     "SoftmaxCrossEntropy: label \(label) is outside 0..<\(classes) and is not the ignore label \(ignoreLabel.map(String.init) ?? "(none)")")
        return label
    }

    /// The divisor of the summed loss, given how many pixels were not ignored.
    func normalizer(validPixels: Int, batch: Int) -> Double {
        switch normalization {
        case .validPixels: return Double(max(validPixels, 1))
        case .batchSize: return Double(max(batch, 1))
        case .none: return 1
        }
    }

    func checkShapes(_ scores: Tensor, _ labels: Tensor) {
        let d = scores.nchw
        precondition(labels.shape == [d.n, 1, d.h, d.w],
                     "SoftmaxCrossEntropy: labels \(labels.shape) do not match scores \(scores.shape) (expected [\(d.n), 1, \(d.h), \(d.w)])")
    }

    /// The reference forward pass: the loss, computed stably in `Double`. At each pixel,
    /// with m the largest score, −log softmax(s)[t] = m + log Σ_c exp(s_c − m) − s_t: subtracting
    /// m keeps every exponent ≤ 0, so nothing overflows however large the scores.
    public func referenceForward(scores: Tensor, labels: Tensor) -> Double {
        checkShapes(scores, labels)
        let d = scores.nchw
        var total = 0.0, valid = 0
        for n in 0..<d.n {
            for h in 0..<d.h {
                for w in 0..<d.w {
                    guard let t = labelClass(labels[n, 0, h, w], classes: d.c) else { continue }
                    let (m, sum) = softmaxNormalizer(scores, n, h, w, classes: d.c)
                    let pixelLoss = m + log(sum) - Double(scores[n, t, h, w])
                    total += min(pixelLoss, SoftmaxCrossEntropy.maximumPixelLoss)
                    valid += 1
                }
            }
        }
        return total / normalizer(validPixels: valid, batch: d.n)
    }

    /// At pixel (n, h, w): the largest score m and Σ_c exp(s_c − m), so that softmax_c =
    /// exp(s_c − m) / sum never overflows (subtracting m changes no probability).
    func softmaxNormalizer(_ scores: Tensor, _ n: Int, _ h: Int, _ w: Int, classes: Int) -> (max: Double, sum: Double) {
        var m = -Double.infinity
        for c in 0..<classes { m = max(m, Double(scores[n, c, h, w])) }
        var sum = 0.0
        for c in 0..<classes { sum += exp(Double(scores[n, c, h, w]) - m) }
        return (m, sum)
    }

    /// The reference backward pass: ∂loss/∂scores = (softmax − onehot(label)) · lossGradient /
    /// normalizer at every pixel that is not ignored, 0 at ignored pixels.
    ///
    /// - Parameters:
    ///   - scores: `[N, C, H, W]`, as in the forward pass.
    ///   - labels: `[N, 1, H, W]`.
    ///   - lossGradient: ∂L/∂loss, Caffe's loss weight (default 1).
    /// - Returns: ∂L/∂scores, `[N, C, H, W]`.
    public func referenceBackward(scores: Tensor, labels: Tensor, lossGradient: Float = 1) -> Tensor {
        checkShapes(scores, labels)
        let d = scores.nchw
        var valid = 0
        for value in labels.scalars where labelClass(value, classes: d.c) != nil { valid += 1 }
        let scale = Double(lossGradient) / normalizer(validPixels: valid, batch: d.n)
        var dScores = Tensor(zeros: scores.shape)
        for n in 0..<d.n {
            for h in 0..<d.h {
                for w in 0..<d.w {
                    guard let t = labelClass(labels[n, 0, h, w], classes: d.c) else { continue }
                    let (m, sum) = softmaxNormalizer(scores, n, h, w, classes: d.c)
                    for c in 0..<d.c {
                        let probability = exp(Double(scores[n, c, h, w]) - m) / sum
                        dScores[n, c, h, w] = Float((probability - (c == t ? 1 : 0)) * scale)
                    }
                }
            }
        }
        return dScores
    }
}

// ScoreMap.swift — what a segmentation net outputs: K class scores at every pixel, and the two
// readings of them the paper uses.
//
//   - The prediction is the arg-max class of each pixel (CVPR 2015 §3 "dense prediction";
//     §5 scores it; Berkeley's `infer.py` does `out.argmax(axis=0)`).
//   - The probabilities are the per-pixel softmax over the K classes, the distribution the
//     "per-pixel multinomial logistic loss" is taken on (CVPR 2015 §4.3, PAMI 2016 §4.3) and
//     the heatmap of Fig. 2 (CVPR 2015 §3.1).
//
// Both are written once, here; chapters, figures, the evaluation and `fcn segment` ask for them.
// Layout NCHW with N = 1: the score of class c at row y, column x is `scalars[(c·H + y)·W + x]`,
// so each class is one H×W plane. Dimension letters: K classes, H×W the image (or the grid of
// cells of a classifier slid over a scene, Chapter 2).

import FCNCore
import Foundation

/// The scores `[1, K, H, W]` a segmentation net gives one image, with their arg-max and softmax.
///
/// ```swift
/// let scores = try ScoreMap(network.forward(image.caffeInput()))   // [1, K, H, W]
/// scores.classCount                 // K
/// let labels = try scores.labels()  // LabelMap: the first best class of each pixel
/// let p = scores.probabilities()    // softmax over K, per pixel: every pixel sums to 1
/// ```
///
/// ### See Also
/// - ``LabelMap``, ``Segmentation/segment(_:with:repeats:availableBytes:configuration:)``.
public struct ScoreMap: Sendable, Equatable {
    /// The scores, `[1, K, H, W]` (NCHW, one image).
    public let tensor: Tensor

    /// Wraps a score tensor.
    /// - Throws: ``SegmentationError/notAScoreMap(shape:)`` unless `tensor` is `[1, K, H, W]`
    ///   with K, H, W ≥ 1.
    public init(_ tensor: Tensor) throws(SegmentationError) {
        guard tensor.rank == 4, tensor.shape[0] == 1, tensor.shape.dropFirst().allSatisfy({ $0 >= 1 }) else {
            throw .notAScoreMap(shape: tensor.shape)
        }
        self.tensor = tensor
    }

    /// `[1, K, H, W]`.
    public var shape: [Int] { tensor.shape }
    /// K, the number of classes.
    public var classCount: Int { tensor.shape[1] }
    /// H, rows.
    public var height: Int { tensor.shape[2] }
    /// W, columns.
    public var width: Int { tensor.shape[3] }

    /// The score of class `c` at row `y`, column `x`.
    public subscript(class c: Int, y y: Int, x x: Int) -> Float { tensor.scalars[(c * height + y) * width + x] }

    /// The class of each pixel: the arg-max over K, with numpy's rule for ties — the *first*
    /// (lowest) class among equal maxima wins, and a NaN counts as larger than any number (so the
    /// first NaN wins), as `numpy.argmax` in Berkeley's `infer.py` and `score.py`.
    ///
    /// Walks class plane by class plane (contiguous memory), keeping the best so far per pixel.
    /// - Throws: ``SegmentationError/tooManyClasses(classes:)`` beyond 256 classes (a label is a byte).
    public func labels() throws(SegmentationError) -> LabelMap {
        guard classCount <= 256 else { throw .tooManyClasses(classes: classCount) }
        let plane = height * width
        let s = tensor.scalars
        var best = Array(s[0..<plane])                             // class 0's scores, [H·W]
        var labels = [UInt8](repeating: 0, count: plane)
        for c in 1..<classCount {                                   // K ≥ 1 (checked at init)
            for p in 0..<plane {
                let v = s[c * plane + p]
                // Strictly greater keeps the first maximum; a NaN beats a number, never an earlier NaN.
                if v > best[p] || (v.isNaN && !best[p].isNaN) {
                    best[p] = v
                    labels[p] = UInt8(c)
                }
            }
        }
        return LabelMap(width: width, height: height, labels: labels)
    }

    /// The per-pixel softmax over the K classes, `[1, K, H, W]`: p_c = e^(s_c − m) / Σ_k e^(s_k − m),
    /// with m the pixel's largest score, so that no exponential overflows (scores of 1000 are fine)
    /// and every pixel's probabilities sum to 1 within a few ulps. The exponential is taken in
    /// `Double` and rounded to `Float`; sums and the division are in `Float`, class by class.
    public func probabilities() -> ScoreMap {
        let (k, plane) = (classCount, height * width)
        let s = tensor.scalars
        var out = s
        for p in 0..<plane {
            var top = s[p]
            for c in 1..<k { top = max(top, s[c * plane + p]) }
            var sum: Float = 0
            for c in 0..<k {
                let e = Float(Foundation.exp(Double(s[c * plane + p] - top)))
                out[c * plane + p] = e
                sum += e
            }
            for c in 0..<k { out[c * plane + p] /= sum }
        }
        return ScoreMap(checked: Tensor(shape: tensor.shape, scalars: out))
    }

    /// A score map whose shape is known to be `[1, K, H, W]`.
    init(checked tensor: Tensor) { self.tensor = tensor }
}

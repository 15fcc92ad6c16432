// SoftmaxCrossEntropy+Fast.swift — the fast per-pixel loss used in training (paper §3, §4.3).
//
// Same arithmetic as `SoftmaxCrossEntropy.referenceForward` / `referenceBackward`, one image
// row at a time: for a row of W pixels, the running maximum and the sum of exponentials are
// vectors of length W updated channel by channel, so every inner loop walks contiguous memory
// (a pixel's C scores are H·W floats apart in NCHW). The N·H rows are spread over the cores;
// each writes its own partial loss and its own rows of the gradient, and the partial losses
// are added in a fixed order, so the result does not depend on scheduling.
//
// Dimension letters: N batch, C classes, H×W the score map.

import FCNCore
import FCNKernels
import Foundation

extension SoftmaxCrossEntropy {
    /// The fast forward pass: the loss (see `referenceForward`).
    public func forward(scores: Tensor, labels: Tensor) -> Double {
        lossAndGradient(scores: scores, labels: labels, computeGradient: false).loss
    }

    /// The fast backward pass: ∂L/∂scores (see `referenceBackward`).
    public func backward(scores: Tensor, labels: Tensor, lossGradient: Float = 1) -> Tensor {
        lossAndGradient(scores: scores, labels: labels, lossGradient: lossGradient).scoresGradient
    }

    /// Both passes in one sweep over the scores, as a training step needs them.
    ///
    /// - Returns: the loss and ∂L/∂scores `[N, C, H, W]` (an empty tensor when `computeGradient` is false).
    public func lossAndGradient(scores: Tensor, labels: Tensor, lossGradient: Float = 1,
                                computeGradient: Bool = true) -> (loss: Double, scoresGradient: Tensor) {
        checkShapes(scores, labels)
        let d = scores.nchw
        let C = d.c, H = d.h, W = d.w, plane = d.h * d.w
        // Count the pixels that are not ignored first (validating every label), so that the
        // gradient can be written already scaled.
        var valid = 0
        for value in labels.scalars where labelClass(value, classes: C) != nil { valid += 1 }
        let normalizer = normalizer(validPixels: valid, batch: d.n)
        let scale = Float(Double(lossGradient) / normalizer)
        let rows = d.n * H
        var partialLoss = [Double](repeating: 0, count: rows)
        var gradient = [Float](repeating: 0, count: computeGradient ? scores.count : 0)
        scores.scalars.withUnsafeBufferPointer { sBuffer in
        labels.scalars.withUnsafeBufferPointer { tBuffer in
        partialLoss.withUnsafeMutableBufferPointer { lossBuffer in
        gradient.withUnsafeMutableBufferPointer { gBuffer in
            guard let sBase = sBuffer.baseAddress, let tBase = tBuffer.baseAddress else { return }
            // (An empty array may still have a base address: test the flag, not the pointer.)
            let lossBase = lossBuffer.baseAddress!, gBase = computeGradient ? gBuffer.baseAddress : nil
            parallelFor(rows) { r in
                let n = r / H, h = r % H
                let rowStart = n * C * plane + h * W                 // scores[n, 0, h, 0]
                let labelRow = tBase + n * plane + h * W
                var rowMax = [Float](repeating: -.infinity, count: W)
                var rowSum = [Float](repeating: 0, count: W)
                for c in 0..<C {
                    let s = sBase + rowStart + c * plane
                    for w in 0..<W { rowMax[w] = max(rowMax[w], s[w]) }
                }
                for c in 0..<C {
                    let s = sBase + rowStart + c * plane
                    for w in 0..<W { rowSum[w] += exp(s[w] - rowMax[w]) }
                }
                var loss = 0.0
                for w in 0..<W {
                    guard let t = labelClass(labelRow[w], classes: C) else { continue }
                    let pixelLoss = Double(rowMax[w]) + log(Double(rowSum[w])) - Double(sBase[rowStart + t * plane + w])
                    loss += min(pixelLoss, SoftmaxCrossEntropy.maximumPixelLoss)
                }
                lossBase[r] = loss
                guard let gBase else { return }
                for c in 0..<C {
                    let s = sBase + rowStart + c * plane, g = gBase + rowStart + c * plane
                    for w in 0..<W { g[w] = exp(s[w] - rowMax[w]) / rowSum[w] * scale }
                }
                // Subtract the one-hot label and clear the ignored pixels.
                for w in 0..<W {
                    if let t = labelClass(labelRow[w], classes: C) {
                        gBase[rowStart + t * plane + w] -= scale
                    } else {
                        for c in 0..<C { gBase[rowStart + c * plane + w] = 0 }
                    }
                }
            }
        }
        }
        }
        }
        let total = partialLoss.reduce(0, +)
        return (total / normalizer, Tensor(shape: computeGradient ? scores.shape : [0], scalars: gradient))
    }
}

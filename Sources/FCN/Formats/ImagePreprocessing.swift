// ImagePreprocessing.swift — turn a photo into the network's input the way Caffe's FCN code
// does, and back for display (paper §4: the nets are initialised from VGG16 trained with this
// input convention, so it must be reproduced exactly or the converted weights see garbage).
//
// The convention (fcn.berkeleyvision.org `voc_layers.py`):
//   1. channels reordered RGB → BGR (Caffe's OpenCV heritage);
//   2. the ImageNet per-channel mean subtracted: B 104.00699, G 116.66877, R 122.67892;
//   3. no scaling: values stay in roughly [−123, 151].
// Layout: H height, W width; the result is one image, `[1, 3, H, W]` (N = 1, C = 3 in BGR order).

import FCNCore
import Foundation

extension RGBImage {
    /// The mean pixel subtracted by Caffe's FCN input layer, in B, G, R order.
    public static let caffeMeanBGR: (blue: Float, green: Float, red: Float) = (104.00699, 116.66877, 122.67892)

    /// The image as the FCN input tensor `[1, 3, H, W]`: BGR channel order, mean subtracted, no scaling.
    ///
    /// ```swift
    /// let x = try RGBImage.decode(contentsOf: url).caffeInput()   // [1, 3, H, W]
    /// x[0, 0, 0, 0]     // blue of the top-left pixel minus 104.00699
    /// ```
    ///
    /// ### See Also
    /// - ``init(caffeInput:index:)``, the inverse.
    public func caffeInput() -> Tensor {
        let mean = Self.caffeMeanBGR
        // Tensor channel c holds RGB component 2 − c (BGR), minus that channel's mean.
        let channels: [(rgbComponent: Int, mean: Float)] = [(2, mean.blue), (1, mean.green), (0, mean.red)]
        var scalars = [Float](repeating: 0, count: 3 * height * width)
        for (c, channel) in channels.enumerated() {
            for h in 0..<height {
                for w in 0..<width {
                    scalars[(c * height + h) * width + w] = Float(pixels[(h * width + w) * 3 + channel.rgbComponent]) - channel.mean
                }
            }
        }
        return Tensor(shape: [1, 3, height, width], scalars: scalars)  // [1, 3, H, W]
    }

    /// The inverse of ``caffeInput()`` for display: adds the mean back, reorders BGR → RGB,
    /// rounds and clamps to 0…255.
    /// - Parameters:
    ///   - tensor: `[N, 3, H, W]` in Caffe's convention.
    ///   - index: which image of the batch (default 0).
    public init(caffeInput tensor: Tensor, index: Int = 0) {
        precondition(tensor.rank == 4 && tensor.shape[1] == 3 && index >= 0 && index < tensor.shape[0],
                     "RGBImage(caffeInput:): need [N, 3, H, W] and 0 ≤ index < N, got \(tensor.shape), index \(index)")
        let (height, width) = (tensor.shape[2], tensor.shape[3])
        let mean = Self.caffeMeanBGR
        let means = [mean.blue, mean.green, mean.red]
        var pixels = [UInt8](repeating: 0, count: height * width * 3)
        for c in 0..<3 {
            for h in 0..<height {
                for w in 0..<width {
                    let value = (tensor.scalars[((index * 3 + c) * height + h) * width + w] + means[c]).rounded()
                    let clamped = value.isNaN ? 0 : min(255, max(0, value))
                    pixels[(h * width + w) * 3 + (2 - c)] = UInt8(clamped)
                }
            }
        }
        self.init(width: width, height: height, pixels: pixels)
    }
}

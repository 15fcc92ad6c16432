// NetSurgery.swift — "convolutionalization": turning a classifier into a fully convolutional
// net (paper §3.1, Fig. 2).
//
// "Fully connected layers can also be viewed as convolutions with kernels that cover their
// entire input regions" (§3.1). A fully connected layer reading a C×H×W blob becomes a
// convolution with an H×W kernel and no padding (fc6: 7×7 in VGG16, 6×6 in AlexNet); one
// reading a flat vector of C values becomes a 1×1 convolution (fc7, fc8). On the training size
// the new net computes exactly the same numbers; on a larger input it slides the classifier
// over the image and returns a map of class scores — the heatmap of Fig. 2.
//
// The weights need no change, only a new shape. The fully connected weight is [O, F] with
// F = C·H·W, and its column index is the row-major flattening f = (c·H + h)·W + w of the blob
// (Caffe's InnerProduct, like PyTorch's view, flattens NCHW in this order). A convolution
// weight [O, C, H, W] stored row-major puts w[o, c, h, w] at o·F + (c·H + h)·W + w — the same
// position. So the reshape [O, F] → [O, C, H, W] moves no number, and the convolution at the
// single window position computes Σ_f W[o, f]·x_f, the fully connected layer.

import FCNCore

/// Description and weight transforms for convolutionalization.
///
/// ```swift
/// let vgg = VGG.description()                                                  // fc6: linear 25088 → 4096
/// let fcnBase = try NetSurgery.convolutionalized(vgg, inputShape: [1, 3, 224, 224]) // fc6: 7×7 conv
/// let w6 = NetSurgery.convolutionalWeight(fc6Weight, channels: 512, kernel: 7)  // [4096, 512, 7, 7]
/// ```
///
/// ### See Also
/// - ``VGG/backbone(widths:convolutionsPerBlock:fullyConnected:firstPadding:fc6Kernel:dropout:)``, the
///   convolutionalised trunk written out directly as Berkeley does.
public enum NetSurgery {
    /// `description` with every fully connected layer replaced by the equivalent convolution,
    /// kernel = its bottom's spatial size at `inputShape` (1×1 after another fully connected layer).
    /// Layer names, hence weight names, are unchanged.
    public static func convolutionalized(_ description: NetworkDescription, inputShape: [Int]) throws(NetworkError) -> NetworkDescription {
        let shapes = try description.inferShapes(input: inputShape)
        var blobs: [String: [Int]] = [:]
        for input in description.inputs { blobs[input] = shapes.blobs[input] }
        var result = description
        for (i, layer) in description.layers.enumerated() {
            let x = blobs[layer.bottoms[0]]!
            if case .linear(let p) = layer.kind {
                // [N, C, H, W] → an H×W kernel; a flat [N, F] (from an earlier linear) → 1×1.
                let kernel = x.count == 4 ? Size2(height: x[2], width: x[3]) : Size2(1)
                result.layers[i].kind = .convolution(ConvolutionParameters(outputs: p.outputs, kernel: kernel, bias: p.bias))
            }
            blobs[layer.top] = shapes.layerOutputs[layer.name]
        }
        result.name = description.name + " (convolutionalized)"
        return result
    }

    /// A fully connected weight `[O, C·KH·KW]` as the convolution weight `[O, C, KH, KW]` — a
    /// reshape, no number moves (see the file comment).
    public static func convolutionalWeight(_ weight: Tensor, channels: Int, kernel: Size2) -> Tensor {
        precondition(weight.rank == 2 && weight.shape[1] == channels * kernel.height * kernel.width,
                     "NetSurgery: weight \(weight.shape) is not [O, \(channels)·\(kernel.height)·\(kernel.width)]")
        return weight.reshaped([weight.shape[0], channels, kernel.height, kernel.width])   // [O, C, KH, KW]
    }

    /// Every parameter of `description` (a classifier at `inputShape`) in the shape its
    /// convolutionalized form expects: fully connected weights reshaped, everything else as is.
    /// Also accepts parameters that are already in convolution form (they pass unchanged), so
    /// weight files in either form load into an FCN.
    public static func convolutionalParameters(_ parameters: [String: Tensor], convolutionalized: NetworkDescription,
                                               inputChannels: Int = 3) throws -> [String: Tensor] {
        var result = parameters
        for p in try convolutionalized.parameterShapes(inputChannels: inputChannels) {
            guard let t = parameters[p.name], t.shape != p.shape else { continue }
            guard t.rank == 2, p.shape.count == 4, t.count == p.count, t.shape[0] == p.shape[0] else {
                throw ParameterError.shapeMismatch(name: p.name, expected: p.shape, found: t.shape)
            }
            result[p.name] = convolutionalWeight(t, channels: p.shape[1], kernel: Size2(height: p.shape[2], width: p.shape[3]))
        }
        return result
    }
}

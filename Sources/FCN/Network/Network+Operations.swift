// Network+Operations.swift — where each layer kind meets its compute struct.
//
// A `LayerKind` holds hyper-parameters; the structs in `Layers/` hold hyper-parameters *and*
// weights. This file builds the latter from the former plus the network's parameter dictionary,
// so that the executor never needs to know a layer's details.

import FCNCore

extension Network {
    func weight(_ layer: String) -> Tensor { parameters["\(layer).weight"]! }
    func bias(_ layer: String, _ present: Bool) -> Tensor? { present ? parameters["\(layer).bias"]! : nil }

    func convolution(_ layer: LayerDescription, _ p: ConvolutionParameters) -> Convolution {
        Convolution(weight: weight(layer.name), bias: bias(layer.name, p.bias),
                    stride: p.stride, padding: p.padding, dilation: p.dilation, groups: p.groups)
    }

    func transposedConvolution(_ layer: LayerDescription, _ p: TransposedConvolutionParameters) -> TransposedConvolution {
        TransposedConvolution(weight: weight(layer.name), bias: bias(layer.name, p.bias),
                              stride: p.stride, padding: p.padding, dilation: p.dilation, groups: p.groups)
    }

    func linear(_ layer: LayerDescription, _ p: LinearParameters) -> Linear {
        Linear(weight: weight(layer.name), bias: bias(layer.name, p.bias))
    }

    static func maxPooling(_ p: PoolingParameters) -> MaxPooling {
        MaxPooling(kernel: p.kernel, stride: p.stride, padding: p.padding, rounding: p.rounding)
    }

    static func localResponseNormalization(_ p: LRNParameters) -> LocalResponseNormalization {
        LocalResponseNormalization(localSize: p.size, alpha: p.alpha, beta: p.beta, k: p.k)
    }

    static func loss(_ p: SoftmaxLossParameters) -> SoftmaxCrossEntropy {
        // Caffe's `normalize: false` divides by the batch size (see SoftmaxCrossEntropy.Normalization).
        SoftmaxCrossEntropy(ignoreLabel: p.ignoreLabel, normalization: p.normalize ? .validPixels : .batchSize)
    }

    /// The output size of the second bottom of a crop (the reference it is cropped to).
    static func cropSize(_ reference: Tensor) -> Size2 {
        Size2(height: reference.shape[2], width: reference.shape[3])
    }
}

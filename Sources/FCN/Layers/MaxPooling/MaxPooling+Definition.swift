// MaxPooling+Definition.swift — what a max pooling layer is, as a description and as a step of
// the executor (paper §3; §4.2: pool3 and pool4, strides 8 and 16, feed the skips).
//
// Rules, with k the window, s the stride and p the padding before (per axis):
//   output shape     [N, C, OH, OW], OH by Caffe's rounding up (`MaxPooling.outputLength`)
//   coordinate map   a = s, b = (k − 1)/2 − p   (a convolution's, without dilation)
//   receptive field  r ← r + (k − 1)·j
//   training         remembers where each maximum came from; backward routes ∂L/∂y there.
// No weights; its comparisons are not counted as multiply-adds.

import FCNCore

/// Parameters of max pooling [Caffe `Pooling` with `pool: MAX`].
///
/// ```swift
/// let pool1 = PoolingParameters(kernel: 2, stride: 2)   // VGG's pools; sizes rounded up as in Caffe
/// ```
public struct PoolingParameters: Hashable, Sendable {
    /// KH×KW, the window.
    public var kernel: Size2
    /// Step between windows.
    public var stride: Size2
    /// How far windows may start before the input.
    public var padding: Padding
    /// Caffe rounds sizes up; see ``MaxPooling/outputLength(input:kernel:stride:padBefore:padAfter:rounding:)``.
    public var rounding: Rounding

    /// Max pooling with Caffe's rounding (up) by default.
    public init(kernel: Size2, stride: Size2, padding: Padding = 0, rounding: Rounding = .ceil) {
        self.kernel = kernel; self.stride = stride; self.padding = padding; self.rounding = rounding
    }

    /// How the window slides (dense: no dilation).
    public var window: WindowGeometry { WindowGeometry(kernel: kernel, stride: stride, padding: padding) }
}

extension PoolingParameters: LayerDefinition {
    var caffeType: String { "Pooling" }

    func validate(_ layer: LayerDescription) throws(NetworkError) {
        try require(kernel.height >= 1 && kernel.width >= 1 && stride.height >= 1 && stride.width >= 1,
                    "kernel and stride must be ≥ 1", in: layer)
        try require(min(padding.top, padding.left, padding.bottom, padding.right) >= 0, "padding must be ≥ 0", in: layer)
        // Caffe's rule: a padded window must always cover at least one real pixel.
        try require(padding.top < kernel.height && padding.bottom < kernel.height
                    && padding.left < kernel.width && padding.right < kernel.width,
                    "padding must be smaller than the pooling window", in: layer)
    }

    func outputShape(_ layer: LayerDescription, bottoms: [[Int]], cropOffset: Size2?) throws(NetworkError) -> [Int] {
        let d = try spatial(bottoms[0], of: layer)
        let h = MaxPooling.outputLength(input: d.h, kernel: kernel.height, stride: stride.height,
                                        padBefore: padding.top, padAfter: padding.bottom, rounding: rounding)
        let w = MaxPooling.outputLength(input: d.w, kernel: kernel.width, stride: stride.width,
                                        padBefore: padding.left, padAfter: padding.right, rounding: rounding)
        guard h >= 1 && w >= 1 else {
            throw .windowDoesNotFit(layer: layer.name, window: kernel, input: Size2(height: d.h, width: d.w))
        }
        return [d.n, d.c, h, w]                                                   // [N, C, OH, OW]
    }

    func axisStep(_ axis: Axis) -> AxisMap? { window.convolutionStep(axis) }
    func receptiveFieldGrowth(_ axis: Axis) -> Int { kernel[axis] - 1 }

    /// The compute struct.
    var operation: MaxPooling { MaxPooling(kernel: kernel, stride: stride, padding: padding, rounding: rounding) }

    func forward(_ x: [Tensor], _ step: StepContext) throws -> Tensor { operation.forward(x[0]) }

    func trainingForward(_ x: [Tensor], _ step: StepContext, using rng: inout SeededRandom) throws -> (output: Tensor, decisions: Decisions?) {
        let r = operation.forwardWithArgmax(x[0])
        return (r.output, Decisions(argmax: r.argmax))
    }

    func backward(_ x: [Tensor], outputGradient dy: Tensor, decisions: Decisions?, _ step: StepContext) -> StepGradients {
        StepGradients(inputs: [operation.backward(inputShape: x[0].shape, argmax: decisions!.argmax, outputGradient: dy)])
    }
}

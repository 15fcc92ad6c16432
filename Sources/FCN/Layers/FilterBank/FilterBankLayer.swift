// FilterBankLayer.swift — a convolution and a transposed convolution as the two ways to put a
// layer on one `FilterBank`, and their backward passes, written once (paper §3, §3.3, §4.1).
//
// Which side of the bank the layer's input is on decides everything else:
//
//                          input is the bank's    output is    forward   dL/dx     dL/dw
//   Convolution            image                  the grid     gather    scatter   (x, dy)
//   TransposedConvolution  grid                   the image    scatter   gather    (dy, x)
//
// Learning (§4.1: "whole image training … by SGD with backpropagation") needs, for a layer
// y = f(x; w, b) and the gradient dL/dy arriving from above, the three gradients dL/dx, dL/dw,
// dL/db. The forward pass adds one product `w[s, lg, u, v] · (a value)` per connection of the
// bank. Each such product is linear in the value and in w, so the backward pass walks the very
// same connections and sends the output gradient back along them, to both factors:
//
//     dL/dx   the connections read the other way: a convolution *scatters* dL/dy onto its
//             input, a transposed convolution *gathers* it;
//     dL/dw   the input met with dL/dy on every connection (the bank's weight gradient, with the
//             image and grid sides taken from the table);
//     dL/db   Σ_{n, i, j} dL/dy[n, o, i, j].
//
// Why a convolution's input gradient is a *transposed convolution*: for fixed weights, a
// convolution is a linear map x ↦ y = A·x, with A a (huge, sparse) matrix whose row for output
// pixel (o, i, j) holds the filter w[o] placed at the window of (i, j). The gradient of
// ⟨A·x, g⟩ with respect to x is Aᵀ·g — each output gradient is "stamped" back onto the window
// it came from, scaled by the filter: the scatter, which is exactly what `TransposedConvolution`
// computes with the same weight tensor (§3.3: "upsampling is backwards strided convolution"; the
// paper notes that deconvolution "simply reverses the forward and backward passes of
// convolution"). A test holds ⟨conv(x), y⟩ = ⟨x, convT(y)⟩.

import FCNCore

/// A layer whose weights are one ``FilterBank``: ``Convolution`` (its input is the bank's image,
/// its output the grid of window positions) and ``TransposedConvolution`` (the other way round).
///
/// The bank's parts read and write through the layer: `conv.weight`, `conv.stride`, … ; the
/// backward passes are the bank's passes in the direction ``inputSide`` says.
public protocol FilterBankLayer: WindowedLayerParameters, Sendable {
    /// The filters and how they slide.
    var filters: FilterBank { get set }
    /// One bias per output channel, `[O]`, or `nil`.
    var bias: Tensor? { get }
    /// Which side of the bank the layer's input is on.
    static var inputSide: FilterBank.Side { get }
    /// The layer with these filters and bias.
    init(filters: FilterBank, bias: Tensor?)
}

extension FilterBank {
    /// The two sides of a filter bank.
    public enum Side: Sendable, Hashable {
        /// The image, `[N, L, H, W]`, on which the windows lie (a convolution's input).
        case image
        /// The grid of window positions, `[N, S, GH, GW]` (a transposed convolution's input).
        case grid
    }
}

extension FilterBankLayer {
    /// The layer with weight `[O, C/G, KH, KW]` (a convolution) or `[C, O/G, KH, KW]` (a
    /// transposed convolution) and an optional bias `[O]`.
    ///
    /// - Parameters:
    ///   - weight: the filters; their first dimension must split into `groups`.
    ///   - bias: `[O]` or `nil`.
    ///   - stride: step between windows, the upsampling factor of a transposed convolution (default 1).
    ///   - padding: zeros added around a convolution's input, or cropped from a transposed
    ///     convolution's output (default 0).
    ///   - dilation: spacing between kernel taps (default 1; 2 leaves one pixel between taps).
    ///   - groups: number of channel groups (default 1).
    public init(weight: Tensor, bias: Tensor? = nil, stride: Size2 = 1, padding: Padding = 0, dilation: Size2 = 1, groups: Int = 1) {
        let convolution = Self.inputSide == .image
        self.init(filters: FilterBank(weight: weight, stride: stride, padding: padding, dilation: dilation, groups: groups,
                                      layer: "\(Self.self)", layout: convolution ? "[O, C/G, KH, KW]" : "[C, O/G, KH, KW]",
                                      gridName: convolution ? "output channels" : "input channels"),
                  bias: bias)
    }

    /// The filters, `[S, L/G, KH, KW]` (a convolution's `[O, C/G, KH, KW]`, a transposed
    /// convolution's `[C, O/G, KH, KW]`).
    public var weight: Tensor { get { filters.weight } set { filters.weight = newValue } }
    /// How the filters slide: KH×KW, stride, padding and dilation together.
    public var window: WindowGeometry { get { filters.window } set { filters.window = newValue } }
    /// Number of channel groups G.
    public var groups: Int { get { filters.groups } set { filters.groups = newValue } }
    /// KH×KW.
    public var kernelSize: Size2 { filters.kernelSize }

    /// C, the number of input channels.
    public var inputChannels: Int { Self.inputSide == .image ? filters.imageChannels : filters.gridChannels }
    /// O, the number of output channels.
    public var outputChannels: Int { Self.inputSide == .image ? filters.gridChannels : filters.imageChannels }

    /// The output spatial size for an input of `height × width` (≤ 0 where there is none: a
    /// window that does not fit, or padding that crops everything).
    public func outputSize(height: Int, width: Int) -> Size2 {
        let input = Size2(height: height, width: width)
        return Self.inputSide == .image ? window.convolutionOutputSize(input: input)
                                        : window.transposedConvolutionOutputSize(input: input)
    }

    /// The checks at the start of every forward pass: `x` is `[N, C, H, W]` with the layer's C
    /// channels and has an output; returns its dimensions and the output's spatial size.
    func checkedForward(_ x: Tensor) -> (input: Tensor.NCHW, output: Size2) {
        let d = x.nchw
        checkInputChannels("\(Self.self)", d, expected: inputChannels)
        let out = outputSize(height: d.h, width: d.w)
        precondition(out.height >= 1 && out.width >= 1,
                     "\(Self.self): no output for a \(d.h)×\(d.w) input (kernel \(kernelSize), stride \(stride), padding \(padding), dilation \(dilation))")
        return (d, out)
    }

    /// The reference backward pass: the connections of ``FilterBank``'s plain loops, walked
    /// backwards (dL/dx the other way through the bank, dL/dw the input met with dL/dy).
    ///
    /// - Parameters:
    ///   - x: the forward pass's input x, `[N, C, H, W]`.
    ///   - dy: dL/dy, `[N, O, OH, OW]`.
    /// - Returns: dL/dx `[N, C, H, W]`, dL/dw shaped like ``weight``, dL/db `[O]` (`nil`
    ///   without a bias).
    ///
    /// ```swift
    /// let g = conv.referenceBackward(input: x, outputGradient: Tensor(repeating: 1, shape: y.shape))
    /// g.bias   // for dL/dy = 1: the number of output pixels per channel, N·OH·OW
    /// ```
    public func referenceBackward(input x: Tensor, outputGradient dy: Tensor) -> LayerGradients {
        gradients(input: x, outputGradient: dy, reference: true)
    }

    /// The fast backward pass (im2col / col2im + GEMM), equal to
    /// ``referenceBackward(input:outputGradient:)`` up to rounding.
    ///
    /// - Parameters:
    ///   - x: the forward pass's input x, `[N, C, H, W]`.
    ///   - dy: dL/dy, `[N, O, OH, OW]`.
    /// - Returns: dL/dx, dL/dw and dL/db.
    public func backward(input x: Tensor, outputGradient dy: Tensor) -> LayerGradients {
        gradients(input: x, outputGradient: dy, reference: false)
    }

    /// Both backward passes: the table at the top of this file.
    private func gradients(input x: Tensor, outputGradient dy: Tensor, reference: Bool) -> LayerGradients {
        let g = gradients(input: x, outputGradient: dy, reference: reference, input: true, parameters: true)
        return LayerGradients(input: g.input!, weight: g.weight!, bias: g.bias)
    }

    /// The backward pass computing only the gradients asked for (training's: see `GradientNeeds`).
    func gradients(input x: Tensor, outputGradient dy: Tensor, reference: Bool = false,
                   input wantsInput: Bool, parameters wantsParameters: Bool) -> (input: Tensor?, weight: Tensor?, bias: Tensor?) {
        let (d, out) = checkedForward(x)
        checkOutputGradient("\(Self.self)", dy, expected: [d.n, outputChannels, out.height, out.width])
        let inputSize = Size2(height: d.h, width: d.w)
        let (image, grid) = Self.inputSide == .image ? (x, dy) : (dy, x)
        var inputGradient: Tensor?
        if wantsInput {
            switch (Self.inputSide, reference) {
            case (.image, true): inputGradient = filters.referenceScatter(dy, image: inputSize)
            case (.image, false): inputGradient = filters.scatter(dy, image: inputSize)
            case (.grid, true): inputGradient = filters.referenceGather(dy, grid: inputSize)
            case (.grid, false): inputGradient = filters.gather(dy, grid: inputSize)
            }
        }
        guard wantsParameters else { return (inputGradient, nil, nil) }
        return (inputGradient,
                reference ? filters.referenceWeightGradient(image: image, grid: grid) : filters.weightGradient(image: image, grid: grid),
                bias == nil ? nil : (reference ? referenceChannelSums(dy) : channelSums(dy)))
    }
}

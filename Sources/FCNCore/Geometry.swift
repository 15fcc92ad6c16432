// Geometry.swift — the small value types that describe how a window slides over an image.
//
// Kernel sizes, strides and dilations are pairs (height, width); paddings may differ on all
// four sides (Caffe pads symmetrically, but cropping arithmetic and "same" padding for even
// kernels need asymmetric padding). These types are shared by convolution, transposed
// convolution and pooling, and by the shape and coordinate analysis in `Network/`.

/// A pair of sizes, (height, width). An integer literal means the same value for both.
///
/// ```swift
/// let k: Size2 = 3                        // 3×3
/// let s = Size2(height: 2, width: 1)      // stride 2 down, 1 across
/// ```
public struct Size2: Hashable, Sendable, ExpressibleByIntegerLiteral, CustomStringConvertible {
    /// The vertical extent.
    public var height: Int
    /// The horizontal extent.
    public var width: Int
    /// A size from its two extents.
    public init(height: Int, width: Int) { self.height = height; self.width = width }
    /// A square size.
    public init(_ both: Int) { self.init(height: both, width: both) }
    /// A square size from a literal, so that `kernel: 3` means 3×3.
    public init(integerLiteral value: Int) { self.init(value) }
    /// "3" for a square size, "3×5" otherwise.
    public var description: String { height == width ? "\(height)" : "\(height)×\(width)" }
}

/// Zero padding added around an image before a window slides over it.
///
/// ```swift
/// let p: Padding = 100                                  // FCN's conv1_1: 100 on every side
/// let q = Padding(top: 0, left: 0, bottom: 1, right: 1) // asymmetric
/// ```
public struct Padding: Hashable, Sendable, ExpressibleByIntegerLiteral, CustomStringConvertible {
    /// Rows or columns added on each side.
    public var top: Int, left: Int, bottom: Int, right: Int
    /// Padding given side by side.
    public init(top: Int, left: Int, bottom: Int, right: Int) {
        self.top = top; self.left = left; self.bottom = bottom; self.right = right
    }
    /// The same padding above and below (`vertical`) and left and right (`horizontal`).
    public init(vertical: Int, horizontal: Int) {
        self.init(top: vertical, left: horizontal, bottom: vertical, right: horizontal)
    }
    /// The same padding on all four sides.
    public init(_ all: Int) { self.init(top: all, left: all, bottom: all, right: all) }
    /// The same padding on all four sides, from a literal: `padding: 100`.
    public init(integerLiteral value: Int) { self.init(value) }
    /// Whether top equals bottom and left equals right.
    public var isSymmetric: Bool { top == bottom && left == right }
    /// One number when all sides agree, else "top, left, bottom, right".
    public var description: String {
        (top == bottom && left == right && top == left) ? "\(top)" : "(t \(top), l \(left), b \(bottom), r \(right))"
    }
}

/// How a dilated window of size `kernel` spans the input: `dilation·(kernel − 1) + 1` pixels.
@inlinable
public func effectiveKernelExtent(kernel: Int, dilation: Int) -> Int {
    dilation * (kernel - 1) + 1
}

/// The output length of a convolution along one axis (Caffe, cuDNN and PyTorch agree):
///
///     out = ⌊(in + padBefore + padAfter − (dilation·(kernel − 1) + 1)) / stride⌋ + 1
///
/// Returns a value ≤ 0 when the window does not fit; callers turn that into an error.
public func convolutionOutputLength(input: Int, kernel: Int, stride: Int, padBefore: Int, padAfter: Int, dilation: Int = 1) -> Int {
    let span = input + padBefore + padAfter - effectiveKernelExtent(kernel: kernel, dilation: dilation)
    // Floor division that stays correct for negative spans (window larger than the padded input).
    return span >= 0 ? span / stride + 1 : -((-span + stride - 1) / stride) + 1
}

/// The output length of a transposed convolution along one axis — the inverse of the formula
/// above with the largest input it maps from:
///
///     out = stride·(in − 1) + dilation·(kernel − 1) + 1 − padBefore − padAfter
public func transposedConvolutionOutputLength(input: Int, kernel: Int, stride: Int, padBefore: Int, padAfter: Int, dilation: Int = 1) -> Int {
    stride * (input - 1) + effectiveKernelExtent(kernel: kernel, dilation: dilation) - padBefore - padAfter
}

/// One of the two spatial axes of an `[N, C, H, W]` blob.
public enum Axis: Sendable, CaseIterable {
    /// Rows: the height.
    case vertical
    /// Columns: the width.
    case horizontal
}

extension Size2 {
    /// The extent along `axis`: the height for `.vertical`, the width for `.horizontal`.
    public subscript(axis: Axis) -> Int { axis == .vertical ? height : width }
}

extension Padding {
    /// The padding before the first pixel along `axis` (top or left).
    public func before(_ axis: Axis) -> Int { axis == .vertical ? top : left }
    /// The padding after the last pixel along `axis` (bottom or right).
    public func after(_ axis: Axis) -> Int { axis == .vertical ? bottom : right }
}

/// How a window slides over an image (paper §3, Eq. 1: a layer reads a k×k window moved with
/// stride s): its size, its step, the zeros around the image and the spacing of its taps.
///
/// Convolution and transposed convolution share it — the transposed layer slides the same
/// window over its *output* — and pooling is the case `dilation = 1`. Everything that depends
/// only on how the window moves (output sizes, range checks) is computed here once.
///
/// ```swift
/// let conv1_1 = WindowGeometry(kernel: 3, padding: 100)
/// conv1_1.convolutionOutputSize(input: Size2(500))            // 698×698: FCN's first layer
/// let upscore2 = WindowGeometry(kernel: 4, stride: 2)
/// upscore2.transposedConvolutionOutputSize(input: Size2(16))  // 34×34
/// ```
public struct WindowGeometry: Hashable, Sendable {
    /// KH×KW, the number of taps.
    public var kernel: Size2
    /// Step between windows.
    public var stride: Size2
    /// Zeros added around the image (for a transposed convolution: cropped from its output).
    public var padding: Padding
    /// Spacing between taps (1: dense; d: the "rarefied" filter of §3.2).
    public var dilation: Size2

    /// A window with Caffe's defaults: stride 1, no padding, no dilation.
    public init(kernel: Size2, stride: Size2 = 1, padding: Padding = 0, dilation: Size2 = 1) {
        self.kernel = kernel; self.stride = stride; self.padding = padding; self.dilation = dilation
    }

    /// The image pixels a dilated window spans, `dilation·(kernel − 1) + 1` per axis.
    public var extent: Size2 {
        Size2(height: effectiveKernelExtent(kernel: kernel.height, dilation: dilation.height),
              width: effectiveKernelExtent(kernel: kernel.width, dilation: dilation.width))
    }

    /// Why the window cannot slide (a size below 1, a negative padding), or `nil` when it can.
    public var problem: String? {
        let positive = [kernel, stride, dilation].allSatisfy { $0.height >= 1 && $0.width >= 1 }
        if !positive { return "kernel, stride and dilation must be ≥ 1" }
        if min(padding.top, padding.left, padding.bottom, padding.right) < 0 { return "padding must be ≥ 0" }
        return nil
    }

    /// The output size of a convolution with this window on an `input`-sized image (a side is
    /// ≤ 0 when the window does not fit), by ``convolutionOutputLength(input:kernel:stride:padBefore:padAfter:dilation:)``.
    public func convolutionOutputSize(input: Size2) -> Size2 {
        func side(_ a: Axis) -> Int {
            convolutionOutputLength(input: input[a], kernel: kernel[a], stride: stride[a],
                                    padBefore: padding.before(a), padAfter: padding.after(a), dilation: dilation[a])
        }
        return Size2(height: side(.vertical), width: side(.horizontal))
    }

    /// The output size of a transposed convolution with this window on an `input`-sized grid (a
    /// side is ≤ 0 when the padding crops everything), by
    /// ``transposedConvolutionOutputLength(input:kernel:stride:padBefore:padAfter:dilation:)``.
    public func transposedConvolutionOutputSize(input: Size2) -> Size2 {
        func side(_ a: Axis) -> Int {
            transposedConvolutionOutputLength(input: input[a], kernel: kernel[a], stride: stride[a],
                                              padBefore: padding.before(a), padAfter: padding.after(a), dilation: dilation[a])
        }
        return Size2(height: side(.vertical), width: side(.horizontal))
    }
}

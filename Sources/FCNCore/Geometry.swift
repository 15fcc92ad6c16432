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

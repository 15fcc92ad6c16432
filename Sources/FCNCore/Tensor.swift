// Tensor.swift — the one data type every layer reads and writes.
//
// What it is: a dense, row-major ("C order") array of `Float` with a shape. Images and
// feature maps use the NCHW layout throughout the library:
//
//     N  batch          (images processed together)
//     C  channels       (3 for an image, 4096 for fc6, the class count for a score map)
//     H  height, W  width
//
// so element (n, c, h, w) lives at offset ((n·C + c)·H + h)·W + w.
//
// What it is not: an autodiff tensor, a GPU buffer or a view into someone else's memory.
// It is a value type (copy-on-write, like `Array`), so passing a tensor to a layer can never
// change the caller's copy. Fast kernels in `Kernels/` reach the raw storage with
// `withUnsafeBufferPointer`; teaching code uses the subscripts.

import Foundation

/// A dense row-major array of `Float` with a shape, used in NCHW layout for images.
///
/// ```swift
/// var x = Tensor(zeros: [1, 3, 2, 2])   // one RGB image of 2×2 pixels
/// x[0, 2, 1, 0] = 0.5                   // blue channel, row 1, column 0
/// x.shape                               // [1, 3, 2, 2]
/// x.count                               // 12
/// ```
public struct Tensor: Sendable, Equatable {
    /// The size of each dimension, outermost first.
    public private(set) var shape: [Int]
    /// The elements in row-major order; `scalars.count == shape.product`.
    ///
    /// Writes go straight to the stored array (`_modify` yields it in place), so
    /// `x.scalars[i] = v` costs O(1); the count is checked after every write. A `didSet`
    /// observer would look simpler but copies the whole array on each write (it keeps
    /// `oldValue`), which made element-by-element loops quadratic.
    public var scalars: [Float] {
        get { storage }
        _modify {
            yield &storage
            precondition(storage.count == Tensor.elementCount(shape), "Tensor: scalars must keep their count \(Tensor.elementCount(shape))")
        }
        set {
            precondition(newValue.count == Tensor.elementCount(shape), "Tensor: scalars must keep their count \(Tensor.elementCount(shape))")
            storage = newValue
        }
    }
    private var storage: [Float]

    /// A tensor with the given shape and elements in row-major order.
    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative dimension in shape \(shape)")
        precondition(Tensor.elementCount(shape) == scalars.count,
                     "Tensor: shape \(shape) needs \(Tensor.elementCount(shape)) scalars, got \(scalars.count)")
        self.shape = shape
        self.storage = scalars
    }

    /// A tensor of the given shape filled with `value`.
    public init(repeating value: Float, shape: [Int]) {
        self.init(shape: shape, scalars: [Float](repeating: value, count: Tensor.elementCount(shape)))
    }

    /// A tensor of the given shape filled with zeros.
    public init(zeros shape: [Int]) {
        self.init(repeating: 0, shape: shape)
    }

    /// A tensor whose element at each index is `body(index)`; indices are visited in row-major order.
    ///
    /// ```swift
    /// let ramp = Tensor(shape: [1, 1, 2, 3]) { i in Float(i[3]) }   // every row is 0 1 2
    /// ```
    public init(shape: [Int], _ body: ([Int]) -> Float) {
        var scalars: [Float] = []
        scalars.reserveCapacity(Tensor.elementCount(shape))
        Tensor.forEachIndex(of: shape) { scalars.append(body($0)) }
        self.init(shape: shape, scalars: scalars)
    }

    /// The number of elements.
    public var count: Int { scalars.count }
    /// The number of dimensions.
    public var rank: Int { shape.count }

    /// The product of the dimensions of `shape` (1 for a scalar's empty shape).
    public static func elementCount(_ shape: [Int]) -> Int { shape.reduce(1, *) }

    /// Row-major strides: how far apart, in elements, neighbours along each dimension are.
    public var strides: [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var step = 1
        for axis in shape.indices.reversed() {
            strides[axis] = step
            step *= shape[axis]
        }
        return strides
    }

    /// The storage offset of a multi-index (checked against the shape).
    @inline(__always)
    public func offset(_ index: [Int]) -> Int {
        precondition(index.count == shape.count, "Tensor: index \(index) has rank \(index.count), tensor has rank \(shape.count)")
        var offset = 0
        for axis in 0..<shape.count {
            precondition(index[axis] >= 0 && index[axis] < shape[axis], "Tensor: index \(index) out of bounds for shape \(shape)")
            offset = offset * shape[axis] + index[axis]
        }
        return offset
    }

    /// The element at a multi-index, e.g. `x[n, c, h, w]`.
    public subscript(_ index: Int...) -> Float {
        get { scalars[offset(index)] }
        set { scalars[offset(index)] = newValue }
    }

    /// The same elements with another shape of equal element count (no copy: arrays share storage).
    public func reshaped(_ newShape: [Int]) -> Tensor {
        precondition(Tensor.elementCount(newShape) == count, "Tensor: cannot reshape \(shape) (\(count) elements) to \(newShape)")
        return Tensor(shape: newShape, scalars: scalars)
    }

    /// Calls `body` with every multi-index of `shape` in row-major order.
    public static func forEachIndex(of shape: [Int], _ body: ([Int]) -> Void) {
        guard !shape.contains(0) else { return }
        var index = [Int](repeating: 0, count: shape.count)
        while true {
            body(index)
            var axis = shape.count - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < shape[axis] { break }
                index[axis] = 0
                axis -= 1
            }
            if axis < 0 { return }
        }
    }
}

// MARK: - NCHW conveniences

extension Tensor {
    /// The four NCHW dimensions of a rank-4 tensor.
    public struct NCHW: Equatable, Sendable, CustomStringConvertible {
        /// Batch N, channels C, height H, width W.
        public var n: Int, c: Int, h: Int, w: Int
        /// The four dimensions.
        public init(n: Int, c: Int, h: Int, w: Int) { self.n = n; self.c = c; self.h = h; self.w = w }
        /// "[N, C, H, W]".
        public var description: String { "[\(n), \(c), \(h), \(w)]" }
    }

    /// The NCHW dimensions; the tensor must have rank 4.
    public var nchw: NCHW {
        precondition(rank == 4, "Tensor: expected an NCHW tensor of rank 4, got shape \(shape)")
        return NCHW(n: shape[0], c: shape[1], h: shape[2], w: shape[3])
    }

    /// A zero NCHW tensor.
    public init(zeros d: NCHW) { self.init(zeros: [d.n, d.c, d.h, d.w]) }
}

extension Tensor: CustomStringConvertible {
    /// A short summary: shape and the first few values.
    public var description: String {
        let head = scalars.prefix(6).map { String(format: "%.4g", Double($0)) }.joined(separator: ", ")
        return "Tensor\(shape)[\(head)\(count > 6 ? ", …" : "")]"
    }
}

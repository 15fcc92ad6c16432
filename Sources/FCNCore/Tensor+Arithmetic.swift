// Tensor+Arithmetic.swift — the few element-wise operations the teaching code needs.
//
// Layers do their own arithmetic in plain loops; these helpers exist for the places where a
// whole-tensor operation reads better: adding gradients, scaling, comparing a fast kernel with
// its reference, and the inner products used by adjoint and gradient checks.

extension Tensor {
    /// Element-wise sum of two tensors of the same shape.
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        precondition(a.shape == b.shape, "Tensor +: shapes \(a.shape) and \(b.shape) differ")
        return Tensor(shape: a.shape, scalars: zip(a.scalars, b.scalars).map { $0 + $1 })
    }

    /// Element-wise difference of two tensors of the same shape.
    public static func - (a: Tensor, b: Tensor) -> Tensor {
        precondition(a.shape == b.shape, "Tensor -: shapes \(a.shape) and \(b.shape) differ")
        return Tensor(shape: a.shape, scalars: zip(a.scalars, b.scalars).map { $0 - $1 })
    }

    /// Every element multiplied by `s`.
    public static func * (s: Float, a: Tensor) -> Tensor {
        Tensor(shape: a.shape, scalars: a.scalars.map { s * $0 })
    }

    /// Adds `other` into `self` element-wise (gradient accumulation).
    public mutating func add(_ other: Tensor) {
        precondition(shape == other.shape, "Tensor.add: shapes \(shape) and \(other.shape) differ")
        for i in scalars.indices { scalars[i] += other.scalars[i] }
    }

    /// The inner product ⟨a, b⟩ = Σ aᵢbᵢ, accumulated in `Double`.
    public func dot(_ other: Tensor) -> Double {
        precondition(shape == other.shape, "Tensor.dot: shapes \(shape) and \(other.shape) differ")
        var sum = 0.0
        for i in scalars.indices { sum += Double(scalars[i]) * Double(other.scalars[i]) }
        return sum
    }

    /// The sum of all elements, accumulated in `Double`.
    public func sum() -> Double { scalars.reduce(0.0) { $0 + Double($1) } }

    /// The largest absolute element (0 for an empty tensor).
    public func maxAbsolute() -> Float { scalars.reduce(0) { Swift.max($0, abs($1)) } }

    /// The largest |aᵢ − bᵢ|.
    public func maxAbsoluteDifference(_ other: Tensor) -> Float {
        precondition(shape == other.shape, "Tensor.maxAbsoluteDifference: shapes \(shape) and \(other.shape) differ")
        var worst: Float = 0
        for i in scalars.indices { worst = Swift.max(worst, abs(scalars[i] - other.scalars[i])) }
        return worst
    }

    /// max|aᵢ − bᵢ| / max(max|bᵢ|, tiny): the error measure used to hold fast = reference.
    public func relativeDifference(to reference: Tensor) -> Float {
        maxAbsoluteDifference(reference) / Swift.max(reference.maxAbsolute(), Float.leastNormalMagnitude)
    }

    /// Whether every element is finite (no NaN or ±∞).
    public var isFinite: Bool { scalars.allSatisfy { $0.isFinite } }
}

// NonFiniteValue.swift — the first NaN or ±∞ of a tensor read from a file, for error messages.
// Infrastructure for the readers; no paper section.
//
// The library's policy, the same for every reader: values that feed a network — weights
// (safetensors through `tensor(named:expectedShape:)`, caffemodel blobs) and inputs (`.npy`
// arrays) — must be finite. One NaN poisons every score it reaches, silently: the segmentation
// still "works", it is just wrong. So a non-finite value is refused, and the message gives the
// first one's position so the user can find it (`numpy.argwhere(~numpy.isfinite(a))[0]`).

import FCNCore

/// A non-finite element: its position in the tensor and its value.
public struct NonFiniteValue: Equatable, Sendable, CustomStringConvertible {
    /// The element's index, one coordinate per dimension (row-major).
    public var index: [Int]
    /// NaN, +∞ or −∞.
    public var value: Float

    /// "nan at index [0, 2]".
    public var description: String { "\(value) at index \(index)" }

    /// The first non-finite element of `tensor` in row-major order, or `nil` if all are finite.
    static func first(in tensor: Tensor) -> NonFiniteValue? {
        guard let flat = tensor.scalars.firstIndex(where: { !$0.isFinite }) else { return nil }
        var index = [Int](repeating: 0, count: tensor.rank)
        var rest = flat
        for axis in stride(from: tensor.rank - 1, through: 0, by: -1) where tensor.shape[axis] > 0 {
            index[axis] = rest % tensor.shape[axis]
            rest /= tensor.shape[axis]
        }
        return NonFiniteValue(index: index, value: tensor.scalars[flat])
    }
}

// PoolingArithmetic.swift — the output size of a pooling layer, Caffe's way (paper §4.1).
//
// Caffe rounds pooling sizes *up*, so a 2×2 stride-2 pool on 7 pixels gives 4 outputs (the last
// window hangs over the edge and is clipped), where the convolution formula would give 3. FCN's
// crop offsets (19, 5, 9, 31) and every blob size of the Berkeley nets depend on this choice.

/// Ceiling division for a positive divisor, correct for negative numerators.
@inline(__always) func ceilingDivide(_ a: Int, _ b: Int) -> Int {
    a >= 0 ? (a + b - 1) / b : -((-a) / b)
}

/// The output length of a pooling window along one axis.
///
/// Ceil mode (Caffe):
///
///     out = ⌈(in + padBefore + padAfter − kernel) / stride⌉ + 1
///     if padBefore > 0 and (out − 1)·stride ≥ in + padBefore { out −= 1 }
///
/// The correction drops a last window that would start inside the padding only. Floor mode is
/// the convolution formula. A result ≤ 0 means the window does not fit.
///
/// ```swift
/// poolingOutputLength(input: 7, kernel: 2, stride: 2, rounding: .ceil)    // 4
/// poolingOutputLength(input: 7, kernel: 2, stride: 2, rounding: .floor)   // 3
/// ```
public func poolingOutputLength(input: Int, kernel: Int, stride: Int, padBefore: Int = 0, padAfter: Int = 0,
                                rounding: PoolingRounding) -> Int {
    switch rounding {
    case .floor:
        return convolutionOutputLength(input: input, kernel: kernel, stride: stride, padBefore: padBefore, padAfter: padAfter)
    case .ceil:
        var out = ceilingDivide(input + padBefore + padAfter - kernel, stride) + 1
        if padBefore > 0 && (out - 1) * stride >= input + padBefore { out -= 1 }
        return out
    }
}

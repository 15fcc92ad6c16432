// ThreeViews.swift — Chapter 4: one transposed convolution seen three ways, and what it is not
// (paper §3.3, CVPR 2015: "upsampling with factor f is convolution with a fractional input
// stride of 1/f … backwards convolution").
//
// 1. Stamping (the library's `TransposedConvolution`): each input cell adds its value times the
//    kernel into the output, the stamps s pixels apart.
// 2. Fractional stride 1/f, zero insertion: put s − 1 zeros between the input cells, pad k − 1
//    zeros around, and run an ordinary stride-1 convolution with the kernel turned by 180° and
//    its input/output channels swapped. The "input stride" of that convolution, measured in
//    the original cells, is 1/s.
// 3. The matrix view: a strided convolution is a matrix W (outputs × inputs); the transposed
//    convolution with the same weight is Wᵀ — hence the name, and the adjoint of section 4.2.
// And Wᵀ is not W⁻¹: convT(conv(x)) is not x.
//
// Dimension letters: C channels, H×W spatial size, k kernel, s stride.
import FCN
import FCNCourse

/// The transposed convolution of `y` `[1, C, n, n]` with `weight` `[C, O, k, k]` and stride `s`,
/// computed as a stride-1 convolution of the zero-inserted, (k − 1)-padded input with the turned,
/// channel-swapped kernel. Equal to `TransposedConvolution(weight:stride:).forward(y)`.
func zeroInsertionUpsampling(_ y: Tensor, weight: Tensor, stride s: Int) -> Tensor {
    let (c, n) = (y.shape[1], y.shape[2])
    let (o, k) = (weight.shape[1], weight.shape[2])
    let spread = s * (n - 1) + 1                                             // n cells, s − 1 zeros between
    let padded = Tensor(shape: [1, c, spread + 2 * (k - 1), spread + 2 * (k - 1)]) { i in
        let (a, b) = (i[2] - (k - 1), i[3] - (k - 1))
        guard a >= 0, b >= 0, a < spread, b < spread, a % s == 0, b % s == 0 else { return 0 }
        return y[0, i[1], a / s, b / s]
    }
    let turned = Tensor(shape: [o, c, k, k]) { i in weight[i[1], i[0], k - 1 - i[2], k - 1 - i[3]] }   // [O, C, k, k]
    return Convolution(weight: turned, stride: 1).forward(padded)                                  // [1, O, s(n−1)+k, …]
}

/// The matrix of the single-channel convolution `conv` on `n`×`n` inputs: column j is conv of
/// the j-th basis image, so `W · vec(x) = vec(conv(x))`. Rows: outputs, columns: inputs.
func convolutionMatrix(_ conv: Convolution, inputSize n: Int) -> [[Float]] {
    let columns = (0..<(n * n)).map { j in
        conv.forward(Tensor(shape: [1, 1, n, n]) { $0[2] * n + $0[3] == j ? 1 : 0 }).scalars
    }
    return columns[0].indices.map { row in columns.map { $0[row] } }         // transpose: [outputs][inputs]
}

/// What the chapter prints of the three views, for the tests.
struct ThreeViews {
    var zeroInsertionGap: Float           // stamping vs zero insertion
    var matrixShape: (rows: Int, columns: Int)
    var matrixGap: Float                  // Wᵀy vs convT(y)
    var roundTripError: Float             // ‖convT(conv(x)) − x‖∞ / ‖x‖∞
}

/// Compares the three views on a stride-2, 4×4 kernel and a 3×3 input, and round-trips an 8×8 image.
func threeViews(_ lesson: inout Lesson) -> ThreeViews {
    var rng = SeededRandom(seed: 40)
    let weight = Tensor(randomNormal: [1, 1, 4, 4], using: &rng)                 // [C, O, k, k]
    let up = TransposedConvolution(weight: weight, stride: 2)
    let y = Tensor(randomNormal: [1, 1, 3, 3], using: &rng)
    let stamped = up.forward(y)                                                   // [1, 1, 8, 8]
    let inserted = zeroInsertionUpsampling(y, weight: weight, stride: 2)
    lesson.value("stamping: convT(y), 3×3 → ", "\(stamped.shape.suffix(2).map(String.init).joined(separator: "×"))")
    lesson.value("zero insertion (1/2 stride) + stride-1 conv", "\(inserted.shape.suffix(2).map(String.init).joined(separator: "×")), max relative gap \(show(inserted.relativeDifference(to: stamped)))")

    let conv = Convolution(weight: weight, stride: 2)                             // 8×8 → 3×3, the same weight
    let w = convolutionMatrix(conv, inputSize: 8)                                 // [9][64]
    let wTy = (0..<64).map { j in (0..<9).reduce(Float(0)) { $0 + w[$1][j] * y.scalars[$1] } }
    let matrixGap = Tensor(shape: [1, 1, 8, 8], scalars: wTy).relativeDifference(to: stamped)
    lesson.value("conv (stride 2) as a matrix W", "\(w.count)×\(w[0].count) (outputs × inputs), \(w.joined().filter { $0 != 0 }.count) nonzeros")
    lesson.value("Wᵀ · vec(y) against convT(y)", "max relative gap \(show(matrixGap))")

    let x = Tensor(randomNormal: [1, 1, 8, 8], using: &rng)
    let back = up.forward(conv.forward(x))
    let roundTrip = back.relativeDifference(to: x)
    lesson.value("convT(conv(x)) against x (8×8 random x)", "max relative gap \(show(roundTrip)): not x")
    return ThreeViews(zeroInsertionGap: inserted.relativeDifference(to: stamped), matrixShape: (w.count, w[0].count),
                      matrixGap: matrixGap, roundTripError: roundTrip)
}

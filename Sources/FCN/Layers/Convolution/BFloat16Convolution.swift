// BFloat16Convolution.swift — convolution as im2col + a bf16 GEMM with f32 sums (`--precision bf16`).
//
// The im2col path of `Convolution+Fast.swift` (paper §3; fc6 and fc7 after §3.1's net surgery,
// the 1×1 score layers of §4.2's skips), with its sgemm replaced by the AVX512-BF16 product of
// `FCNKernels/BFloat16GEMM.swift`:
//
//     Y[O, OH·OW] = bf16(W)[O, R] · bf16(col(X))[R, OH·OW] + bias      sums in f32, R = C·KH·KW
//
// W is rounded and packed once per network (the `PackedWeights` of the `Network` that runs it);
// the column matrix is rounded to bf16 block by block inside the kernel, as it is packed, and the
// bias and ReLU are applied on the f32 sums before they are stored. What bf16 is and why the sums
// stay f32: `FCNCore/Precision.swift`. The definition it is compared with is
// `Convolution.referenceForward` (to bf16 accuracy, not f32's: `BFloat16ConvolutionTests`).
//
// Dimension letters: N batch, C input channels, H×W input, O output channels, KH×KW kernel,
// OH×OW output, P = OH·OW, R = C·KH·KW.

import FCNCore
import FCNKernels

/// An ungrouped convolution computed by im2col and the AVX512-BF16 GEMM.
///
/// Layout: input `[N, C, H, W]`, weight `[O, C, KH, KW]`, output `[N, O, OH, OW]`, as for
/// ``Convolution``. Runs only where ``isAvailable``.
///
/// ```swift
/// var rng = SeededRandom(seed: 1)
/// let conv = Convolution(weight: Tensor(randomNormal: [16, 8, 3, 3], using: &rng), padding: 1)
/// if BFloat16Convolution.isAvailable {
///     let y = BFloat16Convolution(conv).forward(Tensor(randomNormal: [1, 8, 20, 20], using: &rng), fusingReLU: true)
/// }
/// ```
///
/// ### See Also
/// - ``Convolution/forward(_:fusingReLU:)``, the f32 im2col path this mirrors.
public struct BFloat16Convolution: Sendable {
    /// The layer (its geometry and bias; the weight is used in packed form).
    public let convolution: Convolution
    /// The weight `[O, C·KH·KW]`, rounded to bf16 and packed.
    let weights: BFloat16Matrix

    /// Whether the bf16 kernel may run here (AVX512-BF16; see `CPUFeatures.bfloat16KernelsEnabled`).
    public static var isAvailable: Bool { BFloat16.isAvailable }

    /// Whether `conv` has a shape this path handles: one group (FCN's VGG16 layers all do).
    public static func isApplicable(to conv: Convolution) -> Bool { conv.groups == 1 }

    /// Rounds and packs `conv`'s weight (the cost a `Network` pays once, `PackedWeights.swift`).
    public init(_ conv: Convolution) {
        self.init(conv, packed: Self.pack(conv.weight))
    }

    /// `conv` with its weight already packed by ``pack(_:)``.
    init(_ conv: Convolution, packed: BFloat16Matrix) {
        precondition(Self.isApplicable(to: conv), "BFloat16Convolution: needs groups 1, got \(conv.groups)")
        precondition(packed.rows == conv.outputChannels && packed.depth == conv.weight.count / conv.outputChannels,
                     "BFloat16Convolution: packed weights are \(packed.rows)×\(packed.depth), the layer's \(conv.weight.shape)")
        convolution = conv
        weights = packed
    }

    /// The weight `[O, C, KH, KW]` as a packed bf16 matrix `[O, C·KH·KW]`.
    static func pack(_ weight: Tensor) -> BFloat16Matrix {
        let O = weight.shape[0], R = weight.count / max(1, weight.shape[0])
        return weight.scalars.withUnsafeBufferPointer { BFloat16Matrix($0.baseAddress!, rows: O, depth: R, rowStride: R) }
    }

    /// The convolution of `x`, `[N, C, H, W]` → `[N, O, OH, OW]`, optionally followed by ReLU.
    ///
    /// The column matrix is built in bands of output rows, as the f32 path does (at most the
    /// configuration's column budget, about 4096 columns at least); 1×1 stride-1 layers without
    /// padding read the input directly.
    public func forward(_ x: Tensor, fusingReLU: Bool) -> Tensor {
        let conv = convolution
        let grid = conv.checkedForward(x).output
        let bank = conv.filters
        let d = x.nchw
        let O = conv.outputChannels, HW = d.h * d.w, P = grid.height * grid.width
        let geometry = bank.columnGeometry(image: Size2(height: d.h, width: d.w), grid: grid)
        let R = geometry.rows
        let pointwise = bank.isPointwise
        let band = min(geometry.outputRowsPerChunk(budget: EngineConfiguration.current.resolvedColumnBudget),
                       max((1 << 20) / max(1, O * grid.width), (4096 + grid.width - 1) / grid.width))
        let columns = UnsafeMutablePointer<Float>.allocate(capacity: pointwise ? 1 : R * band * grid.width)
        defer { columns.deallocate() }
        // Uninitialised: the kernel writes every element of every band.
        var y = [Float](unsafeUninitializedCapacity: d.n * O * P) { $1 = d.n * O * P }   // [N, O, OH, OW]
        let biasValues = conv.bias?.scalars ?? [Float](repeating: 0, count: O)
        withBuffers(reading: [x.scalars, biasValues], writing: &y) { read, ys in
            let xs = read[0], bias = read[1]
            for n in 0..<d.n {
                let xn = xs + n * d.c * HW                           // [C, H·W]
                let yn = ys + n * O * P                              // [O, P]
                if pointwise {
                    BFloat16GEMM.multiply(weights, b: xn, ldb: P, n: P, bias: bias, relu: fusingReLU, c: yn, ldc: P)
                    continue
                }
                for first in Swift.stride(from: 0, to: grid.height, by: band) {
                    let rows = first..<min(grid.height, first + band)
                    let Q = rows.count * grid.width                  // columns in this band
                    im2col(xn, geometry: geometry, outputRows: rows, into: columns)
                    BFloat16GEMM.multiply(weights, b: columns, ldb: Q, n: Q, bias: bias, relu: fusingReLU,
                                          c: yn + first * grid.width, ldc: P)
                }
            }
        }
        return Tensor(shape: [d.n, O, grid.height, grid.width], scalars: y)
    }
}

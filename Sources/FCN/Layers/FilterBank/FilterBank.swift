// FilterBank.swift — what a convolution and its transpose share: one set of connections,
// read in two directions (paper §3, Eq. 1; §3.3, "upsampling is backwards strided convolution").
//
// A bank of filters `w[s, l, u, v]` laid on a window geometry (kernel, stride, padding,
// dilation) connects two grids:
//
//   - the *image*, `[N, L, H, W]`, on which the windows lie, and
//   - the *grid* of window positions, `[N, S, GH, GW]`, one position per window.
//
// Grid pixel (i, j) of channel s and image pixel (h, w) of channel l are connected through tap
// (u, v) exactly when
//
//     h = i·stride − padTop + u·dilation,   w = j·stride − padLeft + v·dilation,
//
// with l in s's channel group, and the connection carries the weight `w[s, l mod L/G, u, v]`.
// There are only three things to do with such a set of connections:
//
//   gather          grid[s, i, j]  = Σ w · image[l, h, w]     — a convolution's forward pass;
//   scatter         image[l, h, w] = Σ w · grid[s, i, j]      — its input gradient, and the
//                                                               forward pass of the transpose;
//   weight gradient dw[s, l, u, v] = Σ grid[s, i, j] · image[l, h, w].
//
// `Convolution` (image = its input, grid = its output) and `TransposedConvolution` (grid = its
// input, image = its output — the windows lie on the *upsampled* side) are thin layers over
// one `FilterBank`: the convolution's forward pass is a gather and its backward pass a scatter,
// the transposed convolution the other way round, and both take the same weight gradient. That
// is the paper's remark that deconvolution "simply reverses the forward and backward passes of
// convolution", as code. This file holds the type and the plain-loop reference passes, all
// three walking the same `forEachConnection` loop; `FilterBank+Fast.swift` holds the im2col /
// col2im + GEMM versions, tested equal to them.
//
// Dimension letters: N batch, S grid channels, L image channels, G groups, KH×KW kernel,
// GH×GW grid size, H×W image size; lg = image channel within its group.

import FCNCore

/// A bank of filters `[S, L/G, KH, KW]` sliding over a window geometry: the weights of a
/// ``Convolution`` (S outputs, L inputs) or a ``TransposedConvolution`` (S inputs, L outputs).
///
/// The filters link an *image* of L channels, on which the windows lie, with a *grid* of S
/// channels, one pixel per window position. A convolution gathers the image into the grid; a
/// transposed convolution scatters its grid (its input) onto the image (its output).
///
/// ```swift
/// let bank = FilterBank(weight: Tensor(zeros: [64, 3, 3, 3]), padding: 1)
/// bank.gridChannels    // 64: a convolution's outputs, a transposed convolution's inputs
/// bank.imageChannels   // 3
/// ```
public struct FilterBank: WindowedLayerParameters, Sendable, Equatable {
    /// The filters, `[S, L/G, KH, KW]`: `weight[s, lg]` links grid channel s with image channel
    /// lg of its group.
    public var weight: Tensor
    /// Number of channel groups G; grid channel s sees only the image channels of its group.
    public var groups: Int
    /// Stride, padding and dilation (its kernel is always the weight's: see ``window``).
    private var sliding: WindowGeometry

    /// A filter bank; the window's kernel is the weight's last two dimensions.
    ///
    /// - Precondition: the weight is 4-D, S splits into the groups, stride and dilation are ≥ 1.
    public init(weight: Tensor, stride: Size2 = 1, padding: Padding = 0, dilation: Size2 = 1, groups: Int = 1) {
        self.init(weight: weight, stride: stride, padding: padding, dilation: dilation, groups: groups,
                  layer: "FilterBank", layout: "[S, L/G, KH, KW]", gridName: "grid channels")
    }

    /// The bank of a layer, with the layer's own words in the messages of its checks.
    init(weight: Tensor, stride: Size2, padding: Padding, dilation: Size2, groups: Int,
         layer: String, layout: String, gridName: String) {
        precondition(weight.rank == 4, "\(layer): weight must be \(layout), got \(weight.shape)")
        precondition(groups >= 1 && weight.shape[0] % groups == 0,
                     "\(layer): \(weight.shape[0]) \(gridName) do not split into \(groups) groups")
        precondition(stride.height >= 1 && stride.width >= 1 && dilation.height >= 1 && dilation.width >= 1,
                     "\(layer): stride and dilation must be ≥ 1")
        self.weight = weight; self.groups = groups
        self.sliding = WindowGeometry(kernel: Size2(height: weight.shape[2], width: weight.shape[3]),
                                      stride: stride, padding: padding, dilation: dilation)
    }

    /// S, the channels of the grid of window positions.
    public var gridChannels: Int { weight.shape[0] }
    /// L, the channels of the image the windows lie on.
    public var imageChannels: Int { weight.shape[1] * groups }
    /// KH×KW, the weight's last two dimensions.
    public var kernelSize: Size2 { Size2(height: weight.shape[2], width: weight.shape[3]) }

    /// How the filters slide over the image: KH×KW (the weight's), stride, padding and dilation.
    /// `stride`, `padding` and `dilation` read and write its parts.
    ///
    /// - Precondition: a new window's kernel is the weight's (change the weight to change it).
    public var window: WindowGeometry {
        get { var w = sliding; w.kernel = kernelSize; return w }
        set {
            precondition(newValue.kernel == kernelSize, "FilterBank: kernel \(newValue.kernel) is not the weight's \(kernelSize)")
            sliding = newValue
        }
    }
}

/// The first check of every pass of a filter layer: the input has the channels the weight expects.
func checkInputChannels(_ layer: String, _ d: Tensor.NCHW, expected: Int) {
    precondition(d.c == expected, "\(layer): input has \(d.c) channels, weight expects \(expected)")
}

/// The check of a filter layer's backward passes: dL/dy has the shape of the output.
func checkOutputGradient(_ layer: String, _ dy: Tensor, expected: [Int]) {
    precondition(dy.shape == expected, "\(layer): output gradient must be \(expected), got \(dy.shape)")
}

// MARK: - The connections, and the reference passes

extension FilterBank {
    /// One product of the layer: grid pixel `(s, i, j)` meets image pixel `(l, h, w)` through
    /// tap `(u, v)` of filter `w[s, lg]`.
    struct Connection {
        var s: Int, i: Int, j: Int
        var l: Int, lg: Int, h: Int, w: Int
        var u: Int, v: Int
    }

    /// Calls `visit` once for every connection between a grid of `grid` positions and an image
    /// of `image` pixels, in the order (s, i, j, lg, u, v); taps falling on the padding (outside
    /// the image) are no connection.
    ///
    /// All three reference passes below walk this one loop, so they visit the same products in
    /// the same order and differ only in which factor they sum.
    func forEachConnection(image: Size2, grid: Size2, _ visit: (Connection) -> Void) {
        let S = gridChannels, KH = kernelSize.height, KW = kernelSize.width
        let imagePerGroup = imageChannels / groups         // L/G
        let gridPerGroup = S / groups                      // S/G
                for s in 0..<S {
            let group = s / gridPerGroup                   // the group this filter belongs to
            for i in 0..<grid.height {
                for j in 0..<grid.width {
                    for lg in 0..<imagePerGroup {
                        let l = group * imagePerGroup + lg
                        for u in 0..<KH {
                            let h = i * stride.height - padding.top + u * dilation.height
                            if h < 0 || h >= image.height { continue }        // padding: no pixel there
                            for v in 0..<KW {
                                let w = j * stride.width - padding.left + v * dilation.width
                                if w < 0 || w >= image.width { continue }
                                visit(Connection(s: s, i: i, j: j, l: l, lg: lg, h: h, w: w, u: u, v: v))
                            }
                        }
                    }
                }
            }
        }
    }

    /// The reference gather, `grid[n, s, i, j] = bias[s] + Σ w[s, lg, u, v] · image[n, l, h, w]`
    /// over the connections, each sum accumulated in `Double`.
    ///
    /// - Parameters:
    ///   - image: `[N, L, H, W]`.
    ///   - grid: GH×GW, the window positions.
    ///   - bias: `[S]` or `nil`.
    /// - Returns: `[N, S, GH, GW]`.
    func referenceGather(_ image: Tensor, grid: Size2, bias: Tensor? = nil) -> Tensor {
        let d = image.nchw, S = gridChannels
        let imageSize = Size2(height: d.h, width: d.w)
        var sums = [Double](repeating: 0, count: d.n * S * grid.height * grid.width)
        func index(_ n: Int, _ s: Int, _ i: Int, _ j: Int) -> Int { ((n * S + s) * grid.height + i) * grid.width + j }
        for n in 0..<d.n {
            for s in 0..<S { for i in 0..<grid.height { for j in 0..<grid.width {
                sums[index(n, s, i, j)] = Double(bias?.scalars[s] ?? 0)
            } } }
            forEachConnection(image: imageSize, grid: grid) { c in
                sums[index(n, c.s, c.i, c.j)] += Double(weight[c.s, c.lg, c.u, c.v]) * Double(image[n, c.l, c.h, c.w])
            }
        }
        return Tensor(shape: [d.n, S, grid.height, grid.width], scalars: sums.map { Float($0) })
    }

    /// The reference scatter, `image[n, l, h, w] = Σ w[s, lg, u, v] · grid[n, s, i, j]` over the
    /// connections: every grid pixel stamps its filters, scaled by its value, onto its window.
    ///
    /// - Parameters:
    ///   - grid: `[N, S, GH, GW]`.
    ///   - image: H×W, the size of the image to stamp on.
    /// - Returns: `[N, L, H, W]`.
    func referenceScatter(_ grid: Tensor, image: Size2) -> Tensor {
        let d = grid.nchw
        var y = Tensor(zeros: [d.n, imageChannels, image.height, image.width])
        for n in 0..<d.n {
            forEachConnection(image: image, grid: Size2(height: d.h, width: d.w)) { c in
                y[n, c.l, c.h, c.w] += weight[c.s, c.lg, c.u, c.v] * grid[n, c.s, c.i, c.j]
            }
        }
        return y
    }

    /// The reference weight gradient, `dw[s, lg, u, v] = Σ grid[n, s, i, j] · image[n, l, h, w]`
    /// over the images and connections.
    ///
    /// - Parameters:
    ///   - image: `[N, L, H, W]`.
    ///   - grid: `[N, S, GH, GW]`.
    /// - Returns: `[S, L/G, KH, KW]`.
    func referenceWeightGradient(image: Tensor, grid: Tensor) -> Tensor {
        let d = image.nchw, g = grid.nchw
        var dw = Tensor(zeros: weight.shape)
        for n in 0..<d.n {
            forEachConnection(image: Size2(height: d.h, width: d.w), grid: Size2(height: g.h, width: g.w)) { c in
                dw[c.s, c.lg, c.u, c.v] += image[n, c.l, c.h, c.w] * grid[n, c.s, c.i, c.j]
            }
        }
        return dw
    }
}

/// dL/db in plain loops: `Σ_{n, i, j} dy[n, o, i, j]` for every channel o, in `Float`.
func referenceChannelSums(_ dy: Tensor) -> Tensor {
    let d = dy.nchw
    var db = Tensor(zeros: [d.c])
    for n in 0..<d.n { for o in 0..<d.c { for i in 0..<d.h { for j in 0..<d.w {
        db[o] += dy[n, o, i, j]
    } } } }
    return db
}

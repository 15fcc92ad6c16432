// Im2Col.swift — turning convolution into matrix multiplication (fast path for paper §3, §3.3).
//
// A convolution output pixel is a dot product between a filter and the window of input it
// sees. `im2col` ("image to columns") copies every window into a column of a matrix, so that
// *all* dot products of *all* filters become one matrix product, which BLAS computes near the
// machine's peak:
//
//     Y[O, OH·OW] = W[O, C·KH·KW] · col[C·KH·KW, OH·OW]
//
// The picture. Take one output pixel (i, j). Its window is a C × KH × KW block of the (zero-
// padded) input, starting at row i·SH − padTop and column j·SW − padLeft, with taps DH and DW
// apart. Flatten that block — channel first, then kernel row, then kernel column, the same
// order as a filter `w[o]` is stored — and stand it upright: that is column (i·OW + j) of the
// matrix. Taps that fall into the padding are zeros. Read the matrix the other way round and
// row r = (c·KH + u)·KW + v is the input channel c shifted by the tap offset (u·DH, v·DW) and
// sampled with the stride: a strided, shifted copy of one channel. The copy costs KH·KW times
// the input's memory, the price of handing the work to GEMM.
//
// `col2im` is the adjoint: it adds every column back onto the window it came from (values that
// land in the padding are dropped). It is what the backward pass of convolution needs for dL/dx,
// and what the forward pass of transposed convolution needs (§3.3: the two are each other's
// backward).
//
// Both functions handle a *range of output rows*, so that callers can process a large image in
// chunks instead of materialising the whole column matrix (`ColumnGeometry.outputRowsPerChunk`).
// Both walk the column matrix the same way (`forEachTapRow`) and spread the channels over the
// cores with `parallelFor`: channel c touches only its own rows of the column matrix and its own
// plane of the image.
//
// Dimension letters: C channels, H×W image size, KH×KW kernel, SH×SW stride, DH×DW dilation,
// OH×OW output (column grid) size, R = C·KH·KW rows of the column matrix.

import FCNCore

/// Everything needed to address the column matrix of a sliding-window operation.
///
/// ```swift
/// let geometry = ColumnGeometry(channels: 3, image: Size2(height: 5, width: 5), kernel: 3,
///                               stride: 1, padding: 1, dilation: 1)
/// geometry.rows          // 27 = 3·3·3
/// geometry.output        // 5×5: 25 columns
/// ```
///
/// ### See Also
/// - ``im2col(_:geometry:outputRows:into:)``, ``col2im(_:geometry:outputRows:addingInto:)``.
package struct ColumnGeometry: Sendable, Hashable {
    /// C, the number of image channels covered.
    package var channels: Int
    /// H×W, the image size (before padding).
    package var image: Size2
    /// KH×KW.
    package var kernel: Size2
    /// Step between windows.
    package var stride: Size2
    /// Zeros around the image.
    package var padding: Padding
    /// Spacing between kernel taps.
    package var dilation: Size2
    /// OH×OW, the grid of window positions (one column each).
    package var output: Size2

    /// A geometry whose output grid is the convolution output size for this image.
    package init(channels: Int, image: Size2, kernel: Size2, stride: Size2, padding: Padding, dilation: Size2) {
        self.init(channels: channels, image: image, kernel: kernel, stride: stride, padding: padding, dilation: dilation,
                  output: Size2(
                    height: convolutionOutputLength(input: image.height, kernel: kernel.height, stride: stride.height,
                                                    padBefore: padding.top, padAfter: padding.bottom, dilation: dilation.height),
                    width: convolutionOutputLength(input: image.width, kernel: kernel.width, stride: stride.width,
                                                   padBefore: padding.left, padAfter: padding.right, dilation: dilation.width)))
    }

    /// A geometry with an explicit output grid (transposed convolution knows its grid: the input).
    package init(channels: Int, image: Size2, kernel: Size2, stride: Size2, padding: Padding, dilation: Size2, output: Size2) {
        precondition(channels >= 0 && image.height >= 0 && image.width >= 0 && output.height >= 0 && output.width >= 0,
                     "ColumnGeometry: negative size")
        self.channels = channels
        self.image = image
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.output = output
    }

    /// R = C·KH·KW, the rows of the column matrix (the length of one flattened window).
    package var rows: Int { channels * kernel.height * kernel.width }

    /// The number of output rows whose columns fit in `budget` floats (at least 1, at most OH).
    ///
    /// FCN's conv1_2 on a 500×500 image (pad 100 upstream) has R = 64·3·3 = 576 rows and
    /// 698·698 ≈ 487k columns: 1.1 GB as a whole. With the default budget of 16 Mi floats
    /// (64 MB) it is processed 41 output rows at a time.
    package func outputRowsPerChunk(budget: Int = ColumnGeometry.defaultBudget) -> Int {
        let perRow = max(1, rows * output.width)
        return max(1, min(output.height, budget / perRow))
    }

    /// 16 Mi floats = 64 MB: the largest column buffer the fast layers allocate.
    package static let defaultBudget = 16 * 1024 * 1024
}

/// The `j` in `0..<count` with `0 ≤ j·stride + offset < limit`: the window positions whose
/// tap lands inside the image, so the copy loops need no per-pixel bounds test.
@inline(__always)
package func insideRange(count: Int, stride: Int, offset: Int, limit: Int) -> Range<Int> {
    let first = offset >= 0 ? 0 : (-offset + stride - 1) / stride   // ⌈−offset / stride⌉
    let top = limit - 1 - offset                                     // need j·stride ≤ top
    let end = top < 0 ? 0 : top / stride + 1
    let lower = min(first, count)
    return lower..<max(lower, min(end, count))
}

/// One row of taps: for channel c, tap (u, v) and output row i, the OW entries of column-matrix
/// row r = (c·KH + u)·KW + v that belong to output row i, and the image row they come from.
private struct TapRow {
    /// Where the OW entries start in the column matrix of the chunk.
    var columns: Int
    /// Where image row h = i·SH − padTop + u·DH of channel c starts in the image, or `nil` when
    /// h falls in the padding (every tap of the row is a zero).
    var image: Int?
    /// v·DW − padLeft: entry j reads image column j·SW + `wOffset`.
    var wOffset: Int
    /// The entries j whose image column is inside the image (the others are padding).
    var inside: Range<Int>
}

/// Visits channel c's rows of taps for output rows `outputRows`: the one walk of the column
/// matrix that `im2col` copies along and `col2im` adds back along, so the two stay each other's
/// adjoint. Channel c's rows touch only its own rows of the column matrix and its own plane of
/// the image, which is why both spread the channels over the cores (`parallelFor`) around it.
@inline(__always)
private func forEachTapRow(of c: Int, _ g: ColumnGeometry, outputRows: Range<Int>, _ body: (TapRow) -> Void) {
    let H = g.image.height, W = g.image.width, OW = g.output.width
    let KH = g.kernel.height, KW = g.kernel.width
    let columnCount = outputRows.count * OW                      // columns in this chunk
    for u in 0..<KH {
        let hOffset = u * g.dilation.height - g.padding.top
        for v in 0..<KW {
            let wOffset = v * g.dilation.width - g.padding.left
            let row = ((c * KH + u) * KW + v) * columnCount
            let inside = insideRange(count: OW, stride: g.stride.width, offset: wOffset, limit: W)
            for (q, i) in outputRows.enumerated() {
                let h = i * g.stride.height + hOffset
                body(TapRow(columns: row + q * OW, image: h < 0 || h >= H ? nil : (c * H + h) * W,
                            wOffset: wOffset, inside: inside))
            }
        }
    }
}

/// Copies the windows of output rows `outputRows` into columns.
///
/// Writes the column matrix `[R, outputRows.count · OW]` (row-major, R = C·KH·KW): entry
/// (r, q) with r = (c·KH + u)·KW + v and q = (i − outputRows.lowerBound)·OW + j is
/// `image[c, i·SH − padTop + u·DH, j·SW − padLeft + v·DW]`, or 0 in the padding.
///
/// - Parameters:
///   - image: one image, `[C, H, W]` contiguous.
///   - geometry: the window geometry.
///   - outputRows: the output rows to lay out (a sub-range of `0..<OH`).
///   - columns: room for `R · outputRows.count · OW` floats; every entry is written.
package func im2col(_ image: UnsafePointer<Float>, geometry: ColumnGeometry, outputRows: Range<Int>,
                   into columns: UnsafeMutablePointer<Float>) {
    let OW = geometry.output.width, SW = geometry.stride.width
    parallelFor(geometry.channels) { c in
        forEachTapRow(of: c, geometry, outputRows: outputRows) { t in
            let destination = columns + t.columns                // the OW columns of output row i
            guard let imageRow = t.image else {                  // the whole row of taps is padding
                destination.update(repeating: 0, count: OW)
                return
            }
            let inside = t.inside
            destination.update(repeating: 0, count: inside.lowerBound)
            let source = image + imageRow
            if SW == 1 {                                         // a contiguous run: plain copy
                (destination + inside.lowerBound).update(from: source + inside.lowerBound + t.wOffset, count: inside.count)
            } else {
                for j in inside { destination[j] = source[j * SW + t.wOffset] }
            }
            (destination + inside.upperBound).update(repeating: 0, count: OW - inside.upperBound)
        }
    }
}

/// Adds columns back onto the windows they came from: the adjoint of ``im2col(_:geometry:outputRows:into:)``.
///
/// For every entry (r, q) of the column matrix `[R, outputRows.count · OW]`, adds it to
/// `image[c, i·SH − padTop + u·DH, j·SW − padLeft + v·DW]` (same indexing as `im2col`);
/// entries that fall in the padding are dropped. The image is *accumulated into*, not
/// overwritten, so chunks and overlapping windows add up.
///
/// - Parameters:
///   - columns: `[R, outputRows.count · OW]`.
///   - geometry: the window geometry.
///   - outputRows: the output rows these columns belong to.
///   - image: `[C, H, W]`, added into.
package func col2im(_ columns: UnsafePointer<Float>, geometry: ColumnGeometry, outputRows: Range<Int>,
                   addingInto image: UnsafeMutablePointer<Float>) {
    let SW = geometry.stride.width
    parallelFor(geometry.channels) { c in                        // channel c writes only plane c
        forEachTapRow(of: c, geometry, outputRows: outputRows) { t in
            guard let imageRow = t.image else { return }         // padding: dropped
            let source = columns + t.columns
            let destination = image + imageRow
            for j in t.inside { destination[j * SW + t.wOffset] += source[j] }
        }
    }
}

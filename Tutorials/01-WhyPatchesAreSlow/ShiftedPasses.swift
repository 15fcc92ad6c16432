// ShiftedPasses.swift — Chapter 1: scoring windows closer together than the net's output stride
// by shift-and-stitch (paper §3.2, CVPR 2015; Chapter 5 shows it equals filter rarefaction).
//
// The convolutionalized classifier's cells are 32 px apart: one pass scores the windows at
// (32i, 32j). For windows every s = 32/f px, pass the image shifted by (s·dy, s·dx) for
// dy, dx < f — that is, cropped from there — and interleave: pass (dy, dx) scores the windows at
// (32i + s·dy, 32j + s·dx). f² passes instead of one; with s = 32 the one pass on the image.
import FCN

/// The (top, left) crops of the f² shifted passes for windows every `windowStride` px.
func passShifts(windowStride: Int, netStride: Int = 32) -> [(top: Int, left: Int)] {
    let f = netStride / windowStride
    return (0..<f).flatMap { dy in (0..<f).map { dx in (windowStride * dy, windowStride * dx) } }
}

/// The scores `[1, K, G, G]` of the G×G windows every `windowStride` px of `image` `[1, 3, N, N]`,
/// from `dense`'s passes on the shifted images, interleaved.
func stitchedScores(_ dense: Network, image: Tensor, windowStride: Int, grid: Int, netStride: Int = 32) throws -> Tensor {
    let f = netStride / windowStride, n = image.shape[2]
    var passes: [[Tensor]] = Array(repeating: [], count: f)                     // [dy][dx] → [1, K, G', G']
    for shift in passShifts(windowStride: windowStride, netStride: netStride) {
        let pass = try dense.forward(crop(image, top: shift.top, left: shift.left, height: n - shift.top, width: n - shift.left))
        let (dy, dx) = (shift.top / windowStride, shift.left / windowStride)
        // Window i of the grid is cell i / f of pass i % f: the last one must exist.
        guard pass.shape[2] > (grid - 1 - dy) / f, pass.shape[3] > (grid - 1 - dx) / f else {
            throw ChapterError("--window-stride \(windowStride): the pass shifted by (\(shift.top), \(shift.left)) px has \(pass.shape[2])×\(pass.shape[3]) cells, too few for the \(grid)×\(grid) grid")
        }
        passes[dy].append(pass)
    }
    return Tensor(shape: [1, passes[0][0].shape[1], grid, grid]) { i in
        passes[i[2] % f][i[3] % f][0, i[1], i[2] / f, i[3] / f]
    }
}

/// The `height`×`width` window of `x` `[1, C, H, W]` at (`top`, `left`).
func crop(_ x: Tensor, top: Int, left: Int, height: Int, width: Int) -> Tensor {
    Tensor(shape: [1, x.shape[1], height, width]) { x[0, $0[1], top + $0[2], left + $0[3]] }
}

/// A chapter run that cannot go on, with a message naming the option.
struct ChapterError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

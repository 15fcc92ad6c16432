// Chapter 5 — Shift-and-stitch is filter rarefaction (paper §3.2).
//
//   "If the outputs are downsampled by a factor of f, the input is shifted (by left and top
//    padding) x pixels to the right and y pixels down, once for every value of
//    (x, y) ∈ {0, …, f − 1} × {0, …, f − 1}. These f² inputs are each run through the convnet,
//    and the outputs are interlaced so that the predictions correspond to the pixels at the
//    centers of their receptive fields."
//   "Consider a layer (convolution or pooling) with input stride s, and a subsequent
//    convolution layer with filter weights f_ij … Setting the lower layer's input stride to 1
//    upsamples its output by a factor of s. … To reproduce the trick, rarefy the filter by
//    enlarging it as f'_ij = f_(i/s, j/s) if s divides both i and j; 0 otherwise."
//   "Although we have done preliminary experiments with shift-and-stitch, we do not use it in
//    our model. We find learning through upsampling … to be more effective and efficient."
//                                                                  — Long, Shelhamer, Darrell
//
// (1) Both tricks on a tiny net conv → pool (stride 2) → conv give the *same* dense output:
// computed by `ShiftAndStitchData.compute` with the library's reference layers. (2) What each
// costs, in multiply-adds counted from shapes. (3) The same count for VGG16 at 500×500, where
// the costs explain the paper's choice.
//
// Dimension letters: C channels, H×W spatial size, f the downsampling factor undone.
import FCN
import FCNCourse
import FCNFigures

/// What the chapter measured, for the tests.
struct Chapter05Result {
    var maxDifference: Float
    var stitchedShape: [Int]
    var shiftCount: Int
    var tinyShiftAndStitch: Int, tinyRarefied: Int
    /// For f = 2, 4, 8, 16, 32: multiply-adds of VGG16 up to score_fr at 500×500.
    var vggShiftAndStitch: [Int: Int], vggRarefied: [Int: Int]
    var vggOnePass: Int
}

func chapter05(_ lesson: inout Lesson, inputSize: Int = 16) throws -> Chapter05Result {
    lesson.say("  \"If the outputs are downsampled by a factor of f, the input is shifted … once for every")
    lesson.say("   value of (x, y) ∈ {0, …, f − 1}². These f² inputs are each run through the convnet, and")
    lesson.say("   the outputs are interlaced.\" (§3.2)")
    lesson.section("Two ways to a dense output, on conv1 → 2×2 pool (stride 2) → conv2")
    // cell: two ways
    let data = ShiftAndStitchData.compute(inputSize: inputSize)
    let c = data.input.shape[1], n = inputSize, hidden = data.hiddenChannels
    lesson.value("input", data.input.shape)
    for s in data.shifted { lesson.value("  shift (\(s.dy), \(s.dx)) → coarse output", s.output.shape) }
    lesson.value("stitched (4 outputs interleaved)", data.stitched.shape)
    lesson.value("pool stride 1 + conv2 dilated by 2", data.dilated.shape)
    let row = { (t: Tensor) in (0..<min(6, t.shape[3])).map { show(t[0, 0, 1, $0], digits: 3) }.joined(separator: "  ") }
    lesson.value("row 1, stitched", row(data.stitched))
    lesson.value("row 1, dilated", row(data.dilated))
    lesson.value("max |stitched − dilated|", show(data.maxDifference))
    // end cell
    lesson.say("  Why dilation 2: conv2's taps were 1 coarse pixel apart, and a coarse pixel is 2 fine ones.")
    lesson.say("  Every layer is unpadded, so the shifted runs see exactly the pixels the dense run sees:")
    lesson.say("  the interleaved outputs ARE the rarefied filter's outputs, everywhere.")
    try lesson.figure("shift-and-stitch", shiftAndStitchFigure(data))

    lesson.section("What each costs (multiply-adds, counted from shapes)")
    // cell: costs
    let coarse = tinyNet(channels: c, hidden: hidden, poolStride: 2, dilation: 1)
    let rarefied = tinyNet(channels: c, hidden: hidden, poolStride: 1, dilation: 2)
    var stitchCost = 0
    for s in data.shifted {
        let costs = try coarse.multiplyAdds(inputShape: [1, c, n - s.dy, n - s.dx])
        stitchCost += costs.map(\.multiplyAdds).reduce(0, +)
        lesson.value("  shift (\(s.dy), \(s.dx)): conv1 + conv2", costs.map { showCount($0.multiplyAdds) }.joined(separator: " + "))
    }
    let rarefiedCosts = try rarefied.multiplyAdds(inputShape: [1, c, n, n])
    let rarefiedCost = rarefiedCosts.map(\.multiplyAdds).reduce(0, +)
    lesson.value("shift-and-stitch, f² = 4 passes", showCount(stitchCost))
    lesson.value("rarefaction, one pass: conv1 + conv2", rarefiedCosts.map { showCount($0.multiplyAdds) }.joined(separator: " + ") + " = " + showCount(rarefiedCost))
    // end cell
    lesson.say("  After the pool both do the same work (4 quarter-size maps = 1 full-size map); before it,")
    lesson.say("  shift-and-stitch recomputes conv1 on four almost identical shifted copies.")

    lesson.section("Generalise: VGG16 (FCN trunk to score_fr) on a 500×500 image")
    // cell: VGG16
    let fcn = try ModelSpec.fcn32s.description()
    let trunk = NetworkDescription(name: "VGG16 to score_fr", layers: Array(fcn.layers.prefix { $0.name != "upscore" }))
    let input = [1, 3, 500, 500]
    let onePass = try trunk.multiplyAdds(inputShape: input).map(\.multiplyAdds).reduce(0, +)
    let upscore = try fcn.multiplyAdds(inputShape: input).first { $0.layer == "upscore" }!.multiplyAdds
    lesson.value("one pass, output stride 32", showCount(onePass))
    lesson.value("FCN-32s's 64×64 upsampling to full size", showCount(upscore))
    lesson.say("  To make the output denser by f (stride 32/f), with the last log₂ f pools undone:")
    lesson.say("     f   stride   shift-and-stitch (f² passes)   rarefied (one pass)   score_fr size")
    var sas: [Int: Int] = [:], rare: [Int: Int] = [:]
    for k in 1...5 {
        let f = 1 << k
        sas[f] = f * f * onePass          // ≈: the shifted inputs are the image minus < f rows/columns
        let net = rarefy(trunk, lastPools: k)
        rare[f] = try net.multiplyAdds(inputShape: input).map(\.multiplyAdds).reduce(0, +)
        let size = try net.inferShapes(input: input).layerOutputs["score_fr"]![2]
        lesson.say("    \(column("\(f)", 3)) \(column("\(32 / f)", 8)) \(column("≈ " + showCount(sas[f]!), 30)) \(column(showCount(rare[f]!), 21)) \(size)²")
    }
    let passes = Double(rare[32]!) / Double(onePass)
    // end cell
    lesson.say("  Rarefaction is cheaper (early layers run once) but both grow ~f²: a stride-1 output costs")
    lesson.say("  \(show(passes, digits: 3)) ordinary passes even rarefied. And, §3.2: rarefied filters \"are prohibited from accessing")
    lesson.say("  information at a finer scale than their original design\". FCN instead upsamples the")
    lesson.say("  stride-32 scores with a fixed bilinear deconvolution (Chapter 4) — \(show(Double(upscore) / Double(onePass) * 100, digits: 2))% of one pass —")
    lesson.say("  and recovers detail with skips from pool4 and pool3 (§4.2).")

    lesson.section("Summary and exercises")
    lesson.say("  Shift-and-stitch with factor f = f² passes, interleaved = one pass with the pool's stride")
    lesson.say("  set to 1 and the next filters dilated by f. Same numbers, different cost; neither is cheap.")
    lesson.exercise("Redo section 1 with a 3×3 pool of stride 3 (f = 3): how many shifts, what dilation?",
                    answer: "f² = 9 shifted inputs, (x, y) ∈ {0, 1, 2}². Rarefied: the pool's stride set to 1 and conv2 dilated by 3, since its taps were one coarse pixel = 3 fine pixels apart. Unpadded, the dense output of a \(n)×\(n) input is \(n) − 2 (conv1) − 2 (3×3 pool, stride 1) − 6 (conv2's 3×3 taps spread to 7×7) = \(n - 10) pixels wide.")
    lesson.exercise("Add padding 1 to conv1: where do stitched and rarefied outputs now differ, and why?",
                    answer: "At the top and left border only. Each shifted input is the image with its first rows/columns cut off, and padding puts zeros around that cut, inside the image, where the rarefied run sees real pixels. Outputs whose receptive field does not reach a cut edge are still equal.")
    let pool5Only = try rarefy(trunk, lastPools: 1).multiplyAdds(inputShape: input)
    let ordinary = try trunk.multiplyAdds(inputShape: input)
    let grown = zip(ordinary, pool5Only).filter { $0.1.multiplyAdds > $0.0.multiplyAdds }
        .map { "\($0.0.layer) ×\(show(Double($0.1.multiplyAdds) / Double($0.0.multiplyAdds), digits: 3))" }
    lesson.exercise("Rarefy only pool5 (f = 2): which layers' cost grows, and by how much? Check the table.",
                    answer: "Only the layers after pool5, which now see a map twice as large each way: \(grown.joined(separator: ", ")) (about 4 = f², a little less because the fc6 window cuts a border). Everything up to pool5 is unchanged, so the whole pass costs \(showCount(rare[2]!)) against \(showCount(onePass)), the table's f = 2 row.")
    return Chapter05Result(maxDifference: data.maxDifference, stitchedShape: data.stitched.shape, shiftCount: data.shifted.count,
                           tinyShiftAndStitch: stitchCost, tinyRarefied: rarefiedCost,
                           vggShiftAndStitch: sas, vggRarefied: rare, vggOnePass: onePass)
}

/// conv1 (3×3, `hidden` outputs) → 2×2 max pool → conv2 (3×3, 1 output, `dilation`), unpadded:
/// the net of `ShiftAndStitchData`, as a description so its cost can be counted.
func tinyNet(channels: Int, hidden: Int, poolStride: Int, dilation: Int) -> NetworkDescription {
    NetworkDescription(name: "tiny", layers: [
        LayerDescription("conv1", .convolution(.init(outputs: hidden, kernel: 3)), bottom: "data"),
        LayerDescription("pool", .maxPooling(.init(kernel: 2, stride: Size2(poolStride), rounding: .floor)), bottom: "conv1"),
        LayerDescription("conv2", .convolution(.init(outputs: 1, kernel: 3, dilation: Size2(dilation))), bottom: "pool"),
    ])
}

/// `net` with its last `lastPools` pools set to stride 1 and every later convolution dilated
/// (and its padding scaled) by 2 per pool undone — filter rarefaction, §3.2.
func rarefy(_ net: NetworkDescription, lastPools: Int) -> NetworkDescription {
    let pools = net.layers.filter { if case .maxPooling = $0.kind { true } else { false } }.map(\.name)
    let undone = Set(pools.suffix(lastPools))
    var result = net, dilation = 1
    for i in result.layers.indices {
        switch result.layers[i].kind {
        case .maxPooling(var p) where undone.contains(result.layers[i].name):
            p.stride = 1
            result.layers[i].kind = .maxPooling(p)
            dilation *= 2
        case .convolution(var p) where dilation > 1:
            p.dilation = Size2(dilation)
            p.padding = Padding(top: p.padding.top * dilation, left: p.padding.left * dilation,
                                bottom: p.padding.bottom * dilation, right: p.padding.right * dilation)
            result.layers[i].kind = .convolution(p)
        default: break
        }
    }
    return result
}

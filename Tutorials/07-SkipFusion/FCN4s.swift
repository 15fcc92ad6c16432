// FCN4s.swift — Chapter 7's exercise one level finer than the paper: an FCN-4s head that fuses
// pool2 (stride 4) the way FCN-8s fuses pool3 (CVPR 2015 §4.2: "we do not continue fusing even
// lower layers" — fusion "met diminishing returns"). Built from FCN-8s's description with the
// engine's layers; its crop offsets come from the coordinate maps. It does not run at every
// size: where the ceil pools round so that the 2× upsampled stride-8 scores come out one cell
// longer than pool2 holds at the derived offset (at 128², the size the course trains on), the
// crop fails; the chapter counts the sides where it runs.
//
// Dimension letters: K classes.
import FCN
import FCNCore

/// `fcn8s` (an FCN-8s description, K classes) up to fuse_pool3, then: upscore_pool3 (2×, fixed
/// bilinear), score_pool2 (1×1 on pool2), its crop onto upscore_pool3, the sum fuse_pool2, and a
/// 4× bilinear upscore4 cropped to the data.
func fcn4s(from fcn8s: NetworkDescription, classes K: Int) -> NetworkDescription {
    var d = fcn8s
    d.layers.removeAll { $0.name == "upscore8" || $0.name == "score" }
    d.layers += [
        LayerDescription("upscore_pool3", .transposedConvolution(.init(outputs: K, kernel: Size2(4), stride: Size2(2))), bottom: "fuse_pool3"),
        LayerDescription("score_pool2", .convolution(.init(outputs: K, kernel: 1)), bottom: "pool2"),
        LayerDescription("score_pool2c", .crop(CropParameters()), bottoms: ["score_pool2", "upscore_pool3"]),
        LayerDescription("fuse_pool2", .sum(coefficients: [1, 1]), bottoms: ["upscore_pool3", "score_pool2c"]),
        LayerDescription("upscore4", .transposedConvolution(.init(outputs: K, kernel: Size2(8), stride: Size2(4))), bottom: "fuse_pool2"),
        LayerDescription("score", .crop(CropParameters()), bottoms: ["upscore4", "data"]),
    ]
    d.name = fcn8s.name.replacingOccurrences(of: "FCN-8s", with: "FCN-4s")
    return d
}

/// Whether FCN-4s built from `fcn8s` runs on a `side`×`side` image: nil if it does, else why not
/// (shape inference's error, which names the crop that does not fit), with pool2's and
/// upscore_pool3's sides.
func fcn4sProblem(from fcn8s: NetworkDescription, classes: Int, side: Int) throws -> (problem: String, pool2: Int, upsampled: Int)? {
    let d = fcn4s(from: fcn8s, classes: classes)
    do {
        _ = try d.inferShapes(input: [1, 3, side, side])
        return nil
    } catch {
        // The shapes up to the failing crop, from the net cut just before it.
        var cut = d
        cut.layers = Array(d.layers.prefix { $0.name != "score_pool2c" })
        let shapes = try cut.inferShapes(input: [1, 3, side, side]).layerOutputs
        return ("\(error)", shapes["pool2"]![2], shapes["upscore_pool3"]![2])
    }
}

// UpsamplingSizes.swift — a table of FCN's upsampling layers, the sizes they produce, and the
// crop that puts the result back on the input's pixels.
//
// Paper §3.3 and §4.2 (CVPR 2015; §4.3 in PAMI 2016): FCN-32s upsamples ×32 in one step, FCN-16s
// by ×2 then ×16, FCN-8s by ×2, ×2, ×8. Each is a transposed convolution with kernel k = 2s (no
// padding) that turns n cells into s·(n−1)+k. The crop that follows does *not* trim (k − s)/2
// from each side: it takes the offset at which the upsampled blob's coordinate map meets the
// input's (Caffe's `coord_map.crop`) and keeps the input's size — for VGG16's FCN-32s on a 500-px
// image, 544 upsampled pixels, offset 19, 500 kept. Every number is computed from the network
// descriptions (`inferShapes`, `coordinateMaps`), not typed in.
import FCN

/// The table of FCN's upsampling layers on VGG16 for a square input `inputSize` pixels wide:
/// for each transposed convolution, its stride and kernel, the cells it reads, the s·(n−1)+k
/// pixels it writes, and the offset and size of the crop that consumes its output.
public func upsamplingSizesTable(inputSize: Int = 500) -> Figure {
    var rows: [[String]] = []
    for head in [ModelSpec.Head.fcn32s, .fcn16s, .fcn8s] {
        guard let net = try? ModelSpec(backbone: .vgg16, head: head).description(),
              let shapes = try? net.inferShapes(input: [1, 3, inputSize, inputSize]) else { continue }
        for layer in net.layers {
            guard case .transposedConvolution(let p) = layer.kind,
                  let n = shapes[layer.bottoms[0]]?[2], let full = shapes[layer.top]?[2] else { continue }
            let crop = net.layers.first { if case .crop = $0.kind { $0.bottoms[0] == layer.top } else { false } }
            let offset = crop.flatMap { shapes.cropOffsets[$0.name]?.height }
            let kept = crop.flatMap { shapes[$0.top]?[2] }
            let target = crop.map { $0.bottoms[1] == "data" ? "input" : $0.bottoms[1] } ?? "—"
            rows.append([head.displayName, layer.name, "\(p.window.stride.height)", "\(p.window.kernel.height)", "\(n)", "\(full)",
                         offset.map { "\($0)" } ?? "—", kept.map { "\($0) (\(target))" } ?? "—"])
        }
    }
    return TableRenderer(
        header: ["net", "layer", "stride s", "kernel k", "cells n", "s·(n−1)+k", "crop offset", "kept"],
        rows: rows, alignments: [.left, .left] + Array(repeating: .right, count: 6),
        title: "FCN's upsampling on VGG16, \(inputSize)×\(inputSize) input: the crop keeps the input's size"
    ).figure()
}

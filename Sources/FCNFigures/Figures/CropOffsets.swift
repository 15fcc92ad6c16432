// CropOffsets.swift — why FCN's crops start at 5, 9, 31 (FCN-8s), 5, 27 (16s) and 19 (32s).
//
// Paper §3.3 and §4.2; Caffe's `coord_map.py`. Each blob's pixel y sits at image coordinate
// x = A·y + B (A: its stride, B: where its pixel 0 is centred), derived layer by layer in
// `FCN/Network/CoordinateMap.swift`. A Crop keeps from[o + y] for to[y]; the two must sit at the
// same image position, A·(o + y) + B_from = A·y + B_to, so o = (B_to − B_from) / A. The figure
// writes both maps of every crop out and draws the two grids of pixel centres on the image
// axis, with the pixels the crop pairs joined. Vertical axis shown; the nets are square.
import FCN

/// One crop layer, the coordinate maps of the two blobs it aligns, and its offset.
public struct CropAlignment: Hashable, Sendable {
    /// The network's name.
    public var network: String
    /// The crop layer's name.
    public var layer: String
    /// The blob cut (first bottom) and the blob whose size it takes (second bottom).
    public var from: String, to: String
    /// The coordinate maps (vertical axis) of the two blobs.
    public var fromMap: AxisMap, toMap: AxisMap
    /// The offset the network uses (given or derived by `coordinateMaps()`).
    public var offset: Int

    /// (B_to − B_from) / A, recomputed from the two maps drawn.
    public var offsetFromMaps: Rational { (toMap.shift - fromMap.shift) / toMap.scale }

    /// Every crop of `description`, with the vertical maps of its two bottoms.
    public static func all(in description: NetworkDescription) throws -> [CropAlignment] {
        let maps = try description.coordinateMaps()
        var blobMap: [String: AxisMap] = [:]
        for input in description.inputs { blobMap[input] = .identity }
        var result: [CropAlignment] = []
        for layer in description.layers {
            if case .crop = layer.kind, let f = blobMap[layer.bottoms[0]], let t = blobMap[layer.bottoms[1]],
               let offset = maps.cropOffsets[layer.name] {
                result.append(CropAlignment(network: description.name, layer: layer.name, from: layer.bottoms[0],
                                            to: layer.bottoms[1], fromMap: f, toMap: t, offset: offset.height))
            }
            if let m = maps.layerMaps[layer.name] ?? nil { blobMap[layer.top] = m.vertical } else { blobMap[layer.top] = nil }
        }
        return result
    }
}

/// "16·y − 41" for x = 16·y − 41 (fractions kept exact).
func affineText(_ m: AxisMap, variable: String = "y") -> String {
    // Rational prints an ASCII hyphen; figures use a real minus sign.
    let a = m.scale == 1 ? variable : "\(m.scale)·\(variable)"
    if m.shift == 0 { return a }
    let negative = m.shift < 0
    let magnitude = negative ? Rational(0) - m.shift : m.shift
    return "\(a) \(negative ? "−" : "+") \(magnitude)".replacingOccurrences(of: "-", with: "−")
}

/// The crop-offset figure: one row per crop, maps written out, grids drawn on the image axis.
///
/// - Parameter crops: the crops to explain, in order (e.g. FCN-32s, FCN-16s, FCN-8s).
public func cropOffsetsFigure(_ crops: [CropAlignment]) -> Figure {
    let margin = 20.0, rowHeight = 118.0, lineWidth = 520.0, textWidth = 330.0
    let width = 2 * margin + textWidth + lineWidth + 20
    let height = margin + 64 + Double(crops.count) * rowHeight + 20
    let fromColor = RGB.series[0], toColor = RGB.series[1]
    return Figure(width: width, height: height) { canvas in
        canvas.text("Crop offsets from coordinate maps (§3.3, §4.2)", at: Point(margin, margin + 12), font: .bold(14))
        canvas.text("Blob pixel y sits at image coordinate x = A·y + B. A crop keeps from[o + y] for to[y], so A·(o + y) + B_from = A·y + B_to, i.e. o = (B_to − B_from) / A.",
                    at: Point(margin, margin + 30), font: .regular(10), color: .grey)
        canvas.text("Maps from the layer geometry (conv/pool: A ← A·s, B ← B + A·((k−1)/2 − pad); deconv: A ← A/s, B ← B + A·(pad − (k−1)/2)/s). Vertical axis; the nets are square.",
                    at: Point(margin, margin + 44), font: .regular(10), color: .grey)
        var previousNetwork = ""
        for (row, c) in crops.enumerated() {
            let top = margin + 64 + Double(row) * rowHeight
            if c.network != previousNetwork {
                canvas.line(from: Point(margin, top - 4), to: Point(width - margin, top - 4), color: .lightGrey, lineWidth: 0.8)
                previousNetwork = c.network
            }
            canvas.text("\(c.network) · \(c.layer)", at: Point(margin, top + 14), font: .bold(12))
            canvas.text("crop \(c.from) to the size of \(c.to)", at: Point(margin, top + 30), font: .regular(10), color: .grey)
            canvas.text("\(c.from):", at: Point(margin, top + 50), font: .regular(10), color: fromColor)
            canvas.text("x = \(affineText(c.fromMap))", at: Point(margin + 110, top + 50), font: .mono(10), color: fromColor)
            canvas.text("\(c.to):", at: Point(margin, top + 66), font: .regular(10), color: toColor)
            canvas.text("x = \(affineText(c.toMap))", at: Point(margin + 110, top + 66), font: .mono(10), color: toColor)
            let delta = c.toMap.shift - c.fromMap.shift
            canvas.text("o = (\(c.toMap.shift) − (\(c.fromMap.shift))) / \(c.toMap.scale) = \(delta) / \(c.toMap.scale) = \(c.offsetFromMaps)"
                            .replacingOccurrences(of: "-", with: "−"),
                        at: Point(margin, top + 86), font: .mono(10))
            canvas.text("offset used by the net: \(c.offset)", at: Point(margin, top + 102), font: .bold(10),
                        color: c.offsetFromMaps == Rational(c.offset) ? RGB(0.15, 0.5, 0.2) : RGB.series[2])

            // The image axis: from[0 … o+2] above, to[0 … 2] below, joined where the crop pairs them.
            let shown = 3
            let xs = (0..<(c.offset + shown)).map { (c.fromMap.scale * Rational($0) + c.fromMap.shift).doubleValue }
            let ts = (0..<shown).map { (c.toMap.scale * Rational($0) + c.toMap.shift).doubleValue }
            let lo = min(xs.min()!, ts.min()!, 0), hi = max(xs.max()!, ts.max()!, 0)
            let left = margin + textWidth + 10
            func px(_ v: Double) -> Double { left + (v - lo) / max(hi - lo, 1) * (lineWidth - 110) }
            let axisY = top + 58, fromY = axisY - 22, toY = axisY + 22
            canvas.line(from: Point(left - 6, axisY), to: Point(left + lineWidth - 6, axisY), color: .grey, lineWidth: 0.8)
            canvas.line(from: Point(px(0), axisY - 5), to: Point(px(0), axisY + 5), lineWidth: 1.2)
            canvas.text("0", at: Point(px(0) + 3, axisY - 3), font: .regular(8), color: .grey, baseline: .bottom)
            canvas.text("image x", at: Point(left - 10, axisY), font: .regular(8), color: .grey, align: .right, baseline: .middle)
            for (y, v) in xs.enumerated() {
                let kept = y >= c.offset
                canvas.fillCircle(center: Point(px(v), fromY), radius: kept ? 4 : 2.5, kept ? fromColor : fromColor.mixed(with: .white, 0.55))
                if y == 0 || y == c.offset || (y == xs.count - 1) {
                    canvas.text("\(y)", at: Point(px(v), fromY - 7), font: .regular(8), color: fromColor, align: .center, baseline: .bottom)
                }
            }
            for (y, v) in ts.enumerated() {
                canvas.fillCircle(center: Point(px(v), toY), radius: 4, toColor)
                canvas.text("\(y)", at: Point(px(v), toY + 7), font: .regular(8), color: toColor, align: .center, baseline: .top)
                canvas.line(from: Point(px(xs[c.offset + y]), fromY + 4), to: Point(px(v), toY - 4), color: .ink, lineWidth: 0.7, dash: [2, 2])
            }
            let startX = px(xs[0]), keptX = px(xs[c.offset])
            if keptX - startX > 30 {
                canvas.dimension(from: Point(startX, fromY - 18), to: Point(keptX, fromY - 18),
                                 label: "\(c.offset) pixels dropped", font: .regular(9), color: fromColor)
            }
            canvas.text(c.from, at: Point(left + lineWidth - 90, fromY), font: .regular(9), color: fromColor, align: .left, baseline: .middle)
            canvas.text(c.to, at: Point(left + lineWidth - 90, toY), font: .regular(9), color: toColor, align: .left, baseline: .middle)
        }
    }
}

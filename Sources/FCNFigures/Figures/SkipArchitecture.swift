// SkipArchitecture.swift — paper Fig. 3: the skip DAG of FCN-32s, -16s and -8s, drawn by
// walking the FCN-8s network description.
//
// Paper §4.2, Fig. 3 ("Our DAG nets learn to combine coarse, high layer information with fine,
// low layer information"). Pooling halves the resolution five times (strides 2 … 32). FCN-32s
// upsamples the stride-32 scores in one step; FCN-16s first adds scores from pool4 (stride 16)
// to 2×-upsampled stride-32 scores; FCN-8s adds pool3's (stride 8) as well. Nothing here is
// typed in: trunk pools, score layers, upsamplings, crops and sums, their strides (from the
// coordinate maps), shapes and crop offsets are read off the description; which node each
// variant upsamples, and by how much, is read off that variant's own description.
import FCN

/// A node of the drawn DAG: a layer's top.
public struct SkipNode: Hashable, Sendable {
    /// The blob's name.
    public var name: String
    /// "1×1 conv", "×2 up (k 4)", "crop +5", "sum", "max pool" …
    public var detail: String
    /// The blob's stride in input pixels.
    public var stride: Rational
    /// `[C, H, W]`.
    public var shape: [Int]
    /// Node names this one reads (trunk or head); a crop's size reference is not among them.
    public var inputs: [String]
    /// Whether it reads a skip tap (a trunk blob other than the last) — drawn in the left lane.
    public var isSkipBranch: Bool
}

/// The FCN DAG and the prediction each variant takes from it.
public struct SkipArchitecture: Sendable {
    /// The network's name.
    public var network: String
    /// Input, the pools, and the last trunk blob (fc7), in order.
    public var trunk: [SkipNode]
    /// Layers from the first score layer on, in order.
    public var head: [SkipNode]
    /// Per variant: its name, the head node it upsamples and the factor.
    public var predictions: [(variant: String, node: String, factor: Int)]

    /// Walks `description` (an FCN) for input `inputShape`; `variants` give the predictions.
    public static func from(_ description: NetworkDescription, inputShape: [Int],
                            variants: [NetworkDescription]) throws -> SkipArchitecture {
        let shapes = try description.inferShapes(input: inputShape)
        let maps = try description.coordinateMaps()
        let classes = shapes.layerOutputs[description.layers.last!.name]![1]
        // The head starts at the first convolution producing K channels (score_fr).
        let headStart = description.layers.firstIndex { l in
            if case .convolution(let p) = l.kind { return p.outputs == classes } else { return false }
        } ?? description.layers.count
        var producer: [String: String] = [:]           // blob → drawn node that holds it
        for input in description.inputs { producer[input] = input }
        var trunk = [SkipNode(name: "data", detail: "input", stride: 1, shape: Array(inputShape.dropFirst()), inputs: [], isSkipBranch: false)]
        var head: [SkipNode] = []
        func stride(_ layer: LayerDescription) -> Rational { (maps.layerMaps[layer.name] ?? nil)?.vertical.scale ?? 0 }
        for (i, layer) in description.layers.enumerated() {
            let shape = Array((shapes.layerOutputs[layer.name] ?? []).dropFirst())
            if i < headStart {
                // Trunk: draw the pools and the last trunk blob; other layers fold into the next drawn node.
                if case .maxPooling = layer.kind {
                    trunk.append(SkipNode(name: layer.name, detail: "", stride: stride(layer), shape: shape,
                                          inputs: [trunk.last!.name], isSkipBranch: false))
                } else if i == headStart - 1 && trunk.last!.name != layer.top {
                    trunk.append(SkipNode(name: layer.top, detail: "", stride: stride(layer), shape: shape,
                                          inputs: [trunk.last!.name], isSkipBranch: false))
                }
                producer[layer.top] = trunk.last!.name
                continue
            }
            let detail = layer.summary(in: shapes)           // "3×3 conv → 64", "×2 up (k 4)", "crop +5", "sum"
            let reads = layer.pathBottoms                    // a crop's reference only lends its size
            let inputs = reads.compactMap { producer[$0] }
            let branch = inputs.contains { n in
                (trunk.contains { $0.name == n } && n != trunk.last!.name) || head.contains { $0.name == n && $0.isSkipBranch }
            } && { if case .sum = layer.kind { return layer.bottoms.count == 1 } else { return true } }()
            head.append(SkipNode(name: layer.name, detail: detail, stride: stride(layer), shape: shape, inputs: inputs, isSkipBranch: branch))
            producer[layer.top] = layer.name
        }
        // Each variant's last transposed convolution: what it upsamples, and by how much.
        let predictions = variants.compactMap { v -> (String, String, Int)? in
            guard let up = v.layers.last(where: { if case .transposedConvolution = $0.kind { true } else { false } }),
                  case .transposedConvolution(let p) = up.kind else { return nil }
            return (v.name, up.bottoms[0], p.stride.height)
        }
        return SkipArchitecture(network: description.name, trunk: trunk, head: head,
                                predictions: predictions.map { (variant: $0.0, node: $0.1, factor: $0.2) })
    }
}

/// Paper Fig. 3 from a walked description.
public func skipArchitectureFigure(_ a: SkipArchitecture) -> Figure {
    let margin = 20.0, columnWidth = 150.0, boxW = 134.0, boxH = 34.0, rowH = 44.0, lane = 38.0
    let trunkY = margin + 60, headTop = trunkY + boxH + 50
    // Columns: the trunk nodes, then one for stride-1 (input-sized) head nodes, then predictions.
    var column: [Rational: Int] = [:]
    for (i, n) in a.trunk.enumerated() { column[n.stride] = i }     // later trunk nodes win a shared stride (fc7 over pool5)
    let outputColumn = a.trunk.count
    @Sendable func x(ofColumn c: Int) -> Double { margin + 60 + Double(c) * columnWidth }
    var centers: [String: Point] = [:]
    for (i, n) in a.trunk.enumerated() { centers[n.name] = Point(x(ofColumn: i), trunkY + boxH / 2) }
    for (row, n) in a.head.enumerated() {
        let c = n.stride == 1 ? outputColumn : column[n.stride] ?? outputColumn
        centers[n.name] = Point(x(ofColumn: c) + (n.isSkipBranch ? -lane : lane), headTop + Double(row) * rowH + boxH / 2)
    }
    let predictionX = x(ofColumn: outputColumn + 1) + 10
    let stridesColumns = column, nodeCenters = centers
    let width = predictionX + 190, height = headTop + Double(a.head.count) * rowH + 40
    let trunkFill = RGB.series[0].mixed(with: .white, 0.75), headFill = RGB.series[1].mixed(with: .white, 0.75)
    let branchFill = RGB.series[4].mixed(with: .white, 0.7)

    return Figure(width: width, height: height) { canvas in
        canvas.text("Skip architecture of \(a.network), walked from its description (Fig. 3)", at: Point(margin, margin + 12), font: .bold(14))
        canvas.text("Columns are strides: head layers sit under the pool whose stride they have. Green: skip branches from pool4 / pool3. Shapes C×H×W for the input shown.",
                    at: Point(margin, margin + 30), font: .regular(10), color: .grey)
        // Stride bands behind the head, in column order (a dictionary's order changes from one
        // process to the next, and with it the order Cairo numbers glyphs in the SVG and PDF).
        for (stride, c) in stridesColumns.sorted(by: { $0.value < $1.value }) where stride > 4 {
            let r = Rect(x: x(ofColumn: c) - columnWidth / 2 + 4, y: headTop - 14, width: columnWidth - 8, height: height - headTop - 10)
            canvas.fill(r, RGB(0.97, 0.97, 0.98))
            if c > 0 { canvas.text("stride \(stride)", at: Point(r.center.x, r.maxY - 4), font: .bold(10), color: .grey, align: .center, baseline: .bottom) }
        }
        let out = Rect(x: x(ofColumn: outputColumn) - columnWidth / 2 + 4, y: headTop - 14, width: columnWidth - 8, height: height - headTop - 10)
        canvas.fill(out, RGB(0.97, 0.97, 0.98))
        canvas.text("stride 1 (input size)", at: Point(out.center.x, out.maxY - 4), font: .bold(10), color: .grey, align: .center, baseline: .bottom)

        func box(_ n: SkipNode, fill: RGB) {
            let c = nodeCenters[n.name]!
            let r = Rect(x: c.x - boxW / 2, y: c.y - boxH / 2, width: boxW, height: boxH)
            canvas.roundedBox(r, radius: 5, fill: fill, lineWidth: 0.8)
            canvas.text(n.name, at: Point(c.x, c.y - 3), font: .bold(9.5), align: .center, baseline: .bottom)
            let dims = n.shape.map(String.init).joined(separator: "×")
            canvas.text(n.detail.isEmpty ? dims : "\(n.detail) · \(dims)", at: Point(c.x, c.y + 3), font: .regular(8),
                        color: .ink, align: .center, baseline: .top)
        }
        func edge(_ from: String, _ to: String, color: RGB = .ink) {
            guard let a = nodeCenters[from], let b = nodeCenters[to] else { return }
            if abs(a.y - b.y) < 1 {   // same row (trunk): left to right
                canvas.arrow(from: Point(a.x + boxW / 2, a.y), to: Point(b.x - boxW / 2, b.y), color: color, lineWidth: 1)
            } else if a.y == trunkY + boxH / 2 && abs(a.x - b.x) < columnWidth / 2 {
                // Trunk to the head below it: straight down the target's lane, clear of the other lane.
                canvas.arrow(from: Point(b.x, a.y + boxH / 2), to: Point(b.x, b.y - boxH / 2), color: color, lineWidth: 1)
            } else {
                canvas.arrow(from: Point(a.x, a.y + boxH / 2), to: Point(b.x, b.y - boxH / 2), color: color, lineWidth: 1)
            }
        }
        for n in a.trunk { for i in n.inputs { edge(i, n.name) } }
        for n in a.head { for i in n.inputs { edge(i, n.name, color: n.isSkipBranch ? RGB(0.2, 0.5, 0.2) : .ink) } }
        for n in a.trunk {
            box(n, fill: trunkFill)
            if n.stride != 1 {
                canvas.text("stride \(n.stride)", at: Point(nodeCenters[n.name]!.x, trunkY - 6), font: .bold(10),
                            color: RGB.series[0], align: .center, baseline: .bottom)
            }
        }
        for n in a.head { box(n, fill: n.isSkipBranch ? branchFill : headFill) }

        // Predictions: a dashed arrow from the node each variant upsamples.
        canvas.text("prediction", at: Point(predictionX, headTop - 20), font: .bold(11))
        for (i, p) in a.predictions.enumerated() {
            guard let c = nodeCenters[p.node] else { continue }
            let target = Point(predictionX, c.y)
            canvas.arrow(from: Point(c.x + boxW / 2, c.y), to: target, color: RGB.series[2 + i % 3], lineWidth: 1.4, dash: [5, 3])
            canvas.text("\(p.variant)", at: Point(target.x + 6, c.y - 2), font: .bold(11), color: RGB.series[2 + i % 3], baseline: .bottom)
            canvas.text("\(p.factor)× upsampled, stride \(p.factor)", at: Point(target.x + 6, c.y + 2), font: .regular(9), baseline: .top)
        }
    }
}

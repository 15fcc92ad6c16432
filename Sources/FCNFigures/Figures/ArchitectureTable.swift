// ArchitectureTable.swift — the paper's Table 1, computed: receptive field, output stride,
// parameters and depth of the classifiers cast into FCNs.
//
// Paper §4.1, Table 1. Every number comes from `ArchitectureAnalysis` (FCN/Network/), which
// derives it from the network description; the paper's values are printed beside them in grey
// brackets so that a reader sees they agree (57M and 134M are the paper's rounding).
import FCN

/// One row of Table 1: a net's computed summary and, optionally, the paper's numbers.
public struct ArchitectureRow: Sendable {
    /// The net's name ("FCN-VGG16").
    public var name: String
    /// Receptive field of the coarsest blob, in pixels.
    public var receptiveField: Rational
    /// The coarsest stride, in pixels.
    public var outputStride: Rational
    /// Learnable parameters.
    public var parameters: Int
    /// Learnable convolution layers on the longest path (fully connected layers counted as convolutions).
    public var convolutionLayers: Int
    /// The paper's (receptive field, stride, parameters in millions, conv. layers), if listed.
    public var paper: (Int, Int, Int, Int)?

    /// A row from a computed analysis, with the paper's numbers when given.
    public init(name: String, analysis a: ArchitectureAnalysis, paper: (Int, Int, Int, Int)? = nil) {
        self.name = name; receptiveField = a.receptiveField; outputStride = a.outputStride
        parameters = a.learnableParameters; convolutionLayers = a.convolutionLayers; self.paper = paper
    }
}

/// Table 1 as a figure: one row per net, computed values, the paper's in brackets.
public func architectureTable(_ rows: [ArchitectureRow], inputDescription: String) -> Figure {
    func millions(_ n: Int) -> String { formatNumber(Double(n) / 1e6, significant: 4) + "M" }
    let cells: [[String]] = rows.map { r in
        let p = r.paper
        return [r.name,
                "\(r.receptiveField)" + (p.map { "  (\($0.0))" } ?? ""),
                "\(r.outputStride)" + (p.map { "  (\($0.1))" } ?? ""),
                millions(r.parameters) + (p.map { "  (\($0.2)M)" } ?? ""),
                "\(r.convolutionLayers)" + (p.map { "  (\($0.3))" } ?? "")]
    }
    let table = TableRenderer(header: ["net", "receptive field (px)", "output stride", "learnable parameters", "conv. layers"],
                              rows: cells, title: "Table 1, computed from the network descriptions (paper's values in brackets)",
                              font: .regular(11))
    let note = "Computed by ArchitectureAnalysis on \(inputDescription). Receptive field and stride of the coarsest blob (fc7/score_fr); parameters exclude the fixed bilinear upsampling."
    let size = TextMeasurer.measure { (table.size(on: $0), $0.measure(note, font: .regular(9))) }
    let width = max(size.0.width, size.1) + 24
    return Figure(width: width, height: size.0.height + 44) { canvas in
        table.draw(on: canvas, at: Point(12, 12))
        canvas.text(note, at: Point(12, size.0.height + 30), font: .regular(9), color: .grey)
    }
}

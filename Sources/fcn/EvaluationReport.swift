// EvaluationReport.swift — what `fcn evaluate` reports beyond the paper's four numbers: the
// per-class table (which classes the mean hides), the same as JSON for scripts, and per-image
// pictures of prediction beside ground truth (paper §5 "Metrics", §5 Table 3's per-class IU).
//
// Everything is read off one `ConfusionMatrix`; nothing here computes a metric of its own.
import FCN
import Foundation

/// The per-class values and the four metrics of one evaluation, named for a report.
struct EvaluationReport: Encodable {
    /// One class's row of the report; `nil` (JSON `null`) where the value is 0/0.
    struct ClassRow: Encodable {
        var index: Int
        var name: String
        var iu: Double?
        var accuracy: Double?
        /// t_i, the ground-truth pixels of the class.
        var pixels: Int
    }

    var model: String
    var images: String
    var pixelAccuracy: Double?
    var meanAccuracy: Double?
    var meanIU: Double?
    var frequencyWeightedIU: Double?
    var classes: [ClassRow]

    init(_ matrix: ConfusionMatrix, classNames: [String], model: String, images: String) {
        let scores = matrix.scores
        func finite(_ x: Double) -> Double? { x.isFinite ? x : nil }
        self.model = model
        self.images = images
        pixelAccuracy = finite(scores.pixelAccuracy)
        meanAccuracy = finite(scores.meanAccuracy)
        meanIU = finite(scores.meanIU)
        frequencyWeightedIU = finite(scores.frequencyWeightedIU)
        let iu = matrix.intersectionOverUnion, accuracy = matrix.classAccuracy, totals = matrix.truthTotals
        classes = (0..<matrix.classCount).map { i in
            ClassRow(index: i, name: Self.name(i, classNames), iu: iu[i], accuracy: accuracy[i], pixels: totals[i])
        }
    }

    /// The name of class `i`, or "class i" when the model names fewer classes.
    static func name(_ i: Int, _ names: [String]) -> String { i < names.count ? names[i] : "class \(i)" }

    /// The table printed after the four metrics: one line per class, in percent.
    var table: String {
        func pct(_ x: Double?) -> String { x.map { String(format: "%8.1f", 100 * $0) } ?? "     n/a" }
        let width = max(5, classes.map(\.name.count).max() ?? 0)
        func pad(_ s: String) -> String { s.padding(toLength: width, withPad: " ", startingAt: 0) }
        var lines = ["  #  \(pad("class"))    IU (%)  acc. (%)     pixels"]
        for row in classes {
            lines.append(String(format: "%3d  ", row.index) + pad(row.name) + "  " + pct(row.iu) + "  " + pct(row.accuracy)
                         + String(format: "  %9d", row.pixels))
        }
        return lines.joined(separator: "\n")
    }

    /// The report as pretty JSON, keys sorted (stable for diffs).
    func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self) + Data("\n".utf8)
    }
}

extension RGBImage {
    /// Images side by side, top-aligned, `gap` white pixels apart (the rest of a shorter one white).
    static func sideBySide(_ images: [RGBImage], gap: Int = 4) -> RGBImage {
        let height = images.map(\.height).max() ?? 0
        let width = images.map(\.width).reduce(0, +) + gap * max(0, images.count - 1)
        var pixels = [UInt8](repeating: 255, count: 3 * width * height)
        var x0 = 0
        for image in images {
            for y in 0..<image.height {
                let from = 3 * y * image.width, to = 3 * (y * width + x0)
                pixels.replaceSubrange(to..<(to + 3 * image.width), with: image.pixels[from..<(from + 3 * image.width)])
            }
            x0 += image.width + gap
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }
}

/// `--show-dir`: for each evaluated image, `<name>.png` = the photo | its ground truth | the
/// prediction, the labels in the model's palette (void in VOC's cream colour), so that a bad
/// class in the table can be looked at.
struct ShowFolder {
    var folder: URL
    var palette: [LabelColor]

    /// A folder painted in `palette` (a model's K colours), VOC's colours beyond them, so that
    /// every byte, void included, has a colour.
    init(folder: URL, palette: [LabelColor]) {
        self.folder = folder
        self.palette = (0..<256).map { $0 < palette.count ? palette[$0] : LabelPalette.pascalVOCColors[$0] }
    }

    /// Writes the panel of one image, atomically.
    func write(name: String, scene: LabeledScene, prediction: LabelMap) throws {
        let truth = LabelMap(width: scene.width, height: scene.height, labels: scene.labels)
        let panel = RGBImage.sideBySide([scene.image, truth.colored(palette: palette), prediction.colored(palette: palette)])
        try panel.write(to: folder.appending(path: "\(name).png"))
    }
}

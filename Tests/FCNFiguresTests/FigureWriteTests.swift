// FigureWriteTests.swift — every figure renders to PNG, PDF and SVG; files are right and stable.
import CCairo
import FCN
import Foundation
import Testing
@testable import FCNFigures

/// A loss-like curve: a decaying exponential above a floor, one point per 50 iterations.
func decayingCurve(rate: Double, floor: Double) -> [(x: Double, y: Double)] {
    (0...20).map { i -> (x: Double, y: Double) in
        let t = Double(i)
        return (x: 50 * t, y: 3 * exp(-t / rate) + floor)
    }
}

/// Six 5×7 channels with different stripes: channel c is c·sin(h + 2w).
func stripedActivation() -> Tensor {
    Tensor(shape: [1, 6, 5, 7]) { (i: [Int]) -> Float in
        let phase = Float(i[2] + 2 * i[3])
        return Float(i[1]) * sin(phase)
    }
}

/// Layer boxes joined by arrows, and a label map blended over a synthetic photo with its legend.
func diagramAndOverlay() -> Figure {
    // A 24×16 "photo" (a horizontal ramp) and labels: person (15) in a disc, void (255) on its rim.
    let w = 24, h = 16
    var photo = RGBImage(width: w, height: h, fill: .white)
    var labels = [Int](repeating: 0, count: w * h)
    for y in 0..<h { for x in 0..<w {
        photo[y, x] = RGB(0.3 + 0.5 * Double(x) / Double(w), 0.5, 0.6)
        let d = ((Double(x) - 12) * (Double(x) - 12) + (Double(y) - 8) * (Double(y) - 8)).squareRoot()
        labels[y * w + x] = d < 5 ? 15 : d < 6 ? LabelPalette.voidLabel : 0
    } }
    let blended = photo.overlaid(with: LabelMap(width: w, height: h, labels: labels.map(UInt8.init)), alpha: 0.6)
    return Figure(width: 480, height: 260) { canvas in
        canvas.layerBox(Rect(x: 20, y: 20, width: 120, height: 44), name: "conv1_1", shape: [64, 698, 698])
        canvas.layerBox(Rect(x: 180, y: 20, width: 120, height: 44), name: "pool1", shape: [64, 349, 349])
        canvas.arrow(from: Point(140, 42), to: Point(180, 42))
        canvas.roundedBox(Rect(x: 330, y: 20, width: 120, height: 44), fill: RGB(1, 0.95, 0.9), dash: [4, 2])
        canvas.text("rounded, dashed", at: Point(390, 42), align: .center, baseline: .middle)
        canvas.image(blended, in: Rect(x: 20, y: 90, width: 240, height: 160))
        canvas.labelLegend(labels: [0, 15, LabelPalette.voidLabel], names: LabelPalette.pascalVOCClassNames,
                           at: Point(280, 100))
    }
}

/// Fig. 4's layout with two 24×16 rows: the "predictions" are the ground truth eroded and shifted.
func segmentationResultsStandIn() -> Figure {
    let w = 24, h = 16
    let rows = (0..<2).map { r -> SegmentationRow in
        var photo = RGBImage(width: w, height: h, fill: .white)
        for y in 0..<h { for x in 0..<w { photo[y, x] = RGB(0.3 + 0.02 * Double(x), 0.5, 0.4 + 0.03 * Double(y)) } }
        func disc(_ radius: Double, _ shift: Int) -> LabelMap {
            LabelMap(width: w, height: h, labels: (0..<(w * h)).map { i in
                let dx = Double(i % w - 12 - shift), dy = Double(i / w - 8)
                return (dx * dx + dy * dy).squareRoot() < radius ? UInt8(15 - 3 * r) : 0
            })
        }
        return SegmentationRow(image: photo, panels: [("FCN-32s", disc(4, 2)), ("FCN-8s", disc(5, 1)), ("ground truth", disc(5.5, 0))])
    }
    return segmentationResultsFigure(title: "Refinement by skips (stand-in data)", rows: rows,
                                     classNames: LabelPalette.pascalVOCClassNames, panelSize: 90)
}

/// The catalogued figures plus engine figures built from synthetic numbers (charts, grids).
let engineFigures: [String: @Sendable () throws -> Figure] = [
    "line-chart": {
        LineChart(title: "Loss", xLabel: "iteration", yLabel: "loss", series: [
            Series(name: "FCN-32s", points: decayingCurve(rate: 6, floor: 0.4), color: RGB.series[0]),
            Series(name: "FCN-8s", points: decayingCurve(rate: 4, floor: 0.3), color: RGB.series[1]),
        ]).figure()
    },
    "bar-chart": {
        BarChart(title: "Mean IU", yLabel: "mean IU (%)", groups: ["32s", "16s", "8s"], seriesNames: ["a", "b"],
                 values: [[59.4, 60.1], [62.4, 63.0], [62.7, 63.6]]).figure()
    },
    "diagram-and-overlay": { diagramAndOverlay() },
    // Ready-to-wire paper figures, drawn from synthetic stand-ins for a trained net's outputs.
    "segmentation-results": { segmentationResultsStandIn() },
    "net-surgery-stand-in": {
        let heat = TensorImage(values: (0..<100).map { Float(($0 % 10) * ($0 / 10)) }, height: 10, width: 10)
        let b = [LayerBlock(name: "pool5", shape: [512, 16, 16]), LayerBlock(name: "fc8", shape: [1000, 10, 10])]
        var photo = RGBImage(width: 500, height: 500, fill: .white)
        for y in 0..<500 { for x in 0..<500 where (x / 50 + y / 50) % 2 == 0 { photo[y, x] = RGB(0.2, 0.4, 0.6) } }
        return netSurgeryFigure(classifier: SurgeryRow(title: "a", inputSize: 224, blocks: [LayerBlock(name: "fc8", shape: [1000])], weights: []),
                                convolutional: SurgeryRow(title: "b", inputSize: 500, blocks: b, weights: [("fc6", "[4096, 512, 7, 7]")]),
                                subtitle: "stand-in",
                                heatmap: SurgeryHeatmap(image: photo, scores: heat, className: "class 0", valueName: "score",
                                                        field: LayerField(layer: "fc8", size: 212, jump: 32, start: 106)))
    },
    "feature-map-grid": { FeatureMapGrid(stripedActivation(), layer: "conv_test", columns: 3).figure(tileSize: 40) },
]

let allFigures = FigureCatalog.all.merging(engineFigures) { a, _ in a }

/// The figures that need no trained model (those that do: `TrainedFiguresTests`).
let modelFreeFigures = allFigures.keys.filter { FigureCatalog.trainedModelFigures[$0] == nil }.sorted()

/// Writes `figure` as PNG, PDF and SVG and checks the files: PNG of the stated size and not
/// blank, a one-page PDF, SVG that parses, and nothing else left in the folder.
func checkWritesAllThreeFormats(_ name: String, _ figure: Figure) throws {
    // FCNFIGURES_TEST_OUTPUT=/some/folder keeps the files there for a look.
    let keep = ProcessInfo.processInfo.environment["FCNFIGURES_TEST_OUTPUT"]
        .map { URL(fileURLWithPath: $0).appendingPathComponent(name, isDirectory: true) }
    if let keep { try FileManager.default.createDirectory(at: keep, withIntermediateDirectories: true) }
    let folder = try keep ?? makeTemporaryFolder(name)
    defer { if keep == nil { try? FileManager.default.removeItem(at: folder) } }
    for format in FigureFormat.allCases {
        try figure.write(to: folder.appendingPathComponent("\(name).\(format.rawValue)"), scale: 2)
    }
    let png = folder.appendingPathComponent("\(name).png")
    let size = try #require(pngSize(try Data(contentsOf: png)))
    #expect(size.width == Int((figure.width * 2).rounded(.up)) && size.height == Int((figure.height * 2).rounded(.up)))
    let variance = try #require(pngPixelVariance(png))
    #expect(variance > 100, "\(name).png looks blank: pixel variance \(variance)")
    #expect(pdfPageCount(try Data(contentsOf: folder.appendingPathComponent("\(name).pdf"))) == 1)
    #expect(parsesAsXML(try Data(contentsOf: folder.appendingPathComponent("\(name).svg"))))
    // Nothing but the three figures: no temporary files left behind.
    let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    #expect(left == ["\(name).pdf", "\(name).png", "\(name).svg"])
}

@Suite struct FigureWriteTests {
    @Test(arguments: modelFreeFigures)
    func rendersToAllThreeFormats(name: String) throws {
        try checkWritesAllThreeFormats(name, try allFigures[name]!())
    }

    @Test(arguments: FigureFormat.allCases)
    func reRenderingGivesIdenticalBytes(format: FigureFormat) throws {
        let folder = try makeTemporaryFolder("\(format)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let a = folder.appendingPathComponent("a.\(format.rawValue)"), b = folder.appendingPathComponent("b.\(format.rawValue)")
        // Both figures twice, interleaved: Cairo's process-wide counters advance in between.
        for figure: () -> Figure in [{ convolutionArithmetic() }, { colormapSwatches() }] {
            try figure().write(to: a)
            try colormapSwatches().write(to: folder.appendingPathComponent("other.\(format.rawValue)"))
            try figure().write(to: b)
            #expect(try Data(contentsOf: a) == Data(contentsOf: b))
        }
    }

    @Test func svgGlobalIdentifiersAreRenumberedPerDocument() {
        let svg = ##"<g id="surface328"><use xlink:href="#image165"/><image id="image165"/><image id="image9"/><use xlink:href="#glyph0-1"/></g>"##
        #expect(renumberingProcessGlobalIdentifiers(svg)
            == ##"<g id="surface1"><use xlink:href="#image1"/><image id="image1"/><image id="image2"/><use xlink:href="#glyph0-1"/></g>"##)
    }

    @Test func svgImagesAreMarkedPixelated() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("grid.svg")
        try FeatureMapGrid(stripedActivation(), layer: "x").figure().write(to: url)
        let svg = try String(contentsOf: url, encoding: .utf8)
        let images = svg.components(separatedBy: "<image ").count - 1
        #expect(images == 7)   // six tiles and the colour bar
        #expect(svg.components(separatedBy: "image-rendering:pixelated").count - 1 == images)
    }

    @Test func pdfCarriesTheFixedDate() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("f.pdf")
        try colormapSwatches().write(to: url)
        let text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
        #expect(text.contains("/CreationDate (20150607000000Z)"))
        #expect(text.contains("/ModDate (20150607000000Z)"))
    }

    @Test func pngScaleSetsPixelSize() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let figure = Figure(width: 100.5, height: 40) { $0.fill(Rect(x: 0, y: 0, width: 50, height: 40), .black) }
        let url = folder.appendingPathComponent("s.png")
        try figure.write(to: url, scale: 3)
        let size = try #require(pngSize(try Data(contentsOf: url)))
        #expect(size.width == 302 && size.height == 120)
    }

    @Test func unknownExtensionIsATypedErrorAndWritesNothing() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("figure.jpg")
        #expect(throws: FigureError.unknownFormat(path: url.path, extension: "jpg")) {
            try colormapSwatches().write(to: url)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test(arguments: FigureFormat.allCases)
    func missingFolderIsATypedErrorAndWritesNothing(format: FigureFormat) throws {
        let folder = try makeTemporaryFolder("\(format)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("absent/figure.\(format.rawValue)")
        #expect(throws: FigureError.missingFolder(path: url.path)) { try colormapSwatches().write(to: url) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
        #expect("\(FigureError.missingFolder(path: url.path))".contains(url.path))
    }

    @Test(arguments: FigureFormat.allCases)
    func destinationThatIsAFolderFailsAndCleansUp(format: FigureFormat) throws {
        // The temporary file is written, but rename(2) cannot replace a directory with it.
        let folder = try makeTemporaryFolder("\(format)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("taken.\(format.rawValue)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        #expect {
            try colormapSwatches().write(to: url)
        } throws: { error in
            guard case FigureError.fileWrite(let path, _) = error else { return false }
            return path == url.path
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["taken.\(format.rawValue)"])
    }

    @Test func replacesAnExistingFile() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("f.svg")
        try Data("old".utf8).write(to: url)
        try upsamplingSizesTable().write(to: url)
        #expect(parsesAsXML(try Data(contentsOf: url)))
    }
}

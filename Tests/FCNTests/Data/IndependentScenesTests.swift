// IndependentScenesTests.swift — the held-out world is deterministic, covers every style, and its
// labels are the shapes it draws; the held-out report groups its scores as it says.
@testable import FCNTraining
import Testing
@testable import FCN

@Suite struct IndependentScenesTests {
    let world = IndependentScenes(seed: 3)

    @Test func sameSeedSameSceneAnySize() {
        let setting = IndependentScenes.Setting(width: 40, height: 24, radius: 6...12)
        let a = world.scene(2, setting), b = world.scene(2, setting), c = world.scene(3, setting)
        #expect(a.image == b.image && a.labels == b.labels)
        #expect(a.image != c.image)
        #expect(a.width == 40 && a.height == 24 && a.labels.count == 40 * 24)
        #expect(IndependentScenes(seed: 4).scene(2, setting).image != a.image)
    }

    /// Eight consecutive scenes use each background × fill once.
    @Test func stylesCycle() {
        let styles = (0..<8).map { IndependentScenes.style($0) }
        #expect(Set(styles.map { "\($0.background)-\($0.fill)" }).count == 8)
    }

    /// A disc's label is the set of pixels whose centre is within its radius, and it is painted
    /// in its own colour there (flat fill on a plain background).
    @Test func labelsAreTheDrawnShape() {
        let disc = IndependentScenes.Outline(shape: .disc, center: (16, 16), radius: 8, rotation: 0, proportion: 0)
        let inside = IndependentScenes.Paint(kind: .flat, a: (1, 0, 0), b: (1, 0, 0))
        let back = IndependentScenes.Paint(kind: .flat, a: (0, 0, 1), b: (0, 0, 1))
        var rng = SeededRandom(seed: 1)
        let s = IndependentScenes.render(32, 32, background: back, shapes: [disc], paints: [inside], using: &rng)
        for y in 0..<32 {
            for x in 0..<32 {
                let dx = Double(x) + 0.5 - 16, dy = Double(y) + 0.5 - 16, d = (dx * dx + dy * dy).squareRoot()
                let label = s.labels[y * 32 + x], red = s.image.pixels[3 * (y * 32 + x)]
                if d < 6.5 { #expect(label == 1 && red == 255) }
                if d > 9.5 { #expect(label == 0 && red == 0) }
            }
        }
    }

    /// Every class appears at every scale, rings have holes, and radii respect the setting's cap.
    @Test func everyClassAppears() {
        var seen = Set<UInt8>()
        let setting = IndependentScenes.Setting(width: 64, height: 64, radius: 8...100)
        #expect(setting.radius.upperBound <= 64.0 / 3 + 1e-9)
        for i in 0..<24 { seen.formUnion(world.scene(i, setting).labels) }
        for c in ShapeClass.allCases { #expect(seen.contains(UInt8(c.rawValue)), "class \(c) never drawn") }
        let ring = IndependentScenes.Outline(shape: .ring, center: (0, 0), radius: 10, rotation: 0, proportion: 0.5)
        #expect(!ring.contains(0, 0) && ring.contains(7.5, 0) && !ring.contains(10.5, 0))
        let star = IndependentScenes.Outline(shape: .star, center: (0, 0), radius: 10, rotation: 0, proportion: 0.4)
        #expect(star.contains(0, -9) && !star.contains(3.5, -8))            // a tip, and the notch beside it
    }

    /// The report pools pixels per size and scale: a perfect "model" is impossible to fake, but
    /// grouping is checked on a net that always says background — IU(background) > 0, shapes 0.
    @Test func reportGroupsEveryCell() throws {
        var rng = SeededRandom(seed: 11)
        let d = try VGGMini.tiny.fcn(.fcn32s)
        let net = try Network(d, parameters: Network.initialParameters(for: d, inputShape: [1, 3, 32, 32], using: &rng))
        let sizes = [GeneralizationReport.Size(width: 32, height: 32), GeneralizationReport.Size(width: 48, height: 24)]
        let report = try GeneralizationReport.evaluate(net, scenesPerCell: 2, sizes: sizes,
                                                       scales: [.init(name: "small", lower: 4, upper: 6), .init(name: "large", lower: 8, upper: 12)])
        #expect(report.scenes.count == 8)
        #expect(Set(report.meanIUByCell.keys) == ["32×32/small", "32×32/large", "48×24/small", "48×24/large"])
        #expect(report.meanIUBySize.count == 2 && report.meanIUByScale.count == 2)
        #expect(report.table.contains("48×24") && report.table.contains("large"))
        #expect(report.worstScene.meanIU <= report.scenes.map(\.meanIU).max()!)
    }

    /// A net of another world (21 classes) is refused with the scene named, not mis-counted.
    @Test func refusesANetOfOtherClasses() throws {
        var rng = SeededRandom(seed: 12)
        let d = try VGGMini.tiny.fcn(.fcn32s, classes: 21)
        var p = try Network.initialParameters(for: d, inputShape: [1, 3, 32, 32], using: &rng)
        p["score_fr.bias"] = Tensor(shape: [21], scalars: (0..<21).map { $0 == 20 ? 5 : 0 })     // always class 20
        let net = try Network(d, parameters: p)
        #expect(throws: SegmentationError.self) {
            try GeneralizationReport.evaluate(net, scenesPerCell: 1, sizes: [.init(width: 32, height: 32)],
                                              scales: [.init(name: "small", lower: 4, upper: 6)])
        }
    }
}

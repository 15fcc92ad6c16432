// SyntheticScenesTests.swift — the synthetic world is deterministic, labelled and varied.
import FCNTraining
import Testing
@testable import FCN

@Suite struct SyntheticScenesTests {
    let world = SceneGenerator(seed: 1, width: 96, height: 80)

    @Test func sameSeedSameScene() {
        let a = world.scene(5), b = world.scene(5), c = world.scene(6)
        #expect(a.image == b.image && a.labels == b.labels)
        #expect(a.image != c.image)
        #expect(a.image.pixels.count == 96 * 80 * 3 && a.labels.count == 96 * 80)
    }

    @Test func labelsAreClassesOrVoid() {
        for i in 0..<10 {
            let s = world.scene(i)
            #expect(s.labels.allSatisfy { Int($0) < ShapeClass.count || $0 == ShapeClass.void })
        }
    }

    /// Over a few scenes every object class appears, there is background, and a thin void band
    /// separates regions: no two 4-neighbours carry two different non-void labels.
    @Test func voidBandSeparatesEveryBoundary() {
        var seen = Set<UInt8>()
        for i in 0..<30 {
            let s = world.scene(i)
            seen.formUnion(s.labels)
            for y in 0..<s.height {
                for x in 0..<s.width - 1 {
                    let a = s.labels[y * s.width + x], b = s.labels[y * s.width + x + 1]
                    if a != ShapeClass.void && b != ShapeClass.void { #expect(a == b) }
                }
            }
            let voidCount = s.labels.filter { $0 == ShapeClass.void }.count
            #expect(voidCount < s.labels.count / 2)
        }
        for c in ShapeClass.allCases { #expect(seen.contains(UInt8(c.rawValue)), "class \(c) never drawn") }
        #expect(seen.contains(ShapeClass.void))
    }

    /// Colour does not give the class away: the mean colour of disc pixels varies widely.
    @Test func colourIsNotTheClass() {
        var reds: [Double] = []
        for i in 0..<40 {
            let s = world.scene(i)
            var sum = 0.0, n = 0.0
            for p in 0..<s.labels.count where s.labels[p] == UInt8(ShapeClass.disc.rawValue) {
                sum += Double(s.image.pixels[3 * p]); n += 1
            }
            if n > 20 { reds.append(sum / n) }
        }
        #expect(reds.count >= 5)
        #expect((reds.max() ?? 0) - (reds.min() ?? 0) > 100)
    }

    @Test func classificationExampleHasItsClassDominant() {
        for i in 0..<12 {
            let (s, label) = world.classificationExample(i)
            let mine = s.labels.filter { $0 == UInt8(label.rawValue) }.count
            for other in ShapeClass.allCases where other != label && other != .background {
                #expect(mine > s.labels.filter { $0 == UInt8(other.rawValue) }.count)
            }
        }
    }
}

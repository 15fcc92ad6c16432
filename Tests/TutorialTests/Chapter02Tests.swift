// Chapter02Tests.swift — net surgery keeps every score, and the convolutionalized classifier slides.
import Testing
import FCN
import Foundation
import FCNCourse
@testable import Chapter02

@Suite struct Chapter02Tests {
    @Test(.enabled(if: EmbeddedModels.available.contains(.classifier), "needs the shipped classifier"))
    func surgeryKeepsScores() throws {
        var lesson = Lesson(chapter: 2, title: "test", outputFolder: nil, echo: false)
        let r = try chapter02(&lesson, setup: .quick)
        #expect(r.maxScoreDifference < 1e-4, "max |FC − conv| = \(r.maxScoreDifference)")
        #expect(r.parameterCountBefore == r.parameterCountAfter)
        // 176 px → pool5 ceil(176/32) = 6 → a 4×4 fc6 → 3×3 cells of 6 classifier scores.
        #expect(r.heatmapShape == [1, 6, 3, 3])
        #expect(r.heatmapClass != .background)
        print("Chapter02: P(class) on \(r.probabilityOnClass), elsewhere \(r.probabilityElsewhere)")
    }

    /// Fig. 2's claim on the full-size scene: the heatmap of the shown class is higher on cells
    /// centred on that class than on all other cells, by at least 10 points of probability.
    @Test(.enabled(if: EmbeddedModels.available.contains(.classifier), "needs the shipped classifier"))
    func heatmapLightsUpOnTheClass() throws {
        var lesson = Lesson(chapter: 2, title: "test", outputFolder: nil, echo: false)
        let r = try chapter02(&lesson, setup: Chapter02Setup())
        print("Chapter02 full: P(class) on \(r.probabilityOnClass), elsewhere \(r.probabilityElsewhere)")
        #expect(r.probabilityOnClass > r.probabilityElsewhere + 0.10, "on \(r.probabilityOnClass), elsewhere \(r.probabilityElsewhere)")
        // Every class's map, averaged over the classes present under some cell: higher on the class.
        let present = r.perClass.filter { $0.cellsOn > 0 }
        print("Chapter02 every class: \(present.map { "\($0.shape.name) \($0.meanOn) vs \($0.meanOff) (\($0.cellsOn))" })")
        #expect(present.count >= 2)
        let gap = present.map { $0.meanOn - $0.meanOff }.reduce(0, +) / Double(present.count)
        #expect(gap > 0.10, "mean on − off over classes \(gap)")
    }

    @Test func softmaxSumsToOne() throws {
        let x = Tensor(shape: [1, 3, 1, 2], scalars: [1, -2, 0, 5, 3, 0])
        let p = try ScoreMap(x).probabilities().tensor                     // the library's softmax, as the chapter uses it
        for pixel in 0..<2 {
            let sum = (0..<3).map { p.scalars[$0 * 2 + pixel] }.reduce(0, +)
            #expect(abs(sum - 1) < 1e-6)
        }
        #expect(abs(Double(p.scalars[0]) - 1 / (1 + exp(-1.0) + exp(2.0))) < 1e-6)   // e¹ / (e¹ + e⁰ + e³)
    }
}

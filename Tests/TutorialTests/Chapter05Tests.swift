// Chapter05Tests.swift — shift-and-stitch equals rarefaction, and costs more.
import Testing
import FCNCourse
@testable import Chapter05

@Suite struct Chapter05Tests {
    @Test func shiftAndStitchIsRarefaction() throws {
        var lesson = Lesson(chapter: 5, title: "test", outputFolder: nil, echo: false)
        let r = try chapter05(&lesson)
        #expect(r.shiftCount == 4)
        #expect(r.stitchedShape == [1, 1, 9, 9])          // 16 → conv 14 → pool(s1) 13 → dilated conv 9
        #expect(r.maxDifference < 1e-5)
        #expect(r.tinyShiftAndStitch > r.tinyRarefied)
        for f in [2, 4, 8, 16, 32] {
            #expect(r.vggRarefied[f]! > r.vggOnePass)
            #expect(r.vggRarefied[f]! <= r.vggShiftAndStitch[f]!)
        }
        // Undoing every pool: the early layers run once instead of 1024 times.
        #expect(r.vggShiftAndStitch[32]! > 2 * r.vggRarefied[32]!)
    }
}

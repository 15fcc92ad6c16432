// Chapter04Tests.swift — the chapter's claims hold on the numbers it computes.
import Testing
import FCNCourse
@testable import Chapter04

@Suite struct Chapter04Tests {
    @Test func upsamplingClaims() throws {
        var lesson = Lesson(chapter: 4, title: "test", outputFolder: nil, echo: false)
        let r = try chapter04(&lesson)
        #expect(r.adjointRelativeGap < 1e-5)
        #expect(r.bilinearConstantRange.lowerBound > 0.9999 && r.bilinearConstantRange.upperBound < 1.0001)
        #expect(abs(r.rampStepRange.lowerBound - 0.5) < 1e-5 && abs(r.rampStepRange.upperBound - 0.5) < 1e-5)
        #expect(r.checkerboardValues.count > 1)
        #expect(r.learnedError < r.fixedBilinearError)
        #expect(r.earlyFromBilinearError < r.earlyFromZeroError)
        #expect(lesson.transcript.contains { $0.contains("checkerboard") })
    }
}

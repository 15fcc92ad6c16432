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
        // The crop: VGG16's FCN-32s upsamples a 500-px image's 16 cells to 544 px and crops at the
        // coordinate-map offset 19, keeping the INPUT's size — for every input size, although
        // 32·cells is not the input size.
        #expect(r.crops.first == UpsamplingCrop(input: 500, cells: 16, upsampled: 544, offset: 19, kept: 500))
        for c in r.crops {
            #expect(c.kept == c.input && c.offset == 19)
            #expect(c.upsampled == 32 * (c.cells - 1) + 64)
        }
        #expect(r.crops.contains { 32 * $0.cells != $0.input })
        #expect(!lesson.transcript.contains { $0.contains("(k − f)/2 from each side") })
        // Three views of one layer agree; the transposed convolution is no inverse.
        let v = try #require(r.views)
        #expect(v.zeroInsertionGap < 1e-5 && v.matrixGap < 1e-5, "\(v)")
        #expect(v.matrixShape == (9, 64))
        #expect(v.roundTripError > 0.1, "convT(conv(x)) came back as x: \(v.roundTripError)")
        // FCN's K×K weight is class-diagonal; bilinear and resize-then-convolve keep a constant
        // flat, a random kernel of the same size does not (its phase sums differ).
        let b = try #require(r.boards)
        #expect(b.offDiagonalNonzeros == 0 && b.diagonalMatchesSingleChannel)
        #expect(b.bilinearSpread < 1e-5 && b.resizeConvolveSpread < 1e-5, "\(b)")
        #expect(b.learnedSpread > 0.05 && Set(b.phaseSums).count > 1, "\(b)")
    }
}

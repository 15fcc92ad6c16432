// Chapter10Tests.swift — the paper's summary numbers follow from its quoted tables; without the
// published files the chapter prints the path and runs nothing; bad paths are refused.
import Testing
import Foundation
import FCNCourse
@testable import Chapter10

@Suite struct Chapter10Tests {
    @Test func summariesFollowFromTheTables() throws {
        var lesson = Lesson(chapter: 10, title: "test", outputFolder: nil, echo: false)
        let r = try chapter10(&lesson)
        // CVPR abstract: "20% relative improvement to 62.2%"; PAMI abstract: "30% … to 67.2%".
        #expect(abs(r.relativeImprovement2012 - 0.20) < 0.01, "\(r.relativeImprovement2012)")
        #expect(abs(r.relativeImprovementPAMI - 0.30) < 0.01, "\(r.relativeImprovementPAMI)")
        // CVPR §5: 286× overall (≈ 50 s / 175 ms).
        #expect(abs(r.speedUp - 286) < 1, "\(r.speedUp)")
        // Table 4's reading: late fusion helps more than early fusion.
        #expect(r.lateFusionGain > r.earlyFusionGain && r.earlyFusionGain > 0)
        // Table 3's order: FCN-8s > SDS > R-CNN on VOC2011 test.
        let t3 = PublishedResults.table3
        #expect(t3.row("FCN-8s")!.values[0]! > t3.row("SDS")!.values[0]! && t3.row("SDS")!.values[0]! > t3.row("R-CNN")!.values[0]!)
        // VGG16 FCN-8s holds about 134.5 M float32 parameters: ≈ 513 MiB, the caffemodel's size.
        #expect((500...530).contains(r.parameterBytes / 1_048_576), "\(r.parameterBytes)")
        // Nothing was scored; the path names the split and the expected number.
        #expect(r.scores == nil)
        #expect(r.commands.contains { $0.contains("fcn evaluate") && $0.contains("--voc") && $0.contains("--split seg11valid") })
        #expect(lesson.transcript.contains { $0.contains("65.5") })
        #expect(lesson.transcript.contains { $0.contains("downloads nothing") })
    }

    @Test func refusesMissingFiles() {
        #expect(throws: (any Error).self) { try Chapter10Command.parse(["--weights", "/nonexistent/fcn8s.caffemodel"]) }
        #expect(throws: (any Error).self) { try Chapter10Command.parse(["--voc", "/nonexistent/VOC2011"]) }
        #expect(throws: (any Error).self) { try Chapter10Command.parse(["--split", "a/b"]) }
        #expect(throws: Never.self) { try Chapter10Command.parse([]) }
    }

    /// As executables: a missing file is a usage error (exit 2, the option named, nothing run);
    /// without files the chapters run and exit 0. (ChapterOptionSweepTests covers chapters 1–9.)
    @Test func exitStatuses() throws {
        for (chapter, arguments, option) in [("Chapter10", ["--weights", "/nonexistent/fcn8s.caffemodel"], "--weights"),
                                             ("Chapter10", ["--voc", "/nonexistent/VOC2011"], "--voc"),
                                             ("Chapter00", ["--bogus"], "--bogus"), ("Chapter10", ["--bogus"], "--bogus")] {
            guard let binary = builtChapter(chapter) else { Issue.record("\(chapter) was not built"); continue }
            let r = try runChapterBinary(binary, arguments)
            #expect(r.status == 2 && r.stderr.contains(option) && r.stdout.isEmpty, "\(chapter) \(arguments): \(r.status) \(r.stderr)")
        }
        guard let binary = builtChapter("Chapter10") else { Issue.record("Chapter10 was not built"); return }
        let r = try runChapterBinary(binary, ["--no-figures"])
        #expect(r.status == 0 && r.stdout.contains("downloads nothing"), "\(r.status) \(r.stderr)")
    }
}

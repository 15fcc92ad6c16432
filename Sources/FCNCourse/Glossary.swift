// Glossary.swift — the course's words in Korean and English, for the reader whose notes on the
// paper are in Korean (the course index links the page drawn from these entries).
//
// One entry per term: the Korean word as the notes write it, the English term the paper and the
// code use, a one-line meaning, and where in the paper (CVPR 2015 section numbers unless marked
// PAMI) and in the course it is taught.

/// One term of the glossary.
public struct GlossaryEntry: Sendable, Equatable {
    /// The Korean term, as the user's notes write it (e.g. 전이 합성곱).
    public var korean: String
    /// The English term the paper and the code use (e.g. "transposed convolution").
    public var english: String
    /// What it means, in one or two sentences.
    public var meaning: String
    /// Where the paper introduces it, labelled with its source ("CVPR §3.3", "PAMI §4.1").
    public var paper: String
    /// The course chapters that teach it (chapter numbers).
    public var chapters: [Int]

    public init(korean: String, english: String, meaning: String, paper: String, chapters: [Int]) {
        self.korean = korean
        self.english = english
        self.meaning = meaning
        self.paper = paper
        self.chapters = chapters
    }
}

/// The glossary, in the order a reader meets the terms.
public enum Glossary {
    public static let entries: [GlossaryEntry] = [
        GlossaryEntry(korean: "시맨틱 세그멘테이션", english: "semantic segmentation",
                      meaning: "Giving every pixel of an image a class label.",
                      paper: "CVPR §1", chapters: [1]),
        GlossaryEntry(korean: "완전 합성곱 신경망", english: "fully convolutional network (FCN)",
                      meaning: "A network made only of convolution-like layers, so it takes an input of any size and produces an output of a matching size.",
                      paper: "CVPR §3", chapters: [2]),
        GlossaryEntry(korean: "전이 합성곱", english: "transposed convolution (deconvolution)",
                      meaning: "The adjoint of a strided convolution: each input value scatters a kernel-sized patch into a larger output. FCN upsamples with it.",
                      paper: "CVPR §3.3", chapters: [4]),
        GlossaryEntry(korean: "스킵 연결", english: "skip connection",
                      meaning: "Fusing scores from a shallower, finer layer with the upsampled deep scores, so that coarse semantics meet fine appearance.",
                      paper: "CVPR §4.2", chapters: [7]),
    ]
}

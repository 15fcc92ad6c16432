// PublishedResults.swift — the paper's result tables, QUOTED (not computed here), each row
// labelled with its source: CVPR 2015 (Long, Shelhamer, Darrell) or PAMI 2016 (Shelhamer,
// Long, Darrell, arXiv:1605.06211), or the Berkeley reference README
// (shelhamer/fcn.berkeleyvision.org). A dash is a value the source does not give.
//
// What the chapter computes from them (the relative improvements, the speed-up) is computed in
// Chapter10.swift, so that the paper's own summary sentences can be checked against its tables.

/// One quoted row: a method and its values in the table's columns (`nil`: not reported).
struct QuotedRow {
    var method: String
    var values: [Double?]
}

/// One quoted table.
struct QuotedTable {
    var title: String
    var source: String
    var columns: [String]
    var rows: [QuotedRow]

    /// The row of `method`.
    func row(_ method: String) -> QuotedRow? { rows.first { $0.method == method } }
}

enum PublishedResults {
    /// CVPR 2015 Table 3: mean IU on the PASCAL VOC 2011 and 2012 test sets, and inference time.
    static let table3 = QuotedTable(
        title: "PASCAL VOC test, mean IU", source: "CVPR 2015, Table 3",
        columns: ["VOC2011 test", "VOC2012 test", "inference (s)"],
        rows: [QuotedRow(method: "R-CNN", values: [47.9, nil, nil]),
               QuotedRow(method: "SDS", values: [52.6, 51.6, 50]),
               QuotedRow(method: "FCN-8s", values: [62.7, 62.2, 0.175])])

    /// CVPR 2015 Table 4: NYUDv2 (40 classes; 795 train, 654 test images). Early fusion is RGBD
    /// (four-channel input); late fusion sums the scores of an RGB net and an HHA net.
    static let table4 = QuotedTable(
        title: "NYUDv2, 40 classes", source: "CVPR 2015, Table 4",
        columns: ["pixel acc.", "mean acc.", "mean IU", "f.w. IU"],
        rows: [QuotedRow(method: "Gupta et al.", values: [60.3, nil, 28.6, 47.0]),
               QuotedRow(method: "FCN-32s RGB", values: [60.0, 42.2, 29.2, 43.9]),
               QuotedRow(method: "FCN-32s RGBD", values: [61.5, 42.4, 30.5, 45.5]),
               QuotedRow(method: "FCN-32s HHA", values: [57.1, 35.2, 24.2, 40.4]),
               QuotedRow(method: "FCN-32s RGB-HHA", values: [64.3, 44.9, 32.8, 48.0]),
               QuotedRow(method: "FCN-16s RGB-HHA", values: [65.4, 46.1, 34.0, 49.5])])

    /// CVPR 2015 Table 5: SIFT Flow (33 semantic classes and 3 geometric classes, one two-headed
    /// net). Only the FCN row is quoted.
    static let table5 = QuotedTable(
        title: "SIFT Flow, 33 semantic + 3 geometric classes", source: "CVPR 2015, Table 5",
        columns: ["pixel acc.", "mean acc.", "mean IU", "f.w. IU", "geom. acc."],
        rows: [QuotedRow(method: "FCN-16s", values: [85.2, 51.7, 39.5, 76.1, 94.3])])

    /// The Berkeley reference models (trained as in PAMI 2016: online, momentum 0.99), mean IU on
    /// seg11valid, from the repository's README; and the 2012 test score of voc-fcn8s.
    static let reference = QuotedTable(
        title: "Berkeley reference models, mean IU", source: "fcn.berkeleyvision.org README (PAMI 2016 models)",
        columns: ["seg11valid", "VOC2012 test"],
        rows: [QuotedRow(method: "voc-fcn32s", values: [63.6, nil]),
               QuotedRow(method: "voc-fcn16s", values: [65.0, nil]),
               QuotedRow(method: "voc-fcn8s", values: [65.5, 67.2]),
               QuotedRow(method: "voc-fcn8s-atonce", values: [65.4, nil]),
               QuotedRow(method: "voc-fcn-alexnet", values: [48.0, nil])])

    /// PASCAL-Context (59 classes plus background), PAMI 2016: mean IU of FCN-8s; and the early
    /// pre-release PASCAL-Context FCN-8s of the Caffe model zoo (its readme: 37.8 on val).
    static let context = QuotedTable(
        title: "PASCAL-Context, 59 classes, mean IU", source: "PAMI 2016, PASCAL-Context table; Caffe model zoo readme",
        columns: ["mean IU"],
        rows: [QuotedRow(method: "FCN-8s (PAMI 2016)", values: [39.1]),
               QuotedRow(method: "FCN-8s (model zoo pre-release)", values: [37.8])])

    static let all = [table3, table4, table5, reference, context]
}

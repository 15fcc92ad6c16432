// DocCFigures.swift — the DocC catalog's images, checked against what the code draws now.
//
// The chapter articles in `Sources/FCN/FCN.docc` show figures from `Resources/`. Each image there
// is a figure of `FigureCatalog` by name (`receptive-fields.png` is `FigureCatalog.all
// ["receptive-fields"]`), written at the catalog's PNG scale by `scripts/docc-images`. An image
// the code no longer draws — a figure changed, a model retrained, a placeholder drawn before
// the weights existed — is stale: `stale(in:)` names it, and a test fails on it.
import FCN
import FCNFigures
import Foundation

public enum DocCFigures {
    /// The PNG scale the catalog images are drawn at (`fcn figures`' default).
    public static let scale = 2.0

    /// The images of `resources` that differ from a fresh drawing, with the reason; empty when
    /// every image is current. Images are compared decoded (pixel values), not byte for byte, so
    /// that a different zlib build does not count as a change.
    public static func stale(in resources: URL) throws -> [(image: String, problem: String)] {
        let names = try FileManager.default.contentsOfDirectory(atPath: resources.path).filter { $0.hasSuffix(".png") }.sorted()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("docc-figures-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        var problems: [(String, String)] = []
        // A chapter's own figures (`ChapterNN-name.png`, DocCArticle.copyFigures) are checked by
        // rerunning the chapter, not here: they are not FigureCatalog figures.
        for file in names where file.range(of: #"^Chapter[0-9][0-9]-"#, options: .regularExpression) == nil {
            let name = String(file.dropLast(4))
            guard let draw = FigureCatalog.all[name] else {
                problems.append((file, "no figure '\(name)' in FigureCatalog draws it"))
                continue
            }
            let fresh = scratch.appendingPathComponent(file)
            try draw().write(to: fresh, scale: scale)
            let committed = try Segmentation.readInput(resources.appendingPathComponent(file)).tensor
            let drawn = try Segmentation.readInput(fresh).tensor
            if committed.shape != drawn.shape {
                problems.append((file, "size \(committed.shape) but the code draws \(drawn.shape)"))
            } else if committed.scalars != drawn.scalars {
                let differing = zip(committed.scalars, drawn.scalars).filter { $0 != $1 }.count
                problems.append((file, "\(differing) of \(drawn.count) pixel values differ from what the code draws"))
            }
        }
        return problems
    }
}

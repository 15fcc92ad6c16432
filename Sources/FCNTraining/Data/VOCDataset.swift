// VOCDataset.swift — the PASCAL VOC folder layout, read and written (paper §4: "we train and
// test on the PASCAL VOC 2011 segmentation challenge"; §5 Table 3).
//
// The layout of a VOC year folder (VOCdevkit/VOC2012), the part segmentation uses:
//   JPEGImages/<id>.jpg               the photos (we also accept PNGImages/<id>.png, lossless,
//                                     which is what the synthetic export writes)
//   SegmentationClass/<id>.png        8-bit palette PNGs: the index is the class, 255 is void
//   ImageSets/Segmentation/<split>.txt  one id per line (train, val, trainval)
// A real VOCdevkit folder is read unchanged, so `fcn evaluate --voc` scores the paper's nets
// on the real data when it is on disk, and our synthetic validation set can be exported in
// the same layout for any other tool.

import FCN
import FCNCore
import Foundation

/// A problem reading a VOC-layout folder. Messages name the file.
public enum VOCDatasetError: Error, CustomStringConvertible, Equatable {
    /// The split file `ImageSets/Segmentation/<split>.txt` does not exist.
    case missingSplit(file: String)
    /// No image file exists for an id (the paths tried are listed).
    case missingImage(id: String, tried: [String])
    /// An image and its label map differ in size.
    case sizeMismatch(id: String, image: String, labels: String)

    /// A sentence naming the image id, the file and the problem.
    public var description: String {
        switch self {
        case .missingSplit(let file): "\(file): no such split file (a VOC folder has ImageSets/Segmentation/<split>.txt)"
        case let .missingImage(id, tried): "image '\(id)' not found (tried \(tried.joined(separator: ", ")))"
        case let .sizeMismatch(id, image, labels): "'\(id)': image is \(image) but its label map is \(labels)"
        }
    }
}

/// A folder in PASCAL VOC's layout.
///
/// ```swift
/// let voc = VOCDataset(root: URL(filePath: "VOCdevkit/VOC2012"))
/// for id in try voc.ids(split: "val") {
///     let scene = try voc.scene(id)          // pixels and labels (255 = void)
/// }
/// try VOCDataset.write([("000017", scene)], split: "val", to: URL(filePath: "synthetic-voc"))
/// ```
public struct VOCDataset: Sendable {
    /// The dataset folder (`JPEGImages/`, `SegmentationClass/`, `ImageSets/Segmentation/`).
    public let root: URL

    /// A dataset rooted at `root`; nothing is read until asked.
    public init(root: URL) { self.root = root }

    /// The ids of `split` (`ImageSets/Segmentation/<split>.txt`), in file order.
    public func ids(split: String) throws -> [String] {
        let url = root.appending(path: "ImageSets/Segmentation/\(split).txt")
        guard let text = try? InputFile.text(contentsOf: url) else { throw VOCDatasetError.missingSplit(file: url.path) }   // regular files only
        return text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The photo of `id`: `JPEGImages/<id>.jpg`, else `PNGImages/<id>.png`.
    public func image(_ id: String) throws -> RGBImage {
        let candidates = [root.appending(path: "JPEGImages/\(id).jpg"), root.appending(path: "PNGImages/\(id).png")]
        guard let url = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
            throw VOCDatasetError.missingImage(id: id, tried: candidates.map(\.path))
        }
        return try RGBImage.decode(contentsOf: url)
    }

    /// The label map of `id` (`SegmentationClass/<id>.png`): palette indices are the labels.
    public func labels(_ id: String) throws -> IndexedImage {
        try IndexedImage.decode(contentsOf: root.appending(path: "SegmentationClass/\(id).png"))
    }

    /// Photo and labels of `id` together, checked to have the same size.
    public func scene(_ id: String) throws -> LabeledScene {
        let image = try image(id), labels = try labels(id)
        guard image.width == labels.width, image.height == labels.height else {
            throw VOCDatasetError.sizeMismatch(id: id, image: "\(image.width)×\(image.height)", labels: "\(labels.width)×\(labels.height)")
        }
        return LabeledScene(image: image, labels: labels.indices)
    }

    /// Writes `scenes` in VOC's layout under `root`: `PNGImages/<id>.png`, palette PNGs in
    /// `SegmentationClass/` (VOC's colours), and their ids appended as `<split>.txt` (replaced
    /// if it exists). Every file is written atomically.
    public static func write(_ scenes: [(id: String, scene: LabeledScene)], split: String, to root: URL) throws {
        let fm = FileManager.default
        for folder in ["PNGImages", "SegmentationClass", "ImageSets/Segmentation"] {
            try fm.createDirectory(at: root.appending(path: folder), withIntermediateDirectories: true)
        }
        let palette = LabelPalette.pascalVOCColors.map { ($0.red, $0.green, $0.blue) }
        for (id, scene) in scenes {
            try scene.image.write(to: root.appending(path: "PNGImages/\(id).png"))
            try IndexedImage(width: scene.width, height: scene.height, indices: scene.labels, palette: palette)
                .write(to: root.appending(path: "SegmentationClass/\(id).png"))
        }
        let list = scenes.map(\.id).joined(separator: "\n") + "\n"
        try AtomicFile.write(Data(list.utf8), to: root.appending(path: "ImageSets/Segmentation/\(split).txt"))
    }
}

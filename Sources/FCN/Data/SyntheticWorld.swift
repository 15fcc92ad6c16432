// SyntheticWorld.swift — the vocabulary of the synthetic world: its classes and a labelled image.
//
// The drawing itself (Cairo) lives in the training library (`FCNTraining/Data/SyntheticScenes.swift`);
// what a trained model needs to know about its world — the class of each label value, and the
// shape of a labelled example — lives here, so that inference never links the renderer.

/// The classes of the synthetic world. Raw values are the label values in label maps.
///
/// ```swift
/// ShapeClass.disc.rawValue   // 1, the value of its pixels in a label map
/// ShapeClass.count           // 7, background included
/// ```
public enum ShapeClass: Int, CaseIterable, Sendable {
    /// Background (0) and the six shapes; the raw value is the label.
    case background = 0, disc, ring, square, triangle, star, cross

    /// The label value of pixels that are neither counted nor trained on (VOC's boundary band).
    public static let void: UInt8 = 255

    /// The number of classes including background (7).
    public static var count: Int { allCases.count }

    /// The class's name as printed in tables ("disc", "ring", …).
    public var name: String { String(describing: self) }
}

/// An RGB image with its per-pixel class labels.
public struct LabeledScene: Sendable {
    /// The picture.
    public var image: RGBImage
    /// One label per pixel of ``image``, row-major: a `ShapeClass` raw value or `ShapeClass.void`.
    public var labels: [UInt8]

    /// A labelled scene from its picture and one label per pixel.
    public init(image: RGBImage, labels: [UInt8]) {
        precondition(labels.count == image.width * image.height,
                     "LabeledScene: a \(image.width)×\(image.height) image needs \(image.width * image.height) labels, got \(labels.count)")
        self.image = image; self.labels = labels
    }

    /// Width W in pixels.
    public var width: Int { image.width }
    /// Height H in pixels.
    public var height: Int { image.height }
}

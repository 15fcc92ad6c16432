// LayerSlab.swift — a blob drawn as a slab: height for its spatial size, depth for its channels.
//
// Paper Fig. 1 and Fig. 2 draw the net as a row of boxes that get smaller and deeper as the
// image is pooled and the channels multiply. Here the sizes follow the real shapes: the front
// face's height grows with √H (so 16 and 500 both fit), the depth with log₂ C. Shared by the
// dense-prediction, net-surgery and skip figures.
import FCN
import Foundation

/// A blob to draw: a name, its shape `[C, H, W]` (or `[F]` for a flat vector) and the operation
/// that made it (e.g. "conv 7×7", "linear 25088→4096").
public struct LayerBlock: Hashable, Sendable {
    /// The blob's name.
    public var name: String
    /// The blob's shape `[C, H, W]` (or `[O]` for a fully connected output).
    public var shape: [Int]
    /// The operation that made the blob, drawn under it.
    public var operation: String
    /// A block for blob `name` of `shape`, made by `operation`.
    public init(name: String, shape: [Int], operation: String = "") {
        self.name = name; self.shape = shape; self.operation = operation
    }

    /// The blob of layer `layer` from inferred shapes, batch dimension dropped.
    public static func from(_ shapes: BlobShapes, layer: String, operation: String = "") -> LayerBlock {
        LayerBlock(name: layer, shape: Array((shapes.layerOutputs[layer] ?? []).dropFirst()), operation: operation)
    }

    /// "64×349×349" (C×H×W) or "4096" for a vector.
    public var shapeText: String { shape.map(String.init).joined(separator: "×") }
}

/// Slab geometry: front-face height for spatial size `h`, depth for `c` channels.
struct SlabScale {
    var referenceHeight: Int
    var maxFace: Double = 130
    var minFace: Double = 14
    func face(_ h: Int) -> Double { max(minFace, maxFace * (Double(h) / Double(referenceHeight)).squareRoot()) }
    func depth(_ c: Int) -> Double { 6 + 6 * max(0, log2(Double(c) / 16)) }
}

extension Canvas {
    /// A slab whose front face is `face` tall and `thickness` wide, drawn in oblique projection
    /// with its front-bottom-left corner at `origin`; the top and side faces recede up-right.
    /// Returns the rectangle the drawing covers.
    @discardableResult
    func slab(at origin: Point, face: Double, thickness: Double, fill color: RGB, depthRatio: Double = 0.35) -> Rect {
        let d = face * depthRatio                 // how far the slab recedes
        let a = Point(origin.x, origin.y - face), b = Point(origin.x + thickness, origin.y - face)
        let c = Point(origin.x + thickness, origin.y)
        let back = { (p: Point) in Point(p.x + d, p.y - d) }
        fillPolygon([a, back(a), back(b), b], color.mixed(with: .white, 0.35))           // top
        fillPolygon([b, back(b), back(c), c], color.mixed(with: .black, 0.15))           // side
        fill(Rect(x: origin.x, y: origin.y - face, width: thickness, height: face), color) // front
        polyline([origin, a, back(a), back(b), back(c), c, origin], color: .ink, lineWidth: 0.6)
        polyline([a, b, c], color: .ink, lineWidth: 0.6)
        line(from: b, to: back(b), color: .ink, lineWidth: 0.6)
        return Rect(x: origin.x, y: origin.y - face - d, width: thickness + d, height: face + d)
    }
}

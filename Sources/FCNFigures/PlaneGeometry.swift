// PlaneGeometry.swift — points and rectangles on a canvas, in points (1/72 inch).
//
// No paper section: drawing infrastructure. Canvas coordinates grow right (x) and down (y),
// as in Cairo and in images: (0, 0) is the top-left corner.

/// A position on a canvas, in points; y grows downwards.
public struct Point: Hashable, Sendable {
    /// The coordinates in points from the top-left corner.
    public var x: Double, y: Double
    /// The point (`x`, `y`).
    public init(_ x: Double, _ y: Double) { self.x = x; self.y = y }
}

/// An axis-aligned rectangle: top-left corner `(x, y)` and size.
///
/// ```swift
/// let r = Rect(x: 10, y: 20, width: 100, height: 50)
/// r.center      // Point(60, 45)
/// r.inset(by: 5).width   // 90
/// ```
public struct Rect: Hashable, Sendable {
    /// The top-left corner and the size, in points.
    public var x: Double, y: Double, width: Double, height: Double
    /// A rectangle from its top-left corner and size.
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x; self.y = y; self.width = width; self.height = height
    }
    /// The left edge.
    public var minX: Double { x }
    /// The right edge.
    public var maxX: Double { x + width }
    /// The top edge.
    public var minY: Double { y }
    /// The bottom edge.
    public var maxY: Double { y + height }
    /// The centre.
    public var center: Point { Point(x + width / 2, y + height / 2) }
    /// The rectangle shrunk by `d` on every side (grown if `d` is negative).
    public func inset(by d: Double) -> Rect {
        Rect(x: x + d, y: y + d, width: width - 2 * d, height: height - 2 * d)
    }
    /// The rectangle shrunk by different amounts on each side.
    public func inset(top: Double, left: Double, bottom: Double, right: Double) -> Rect {
        Rect(x: x + left, y: y + top, width: width - left - right, height: height - top - bottom)
    }
}

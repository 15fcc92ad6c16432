// Axes.swift — a plot frame: data-to-canvas mapping, ticks at nice numbers, axis labels.
//
// No paper section: drawing infrastructure for charts (training curves, metric bars).
// Ticks follow Heckbert's "nice numbers" (Graphics Gems, 1990): a step of 1, 2 or 5 times a
// power of ten, so labels read 0 0.2 0.4 … rather than 0 0.173 0.346 ….
import Foundation

/// About `count` evenly spaced round numbers covering `lower…upper` (Heckbert's nice numbers).
///
/// ```swift
/// niceTicks(0, 0.93, count: 5)   // [0, 0.2, 0.4, 0.6, 0.8, 1]
/// ```
public func niceTicks(_ lower: Double, _ upper: Double, count: Int = 5) -> [Double] {
    precondition(lower.isFinite && upper.isFinite && count >= 2, "niceTicks: need a finite range and count ≥ 2")
    if lower == upper { return [lower] }
    let step = niceNumber((upper - lower) / Double(count - 1))
    let first = floor(lower / step) * step, last = ceil(upper / step) * step
    let n = Int(((last - first) / step).rounded())
    // Multiplying (not accumulating) keeps 0.1·3 from drifting to 0.30000000000000004 labels.
    return (0...n).map { i in (first + Double(i) * step) == 0 ? 0 : first + Double(i) * step }
}

/// The nice number (1, 2 or 5 × 10ᵏ) nearest to `x` > 0.
func niceNumber(_ x: Double) -> Double {
    let power = pow(10, floor(log10(x)))
    let fraction = x / power
    let nice: Double = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
    return nice * power
}

/// A rectangle on the canvas that shows the data window `x`, `y`.
public struct Axes: Sendable {
    /// Where the plot area lies on the canvas (inside the tick labels).
    public let frame: Rect
    /// Tick positions along x and y, in data coordinates.
    public let xTicks: [Double], yTicks: [Double]
    /// The data ranges shown, widened to the outer ticks.
    public let x: ValueRange, y: ValueRange

    /// Axes in `frame` covering the data ranges `x` and `y`.
    ///
    /// - Parameters:
    ///   - frame: the plot area.
    ///   - x: the data range to cover along x; it is widened to nice tick values.
    ///   - y: the data range to cover along y, widened likewise.
    ///   - tickCount: about how many ticks each axis gets.
    public init(frame: Rect, x: ValueRange, y: ValueRange, tickCount: Int = 5) {
        self.frame = frame
        xTicks = niceTicks(x.lower, x.upper, count: tickCount)
        yTicks = niceTicks(y.lower, y.upper, count: tickCount)
        self.x = xTicks.count > 1 ? ValueRange(xTicks.first!, xTicks.last!) : ValueRange(x.lower - 0.5, x.upper + 0.5)
        self.y = yTicks.count > 1 ? ValueRange(yTicks.first!, yTicks.last!) : ValueRange(y.lower - 0.5, y.upper + 0.5)
    }

    /// The canvas point of data point (dx, dy); y grows upwards in data, downwards on canvas.
    public func point(_ dx: Double, _ dy: Double) -> Point {
        Point(frame.minX + x.fraction(dx) * frame.width, frame.maxY - y.fraction(dy) * frame.height)
    }
}

extension Canvas {
    /// Draws light grid lines, the left and bottom axes, tick labels and axis titles.
    ///
    /// - Parameters:
    ///   - axes: the frame, ranges and ticks to draw.
    ///   - xLabel: the title under the x axis.
    ///   - yLabel: the title beside the y axis, read bottom-up.
    ///   - xTicks: whether to label x at its nice ticks (bar charts label categories instead).
    ///   - font: the font of tick labels (titles use a slightly larger size).
    public func drawAxes(_ axes: Axes, xLabel: String, yLabel: String, xTicks: Bool = true, font: Font = .regular(9)) {
        let f = axes.frame
        for t in axes.yTicks {
            let p = axes.point(axes.x.lower, t)
            line(from: Point(f.minX, p.y), to: Point(f.maxX, p.y), color: .lightGrey, lineWidth: 0.5)
            text(formatNumber(t), at: Point(f.minX - 4, p.y), font: font, align: .right, baseline: .middle)
        }
        if xTicks {
            for t in axes.xTicks {
                let p = axes.point(t, axes.y.lower)
                line(from: Point(p.x, f.maxY), to: Point(p.x, f.maxY + 3), color: .ink, lineWidth: 0.8)
                text(formatNumber(t), at: Point(p.x, f.maxY + 5), font: font, align: .center, baseline: .top)
            }
        }
        polyline([Point(f.minX, f.minY), Point(f.minX, f.maxY), Point(f.maxX, f.maxY)], color: .ink, lineWidth: 0.8)
        text(xLabel, at: Point(f.center.x, f.maxY + 28), font: .regular(font.size + 1), align: .center, baseline: .bottom)
        let widest = axes.yTicks.map { measure(formatNumber($0), font: font) }.max() ?? 0
        text(yLabel, at: Point(f.minX - widest - 10, f.center.y), font: .regular(font.size + 1),
             align: .center, baseline: .bottom, angle: Double.pi / 2)
    }

    /// The width of the legend box `seriesLegend` draws for `names` (0 for no names).
    public func seriesLegendWidth(_ names: [String], font: Font = .regular(9)) -> Double {
        guard names.contains(where: { !$0.isEmpty }) else { return 0 }
        return (names.map { measure($0, font: font) }.max() ?? 0) + 36
    }

    /// A legend box: a colour sample and a name per entry, at top-left `origin`.
    public func seriesLegend(_ entries: [(name: String, color: RGB)], at origin: Point, font: Font = .regular(9),
                             lineSample: Bool = true) {
        let rowHeight = font.size + 5
        let box = Rect(x: origin.x, y: origin.y, width: seriesLegendWidth(entries.map(\.name), font: font),
                       height: Double(entries.count) * rowHeight + 6)
        fill(box, .white, alpha: 0.85)
        stroke(box, .lightGrey, lineWidth: 0.5)
        for (i, e) in entries.enumerated() {
            let y = origin.y + 3 + (Double(i) + 0.5) * rowHeight
            if lineSample {
                line(from: Point(origin.x + 5, y), to: Point(origin.x + 25, y), color: e.color, lineWidth: 2)
            } else {
                fill(Rect(x: origin.x + 10, y: y - 5, width: 10, height: 10), e.color)
            }
            text(e.name, at: Point(origin.x + 30, y), font: font, baseline: .middle)
        }
    }
}

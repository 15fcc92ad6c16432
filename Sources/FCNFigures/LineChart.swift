// LineChart.swift — several series of (x, y) points on shared axes: training curves.
//
// Paper §4.3 (training): loss and mean IU against iterations. Lines only, no smoothing: what
// the numbers were is what is drawn.

/// One named line: points in data coordinates, in drawing order.
public struct Series: Sendable {
    /// The name shown in the legend.
    public var name: String
    /// The points, in data coordinates and drawing order.
    public var points: [(x: Double, y: Double)]
    /// The line's colour.
    public var color: RGB
    /// A named line through `points`.
    public init(name: String, points: [(x: Double, y: Double)], color: RGB) {
        self.name = name; self.points = points; self.color = color
    }
}

/// A line chart with title, labelled axes at nice ticks and a legend.
///
/// ```swift
/// let chart = LineChart(title: "Training loss", xLabel: "iteration", yLabel: "loss",
///                       series: [Series(name: "FCN-32s", points: [(0, 3), (100, 1.2)], color: RGB.series[0])])
/// let figure = chart.figure(width: 420, height: 280)
/// ```
public struct LineChart: Sendable {
    /// The title above the chart and the labels of the two axes.
    public var title: String, xLabel: String, yLabel: String
    /// The lines, drawn in order.
    public var series: [Series]
    /// A chart of `series` with a title and axis labels.
    public init(title: String, xLabel: String, yLabel: String, series: [Series]) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.series = series
    }

    /// Draws the chart inside `rect` (title, axes, lines, legend at the top right).
    public func draw(on canvas: Canvas, in rect: Rect) {
        let xs = series.flatMap { $0.points.map(\.x) }, ys = series.flatMap { $0.points.map(\.y) }
        // The legend sits outside the plot, on the right, so it can never hide a line.
        let legend = canvas.seriesLegendWidth(series.map(\.name))
        let axes = Axes(frame: rect.inset(top: 24, left: 56, bottom: 40, right: 12 + legend),
                        x: ValueRange(spanning: xs.isEmpty ? [0, 1] : xs), y: ValueRange(spanning: ys.isEmpty ? [0, 1] : ys))
        canvas.text(title, at: Point(rect.minX + 56, rect.minY + 14), font: .bold(12))
        canvas.drawAxes(axes, xLabel: xLabel, yLabel: yLabel)
        canvas.withSavedState {
            canvas.clip(to: axes.frame.inset(by: -1))
            for s in series {
                canvas.polyline(s.points.map { axes.point($0.x, $0.y) }, color: s.color, lineWidth: 1.6)
            }
        }
        if legend > 0 {
            canvas.seriesLegend(series.map { ($0.name, $0.color) }, at: Point(axes.frame.maxX + 12, axes.frame.minY))
        }
    }

    /// The chart alone as a figure of `width`×`height` points.
    public func figure(width: Double = 420, height: Double = 280) -> Figure {
        Figure(width: width, height: height) { canvas in draw(on: canvas, in: canvas.bounds.inset(by: 8)) }
    }
}

// BarChart.swift — grouped bars: one group per category, one bar per series.
//
// Paper Tables 1–4 as pictures: e.g. mean IU per model (groups) and per dataset split (series).
// Bars start at zero (a bar's length is its value); every bar carries its number.

/// A grouped bar chart.
///
/// ```swift
/// let chart = BarChart(title: "Mean IU", yLabel: "mean IU (%)", groups: ["FCN-32s", "FCN-16s", "FCN-8s"],
///                      seriesNames: ["val"], values: [[59.4], [62.4], [62.7]])
/// ```
public struct BarChart: Sendable {
    /// The title above the chart and the label of the y axis.
    public var title: String, yLabel: String
    /// Category names along x.
    public var groups: [String]
    /// One name per bar within a group (legend).
    public var seriesNames: [String]
    /// `values[group][series]`.
    public var values: [[Double]]
    /// One colour per series (cycled).
    public var colors: [RGB]

    /// A grouped bar chart; `values` must be `groups.count` × `seriesNames.count`.
    public init(title: String, yLabel: String, groups: [String], seriesNames: [String], values: [[Double]],
                colors: [RGB] = RGB.series) {
        precondition(values.count == groups.count && values.allSatisfy { $0.count == seriesNames.count },
                     "BarChart: values must be \(groups.count) groups × \(seriesNames.count) series")
        self.title = title; self.yLabel = yLabel; self.groups = groups
        self.seriesNames = seriesNames; self.values = values; self.colors = colors
    }

    /// Draws the chart inside `rect`.
    public func draw(on canvas: Canvas, in rect: Rect) {
        let all = values.flatMap { $0 }
        // The legend sits outside the plot, on the right; 8 % headroom keeps value labels inside.
        let legend = seriesNames.count > 1 ? canvas.seriesLegendWidth(seriesNames) : 0
        let axes = Axes(frame: rect.inset(top: 24, left: 56, bottom: 40, right: 12 + legend),
                        x: ValueRange(0, 1), y: ValueRange(min(0, 1.08 * (all.min() ?? 0)), max(0, 1.08 * (all.max() ?? 1))))
        canvas.text(title, at: Point(rect.minX + 56, rect.minY + 14), font: .bold(12))
        canvas.drawAxes(axes, xLabel: "", yLabel: yLabel, xTicks: false)
        let f = axes.frame
        let groupWidth = f.width / Double(max(1, groups.count))
        let barWidth = groupWidth * 0.8 / Double(max(1, seriesNames.count))
        for (g, name) in groups.enumerated() {
            let left = f.minX + Double(g) * groupWidth + groupWidth * 0.1
            for (s, v) in values[g].enumerated() {
                let top = axes.point(0, max(v, 0)).y, bottom = axes.point(0, min(v, 0)).y
                let bar = Rect(x: left + Double(s) * barWidth, y: top, width: barWidth * 0.92, height: bottom - top)
                canvas.fill(bar, colors[s % colors.count])
                canvas.text(formatNumber(v), at: Point(bar.center.x, top - 2), font: .regular(8),
                            align: .center, baseline: .bottom)
            }
            canvas.text(name, at: Point(left + groupWidth * 0.4, f.maxY + 6), font: .regular(9),
                        align: .center, baseline: .top)
        }
        if legend > 0 {
            canvas.seriesLegend(seriesNames.enumerated().map { ($1, colors[$0 % colors.count]) },
                                at: Point(f.maxX + 12, f.minY), lineSample: false)
        }
    }

    /// The chart alone as a figure of `width`×`height` points.
    public func figure(width: Double = 420, height: Double = 280) -> Figure {
        Figure(width: width, height: height) { canvas in draw(on: canvas, in: canvas.bounds.inset(by: 8)) }
    }
}

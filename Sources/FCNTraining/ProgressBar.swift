// ProgressBar.swift — one line that tells a person how a long run is going.
//
// Training and evaluation print a bar with the step, a rate, the time left and whatever
// figures matter (loss, pixel accuracy). On a terminal the line is redrawn in place (carriage
// return); when the output is a file or a CI log it prints a plain line every `logEvery`
// seconds instead, so logs stay readable.
import FCN
import FCNCore
import Foundation

/// A progress display for a run of known length.
///
/// ```swift
/// var bar = ProgressBar(total: 500, label: "FCN-32s")
/// for step in 1...500 {
///     bar.update(step: step, figures: [("loss", 0.42), ("pixel acc", 0.91)])
/// }
/// bar.finish()
/// ```
public struct ProgressBar {
    /// The number of items to do.
    public let total: Int
    /// The text before the bar.
    public let label: String
    /// The unit of the rate shown ("img" for images per second).
    public var unit: String = "img"
    /// On a non-terminal, seconds between printed lines.
    public var logEvery: Double = 10
    private let start = Date()
    private var lastPrint = Date.distantPast
    private let isTerminal: Bool
    private var lastLine = ""

    /// A bar for `total` items.
    public init(total: Int, label: String, unit: String = "img") {
        self.total = max(total, 1)
        self.label = label
        self.unit = unit
        isTerminal = isatty(STDERR_FILENO) != 0
    }

    /// Redraws the bar after `step` of `total` items.
    public mutating func update(step: Int, figures: [(String, Double)] = []) {
        let now = Date()
        let elapsed = now.timeIntervalSince(start)
        let rate = elapsed > 0 ? Double(step) / elapsed : 0
        let remaining = rate > 0 ? Double(total - step) / rate : 0
        let width = 24
        let filled = min(width, width * step / total)
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let values = figures.map { "\($0.0) \(Self.format($0.1))" }.joined(separator: "  ")
        lastLine = "\(label) \(bar) \(step)/\(total)  \(values)  \(String(format: "%.1f", rate)) \(unit)/s  ETA \(Self.clock(remaining))"
        if isTerminal {
            if now.timeIntervalSince(lastPrint) >= 0.1 || step == total {
                FileHandle.standardError.write(Data(("\r\u{1B}[K" + lastLine).utf8))
                lastPrint = now
            }
        } else if now.timeIntervalSince(lastPrint) >= logEvery || step == total {
            FileHandle.standardError.write(Data((lastLine + "\n").utf8))
            lastPrint = now
        }
    }

    /// Prints `line` on its own line (a validation score, say) and redraws the bar below it on
    /// a terminal.
    public mutating func note(_ line: String) {
        if isTerminal {
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + line + "\n" + lastLine).utf8))
        } else {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }

    /// Ends the line of a run that was stopped before its end (Ctrl-C): says "stopped", never
    /// "done", with the step reached and the elapsed time.
    public mutating func stop() {
        let elapsed = Date().timeIntervalSince(start)
        if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
        FileHandle.standardError.write(Data("\(label): stopped after \(Self.clock(elapsed))\n".utf8))
    }

    /// Ends the line and prints the elapsed time.
    public mutating func finish() {
        let elapsed = Date().timeIntervalSince(start)
        if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
        FileHandle.standardError.write(Data("\(label): done in \(Self.clock(elapsed))\n".utf8))
    }

    static func format(_ x: Double) -> String {
        abs(x) >= 100 ? String(format: "%.0f", x) : String(format: "%.4f", x)
    }

    /// 75 → "1:15", 3700 → "1:01:40".
    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}

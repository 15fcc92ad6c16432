// Formatting.swift — small helpers chapters share to print measured numbers in columns.
// No paper section: course plumbing, next to `show` in Lesson.swift.

/// `s` padded with spaces to `width` characters (unchanged if already as long), for tables.
///
/// ```swift
/// column("fc6", 8) + "404"      // "fc6     404"
/// ```
public func column(_ s: String, _ width: Int) -> String {
    s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
}

extension Duration {
    /// The duration in seconds, as a Double (`ContinuousClock().measure { … }.inSeconds`).
    public var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}

/// A fraction as a percentage with one decimal, for tables of metrics: `percent(0.9)` is "90.0".
public func percent(_ fraction: Double) -> String { String(format: "%.1f", 100 * fraction) }

// NumberFormat.swift — short, honest number labels for ticks, colour bars and tables.
//
// No paper section: drawing infrastructure.
import Foundation

/// `value` with up to `significant` significant digits, trailing zeros removed, a real minus
/// sign (−), and scientific notation outside 1e-3…1e5.
///
/// ```swift
/// formatNumber(0.25)      // "0.25"
/// formatNumber(-3)        // "−3"
/// formatNumber(123456)    // "1.23e5"
/// ```
public func formatNumber(_ value: Double, significant: Int = 3) -> String {
    guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "∞" : "−∞") }
    if value == 0 { return "0" }
    let magnitude = abs(value)
    var s: String
    if magnitude >= 1e5 || magnitude < 1e-3 {
        s = String(format: "%.\(max(0, significant - 1))e", value)
        // "1.50e+05" → "1.5e5"
        let parts = s.split(separator: "e")
        var mantissa = String(parts[0])
        if mantissa.contains(".") {
            while mantissa.hasSuffix("0") { mantissa.removeLast() }
            if mantissa.hasSuffix(".") { mantissa.removeLast() }
        }
        s = mantissa + "e" + String(Int(parts[1])!)
    } else {
        let decimals = max(0, significant - 1 - Int(floor(log10(magnitude))))
        s = String(format: "%.\(decimals)f", value)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
    }
    return s.replacingOccurrences(of: "-", with: "−")
}

// Rational.swift — exact fractions for coordinate arithmetic (paper §3.2–3.3, §4.1).
//
// Coordinate maps scale by strides and by 1/stride (after upsampling) and shift by half kernels,
// so positions such as −83.5 or 12.5 appear. Floating point would represent these particular
// values exactly, but not a stride of 3's thirds; crop offsets must be checked to be *exact*
// integers, so this small exact type is used instead.

/// An exact fraction `numerator / denominator`, kept in lowest terms with a positive denominator.
///
/// ```swift
/// let half = Rational(1, 2)
/// (half * 3 + 1).description      // "2.5"
/// ```
public struct Rational: Hashable, Sendable, Comparable, ExpressibleByIntegerLiteral, CustomStringConvertible {
    /// The numerator, carrying the sign.
    public let numerator: Int
    /// The denominator, always positive; the fraction is kept in lowest terms.
    public let denominator: Int

    /// The fraction `numerator / denominator`, reduced to lowest terms.
    public init(_ numerator: Int, _ denominator: Int = 1) {
        precondition(denominator != 0, "Rational: zero denominator")
        let g = Rational.gcd(abs(numerator), abs(denominator))
        let sign = denominator < 0 ? -1 : 1
        self.numerator = sign * numerator / max(g, 1)
        self.denominator = sign * denominator / max(g, 1)
    }
    /// A whole number, so that `let r: Rational = 32` works.
    public init(integerLiteral value: Int) { self.init(value) }

    static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }

    /// Whether the value is a whole number.
    public var isInteger: Bool { denominator == 1 }
    /// The value if it is a whole number, else `nil`.
    public var integerValue: Int? { isInteger ? numerator : nil }
    /// The value as a `Double` (for printing and plotting).
    public var doubleValue: Double { Double(numerator) / Double(denominator) }

    /// The exact sum.
    public static func + (a: Rational, b: Rational) -> Rational {
        Rational(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator)
    }
    /// The exact difference.
    public static func - (a: Rational, b: Rational) -> Rational { a + Rational(-b.numerator, b.denominator) }
    /// The exact product.
    public static func * (a: Rational, b: Rational) -> Rational {
        Rational(a.numerator * b.numerator, a.denominator * b.denominator)
    }
    /// The exact quotient (`b` must not be zero).
    public static func / (a: Rational, b: Rational) -> Rational {
        Rational(a.numerator * b.denominator, a.denominator * b.numerator)
    }
    /// Orders by value.
    public static func < (a: Rational, b: Rational) -> Bool {
        a.numerator * b.denominator < b.numerator * a.denominator
    }

    /// Whole numbers as integers, halves and other finite decimals as decimals, the rest as `n/d`.
    public var description: String {
        if isInteger { return "\(numerator)" }
        var d = denominator
        while d % 2 == 0 { d /= 2 }
        while d % 5 == 0 { d /= 5 }
        if d == 1 {
            var text = "\(doubleValue)"
            if text.hasSuffix(".0") { text.removeLast(2) }
            return text
        }
        return "\(numerator)/\(denominator)"
    }
}

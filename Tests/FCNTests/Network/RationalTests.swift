// RationalTests.swift — the exact fractions behind coordinate maps.
import Testing
@testable import FCN

@Suite struct RationalTests {
    @Test func lowestTermsAndArithmetic() {
        let r = Rational(6, -4)
        #expect(r.numerator == -3 && r.denominator == 2)
        #expect(Rational(1, 2) + Rational(1, 3) == Rational(5, 6))
        #expect(Rational(3) * Rational(1, 3) == 1)
        #expect((Rational(1) / Rational(32)).denominator == 32)
        #expect(Rational(212) + Rational(2) * Rational(32) == Rational(276))
        let sum: Rational = 212 + 2 * 32
        #expect(sum == Rational(276))
        #expect(Rational(-167, 2).description == "-83.5")
        #expect(Rational(1, 3).description == "1/3")
        #expect(Rational(-3, 2) < Rational(-1, 2))
    }
}

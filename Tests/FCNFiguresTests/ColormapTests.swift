// ColormapTests.swift — colormaps against matplotlib's table, number labels, nice ticks.
import Testing
@testable import FCNFigures

@Suite struct ColormapTests {
    @Test func viridisMatchesMatplotlibRows() {
        // Rows 0, 127, 128 and 255 of matplotlib's _viridis_data; t = 0.5 lies between 127 and 128.
        let first = RGB(0.267004, 0.004874, 0.329415), last = RGB(0.993248, 0.906157, 0.143936)
        let mid = RGB(0.128729, 0.563265, 0.551229).mixed(with: RGB(0.127568, 0.566949, 0.550556), 0.5)
        for (t, expected) in [(0.0, first), (1.0, last), (0.5, mid)] {
            let c = Colormap.viridis.color(at: t)
            let error = max(abs(c.red - expected.red), abs(c.green - expected.green), abs(c.blue - expected.blue))
            #expect(error < 1.0 / 255, "viridis(\(t)) off by \(error * 255) levels")
        }
    }

    @Test func viridisLuminanceRises() {
        let lum = (0...50).map { Colormap.viridis.color(at: Double($0) / 50).luminance }
        #expect(zip(lum, lum.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test func divergingMapIsBlueWhiteRed() {
        let m = Colormap.blueWhiteRed
        #expect(m.color(at: 0.5) == RGB(hex: 0xF7F7F7))
        #expect(m.color(at: 0).blue > m.color(at: 0).red)
        #expect(m.color(at: 1).red > m.color(at: 1).blue)
        #expect(m.color(at: -3) == m.color(at: 0) && m.color(at: 7) == m.color(at: 1))   // clamped
        #expect(m.color(at: .nan) == RGB.grey)
    }

    @Test func valueRanges() {
        #expect(ValueRange(spanning: [Float(2), -1, .nan, 5]) == ValueRange(-1, 5))
        #expect(ValueRange(spanning: [Float(3), 3]) == ValueRange(2.5, 3.5))
        #expect(ValueRange(symmetricAbout: [Float(-2), 0.5]) == ValueRange(-2, 2))
        #expect(ValueRange(-1, 3).fraction(0) == 0.25)
    }

    @Test func niceTicksAreRound() {
        #expect(niceTicks(0, 0.93, count: 5).map { ($0 * 10).rounded() / 10 } == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(niceTicks(0, 1000, count: 5) == [0, 200, 400, 600, 800, 1000])
        #expect(niceTicks(-3.2, 7.9, count: 5) == [-4, -2, 0, 2, 4, 6, 8])
        #expect(niceTicks(2, 2) == [2])
    }

    @Test func numberLabels() {
        #expect(formatNumber(0.25) == "0.25")
        #expect(formatNumber(-3) == "−3")
        #expect(formatNumber(1.0 / 3) == "0.333")
        #expect(formatNumber(123456) == "1.23e5")
        #expect(formatNumber(0.0001) == "1e−4")
        #expect(formatNumber(0) == "0")
    }
}

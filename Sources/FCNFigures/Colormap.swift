// Colormap.swift — numbers to colours: viridis (sequential) and blue–white–red (diverging).
//
// No paper section: drawing infrastructure for feature maps, score maps and heatmaps.
// - viridis (van der Walt & Smith, 2015; matplotlib's default): perceptually uniform and
//   readable in grey and by colour-blind readers. For activations and probabilities ≥ 0.
// - blue–white–red: ColorBrewer's RdBu (Cynthia Brewer, colorbrewer2.org), reversed so that
//   negative is blue, zero is white, positive is red. For weights and signed differences.
// Both are anchor tables with linear interpolation in sRGB between evenly spaced anchors.

/// A map from t ∈ [0, 1] to a colour, by linear interpolation between evenly spaced anchors.
///
/// ```swift
/// Colormap.viridis.color(at: 0)      // dark purple
/// Colormap.viridis.color(at: 1)      // yellow
/// Colormap.blueWhiteRed.color(at: 0.5)  // white: the middle of a diverging map
/// ```
public struct Colormap: Sendable {
    /// The colormap's name ("viridis", "blue-white-red", …).
    public let name: String
    /// Colours at t = 0, 1/(n−1), …, 1.
    public let anchors: [RGB]

    /// A colormap through `anchors` (at least two), evenly spaced over [0, 1].
    public init(name: String, anchors: [RGB]) {
        precondition(anchors.count >= 2, "Colormap: need at least two anchors")
        self.name = name; self.anchors = anchors
    }

    /// The colour at `t`, clamped to [0, 1]. NaN maps to mid grey so that it stands out.
    public func color(at t: Double) -> RGB {
        guard !t.isNaN else { return RGB.grey }
        let position = max(0, min(1, t)) * Double(anchors.count - 1)
        let i = min(Int(position), anchors.count - 2)
        return anchors[i].mixed(with: anchors[i + 1], position - Double(i))
    }

    /// Viridis: every 5th row (rows 0, 5, …, 255) of matplotlib's 256-row `_viridis_data`
    /// (lib/matplotlib/_cm_listed.py, CC0). Interpolating these 52 rows reproduces all 256
    /// within 0.62 of an 8-bit level (measured against the full table).
    public static let viridis = Colormap(name: "viridis", anchors: [
        RGB(0.267004, 0.004874, 0.329415), RGB(0.273809, 0.031497, 0.358853),
        RGB(0.278791, 0.062145, 0.386592), RGB(0.281924, 0.089666, 0.412415),
        RGB(0.283197, 0.115680, 0.436115), RGB(0.282623, 0.140926, 0.457517),
        RGB(0.280255, 0.165693, 0.476498), RGB(0.276194, 0.190074, 0.493001),
        RGB(0.270595, 0.214069, 0.507052), RGB(0.263663, 0.237631, 0.518762),
        RGB(0.255645, 0.260703, 0.528312), RGB(0.246811, 0.283237, 0.535941),
        RGB(0.237441, 0.305202, 0.541921), RGB(0.227802, 0.326594, 0.546532),
        RGB(0.218130, 0.347432, 0.550038), RGB(0.208623, 0.367752, 0.552675),
        RGB(0.199430, 0.387607, 0.554642), RGB(0.190631, 0.407061, 0.556089),
        RGB(0.182256, 0.426184, 0.557120), RGB(0.174274, 0.445044, 0.557792),
        RGB(0.166617, 0.463708, 0.558119), RGB(0.159194, 0.482237, 0.558073),
        RGB(0.151918, 0.500685, 0.557587), RGB(0.144759, 0.519093, 0.556572),
        RGB(0.137770, 0.537492, 0.554906), RGB(0.131172, 0.555899, 0.552459),
        RGB(0.125394, 0.574318, 0.549086), RGB(0.120565, 0.592739, 0.544641),
        RGB(0.119423, 0.611141, 0.538982), RGB(0.122312, 0.629492, 0.531973),
        RGB(0.130067, 0.647749, 0.523491), RGB(0.143303, 0.665859, 0.513427),
        RGB(0.162016, 0.683765, 0.501686), RGB(0.185783, 0.701402, 0.488189),
        RGB(0.214000, 0.718701, 0.472873), RGB(0.246070, 0.735588, 0.455688),
        RGB(0.281477, 0.751988, 0.436601), RGB(0.319809, 0.767822, 0.415586),
        RGB(0.360741, 0.783011, 0.392636), RGB(0.404001, 0.797475, 0.367757),
        RGB(0.449368, 0.811138, 0.340967), RGB(0.496615, 0.823929, 0.312321),
        RGB(0.545524, 0.835785, 0.281908), RGB(0.595839, 0.846661, 0.249897),
        RGB(0.647257, 0.856542, 0.216620), RGB(0.699415, 0.865448, 0.182725),
        RGB(0.751884, 0.873449, 0.149561), RGB(0.804182, 0.880678, 0.120005),
        RGB(0.855810, 0.887322, 0.099702), RGB(0.906311, 0.893616, 0.096335),
        RGB(0.955300, 0.899815, 0.112838), RGB(0.993248, 0.906157, 0.143936),
    ])

    /// Blue–white–red: ColorBrewer RdBu, 11 classes, from blue (t = 0) through the near-white
    /// #f7f7f7 (t = 0.5) to dark red (t = 1).
    public static let blueWhiteRed = Colormap(name: "blue–white–red", anchors: [
        0x053061, 0x2166AC, 0x4393C3, 0x92C5DE, 0xD1E5F0, 0xF7F7F7,
        0xFDDBC7, 0xF4A582, 0xD6604D, 0xB2182B, 0x67001F,
    ].map { RGB(hex: $0) })

    /// Greys from white (t = 0) to near-black (t = 1), for counts drawn behind dark text.
    public static let greys = Colormap(name: "greys", anchors: [RGB.white, RGB(0.25, 0.25, 0.25)])
}

/// A value range mapped onto a colormap's [0, 1].
public struct ValueRange: Hashable, Sendable {
    /// The values mapped to t = 0 and t = 1.
    public var lower: Double, upper: Double
    /// The range `lower…upper`.
    public init(_ lower: Double, _ upper: Double) {
        precondition(lower <= upper, "ValueRange: lower \(lower) above upper \(upper)")
        self.lower = lower; self.upper = upper
    }
    /// The range spanning `values` (finite ones only); (0, 1) if there are none.
    /// A constant input gets a range of width 1 centred on it, so every value maps to t = 0.5.
    public init<S: Sequence>(spanning values: S) where S.Element: BinaryFloatingPoint {
        var lo = Double.infinity, hi = -Double.infinity
        for v in values where v.isFinite { lo = min(lo, Double(v)); hi = max(hi, Double(v)) }
        if lo > hi { self.init(0, 1) } else if lo == hi { self.init(lo - 0.5, hi + 0.5) } else { self.init(lo, hi) }
    }
    /// A range symmetric about 0 covering `values`, for diverging colormaps.
    public init<S: Sequence>(symmetricAbout values: S) where S.Element: BinaryFloatingPoint {
        let r = ValueRange(spanning: values)
        let m = max(abs(r.lower), abs(r.upper))
        self.init(-m, m)
    }
    /// Where `value` falls: 0 at `lower`, 1 at `upper` (not clamped).
    public func fraction(_ value: Double) -> Double { (value - lower) / (upper - lower) }
}

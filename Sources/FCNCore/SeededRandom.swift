// SeededRandom.swift — a small deterministic random number generator.
//
// Everything random in swift-fcn (weight initialisation, synthetic scenes, dropout masks,
// data order) draws from a generator seeded by the caller, so that a run can be repeated bit
// for bit. Swift's `SystemRandomNumberGenerator` cannot be seeded, so we use SplitMix64
// (Steele, Lea & Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014):
// 64 bits of state, one add and three xor-shift-multiply steps per number, good statistics.

import Foundation

/// A seedable, deterministic random number generator (SplitMix64).
///
/// ```swift
/// var rng = SeededRandom(seed: 42)
/// let a = rng.nextFloat()          // the same value on every run and machine
/// ```
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose whole sequence is fixed by `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits (SplitMix64).
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform `Float` in [0, 1), from the top 24 bits (exactly representable).
    public mutating func nextFloat() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// A standard normal sample (Box–Muller; one of the pair is discarded for simplicity).
    public mutating func nextNormal() -> Float {
        // u1 in (0, 1] so that log(u1) is finite.
        let u1 = 1.0 - Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        let u2 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        return Float((-2.0 * log(u1)).squareRoot() * cos(2.0 * Double.pi * u2))
    }
}


extension Tensor {
    /// A tensor of independent uniform samples in `range`.
    public init(randomUniform shape: [Int], in range: ClosedRange<Float> = -1...1, using rng: inout SeededRandom) {
        let width = range.upperBound - range.lowerBound
        var scalars = [Float](repeating: 0, count: Tensor.elementCount(shape))
        for i in scalars.indices { scalars[i] = range.lowerBound + width * rng.nextFloat() }
        self.init(shape: shape, scalars: scalars)
    }

    /// A tensor of independent normal samples with the given mean and standard deviation.
    public init(randomNormal shape: [Int], mean: Float = 0, standardDeviation: Float = 1, using rng: inout SeededRandom) {
        var scalars = [Float](repeating: 0, count: Tensor.elementCount(shape))
        for i in scalars.indices { scalars[i] = mean + standardDeviation * rng.nextNormal() }
        self.init(shape: shape, scalars: scalars)
    }
}

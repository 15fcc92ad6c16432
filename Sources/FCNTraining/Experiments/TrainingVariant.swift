// TrainingVariant.swift — the choices the paper tried and set aside, as switches on a stage's
// training (CVPR 2015 §4.2–4.3), so that each can be trained and compared in miniature.
//
// The shipped models use `TrainingVariant.paper`: the choices the paper kept. Each other setting
// is one of its controls:
//   fusion .max            footnote 6: "Max fusion made learning difficult due to gradient switching."
//   fusion .pool4Only      §4.2: "learning only from the pool4 layer (which resulted in poor
//                          performance)" — the stride-32 stream's share of the fusion set to 0;
//   atOnceScales           the at-once net's 0.01 / 0.0001 on pool4 / pool3 (PAMI 2016 §4.2),
//                          or scales matched to this net's activations;
//   learnedUpsampling      §4.3 "Dense Prediction": "intermediate upsampling layers are
//                          initialized to bilinear upsampling, and then learned" (Berkeley's
//                          released nets fix them all: the default here);
//   randomScoreInit        §4.3 "Optimization": "We zero-initialize the class scoring
//                          convolution layer, finding random initialization to yield neither
//                          better performance nor faster convergence";
//   lossSampling p         §4.3 "Patch Sampling", Fig. 5: "ignore each final layer cell with
//                          some probability 1−p … increase the number of images per batch by
//                          a factor 1/p" (the batch is set by the experiment);
//   classBalancing         §4.3 "Class Balancing": "weighting or sampling the loss … we find
//                          class balancing unnecessary";
//   augmentation           §4.3 "Augmentation": "randomly mirroring and 'jittering' the images
//                          by translating them up to 32 pixels … no noticeable improvement".

import FCN
import FCNCore

/// Switches on a segmentation stage's training: the paper's kept choices by default, its controls otherwise.
///
/// ```swift
/// var variant = TrainingVariant.paper
/// variant.fusion = .max                          // footnote 6
/// let net = try variant.apply(to: TrainingStage.fcn16s.description(.standard))
/// ```
public struct TrainingVariant: Hashable, Sendable, Codable {
    /// How a skip's scores join the coarser stream's.
    public enum Fusion: String, Hashable, Sendable, Codable, CaseIterable {
        /// Element-wise sum (the paper's choice, Fig. 3).
        case sum
        /// Element-wise max (footnote 6).
        case max
        /// Only the finest skip's scores: the coarser stream is weighted 0 (§4.2's "pool4 only").
        case finestOnly
    }

    /// How skips are fused.
    public var fusion: Fusion = .sum
    /// The at-once net's multipliers on pool4 and pool3 (`nil`: the paper's 0.01 and 0.0001).
    public var atOnceScales: [Float]? = nil
    /// Whether the intermediate upsampling layers (upscore2, upscore_pool4) learn.
    public var learnedUpsampling = false
    /// Whether new score layers start random (He normal) instead of at zero.
    public var randomScoreInit = false
    /// The probability p that the loss keeps a final-layer cell (1: whole-image training).
    public var lossSampling = 1.0
    /// Whether the loss weights each pixel by the inverse frequency of its class.
    public var classBalancing = false
    /// Whether each training image is mirrored at random and shifted by up to 32 px.
    public var augmentation = false

    /// The paper's choices: sum fusion, fixed upsampling, zero score layers, whole images, no
    /// balancing, no augmentation.
    public static let paper = TrainingVariant()

    /// A variant; every choice defaults to the paper's.
    public init(fusion: Fusion = .sum, atOnceScales: [Float]? = nil, learnedUpsampling: Bool = false, randomScoreInit: Bool = false,
                lossSampling: Double = 1, classBalancing: Bool = false, augmentation: Bool = false) {
        self.fusion = fusion; self.atOnceScales = atOnceScales; self.learnedUpsampling = learnedUpsampling
        self.randomScoreInit = randomScoreInit; self.lossSampling = lossSampling
        self.classBalancing = classBalancing; self.augmentation = augmentation
    }

    /// The stage's network with this variant's fusion, skip scales and upsampling kinds.
    ///
    /// The fusion layers are the `fuse_<tap>` sums of `FCN.description` (bottoms: the coarser
    /// stream, then the skip's scores); the at-once scales are the `scale_<tap>` layers.
    public func apply(to description: NetworkDescription) -> NetworkDescription {
        var d = description
        let fuses = d.layers.indices.filter { d.layers[$0].name.hasPrefix("fuse_") }
        for (k, i) in fuses.enumerated() {
            switch fusion {
            case .sum: break
            case .max: d.layers[i].kind = .max
            case .finestOnly: if k == fuses.count - 1 { d.layers[i].kind = .sum(coefficients: [0, 1]) }
            }
        }
        if learnedUpsampling {
            for i in d.layers.indices where ["upscore2", "upscore_pool4"].contains(d.layers[i].name) {
                if case .transposedConvolution(var p) = d.layers[i].kind { p.kernelKind = .learnable; d.layers[i].kind = .transposedConvolution(p) }
            }
        }
        if let scales = atOnceScales {
            for (tap, scale) in zip(["scale_pool4", "scale_pool3"], scales) {
                if let i = d.layers.firstIndex(where: { $0.name == tap }) { d.layers[i].kind = .sum(coefficients: [scale]) }
            }
        }
        return d
    }
}

/// The per-pixel changes a variant makes to one training image and its loss.
enum VariantData {
    /// Mirrors the image and its labels with probability ½, then shifts both by up to `jitter`
    /// pixels in each direction; pixels shifted in are the mean colour (input 0) and void.
    static func augment(_ x: Tensor, _ t: Tensor, jitter: Int = 32, using rng: inout SeededRandom) -> (Tensor, Tensor) {
        let h = x.shape[2], w = x.shape[3]
        let mirror = Bool.random(using: &rng)
        let dy = Int.random(in: -jitter...jitter, using: &rng), dx = Int.random(in: -jitter...jitter, using: &rng)
        var y = Tensor(zeros: x.shape)
        var u = Tensor(repeating: Float(ShapeClass.void), shape: t.shape)
        for r in 0..<h {
            let sr = r - dy
            guard sr >= 0 && sr < h else { continue }
            for c in 0..<w {
                var sc = c - dx
                guard sc >= 0 && sc < w else { continue }
                if mirror { sc = w - 1 - sc }
                for ch in 0..<3 { y.scalars[(ch * h + r) * w + c] = x.scalars[(ch * h + sr) * w + sc] }
                u.scalars[r * w + c] = t.scalars[sr * w + sc]
            }
        }
        return (y, u)
    }

    /// Labels with each `cell`×`cell` block (a final-layer cell: 32 px at stride 32) kept with
    /// probability `p` and otherwise made void, so the loss ignores it (§3.4 "loss sampling").
    static func sampleCells(_ t: Tensor, keep p: Double, cell: Int = 32, using rng: inout SeededRandom) -> Tensor {
        guard p < 1 else { return t }
        let h = t.shape[2], w = t.shape[3]
        let rows = (h + cell - 1) / cell, cols = (w + cell - 1) / cell
        let kept = (0..<(rows * cols)).map { _ in Double.random(in: 0..<1, using: &rng) < p }
        var u = t
        for r in 0..<h {
            for c in 0..<w where !kept[(r / cell) * cols + c / cell] { u.scalars[r * w + c] = Float(ShapeClass.void) }
        }
        return u
    }

    /// Per-pixel loss weights K·(1/f_c)/Σ(1/f_k) normalised so that the counted pixels' weights
    /// average 1, from the image's own class frequencies f (void pixels weigh 0).
    static func balancingWeights(_ t: Tensor, classes: Int) -> [Float] {
        var counts = [Int](repeating: 0, count: classes)
        for v in t.scalars { let c = Int(v); if c >= 0 && c < classes { counts[c] += 1 } }
        let counted = counts.reduce(0, +)
        guard counted > 0 else { return [Float](repeating: 0, count: t.scalars.count) }
        let present = counts.filter { $0 > 0 }.count
        // Each present class gets an equal share of the total weight: w_c = counted / (present · n_c).
        let classWeight = counts.map { $0 == 0 ? 0 : Float(counted) / Float(present * $0) }
        return t.scalars.map { v in let c = Int(v); return c >= 0 && c < classes ? classWeight[c] : 0 }
    }
}

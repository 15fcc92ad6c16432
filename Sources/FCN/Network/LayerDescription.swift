// LayerDescription.swift — one layer of a network, described as data (paper §3, §4.1).
//
// A network in this library is first a *description*: an ordered list of layers, each with a
// name, a kind with its parameters, the blobs it reads (`bottoms`) and the blobs it writes
// (`tops`) — exactly the vocabulary of a Caffe prototxt, so that Berkeley's `voc-fcn*/net.py`
// files translate line for line. Nothing here computes on tensors: shapes, coordinate maps,
// receptive fields and parameter counts are all derived from these values (`Network/`).
//
// What each kind *means* lives in its folder, `Layers/<Kind>/` (its parameters, its description
// rules, its reference loops, its fast path), behind the `LayerDefinition` protocol; the one
// switch that maps a case to its definition is `LayerKind.definition` below. Adding a kind is a
// new folder, a new case and a new line in that switch.
//
// Caffe names in brackets: Convolution, Deconvolution, Pooling (MAX), ReLU, Dropout, LRN, Crop,
// Eltwise (SUM, with coefficients; MAX), InnerProduct, SoftmaxWithLoss.

import FCNCore

/// What a layer computes, with its parameters.
///
/// ```swift
/// LayerKind.convolution(.init(outputs: 64, kernel: 3, padding: 1)).caffeType   // "Convolution"
/// LayerKind.sum(coefficients: [1, 1]).caffeType                                // "Eltwise"
/// ```
public enum LayerKind: Hashable, Sendable {
    /// A convolution (§3.1; fully connected layers become these in net surgery).
    case convolution(ConvolutionParameters)
    /// A transposed ("backwards") convolution, FCN's in-network upsampling (§3.3).
    case transposedConvolution(TransposedConvolutionParameters)
    /// Max pooling.
    case maxPooling(PoolingParameters)
    /// `max(0, x)`, usually in place.
    case relu
    /// Zeroes each value with probability `ratio` during training; identity at inference.
    case dropout(ratio: Float)
    /// Local response normalisation across channels (AlexNet).
    case localResponseNormalization(LRNParameters)
    /// Bottoms: the blob to crop, then the blob whose size to take.
    case crop(CropParameters)
    /// `Σ coefficients[i] · bottoms[i]` (Caffe `Eltwise` SUM with `coeff`). A single bottom with a
    /// single coefficient is a fixed scaling — FCN-8s at-once's `scale_pool4` (×0.01).
    case sum(coefficients: [Float])
    /// A fully connected layer (a classifier's fc6–fc8 before net surgery).
    case linear(LinearParameters)
    /// Bottoms: scores `[N, K, H, W]`, then labels `[N, 1, H, W]`; top: the scalar loss.
    case softmaxCrossEntropy(SoftmaxLossParameters)

    /// The element-wise maximum of the bottoms (Caffe `Eltwise` MAX): the skip fusion the paper
    /// tried before settling on the sum (§4.2, footnote).
    case max

    /// This kind's definition: everything the library knows about it (`Layers/<Kind>/`).
    ///
    /// The one place a case meets its definition; every rule about a kind is asked of it.
    var definition: any LayerDefinition {
        switch self {
        case .convolution(let p): p
        case .transposedConvolution(let p): p
        case .maxPooling(let p): p
        case .relu: ReLUParameters()
        case .dropout(let ratio): DropoutParameters(ratio: ratio)
        case .localResponseNormalization(let p): p
        case .crop(let p): p
        case .sum(let coefficients): SumParameters(coefficients: coefficients)
        case .max: ElementwiseMaxParameters()
        case .linear(let p): p
        case .softmaxCrossEntropy(let p): p
        }
    }

    /// The Caffe layer type this kind corresponds to (as written in a prototxt).
    public var caffeType: String { definition.caffeType }

    /// The number of bottoms the kind reads, or `nil` for "one or more" (sum, max).
    var bottomCount: Int? { definition.bottomCount }

    /// Whether the top may reuse the bottom's name (Caffe's `in_place=True`): only for layers
    /// that map each value to one value independently, as in Berkeley's nets (ReLU, Dropout).
    var allowsInPlace: Bool { definition.allowsInPlace }
}

/// One layer: a unique `name`, a `kind`, the blobs it reads and writes.
///
/// ```swift
/// let conv = LayerDescription("conv1_1", .convolution(.init(outputs: 64, kernel: 3, padding: 100)), bottom: "data")
/// let relu = LayerDescription("relu1_1", .relu, bottom: "conv1_1", top: "conv1_1")   // in place
/// ```
///
/// ### See Also
/// - ``NetworkDescription``, the ordered list these belong to.
public struct LayerDescription: Hashable, Sendable {
    /// The layer's unique name; its parameters are `"<name>.weight"` and `"<name>.bias"`.
    public var name: String
    /// What the layer computes.
    public var kind: LayerKind
    /// The blobs the layer reads, in order.
    public var bottoms: [String]
    /// The blobs the layer writes (one; equal to the bottom for in-place layers).
    public var tops: [String]

    /// A layer with any number of bottoms (a sum, a crop, a loss).
    public init(name: String, kind: LayerKind, bottoms: [String], tops: [String]) {
        self.name = name; self.kind = kind; self.bottoms = bottoms; self.tops = tops
    }

    /// A single-bottom layer; the top is named after the layer unless given (as Caffe's NetSpec does).
    public init(_ name: String, _ kind: LayerKind, bottom: String, top: String? = nil) {
        self.init(name: name, kind: kind, bottoms: [bottom], tops: [top ?? name])
    }

    /// A multi-bottom layer (crop, sum, loss) whose top is named after the layer.
    public init(_ name: String, _ kind: LayerKind, bottoms: [String]) {
        self.init(name: name, kind: kind, bottoms: bottoms, tops: [name])
    }

    /// The single top every kind here writes.
    public var top: String { tops[0] }

    /// A few words saying what the layer does, for figures and tables: "3×3 conv → 64",
    /// "×2 up (k 4)", "crop +31", "sum", "× 0.01", "linear → 4096"; otherwise its Caffe type.
    ///
    /// - Parameter shapes: the network's shapes, for the offset a crop derived (`nil`: the
    ///   offset given in the description, if any).
    public func summary(in shapes: BlobShapes? = nil) -> String {
        kind.definition.summary(self, cropOffset: shapes?.cropOffsets[name])
    }

    /// The bottoms whose pixels flow into the top: all of them, except a crop's second (the
    /// reference only lends its size). Paths through a network (its depth, the figures' arrows)
    /// follow these.
    public var pathBottoms: [String] { kind.definition.pathBottoms(self) }
}

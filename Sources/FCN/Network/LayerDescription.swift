// LayerDescription.swift — one layer of a network, described as data (paper §3, §4.1).
//
// A network in this library is first a *description*: an ordered list of layers, each with a
// name, a kind with its parameters, the blobs it reads (`bottoms`) and the blobs it writes
// (`tops`) — exactly the vocabulary of a Caffe prototxt, so that Berkeley's `voc-fcn*/net.py`
// files translate line for line. Nothing here computes on tensors: shapes, coordinate maps,
// receptive fields and parameter counts are all derived from these values (`Network/`), and the
// executor later maps each kind onto its compute struct in `Layers/`.
//
// Caffe names in brackets: Convolution, Deconvolution, Pooling (MAX), ReLU, Dropout, LRN, Crop,
// Eltwise (SUM, with coefficients), InnerProduct, SoftmaxWithLoss.

import FCNCore

/// Parameters of a convolution [Caffe `Convolution`], weight `[O, C/G, KH, KW]`, bias `[O]`.
///
/// ```swift
/// let conv1_1 = ConvolutionParameters(outputs: 64, kernel: 3, padding: 100)   // an FCN's first layer
/// let fc6 = ConvolutionParameters(outputs: 4096, kernel: 7)                  // fc6 after net surgery
/// ```
public struct ConvolutionParameters: Hashable, Sendable {
    /// Number of output channels O (Caffe `num_output`).
    public var outputs: Int
    /// KH×KW, the filter size.
    public var kernel: Size2
    /// Step between windows (Caffe `stride`).
    public var stride: Size2
    /// Zeros added around the input (Caffe `pad`; conv1_1 of an FCN uses 100).
    public var padding: Padding
    /// Spacing between filter taps (Caffe `dilation`; 1 for dense filters).
    public var dilation: Size2
    /// Channel groups G (Caffe `group`; 2 in AlexNet's conv2, conv4, conv5).
    public var groups: Int
    /// Whether the layer has a bias `[O]` (Caffe `bias_term`).
    public var bias: Bool

    /// Parameters with Caffe's defaults: stride 1, no padding, no dilation, one group, a bias.
    public init(outputs: Int, kernel: Size2, stride: Size2 = 1, padding: Padding = 0, dilation: Size2 = 1, groups: Int = 1, bias: Bool = true) {
        self.outputs = outputs; self.kernel = kernel; self.stride = stride; self.padding = padding
        self.dilation = dilation; self.groups = groups; self.bias = bias
    }
}

/// Whether an upsampling kernel is trained or stays the bilinear interpolation it starts as.
public enum UpsamplingKernel: Hashable, Sendable {
    /// Bilinear interpolation, frozen (Berkeley's `lr_mult: 0`); not a learnable parameter.
    case fixedBilinear
    /// Trained like any filter (the paper, §3.3, initialises these to bilinear too).
    case learnable
}

/// Parameters of a transposed convolution [Caffe `Deconvolution`], weight `[C, O/G, KH, KW]`.
/// FCNs use it for in-network upsampling (paper §3.3) with `bias: false`.
///
/// ```swift
/// // 21 class scores upsampled 2× by a 4×4 kernel, bilinear at first and then trained, as in §4.2
/// // (``FCN/FCN/description(_:backbone:classes:)`` keeps Berkeley's fixed kernels instead).
/// let upscore2 = TransposedConvolutionParameters(outputs: 21, kernel: 4, stride: 2, kernelKind: .learnable)
/// ```
public struct TransposedConvolutionParameters: Hashable, Sendable {
    /// Number of output channels O (the number of classes K when upsampling scores).
    public var outputs: Int
    /// KH×KW, the filter size (2f for an upsampling by f).
    public var kernel: Size2
    /// The upsampling factor f.
    public var stride: Size2
    /// Rows and columns cropped from the output border.
    public var padding: Padding
    /// Spacing between filter taps.
    public var dilation: Size2
    /// Channel groups G.
    public var groups: Int
    /// Whether the layer has a bias `[O]` (FCNs: no).
    public var bias: Bool
    /// Whether the kernel is fixed bilinear or learned.
    public var kernelKind: UpsamplingKernel

    /// Parameters with FCN's defaults: no bias, a fixed bilinear kernel.
    public init(outputs: Int, kernel: Size2, stride: Size2 = 1, padding: Padding = 0, dilation: Size2 = 1, groups: Int = 1,
                bias: Bool = false, kernelKind: UpsamplingKernel = .fixedBilinear) {
        self.outputs = outputs; self.kernel = kernel; self.stride = stride; self.padding = padding
        self.dilation = dilation; self.groups = groups; self.bias = bias; self.kernelKind = kernelKind
    }
}

/// Parameters of max pooling [Caffe `Pooling` with `pool: MAX`].
///
/// ```swift
/// let pool1 = PoolingParameters(kernel: 2, stride: 2)   // VGG's pools; sizes rounded up as in Caffe
/// ```
public struct PoolingParameters: Hashable, Sendable {
    /// KH×KW, the window.
    public var kernel: Size2
    /// Step between windows.
    public var stride: Size2
    /// How far windows may start before the input.
    public var padding: Padding
    /// Caffe rounds sizes up; see ``MaxPooling/outputLength(input:kernel:stride:padBefore:padAfter:rounding:)``.
    public var rounding: Rounding

    /// Max pooling with Caffe's rounding (up) by default.
    public init(kernel: Size2, stride: Size2, padding: Padding = 0, rounding: Rounding = .ceil) {
        self.kernel = kernel; self.stride = stride; self.padding = padding; self.rounding = rounding
    }
}

/// Parameters of local response normalisation across channels [Caffe `LRN`]:
/// `y = x / (k + α/size · Σ x²)^β` over `size` neighbouring channels.
public struct LRNParameters: Hashable, Sendable {
    /// Channels per normalisation window.
    public var size: Int
    /// Scale α.
    public var alpha: Float
    /// Exponent β.
    public var beta: Float
    /// Additive constant k.
    public var k: Float
    /// Caffe's defaults: size 5, α = 1e-4, β = 0.75, k = 1.
    public init(size: Int = 5, alpha: Float = 1e-4, beta: Float = 0.75, k: Float = 1) {
        self.size = size; self.alpha = alpha; self.beta = beta; self.k = k
    }
}

/// Parameters of a spatial crop [Caffe `Crop`, axis 2]: the first bottom is cut to the height
/// and width of the second, starting at `offset`.
public struct CropParameters: Hashable, Sendable {
    /// The (top, left) corner of the window kept, or `nil`: derive it from the coordinate maps
    /// of the two bottoms, as Caffe's `coord_map.crop` does when Berkeley's `net.py` is run.
    public var offset: Size2?
    /// A crop at `offset`, or one whose offset is derived (`nil`).
    public init(offset: Size2? = nil) { self.offset = offset }
}

/// Parameters of a fully connected layer [Caffe `InnerProduct`]: the bottom `[N, C, H, W]` is
/// flattened to `[N, C·H·W]`; weight `[O, C·H·W]`, bias `[O]`, output `[N, O]`.
public struct LinearParameters: Hashable, Sendable {
    /// Number of outputs O.
    public var outputs: Int
    /// Whether the layer has a bias `[O]`.
    public var bias: Bool
    /// A fully connected layer of `outputs` outputs.
    public init(outputs: Int, bias: Bool = true) { self.outputs = outputs; self.bias = bias }
}

/// Parameters of the per-pixel softmax cross-entropy loss [Caffe `SoftmaxWithLoss`].
public struct SoftmaxLossParameters: Hashable, Sendable {
    /// Label value that contributes no loss (VOC's 255 border), or `nil`.
    public var ignoreLabel: Int?
    /// Divide by the number of counted pixels (`true`) or not (Berkeley: `false`, a sum).
    public var normalize: Bool
    /// Defaults: ignore 255, sum over pixels (Berkeley's nets).
    public init(ignoreLabel: Int? = 255, normalize: Bool = false) { self.ignoreLabel = ignoreLabel; self.normalize = normalize }
}

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

    /// The Caffe layer type this kind corresponds to (as written in a prototxt).
    public var caffeType: String {
        switch self {
        case .convolution: "Convolution"
        case .transposedConvolution: "Deconvolution"
        case .maxPooling: "Pooling"
        case .relu: "ReLU"
        case .dropout: "Dropout"
        case .localResponseNormalization: "LRN"
        case .crop: "Crop"
        case .sum(let c): c.count == 1 ? "Scale" : "Eltwise"
        case .linear: "InnerProduct"
        case .softmaxCrossEntropy: "SoftmaxWithLoss"
        }
    }

    /// The number of bottoms the kind reads, or `nil` for "one or more" (sum).
    var bottomCount: Int? {
        switch self {
        case .crop, .softmaxCrossEntropy: 2
        case .sum: nil
        default: 1
        }
    }

    /// Whether the top may reuse the bottom's name (Caffe's `in_place=True`): only for layers
    /// that map each value to one value independently, as in Berkeley's nets (ReLU, Dropout).
    var allowsInPlace: Bool {
        switch self {
        case .relu, .dropout: true
        default: false
        }
    }
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
}

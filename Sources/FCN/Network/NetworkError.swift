// NetworkError.swift — everything that can be wrong with a network description or its input.
//
// A description is user input (built by code, read from a file, typed on the command line), so
// mistakes are reported as values, never as traps. Each message names the layer and the problem.

import FCNCore

/// A problem found while validating a ``NetworkDescription`` or analysing it for an input size.
public enum NetworkError: Error, Equatable, Sendable, CustomStringConvertible {
    // Structure (``NetworkDescription/validate()``).
    /// The network declares no input blob.
    case noInputs(network: String)
    /// The layer at `position` has an empty name.
    case emptyName(network: String, position: Int)
    /// Two layers share a name.
    case duplicateLayerName(String)
    /// An input blob is declared twice.
    case duplicateInput(String)
    /// A layer reads a blob that no earlier layer writes.
    case undefinedBottom(layer: String, bottom: String)
    /// A layer reads the wrong number of blobs for its kind.
    case wrongBottomCount(layer: String, expected: String, got: Int)
    /// A layer writes other than one blob.
    case wrongTopCount(layer: String, got: Int)
    /// A layer writes a blob that exists already, and its kind may not work in place.
    case redefinedBlob(layer: String, blob: String)
    /// A layer parameter is out of range (a zero stride, a negative padding, …).
    case invalidParameter(layer: String, problem: String)
    /// No layer has this name.
    case unknownLayer(String)
    // Shapes (``NetworkDescription/inferShapes(inputs:)``).
    /// An input blob was given no shape.
    case missingInputShape(String)
    /// An input shape is not `[N, C, H, W]` with positive sizes.
    case badInputShape(input: String, shape: [Int])
    /// A layer got a blob of the wrong rank.
    case rankMismatch(layer: String, expected: Int, got: [Int])
    /// `window` is the (dilated) kernel extent; `input` the size it slides over, padding included.
    case windowDoesNotFit(layer: String, window: Size2, input: Size2)
    /// The crop window at `offset` does not fit the blob it cuts.
    case cropTooLarge(layer: String, offset: Size2, size: Size2, input: Size2)
    /// A sum's bottoms have different shapes (a crop is missing).
    case sumShapeMismatch(layer: String, shapes: [[Int]])
    /// A layer got a different number of channels than its weights expect.
    case channelMismatch(layer: String, expected: Int, got: Int)
    /// A fully connected layer's weight shape needs the input's height and width.
    case needsSpatialSize(layer: String)
    /// The labels of a loss layer do not match its scores' batch and size.
    case labelShapeMismatch(layer: String, scores: [Int], labels: [Int])
    // Coordinate maps (``NetworkDescription/coordinateMaps()``).
    /// A crop needs the coordinate map of a blob that has none.
    case undefinedCoordinateMap(layer: String, blob: String)
    /// The two blobs of a crop have different strides.
    case cropScaleMismatch(layer: String, from: String, to: String)
    /// The derived crop offset is a fraction of a pixel.
    case cropOffsetNotAnInteger(layer: String, offset: String)
    /// The derived crop offset is negative.
    case cropOffsetNegative(layer: String, offset: String)

    /// A sentence naming the layer and the problem.
    public var description: String {
        switch self {
        case .noInputs(let n): "network \(n): no input blobs"
        case .emptyName(let n, let i): "network \(n): layer #\(i) has an empty name"
        case .duplicateLayerName(let l): "layer \(l): the name is used twice"
        case .duplicateInput(let b): "input \(b): declared twice"
        case .undefinedBottom(let l, let b): "layer \(l): bottom \"\(b)\" is not an input nor a top of an earlier layer"
        case .wrongBottomCount(let l, let e, let g): "layer \(l): expects \(e) bottoms, got \(g)"
        case .wrongTopCount(let l, let g): "layer \(l): expects 1 top, got \(g)"
        case .redefinedBlob(let l, let b): "layer \(l): top \"\(b)\" already exists (only ReLU and Dropout may work in place)"
        case .invalidParameter(let l, let p): "layer \(l): \(p)"
        case .unknownLayer(let l): "no layer named \(l)"
        case .missingInputShape(let b): "input \(b): no shape given"
        case .badInputShape(let b, let s): "input \(b): shape \(s) is not [N, C, H, W] with positive sizes"
        case .rankMismatch(let l, let e, let g): "layer \(l): expects a rank-\(e) input, got \(g)"
        case .windowDoesNotFit(let l, let k, let i):
            "layer \(l): a \(k.height)×\(k.width) window does not fit a \(i.height)×\(i.width) input"
        case .cropTooLarge(let l, let o, let s, let i):
            "layer \(l): a \(s.height)×\(s.width) crop at offset (\(o.height), \(o.width)) does not fit a \(i.height)×\(i.width) input"
        case .sumShapeMismatch(let l, let s): "layer \(l): cannot add blobs of different shapes \(s)"
        case .channelMismatch(let l, let e, let g): "layer \(l): expects \(e) channels, got \(g)"
        case .labelShapeMismatch(let l, let s, let g): "layer \(l): labels \(g) do not match scores \(s) (expected [N, 1, H, W])"
        case .needsSpatialSize(let l): "layer \(l): a fully connected layer needs the input's spatial size, not just its channels"
        case .undefinedCoordinateMap(let l, let b):
            "layer \(l): blob \"\(b)\" has no coordinate map to the input (it follows a fully connected layer or a misaligned sum)"
        case .cropScaleMismatch(let l, let f, let t): "layer \(l): \"\(f)\" and \"\(t)\" have different strides, so no crop aligns them"
        case .cropOffsetNotAnInteger(let l, let o): "layer \(l): the derived crop offset \(o) is not a whole number of pixels"
        case .cropOffsetNegative(let l, let o): "layer \(l): the derived crop offset \(o) is negative (the reference is larger than the input)"
        }
    }
}

/// A problem with the weights given to a ``Network``: a missing, unexpected or mis-shaped tensor.
public enum ParameterError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A tensor the network needs was not given.
    case missing(name: String, expectedShape: [Int])
    /// A tensor was given that no layer uses.
    case unexpected(name: String, shape: [Int])
    /// A tensor has the wrong shape.
    case shapeMismatch(name: String, expected: [Int], found: [Int])
    /// A tensor contains NaN or infinity.
    case notFinite(name: String)

    /// A sentence naming the parameter and the problem.
    public var description: String {
        switch self {
        case .missing(let n, let s): "tensor \(n) is missing (expected shape \(s))"
        case .unexpected(let n, let s): "tensor \(n) \(s) does not belong to any layer of this network"
        case .shapeMismatch(let n, let e, let f): "tensor \(n) has shape \(f), expected \(e)"
        case .notFinite(let n): "tensor \(n) contains NaN or infinite values"
        }
    }
}

// NetworkError.swift — everything that can be wrong with a network description or its input.
//
// A description is user input (built by code, read from a file, typed on the command line), so
// mistakes are reported as values, never as traps. Each message names the layer and the problem.

/// A problem found while validating a ``NetworkDescription`` or analysing it for an input size.
public enum NetworkError: Error, Equatable, Sendable, CustomStringConvertible {
    // Structure (``NetworkDescription/validate()``).
    case noInputs(network: String)
    case emptyName(network: String, position: Int)
    case duplicateLayerName(String)
    case duplicateInput(String)
    case undefinedBottom(layer: String, bottom: String)
    case wrongBottomCount(layer: String, expected: String, got: Int)
    case wrongTopCount(layer: String, got: Int)
    case redefinedBlob(layer: String, blob: String)
    case invalidParameter(layer: String, problem: String)
    case unknownLayer(String)
    // Shapes (``NetworkDescription/inferShapes(inputs:)``).
    case missingInputShape(String)
    case badInputShape(input: String, shape: [Int])
    case rankMismatch(layer: String, expected: Int, got: [Int])
    /// `window` is the (dilated) kernel extent; `input` the size it slides over, padding included.
    case windowDoesNotFit(layer: String, window: Size2, input: Size2)
    case cropTooLarge(layer: String, offset: Size2, size: Size2, input: Size2)
    case sumShapeMismatch(layer: String, shapes: [[Int]])
    case channelMismatch(layer: String, expected: Int, got: Int)
    case needsSpatialSize(layer: String)
    case labelShapeMismatch(layer: String, scores: [Int], labels: [Int])
    // Coordinate maps (``NetworkDescription/coordinateMaps()``).
    case undefinedCoordinateMap(layer: String, blob: String)
    case cropScaleMismatch(layer: String, from: String, to: String)
    case cropOffsetNotAnInteger(layer: String, offset: String)
    case cropOffsetNegative(layer: String, offset: String)

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
    case missing(name: String, expectedShape: [Int])
    case unexpected(name: String, shape: [Int])
    case shapeMismatch(name: String, expected: [Int], found: [Int])
    case notFinite(name: String)

    public var description: String {
        switch self {
        case .missing(let n, let s): "tensor \(n) is missing (expected shape \(s))"
        case .unexpected(let n, let s): "tensor \(n) \(s) does not belong to any layer of this network"
        case .shapeMismatch(let n, let e, let f): "tensor \(n) has shape \(f), expected \(e)"
        case .notFinite(let n): "tensor \(n) contains NaN or infinite values"
        }
    }
}

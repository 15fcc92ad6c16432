// MemoryEstimate.swift — how much memory an FCN forward pass needs, known before computing it
// (paper §3: an FCN takes "input of arbitrary size"; memory is what bounds the size in practice).
//
// The inference executor (`Network+Inference.swift`) frees every blob after its last reader,
// so the peak is the largest *live set*: at each layer, the blobs produced earlier that a later
// layer still reads (FCN-8s keeps pool3 and pool4 alive until their skips), plus the layer's
// new top, plus its im2col/col2im band (at most `ColumnGeometry.defaultBudget` floats). The
// weights are added once. This is an estimate, not an accounting of every allocation (the
// allocator's slack, Winograd's tile scratch and OpenBLAS's buffers are left out), good enough
// to refuse a 30000×30000 input before it exhausts the machine.
//
// Dimension letters: N batch, C channels, H×W spatial size.

import FCNKernels
import Foundation

/// Why a forward pass was refused before it started.
public enum MemoryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The pass for `input` needs more bytes than are available.
    case insufficient(input: [Int], neededBytes: Int, availableBytes: Int)

    /// A sentence giving the input size, the memory needed and the memory available.
    public var description: String {
        switch self {
        case .insufficient(let input, let needed, let available):
            let gib = { (b: Int) in String(format: "%.1f", Double(b) / Double(1 << 30)) }
            return "an input of shape \(input) needs ~\(gib(needed)) GiB, \(gib(available)) GiB available"
        }
    }
}

/// The estimated peak memory of an inference pass.
///
/// ```swift
/// let net = try FCNArchitecture.fcn8s.description()
/// let estimate = try MemoryEstimate(net, inputShape: [1, 3, 500, 500])
/// estimate.peakBytes                             // ≈ 1.3 GB with VGG16's 134 M weights
/// try estimate.check(available: MemoryEstimate.availableBytes())   // MemoryLimits' tightest
/// ```
public struct MemoryEstimate: Sendable, Equatable {
    /// The input shape `[N, C, H, W]` estimated for.
    public var inputShape: [Int]
    /// The largest live set of activations plus a column band, in bytes.
    public var activationBytes: Int
    /// The weights, in bytes.
    public var parameterBytes: Int
    /// Activations plus weights: the most memory the forward pass holds at once, in bytes.
    public var peakBytes: Int { activationBytes + parameterBytes }

    /// Estimates `description` (a fully convolutional net) on an input of `inputShape`.
    public init(_ description: NetworkDescription, inputShape: [Int], inputChannels: Int = 3) throws {
        try self.init(description, shapes: description.inferShapes(input: inputShape), inputChannels: inputChannels)
    }

    /// Estimates `description` from shapes already inferred for one input (so that a caller
    /// which needs them anyway, as `Segmentation` does, infers them once per image).
    public init(_ description: NetworkDescription, shapes: BlobShapes, inputChannels: Int = 3) throws {
        let inputShape = description.inputs.first.flatMap { shapes[$0] } ?? []
        let float = MemoryLayout<Float>.size
        func bytes(_ shape: [Int]) -> Int {
            shape.reduce(float) { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max / 4 : $0 * $1 }
        }
        // The last layer reading each blob name (in-place layers read and write the same name).
        var lastReader: [String: Int] = [:]
        for (i, layer) in description.layers.enumerated() { for b in layer.bottoms { lastReader[b] = i } }
        var live: [String: Int] = [:]                          // blob name → bytes
        for input in description.inputs { live[input] = bytes(inputShape) }
        var peak = 0
        for (i, layer) in description.layers.enumerated() {
            let top = shapes.layerOutputs[layer.name]!
            let inPlace = layer.bottoms.contains(layer.top)
            // The kind's scratch beside its top: an im2col/col2im band for (transposed) convolutions.
            let band = layer.kind.definition.workspaceFloats(input: shapes.blobs[layer.bottoms[0]] ?? [1, 1, 1, 1], output: top) * float
            let current = live.values.reduce(0, +) + (inPlace ? 0 : bytes(top)) + band
            peak = max(peak, current)
            if !inPlace { live[layer.top] = bytes(top) }
            for b in layer.bottoms where lastReader[b] == i && b != description.outputBlob { live[b] = nil }
        }
        self.inputShape = inputShape
        self.activationBytes = peak
        // Overflow-checked like `bytes`: the shapes may come from a hostile file's class count.
        self.parameterBytes = try description.parameterShapes(inputChannels: inputChannels).reduce(0) {
            let (sum, overflow) = $0.addingReportingOverflow(bytes($1.shape))
            return overflow ? Int.max / 4 : sum
        }
    }

    /// Throws ``MemoryError/insufficient(input:neededBytes:availableBytes:)`` when the peak
    /// exceeds `available` bytes (`nil`: unknown, nothing is refused).
    ///
    /// - Parameters:
    ///   - available: the bytes the pass may use, or `nil` when unknown.
    ///   - parametersLoaded: the weights are already in memory (so already missing from
    ///     `available`): compare the activations only.
    public func check(available: Int?, parametersLoaded: Bool = false) throws(MemoryError) {
        let needed = parametersLoaded ? activationBytes : peakBytes
        guard let available, needed > available else { return }
        throw .insufficient(input: inputShape, neededBytes: needed, availableBytes: available)
    }

    /// The bytes this process may still allocate: the tightest of MemAvailable, `RLIMIT_AS`
    /// and the cgroup memory limit (see ``MemoryLimits``), or `nil` where none is known.
    public static func availableBytes() -> Int? { MemoryLimits.availableBytes() }
}

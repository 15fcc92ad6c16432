// CaffeModel.swift — read the trained weights of a Caffe `.caffemodel` file: the form in which
// the paper's FCN-32s/16s/8s nets (§4–5) and their VGG16 initialisation were published.
//
// A .caffemodel is one protocol-buffer message, `NetParameter`, with a list of layers, each
// holding its parameter "blobs" (for a convolution: weights [O, C, KH, KW], then bias [O]).
// The subset of the schema we decode is in `caffe_subset.proto`; the Swift decoder
// `caffe_subset.pb.swift` is generated from it by swift-protobuf (scripts/generate-caffe-proto).
//
// Two generations of the format exist, and both appear in published models:
//   - current: `layer` entries with a string type ("Convolution") and N-D blob `shape`s;
//   - legacy:  `layers` entries with an enum type (CONVOLUTION = 4) and 4-D blobs given as
//     num × channels × height × width. Caffe matches a legacy 4-D shape against the real
//     shape padded with leading 1s, so we undo that padding where the real shape is known:
//       · blob 1 (a bias) 1×1×1×O                → [O]
//       · blob 0 of an InnerProduct 1×1×O×I       → [O, I]
//     and keep every other legacy blob 4-D.
//
// Blob values come from `data` (float) or `double_data` (rounded to Float). The file is
// untrusted: decode failures, blob sizes that disagree with their shape and absurd shapes all
// throw a `CaffeModelError` naming the file (and the layer and blob).

import FCNCore
import Foundation
import SwiftProtobuf

/// Why a .caffemodel was refused. Every message names the file.
public enum CaffeModelError: Error, CustomStringConvertible, Equatable {
    /// The file cannot be opened (missing, not a regular file, no permission).
    case cannotOpen(file: String, reason: String)
    /// Reading the file failed after it was opened (it shrank under us, an I/O error).
    case cannotRead(file: String, reason: String)
    /// Decoding the file would need more memory than is available.
    case tooLarge(file: String, neededBytes: Int, availableBytes: Int)
    /// The bytes are not a valid `NetParameter` message.
    case malformed(file: String, problem: String)
    /// A weight blob is inconsistent (its shape and data disagree, or its shape is invalid).
    case badBlob(file: String, layer: String, blob: Int, problem: String)

    /// A sentence naming the file, the layer and the problem.
    public var description: String {
        switch self {
        case let .cannotOpen(file, reason): return "\(file): cannot open .caffemodel: \(reason)"
        case let .cannotRead(file, reason): return "\(file): cannot read .caffemodel: \(reason)"
        case let .tooLarge(file, needed, available):
            return "\(file): decoding this .caffemodel needs about \(needed) bytes of memory, only \(available) are available"
        case let .malformed(file, problem): return "\(file): not a valid .caffemodel: \(problem)"
        case let .badBlob(file, layer, blob, problem): return "\(file): layer '\(layer)' blob \(blob): \(problem)"
        }
    }
}

/// The layers of a Caffe network with their parameter blobs.
///
/// ```swift
/// let model = try CaffeModel(contentsOf: URL(filePath: "fcn8s-heavy-pascal.caffemodel"))
/// for layer in model.layers where !layer.blobs.isEmpty {
///     print(layer.name, layer.type, layer.blobs.map(\.shape))   // conv1_1 Convolution [[64, 3, 3, 3], [64]]
/// }
/// ```
///
/// ### See Also
/// - ``Safetensors/write(_:metadata:to:)-([String:Tensor],_,_)`` to keep converted weights in the library's format.
public struct CaffeModel: Sendable {
    /// The network's name (may be empty).
    public var name: String
    /// Every layer in file order, with blobs (often none, e.g. for ReLU and pooling).
    public var layers: [(name: String, type: String, blobs: [Tensor])]

    /// The most elements one blob may claim: 2³¹, far above any real layer (VGG16's fc6 has
    /// 103 M), low enough that a corrupt shape cannot make us allocate absurd memory.
    public static let maximumBlobCount = 1 << 31

    /// Reads and decodes `url`.
    ///
    /// The protocol-buffer decoder needs the whole message in memory, and copies every blob
    /// into its own `[Float]`: about twice the file. That is checked against the memory
    /// available (``MemoryLimits``) before the file is read.
    public init(contentsOf url: URL) throws {
        let file: InputFile
        do { file = try InputFile(url: url) } catch { throw CaffeModelError.cannotOpen(file: url.path, reason: error.reason) }
        let (needed, overflow) = file.size.multipliedReportingOverflow(by: 2)
        if let available = MemoryLimits.availableBytes(), overflow || needed > available {
            throw CaffeModelError.tooLarge(file: url.path, neededBytes: overflow ? Int.max : needed, availableBytes: available)
        }
        let bytes: [UInt8]
        do { bytes = try file.bytes(0..<file.size) } catch { throw CaffeModelError.cannotRead(file: url.path, reason: error.reason) }
        self = try bytes.withUnsafeBytes { try CaffeModel($0, path: url.path) }
    }

    /// Parses `bytes` as if they were the file `name`: the entry point of the fuzzer.
    @_spi(Fuzzing) public init(bytes: some Collection<UInt8>, name: String) throws {
        self = try Array(bytes).withUnsafeBytes { try CaffeModel($0, path: name) }
    }

    /// Decodes the bytes of a .caffemodel; `path` is used in error messages.
    init(_ raw: UnsafeRawBufferPointer, path: String) throws {
        guard raw.count > 0 else { throw CaffeModelError.malformed(file: path, problem: "the file is empty") }

        // Decode straight from the caller's bytes (no copy); they outlive the Data.
        let bytes = Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: raw.baseAddress!),
                         count: raw.count, deallocator: .none)
        let net: Caffe_NetParameter
        do { net = try Caffe_NetParameter(serializedBytes: bytes) } catch {
            throw CaffeModelError.malformed(file: path, problem: "protocol buffer decoding failed (\(error))")
        }
        guard !(net.layer.isEmpty && net.layers.isEmpty) else {
            throw CaffeModelError.malformed(file: path, problem: "no layers found")
        }
        guard net.layer.isEmpty || net.layers.isEmpty else {
            throw CaffeModelError.malformed(file: path, problem: "uses both 'layer' and legacy 'layers' fields")
        }

        name = net.name
        layers = []
        for layer in net.layer {
            let blobs = try layer.blobs.enumerated().map { index, blob in
                try Self.tensor(blob, index: index, layerType: layer.type, file: path, layer: layer.name)
            }
            layers.append((layer.name, layer.type, blobs))
        }
        for layer in net.layers {
            let type = Self.v1TypeNames[layer.type] ?? "V1LayerType(\(layer.type))"
            let blobs = try layer.blobs.enumerated().map { index, blob in
                try Self.tensor(blob, index: index, layerType: type, file: path, layer: layer.name)
            }
            layers.append((layer.name, type, blobs))
        }
    }

    /// The blobs of the layer called `name`, or `nil` if there is none.
    public func blobs(ofLayer name: String) -> [Tensor]? {
        layers.first { $0.name == name }?.blobs
    }

    /// One blob as a tensor, with the checks and legacy-shape rules described at the top.
    static func tensor(_ blob: Caffe_BlobProto, index: Int, layerType: String, file: String, layer: String) throws -> Tensor {
        func bad(_ problem: String) -> CaffeModelError { .badBlob(file: file, layer: layer, blob: index, problem: problem) }

        var shape: [Int]
        let legacy = !blob.hasShape
        if legacy {
            shape = [Int(blob.num), Int(blob.channels), Int(blob.height), Int(blob.width)]
        } else {
            guard blob.shape.dim.allSatisfy({ $0 >= 0 && $0 <= Int64(maximumBlobCount) }) else {
                throw bad("invalid shape \(blob.shape.dim)")
            }
            shape = blob.shape.dim.map { Int($0) }
        }
        guard shape.allSatisfy({ $0 >= 0 }) else { throw bad("negative dimension in shape \(shape)") }
        var count = 1
        for dimension in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow, product <= maximumBlobCount else { throw bad("shape \(shape) is absurdly large") }
            count = product
        }

        let scalars: [Float]
        if !blob.data.isEmpty || blob.doubleData.isEmpty {
            guard blob.doubleData.isEmpty else { throw bad("has both float and double data") }
            scalars = blob.data
        } else {
            scalars = blob.doubleData.map { Float($0) }
        }
        guard scalars.count == count else {
            throw bad("shape \(shape) needs \(count) values, the blob has \(scalars.count)")
        }

        if legacy {
            if index == 1 && shape[0] == 1 && shape[1] == 1 && shape[2] == 1 {
                shape = [shape[3]]                      // bias 1×1×1×O → [O]
            } else if index == 0 && layerType == "InnerProduct" && shape[0] == 1 && shape[1] == 1 {
                shape = [shape[2], shape[3]]            // weights 1×1×O×I → [O, I]
            }
        }
        return Tensor(shape: shape, scalars: scalars)
    }

    /// Legacy `V1LayerParameter.LayerType` numbers and the type strings Caffe upgrades them to
    /// (Caffe's `UpgradeV1LayerType`).
    static let v1TypeNames: [Int32: String] = [
        0: "", 1: "Accuracy", 2: "BNLL", 3: "Concat", 4: "Convolution", 5: "Data", 6: "Dropout",
        7: "EuclideanLoss", 8: "Flatten", 9: "HDF5Data", 10: "HDF5Output", 11: "Im2col",
        12: "ImageData", 13: "InfogainLoss", 14: "InnerProduct", 15: "LRN",
        16: "MultinomialLogisticLoss", 17: "Pooling", 18: "ReLU", 19: "Sigmoid", 20: "Softmax",
        21: "SoftmaxWithLoss", 22: "Split", 23: "TanH", 24: "WindowData", 25: "Eltwise",
        26: "Power", 27: "SigmoidCrossEntropyLoss", 28: "HingeLoss", 29: "MemoryData",
        30: "ArgMax", 31: "Threshold", 32: "DummyData", 33: "Slice", 34: "MVN", 35: "AbsVal",
        36: "Silence", 37: "ContrastiveLoss", 38: "Exp", 39: "Deconvolution",
    ]
}

// ModelSpec+Metadata.swift — a model spec as JSON, stored under one key of a safetensors
// file's `__metadata__`, so that every weights file the project writes (trained runs,
// `fcn convert`, the shipped models when they are regenerated) says which network it holds.
//
// The JSON, keys sorted so that the same spec always gives the same bytes:
//   {"backbone": {"name": "vgg-mini", "widths": [8,16,32,64,64], "convolutions_per_block": […],
//                 "fully_connected": 128, "classifier_input_size": 112, "example_size": 112,
//                 "dropout": 0},
//    "head": "fcn8s", "classes": 7, "class_names": ["background", …],
//    "palette": [[0,0,0], [128,0,0], …], "preprocessing": {"channel_order": "BGR", "mean": […]},
//    "format": 1}
// A file comes from anywhere, so decoding checks every field before building anything
// (`VGGMini`'s initialiser would otherwise trap on four widths).

import Foundation

/// Why a model spec could not be read, recognised or built. Every message names the file or
/// the option.
public enum ModelSpecError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The `fcn.model` metadata of a file is not a valid spec.
    case badMetadata(file: String, reason: String)
    /// The file's tensors match no network this library builds.
    case unrecognized(file: String, reason: String)
    /// The file's score layer is not `[K, C, 1, 1]` with every dimension ≥ 1 (no option helps).
    case badScoreLayer(file: String, tensor: String, shape: [Int])
    /// A command-line value is not one of the known names.
    case unknownName(option: String, value: String, known: [String])
    /// Two options contradict each other.
    case conflict(String)
    /// `--classes` differs from the class count of the weights.
    case classCountMismatch(file: String, inFile: Int, requested: Int)
    /// The spec does not give a network (e.g. FCN-16s on AlexNet).
    case cannotBuild(file: String?, reason: String)

    /// A sentence naming the file or option and the problem.
    public var description: String {
        switch self {
        case let .badMetadata(f, r): "\(f): the model description in its metadata ('\(ModelSpec.metadataKey)') is invalid: \(r)"
        case let .unrecognized(f, r): "\(f): cannot tell which network these weights belong to: \(r); pass --arch and --backbone"
        case let .badScoreLayer(f, t, shape):
            "\(f): tensor '\(t)' has shape \(shape); a score layer's weight is [K, C, 1, 1] (or a classifier's [K, C]) with every dimension ≥ 1"
        case let .unknownName(o, v, k): "\(o): unknown value '\(v)'; choose one of \(k.joined(separator: ", "))"
        case let .conflict(s): s
        case let .classCountMismatch(f, k, r): "\(f): the weights score \(k) classes, but --classes is \(r)"
        case let .cannotBuild(f, r): f.map { "\($0): \(r)" } ?? r
        }
    }
}

extension ModelSpec: Codable {
    /// The metadata key under which weights files store their spec as JSON.
    public static let metadataKey = "fcn.model"
    /// The version of the JSON layout.
    static let formatVersion = 1

    enum CodingKeys: String, CodingKey {
        case format, backbone, head, classes, classNames = "class_names", palette, preprocessing
    }
    enum BackboneKeys: String, CodingKey {
        case name, widths, convolutionsPerBlock = "convolutions_per_block", fullyConnected = "fully_connected"
        case classifierInputSize = "classifier_input_size", exampleSize = "example_size", dropout
    }
    enum PreprocessingKeys: String, CodingKey { case channelOrder = "channel_order", mean }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Self.formatVersion, forKey: .format)
        var b = c.nestedContainer(keyedBy: BackboneKeys.self, forKey: .backbone)
        try b.encode(backbone.name, forKey: .name)
        if case .vggMini(let m) = backbone {
            try b.encode(m.widths, forKey: .widths)
            try b.encode(m.convolutionsPerBlock, forKey: .convolutionsPerBlock)
            try b.encode(m.fullyConnected, forKey: .fullyConnected)
            try b.encode(m.classifierInputSize, forKey: .classifierInputSize)
            try b.encode(m.exampleSize, forKey: .exampleSize)
            try b.encode(m.dropout, forKey: .dropout)
        }
        try c.encode(head, forKey: .head)
        try c.encode(classes, forKey: .classes)
        try c.encode(classNames, forKey: .classNames)
        try c.encode(palette.map { [$0.red, $0.green, $0.blue] }, forKey: .palette)
        var p = c.nestedContainer(keyedBy: PreprocessingKeys.self, forKey: .preprocessing)
        try p.encode(preprocessing.channelOrder, forKey: .channelOrder)
        try p.encode(preprocessing.mean, forKey: .mean)
    }

    /// Decodes and checks a spec; a problem is a `DecodingError.dataCorrupted` with a sentence.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func bad(_ reason: String) -> DecodingError {
            .dataCorrupted(.init(codingPath: c.codingPath, debugDescription: reason))
        }
        let format = try c.decode(Int.self, forKey: .format)
        guard format == Self.formatVersion else { throw bad("format \(format) is not \(Self.formatVersion)") }
        let b = try c.nestedContainer(keyedBy: BackboneKeys.self, forKey: .backbone)
        let name = try b.decode(String.self, forKey: .name)
        let backbone: Backbone
        switch name {
        case "vgg16": backbone = .vgg16
        case "alexnet": backbone = .alexNet
        case "vgg-mini":
            let widths = try b.decode([Int].self, forKey: .widths), depths = try b.decode([Int].self, forKey: .convolutionsPerBlock)
            let fc = try b.decode(Int.self, forKey: .fullyConnected), input = try b.decode(Int.self, forKey: .classifierInputSize)
            let example = try b.decode(Int.self, forKey: .exampleSize), dropout = try b.decode(Float.self, forKey: .dropout)
            guard widths.count == 5, depths.count == 5 else { throw bad("vgg-mini needs five widths and five depths, got \(widths.count) and \(depths.count)") }
            guard (widths + depths + [fc, input, example]).allSatisfy({ $0 >= 1 && $0 <= 1 << 16 }) else {
                throw bad("vgg-mini sizes must be between 1 and 65536")
            }
            guard example <= input else { throw bad("example_size \(example) exceeds classifier_input_size \(input)") }
            guard dropout >= 0 && dropout < 1 else { throw bad("dropout \(dropout) is not in [0, 1)") }
            backbone = .vggMini(VGGMini(widths: widths, convolutionsPerBlock: depths, fullyConnected: fc,
                                        classifierInputSize: input, exampleSize: example, dropout: dropout))
        default: throw bad("unknown backbone '\(name)' (known: \(Backbone.names.joined(separator: ", ")))")
        }
        let head = try c.decode(Head.self, forKey: .head)
        let classes = try c.decode(Int.self, forKey: .classes)
        guard classes >= 1 && classes <= 1 << 20 else { throw bad("classes \(classes) is not between 1 and 2^20") }
        let names = try c.decode([String].self, forKey: .classNames)
        guard names.count == classes else { throw bad("\(names.count) class names for \(classes) classes") }
        let colors = try c.decode([[UInt8]].self, forKey: .palette)
        guard colors.count == classes, colors.allSatisfy({ $0.count == 3 }) else { throw bad("the palette needs \(classes) colours of three channels") }
        let p = try c.nestedContainer(keyedBy: PreprocessingKeys.self, forKey: .preprocessing)
        let preprocessing = Preprocessing(channelOrder: try p.decode(String.self, forKey: .channelOrder), mean: try p.decode([Float].self, forKey: .mean))
        guard preprocessing.mean.count == 3, ["BGR", "RGB"].contains(preprocessing.channelOrder) else {
            throw bad("preprocessing needs channel_order BGR or RGB and three means")
        }
        self.init(backbone: backbone, head: head, classes: classes, classNames: names,
                  palette: colors.map { LabelColor(red: $0[0], green: $0[1], blue: $0[2]) }, preprocessing: preprocessing)
    }

    /// The spec as the JSON stored under ``metadataKey`` (sorted keys: same spec, same bytes).
    public var metadataJSON: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try! encoder.encode(self), as: UTF8.self)   // encoding a checked value cannot fail
    }

    /// The spec stored in a weights file's metadata, `nil` when the file has none.
    ///
    /// - Throws: ``ModelSpecError/badMetadata(file:reason:)`` naming `file` when the key is
    ///   there but does not hold a valid spec.
    public init?(metadata: [String: String], file: String) throws(ModelSpecError) {
        guard let json = metadata[Self.metadataKey] else { return nil }
        do {
            self = try JSONDecoder().decode(ModelSpec.self, from: Data(json.utf8))
        } catch let DecodingError.dataCorrupted(context) {
            throw .badMetadata(file: file, reason: context.debugDescription)
        } catch let DecodingError.keyNotFound(key, _) {
            throw .badMetadata(file: file, reason: "no '\(key.stringValue)'")
        } catch let DecodingError.typeMismatch(_, context) {
            throw .badMetadata(file: file, reason: "'\(context.codingPath.map(\.stringValue).joined(separator: "."))' has the wrong type")
        } catch {
            throw .badMetadata(file: file, reason: "\(error)")
        }
    }
}

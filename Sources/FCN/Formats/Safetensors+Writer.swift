// Safetensors+Writer.swift — write tensors as a safetensors file (format described in
// `Safetensors.swift`), atomically. Used to save converted and trained FCN weights (§4).
//
// Choices that make the output deterministic (same tensors → same bytes):
// - tensors are laid out in sorted name order;
// - the JSON header has sorted keys and no whitespace;
// - the header is padded with spaces so the data section starts at a multiple of 8 bytes
//   (as the reference implementation does), which keeps every F32 tensor aligned in a mapping.

import FCNCore
import Foundation

/// Writing safetensors files. Reading is ``SafetensorsFile``.
///
/// ```swift
/// try Safetensors.write(["conv1.weight": w, "conv1.bias": b],
///                       metadata: ["source": "fcn32s-heavy-pascal.caffemodel"],
///                       to: URL(filePath: "fcn32s.safetensors"))
/// ```
public enum Safetensors {
    /// Writes `tensors` as F32 to `url` atomically (sorted by name).
    public static func write(_ tensors: [String: Tensor], metadata: [String: String] = [:], to url: URL) throws {
        try write(tensors.map { ($0.key, $0.value) }, metadata: metadata, to: url)
    }

    /// Writes `tensors` as F32 to `url` atomically, sorted by name.
    /// - Throws: ``SafetensorsError/invalidArgument(file:problem:)`` for an empty, reserved or
    ///   duplicate name; ``AtomicFileError`` when the file cannot be written.
    public static func write(_ tensors: [(String, Tensor)], metadata: [String: String] = [:], to url: URL) throws {
        let sorted = tensors.sorted { $0.0 < $1.0 }
        for (index, (name, _)) in sorted.enumerated() {
            guard !name.isEmpty, name != "__metadata__" else {
                throw SafetensorsError.invalidArgument(file: url.path, problem: "invalid tensor name '\(name)'")
            }
            if index > 0 && sorted[index - 1].0 == name {
                throw SafetensorsError.invalidArgument(file: url.path, problem: "duplicate tensor name '\(name)'")
            }
        }

        var header: [String: Any] = [:]
        var offset = 0
        for (name, tensor) in sorted {
            let end = offset + 4 * tensor.count
            header[name] = ["dtype": "F32", "shape": tensor.shape, "data_offsets": [offset, end]] as [String: Any]
            offset = end
        }
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var headerBytes = [UInt8](try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys, .withoutEscapingSlashes]))
        while (8 + headerBytes.count) % 8 != 0 { headerBytes.append(UInt8(ascii: " ")) }

        try AtomicFile.write(to: url) { sink in
            var length = UInt64(headerBytes.count).littleEndian
            try withUnsafeBytes(of: &length) { try sink.write($0) }
            try sink.write(headerBytes)
            for (_, tensor) in sorted {
                // Float is little-endian on every platform Swift runs on; say so, then write as is.
                assert(1.littleEndian == 1, "safetensors writer assumes a little-endian machine")
                try tensor.scalars.withUnsafeBytes { try sink.write($0) }
            }
        }
    }
}

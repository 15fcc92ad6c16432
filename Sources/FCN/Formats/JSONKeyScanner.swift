// JSONKeyScanner.swift — two small JSON helpers the safetensors reader needs and Foundation
// lacks. Infrastructure; no paper section.
//
// `JSONSerialization` turns `{"a": 1, "a": 2}` into a dictionary with one `a`, silently. For
// a weight file that would mean two tensors claiming one name and one of them ignored, so the
// reader scans the header text once more, looking only at the keys of the outermost object.

import Foundation

enum JSONKeyScanner {
    /// The first key that occurs twice in the outermost object of `json`, or `nil`.
    ///
    /// Assumes `json` is valid JSON (it has already been parsed): the scan only tracks nesting
    /// depth and string boundaries. Keys are compared after decoding escapes, so `"a"` and
    /// `"\u0061"` count as the same key.
    static func firstDuplicateTopLevelKey(in json: Data) -> String? {
        let bytes = [UInt8](json)
        var seen = Set<String>()
        var depth = 0
        var expectingKey = false
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                // Find the closing quote, skipping escaped characters.
                var end = index + 1
                while end < bytes.count && bytes[end] != UInt8(ascii: "\"") {
                    end += bytes[end] == UInt8(ascii: "\\") ? 2 : 1
                }
                if depth == 1 && expectingKey {
                    let literal = Data(bytes[index...min(end, bytes.count - 1)])
                    let key = (try? JSONSerialization.jsonObject(with: literal, options: .fragmentsAllowed)) as? String
                        ?? String(decoding: literal, as: UTF8.self)
                    if !seen.insert(key).inserted { return key }
                    expectingKey = false
                }
                index = end
            case UInt8(ascii: "{"):
                depth += 1
                expectingKey = depth == 1
            case UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
            case UInt8(ascii: ","):
                if depth == 1 { expectingKey = true }
            default:
                break
            }
            index += 1
        }
        return nil
    }

    /// `value` as a list of integers, or `nil` if it is not a JSON array of whole numbers
    /// (booleans and fractions are refused).
    static func integers(_ value: Any?) -> [Int]? {
        guard let array = value as? [Any] else { return nil }
        var result: [Int] = []
        for item in array {
            // JSONSerialization hands back NSNumbers, and an NSNumber bridges to both Bool and
            // Int: ask for its C type instead ("c" is a boolean, "d"/"f" a fraction).
            guard let number = item as? NSNumber, !["c", "d", "f"].contains(String(cString: number.objCType)),
                  let integer = item as? Int else { return nil }
            result.append(integer)
        }
        return result
    }
}

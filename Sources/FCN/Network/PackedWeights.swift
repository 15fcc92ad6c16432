// PackedWeights.swift — weights converted once per network for a kernel, kept beside the network.
//
// Not part of the paper: engineering for `--precision bf16` (`FCNCore/Precision.swift`). The bf16
// kernels want each layer's weights rounded to bf16 and packed in their register-block layout.
// Doing that on every forward pass would read all 134 M weights of FCN-8s (536 MB) per image;
// doing it once and keeping the result costs half that in memory (2 bytes a weight) and nothing
// per image. A `Network` owns one cache; `Network.update` (an SGD step) starts a new, empty one,
// so packed weights never outlive the values they were made from.

import Synchronization

/// Packed forms of a network's weights, made on first use and shared by every later forward pass.
///
/// Keys are parameter names plus the form (`"conv1_2.weight/bf16"`); values are whatever the
/// kernel keeps (`BFloat16Matrix`, the 36 matrices of a Winograd filter). Safe to use from
/// concurrent forward passes: the first to ask makes the value, the others wait for it.
final class PackedWeights: Sendable {
    private let entries = Mutex<[String: any Sendable]>([:])

    init() {}

    /// The value stored under `key`, made by `make` (under the lock) the first time.
    func value<T: Sendable>(_ key: String, make: () -> T) -> T {
        entries.withLock { entries in
            if let value = entries[key] as? T { return value }
            let value = make()
            entries[key] = value
            return value
        }
    }

    /// How many packed values the cache holds (for tests).
    var count: Int { entries.withLock { $0.count } }
}

// CRC32.swift — the CRC-32 checksum (IEEE 802.3, the one of zlib, PNG and gzip), which a
// checkpoint carries so that a resumed run can tell that its file is the one that was written.
//
// Why CRC-32 and not a cryptographic hash: the threat is an accident (a flipped bit on disk, a
// file cut short, a copy that went wrong, a hand edit), not an adversary who forges a matching
// sum. CRC-32 detects every error burst up to 32 bits and any other corruption with probability
// 1 − 2⁻³², fits in twenty lines and needs no package. Someone who wants to forge a checkpoint can
// also edit the checksum; nothing short of a signature stops that.
//
// The algorithm (Sarwate's table method): the message is a polynomial over GF(2), divided by the
// generator 0x04C11DB7; the remainder is the CRC. Bits are processed least significant first, so
// the generator appears reflected, 0xEDB88320. The register starts at all ones and is inverted at
// the end, so leading and trailing zero bytes change the sum. Check value: CRC-32 of the ASCII
// bytes "123456789" is 0xCBF43926.

import FCN
import FCNCore

/// A running CRC-32 (IEEE, reflected, as zlib's `crc32`).
///
/// ```swift
/// var crc = CRC32()
/// crc.update(Array("123456789".utf8))
/// crc.value      // 0xCBF43926
/// ```
public struct CRC32: Sendable {
    /// The remainder so far, before the final inversion.
    private var register: UInt32 = 0xFFFF_FFFF

    /// An empty checksum.
    public init() {}

    /// The CRC of each byte value: the table that lets the loop do one byte per step instead of one bit.
    static let table: [UInt32] = (0..<256).map { byte in
        var r = UInt32(byte)
        for _ in 0..<8 { r = r & 1 == 1 ? (r >> 1) ^ 0xEDB8_8320 : r >> 1 }
        return r
    }

    /// Adds `bytes` to the message.
    public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        let table = Self.table
        var r = register
        for byte in bytes { r = table[Int((r ^ UInt32(byte)) & 0xFF)] ^ (r >> 8) }
        register = r
    }

    /// The checksum of everything added so far.
    public var value: UInt32 { register ^ 0xFFFF_FFFF }
}

// Version.swift — the version of swift-fcn, defined once: `fcn --version` prints it, the
// CHANGELOG's newest heading and the git tag (`v0.3.0`) carry the same number.

/// The release of the swift-fcn package (semantic versioning; 0.x: the API may still change).
///
/// ```swift
/// print(SwiftFCN.version)     // "0.3.0"
/// ```
public enum SwiftFCN {
    /// `major.minor.patch`.
    public static let version = "0.3.0"
}

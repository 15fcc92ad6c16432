// FCNArchitecture.swift — the five segmentation nets the paper's authors published weights for
// (paper §4–5: FCN-32s, FCN-16s, FCN-8s on VGG16, FCN-8s trained "at once", FCN-AlexNet), by the
// names the command line uses.

/// A published FCN architecture, by its command-line name.
///
/// ```swift
/// let arch = FCNArchitecture(rawValue: "fcn8s-atonce")!
/// let net = try arch.description(classes: 21)        // FCN-8s-at-once on VGG16
/// FCNArchitecture.allCases.map(\.rawValue)           // ["fcn8s", "fcn16s", "fcn32s", "fcn8s-atonce", "fcn-alexnet"]
/// ```
///
/// ### See Also
/// - ``FCN/description(_:backbone:classes:)``, ``PretrainedWeights``.
public enum FCNArchitecture: String, CaseIterable, Hashable, Sendable {
    /// Berkeley's VGG16 nets `voc-fcn8s`, `voc-fcn16s` and `voc-fcn32s`.
    case fcn8s, fcn16s, fcn32s
    /// Berkeley's `voc-fcn8s-atonce`: FCN-8s trained in one stage, skips scaled by 0.01 and 0.0001.
    case fcn8sAtOnce = "fcn8s-atonce"
    /// Berkeley's `voc-fcn-alexnet`: FCN-32s on AlexNet.
    case fcnAlexNet = "fcn-alexnet"

    /// The network description for `classes` classes (21 for PASCAL VOC).
    public func description(classes: Int = 21) throws(FCNBuildError) -> NetworkDescription {
        switch self {
        case .fcn8s: try FCN.description(.fcn8s, classes: classes)
        case .fcn16s: try FCN.description(.fcn16s, classes: classes)
        case .fcn32s: try FCN.description(.fcn32s, classes: classes)
        case .fcn8sAtOnce: try FCN.description(.fcn8sAtOnce, classes: classes)
        case .fcnAlexNet: try FCN.alexNet(classes: classes)
        }
    }
}

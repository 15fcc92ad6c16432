// ModelSpec+Overrides.swift — the command line's `--arch`, `--backbone` and `--classes`: the
// same three words, with the same values, for every command and chapter that picks a network.
//
// A weights file usually says (or shows) which network it holds (`ModelSpec+Recognition.swift`);
// the options then only correct what the file cannot tell — FCN-8s at once in pytorch-fcn's
// files, say. Without a file they pick the network outright.
//
//   --arch      a head: classifier, fcn32s, fcn16s, fcn8s, fcn8s-atonce; or a published net,
//               which also sets the backbone: fcn-alexnet (FCN-32s on AlexNet), vgg16, alexnet
//               (the ImageNet classifiers)
//   --backbone  vgg16, vgg-mini, alexnet
//   --classes   K

extension ModelSpec {
    /// The values `--arch` accepts: the heads, then the published nets that imply a backbone.
    public static let architectureNames: [String] = Head.allCases.filter(\.isFullyConvolutional).map(\.rawValue)
        + ["classifier"] + namedArchitectures.map(\.name)

    /// Published nets named by one word, each a backbone and a head.
    static let namedArchitectures: [(name: String, backbone: Backbone, head: Head)] = [
        ("fcn-alexnet", .alexNet, .fcn32s), ("vgg16", .vgg16, .classifier), ("alexnet", .alexNet, .classifier),
    ]

    /// Corrections to a recognised spec, or the choice of a network without a file.
    ///
    /// ```swift
    /// let o = try ModelSpec.Overrides(arch: "fcn8s-atonce", backbone: nil, classes: nil)
    /// let spec = try o.applied(to: .fcn8s, file: "fcn8s-atonce.safetensors")   // VGG16 FCN-8s at once
    /// try ModelSpec.Overrides(arch: "fcn-alexnet", backbone: nil, classes: 2).spec()   // AlexNet FCN-32s, 2 classes
    /// ```
    public struct Overrides: Hashable, Sendable {
        /// The head to use, if given.
        public var head: Head?
        /// The backbone to use, if given.
        public var backbone: Backbone?
        /// The class count to use, if given.
        public var classes: Int?

        /// Overrides from values.
        public init(head: Head? = nil, backbone: Backbone? = nil, classes: Int? = nil) {
            self.head = head; self.backbone = backbone; self.classes = classes
        }

        /// Overrides from the command-line words (see the file comment).
        ///
        /// - Throws: ``ModelSpecError`` naming the option when a value is unknown, the class
        ///   count is not positive, or `--arch` names a net of another backbone than `--backbone`.
        public init(arch: String?, backbone: String?, classes: Int?) throws(ModelSpecError) {
            if let backbone {
                guard let b = Backbone(name: backbone) else { throw .unknownName(option: "--backbone", value: backbone, known: Backbone.names) }
                self.backbone = b
            }
            if let arch {
                if let h = Head(rawValue: arch.lowercased()) {
                    head = h
                } else if let named = ModelSpec.namedArchitectures.first(where: { $0.name == arch.lowercased() }) {
                    if let b = self.backbone, b.name != named.backbone.name {
                        throw .conflict("--arch \(arch) is on \(named.backbone.name), but --backbone is \(b.name)")
                    }
                    head = named.head
                    self.backbone = named.backbone
                } else {
                    throw .unknownName(option: "--arch", value: arch, known: ModelSpec.architectureNames)
                }
            }
            if let classes, classes < 1 { throw .conflict("--classes must be at least 1 (got \(classes))") }
            self.classes = classes
        }

        /// `true` when nothing is overridden.
        public var isEmpty: Bool { head == nil && backbone == nil && classes == nil }

        /// `spec` with the overrides applied. A `--backbone` of the same kind keeps the
        /// recognised sizes (`vgg-mini` does not reset a VGG-mini's widths).
        ///
        /// - Parameters:
        ///   - spec: what the weights file says or shows.
        ///   - file: the weights file, for error messages; `nil` when there is none.
        /// - Throws: ``ModelSpecError/classCountMismatch(file:inFile:requested:)`` when
        ///   `--classes` differs from a file's count.
        public func applied(to spec: ModelSpec, file: String?) throws(ModelSpecError) -> ModelSpec {
            if let classes, let file, classes != spec.classes {
                throw .classCountMismatch(file: file, inFile: spec.classes, requested: classes)
            }
            var result = spec
            if let backbone, backbone.name != spec.backbone.name { result.backbone = backbone }
            if let head { result.head = head }
            if result.backbone != spec.backbone || result.head != spec.head || classes.map({ $0 != spec.classes }) == true {
                // Another network: its own defaults, but keep the names of an unchanged class count.
                let k = classes ?? spec.classes
                let keep = k == spec.classes
                result = ModelSpec(backbone: result.backbone, head: result.head, classes: k,
                                   classNames: keep ? spec.classNames : nil, palette: keep ? spec.palette : nil,
                                   preprocessing: spec.preprocessing)
            }
            return result
        }

        /// The network chosen without a file: the overrides on `base` (default: Berkeley's
        /// VGG16 FCN-8s); the class count defaults to the chosen network's.
        public func spec(base: ModelSpec = .fcn8s) -> ModelSpec {
            let backbone = self.backbone ?? base.backbone, head = self.head ?? base.head
            return ModelSpec(backbone: backbone, head: head, classes: classes)
        }
    }
}

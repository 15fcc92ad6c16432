// FigureCatalog.swift — every named figure the `fcn figures` command can draw.
//
// No paper section: the registry. A figure is added by writing a function in `Figures/`
// that returns a `Figure` and listing it here under a file-name-friendly name.

/// The named figures, by name (the name is also the output file's base name).
///
/// ```swift
/// let f = FigureCatalog.all["convolution-arithmetic"]!()
/// try f.write(to: URL(fileURLWithPath: "Figures/convolution-arithmetic.svg"))
/// ```
public enum FigureCatalog {
    public static let all: [String: @Sendable () -> Figure] = [
        "colormap-swatches": { colormapSwatches() },
        "convolution-arithmetic": { convolutionArithmetic() },
        "upsampling-sizes": { upsamplingSizesTable() },
    ]

    /// The names in alphabetical order.
    public static var names: [String] { all.keys.sorted() }
}

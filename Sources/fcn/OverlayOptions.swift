// OverlayOptions.swift — `--alpha` and `--legend`, how `fcn segment` paints its overlays (paper
// Fig. 1/6 style: the classes in colour over the photograph). Background (class 0) and void are
// left as the photograph, so that only the objects are tinted.
import ArgumentParser
import FCN
import FCNFigures
import Foundation

struct OverlayOptions: ParsableArguments {
    @Option(help: "Opacity of the class colours in the overlay, 0 (photo only) to 1 (flat colours).")
    var alpha = 0.5

    @Flag(help: "Draw a legend of the classes present (swatch and name) to the right of the overlay.")
    var legend = false

    func validate() throws {
        guard alpha.isFinite, (0...1).contains(alpha) else {
            throw ValidationError("--alpha must be between 0 and 1 (got \(alpha))")
        }
    }

    /// The outputs `outputs` with this styling; with `--legend` the overlay is left to
    /// ``writeLegendOverlay(_:to:spec:)`` (the library's overlay has no text).
    func styled(_ outputs: SegmentationOutputs) -> SegmentationOutputs {
        var styled = outputs
        styled.overlayAlpha = alpha
        styled.overlayLeavesBackground = true
        if legend { styled.overlay = nil }
        return styled
    }

    /// With `--legend`: the overlay of `run` with the legend beside it, written to `url`
    /// (at one pixel per point, so the picture keeps the input's pixels).
    func writeLegendOverlay(_ run: SegmentationRun, to url: URL?, spec: ModelSpec) throws {
        guard legend, let url, let labels = run.labels else { return }
        var unpainted: Set<UInt8> = [0]
        if run.scores.classCount <= LabelPalette.voidLabel { unpainted.insert(UInt8(LabelPalette.voidLabel)) }
        let full = (0..<256).map { $0 < spec.palette.count ? spec.palette[$0] : LabelPalette.pascalVOCColors[$0] }
        let shown = run.image.overlaid(with: labels, palette: full, alpha: alpha, unpainted: unpainted)
        try overlayWithLegend(shown, labels: labels, classNames: spec.classNames, palette: full).write(to: url, scale: 1)
    }
}

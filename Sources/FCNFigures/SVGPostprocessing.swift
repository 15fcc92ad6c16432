// SVGPostprocessing.swift — two fixes to Cairo's SVG: stable ids and sharp pixels.
//
// No paper section: file infrastructure.
//
// 1. Stable ids. Cairo 1.16 names some SVG elements after process-wide
// counters: the page group is `id="surfaceN"` and embedded pixel images are `id="imageN"`,
// where N counts every Cairo surface the process has created so far. The same figure drawn
// after another figure would therefore get different ids. We renumber those two families in
// order of first appearance (surface1, image1, image2, …), rewriting both definitions
// (`id="image7"`) and references (`xlink:href="#image7"`). Other ids (glyph0-1, pattern1,
// clip1) are already numbered per document. Text is drawn as glyph outlines, so no label
// text can be mistaken for an id.
//
// 2. Sharp pixels. Cairo 1.16 writes no smoothing hint for images drawn with
// CAIRO_FILTER_NEAREST (PDF gets /Interpolate false, SVG nothing), so browsers would blur
// an enlarged 16×16 score map. Every `<image` gets `image-rendering` set to `optimizeSpeed`
// (SVG 1.1, honoured by Firefox) and then `pixelated` (CSS, honoured by Chrome and Safari;
// a browser keeps the last value it understands). Consequence: in SVG all images are drawn
// sharp, including those drawn with `smooth: true`.
import Foundation

/// Cairo's SVG text with both fixes applied.
func postprocessingCairoSVG(_ svg: String) -> String {
    renumberingProcessGlobalIdentifiers(svg)
        .replacingOccurrences(of: "<image ", with: #"<image style="image-rendering:optimizeSpeed;image-rendering:pixelated" "#)
}

/// `svg` with Cairo's process-global `surfaceN` and `imageN` ids renumbered per document.
func renumberingProcessGlobalIdentifiers(_ svg: String) -> String {
    let pattern = try! NSRegularExpression(pattern: #"(id="|#)(surface|image)([0-9]+)(?![0-9])"#)
    let text = svg as NSString
    var renumbered: [String: Int] = [:]      // "image165" → 2
    var counts: [String: Int] = [:]          // how many of each family seen so far
    var out = ""
    var cursor = 0
    for match in pattern.matches(in: svg, range: NSRange(location: 0, length: text.length)) {
        let lead = text.substring(with: match.range(at: 1))
        let family = text.substring(with: match.range(at: 2))
        let key = family + text.substring(with: match.range(at: 3))
        let number = renumbered[key] ?? {
            counts[family, default: 0] += 1
            renumbered[key] = counts[family]!
            return counts[family]!
        }()
        out += text.substring(with: NSRange(location: cursor, length: match.range.location - cursor))
        out += "\(lead)\(family)\(number)"
        cursor = match.range.location + match.range.length
    }
    out += text.substring(from: cursor)
    return out
}

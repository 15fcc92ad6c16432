// UpsamplingSizes.swift — a table of FCN's upsampling layers and the sizes they produce.
//
// Paper §3.3 and §4.2: FCN-32s upsamples ×32 in one step, FCN-16s by ×2 then ×16, FCN-8s by
// ×2, ×2, ×8. Each is a transposed convolution with kernel k = 2s; for an input n cells long
// it yields s·(n−1)+k cells, and cropping (k−s)/2 per side leaves s·n. The numbers are
// computed by `transposedConvolutionOutputLength`, not typed in.
import FCN

/// The table of stride, kernel, output length and crop for FCN's upsampling strides,
/// for an input `inputLength` cells long.
public func upsamplingSizesTable(inputLength n: Int = 16) -> Figure {
    let strides = [2, 8, 16, 32]
    let rows: [[String]] = strides.map { s in
        let k = 2 * s, crop = (k - s) / 2
        let full = transposedConvolutionOutputLength(input: n, kernel: k, stride: s, padBefore: 0, padAfter: 0)
        let kept = transposedConvolutionOutputLength(input: n, kernel: k, stride: s, padBefore: crop, padAfter: k - s - crop)
        return ["×\(s)", "\(s)", "\(k)", "\(n)", "\(full)", "\(crop)", "\(kept)"]
    }
    return TableRenderer(
        header: ["upsampling", "stride s", "kernel k", "input n", "s·(n−1)+k", "crop per side", "kept = s·n"],
        rows: rows, alignments: [.left] + Array(repeating: .right, count: 6),
        title: "FCN's transposed convolutions (k = 2s) on an input of \(n) cells"
    ).figure()
}

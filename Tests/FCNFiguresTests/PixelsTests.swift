// PixelsTests.swift — tensor slices to pixels, heatmap overlays (label overlays: FCNTests/Segmentation),
// and the transposed-convolution counts.
import FCN
import Testing
@testable import FCNFigures

@Suite struct PixelsTests {
    @Test func tensorImageTakesTheRightSliceAndRange() {
        // Element (n, c, h, w) holds 100n + 10c + w, so a slice's values name the slice.
        let x = Tensor(shape: [2, 3, 2, 4]) { i in Float(100 * i[0] + 10 * i[1] + i[3]) }
        let img = TensorImage(x, batch: 1, channel: 2)
        #expect(img.height == 2 && img.width == 4)
        #expect(img.values == [120, 121, 122, 123, 120, 121, 122, 123])
        #expect(img.range == ValueRange(120, 123))
        let p = img.pixels
        #expect(p[0, 0] == RGB(bytes: Colormap.viridis.color(at: 0).bytes.red, Colormap.viridis.color(at: 0).bytes.green,
                                Colormap.viridis.color(at: 0).bytes.blue))
        #expect(p[1, 3] == p[0, 3])
        let given = TensorImage(x, batch: 0, channel: 0, range: ValueRange(0, 1))
        #expect(given.range == ValueRange(0, 1))   // a stated range is kept, not recomputed
    }

    @Test func heatmapOverlayAtFullOpacityIsTheColormap() {
        let image = RGBImage(width: 2, height: 1, fill: .black)
        let out = Overlay.heatmap([0, 1], on: image, alpha: 1)
        #expect(Array(out.pixels[3..<6]) == [253, 231, 37])   // viridis' last row ×255, rounded
        #expect(Array(out.pixels[0..<3]) == [68, 1, 84])      // and its first
    }

    @Test(arguments: [(3, 2, 4), (4, 8, 16), (5, 3, 3), (2, 1, 3)])
    func stampsCoverEachOutputCellAsOftenAsTheGeometrySays(n: Int, s: Int, k: Int) {
        let length = transposedConvolutionOutputLength(input: n, kernel: k, stride: s, padBefore: 0, padAfter: 0)
        let counts = (0..<length).map { stampCount(at: $0, inputLength: n, stride: s, kernel: k) }
        #expect(counts.reduce(0, +) == n * k)        // every stamp lays down k cells
        #expect(counts.allSatisfy { $0 >= 1 })       // k ≥ s leaves no gaps
        #expect(counts.first == 1 && counts.last == 1)
        if k == 2 * s {
            // Inside the crop of s/2 per side, FCN's k = 2s gives every cell two stamps except near the edge.
            #expect(counts[s..<(length - s)].allSatisfy { $0 == 2 })
        }
    }
}

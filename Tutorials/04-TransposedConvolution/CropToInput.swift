// CropToInput.swift — Chapter 4's first section: how big a transposed convolution's output is,
// and how FCN crops it back onto the input's pixels (paper §3.3, §4.2 CVPR 2015; Berkeley's
// `voc-fcn32s/net.py`, Caffe's `coord_map.crop`).
//
// A transposed convolution with stride s and kernel k turns n cells into s·(n − 1) + k pixels.
// FCN does not trim a fixed (k − s)/2 from each side: conv1_1 pads the image by 100, so the
// upsampled scores overhang the image by an amount that depends on the whole net, and the crop
// layer takes the offset at which the two coordinate maps agree and keeps exactly the input's
// height and width. For VGG16's FCN-32s on a 500×500 image: 16 cells → 544 pixels, offset 19,
// 500 kept. The numbers below come from `inferShapes`, not from a formula typed here.
import FCN
import FCNCourse

/// Sizes of FCN-32s's upsampling on VGG16 for one input size.
struct UpsamplingCrop: Equatable {
    var input: Int, cells: Int, upsampled: Int, offset: Int, kept: Int
}

/// Shape inference on VGG16's FCN-32s for square inputs of the given sizes.
func fcn32sUpsamplingCrops(inputs: [Int]) throws -> [UpsamplingCrop] {
    let net = try ModelSpec(backbone: .vgg16, head: .fcn32s).description()
    return try inputs.map { size in
        let shapes = try net.inferShapes(input: [1, 3, size, size])
        return UpsamplingCrop(input: size, cells: shapes.layerOutputs["score_fr"]![2], upsampled: shapes.layerOutputs["upscore"]![2],
                              offset: shapes.cropOffsets["score"]!.height, kept: shapes.layerOutputs["score"]![2])
    }
}

/// Prints the section: the size rule on small examples, then FCN-32s's real crop.
func showUpsamplingAndCrop(_ lesson: inout Lesson) throws -> [UpsamplingCrop] {
    lesson.say("  A transposed convolution with stride f and kernel k = 2f turns n cells into f·(n − 1) + k:")
    for (n, f) in [(16, 2), (16, 8), (16, 32)] {
        let k = bilinearKernelSize(factor: f)
        let full = transposedConvolutionOutputLength(input: n, kernel: k, stride: f, padBefore: 0, padAfter: 0)
        lesson.value("n = \(n), f = \(f), k = \(k)", "\(full) pixels (f·n = \(f * n))")
    }
    lesson.say("  FCN then crops the upsampled scores onto the image. The crop is not a fixed (k − f)/2 per")
    lesson.say("  side: conv1_1 pads the image by 100, so the offset is where the score map's coordinates meet")
    lesson.say("  the image's (derived from the coordinate maps, Chapter 7), and the crop keeps the INPUT's size.")
    let crops = try fcn32sUpsamplingCrops(inputs: [500, 375, 224])
    for c in crops {
        lesson.value("VGG16 FCN-32s, \(c.input)×\(c.input) image",
                     "score_fr \(c.cells) cells → upscore \(c.upsampled) px, crop offset \(c.offset) → \(c.kept) px")
    }
    lesson.say("  The offset is the same for every size (it depends on the layers, not the image); the kept")
    lesson.say("  size is always the image's, although f·n = 32·cells is not.")
    return crops
}

// AVX512Kernels.swift — the Swift side of the hand-vectorised C loops in `Sources/CFCNKernels`.
//
// Not part of the paper: engineering for §4's inference pass. The layers of `FCN` never see the
// C types; they call these `package` functions with plain pointers and sizes. Each call checks the
// C return code (1: computed, 0: not built in or an argument outside the limits of
// `CFCNKernels.h`), so a kernel that silently did nothing cannot leave an uninitialised output.
// The limits themselves are read from the C header: defined once, in one language.

import CFCNKernels

/// Entry points of the AVX-512 kernels, for the convolution fast paths of `FCN`.
package enum AVX512Kernels {
    /// Whether the kernels may run here: built in, the CPU has `avx512f`, and `FCN_KERNELS` is
    /// not `portable` (see ``CPUFeatures/avx512KernelsEnabled``).
    package static var isAvailable: Bool { CPUFeatures.avx512KernelsEnabled }

    /// Most tiles one Winograd block call handles.
    package static let winogradMaxTiles = Int(FCN_WINOGRAD_MAX_TILES)
    /// Tiles of one chunk whose transformed rows stay in L2 (the block size of shallow layers).
    package static let winogradChunkTiles = Int(FCN_WINOGRAD_CHUNK_TILES)
    /// Floats per vector of the direct convolution kernels here: 16 (AVX-512), 8 (AVX2 + FMA), or
    /// nil where neither may run. Unlike the Winograd block, the direct kernels are built for
    /// both widths (`direct_kernels.h`).
    package static let directVectorFloats: Int? =
        CPUFeatures.avx512KernelsEnabled ? 16 : (CPUFeatures.avx2KernelsEnabled ? 8 : nil)

    /// Most input channels of the direct kernel.
    package static let directMaxChannels = Int(FCN_DIRECT_MAX_CHANNELS)
    /// Largest kernel height or width of the direct kernel.
    package static let directMaxKernel = Int(FCN_DIRECT_MAX_KERNEL)

    /// One stride-1 3×3 layer on one image, as the Winograd F(4×4, 3×3) block kernel sees it.
    package struct WinogradLayer {
        package var input: UnsafePointer<Float>          // [C][H][W]
        package var channels: Int, height: Int, width: Int
        package var padTop: Int, padLeft: Int
        package var filter: UnsafePointer<Float>         // U, [36][O][C]
        package var outputChannels: Int
        package var bias: UnsafePointer<Float>           // [O]
        package var relu: Bool
        package var output: UnsafeMutablePointer<Float>  // [O][OH][OW]
        package var outputHeight: Int, outputWidth: Int
        package var tileColumns: Int                     // ⌈OW / 4⌉

        package init(input: UnsafePointer<Float>, channels: Int, height: Int, width: Int, padTop: Int, padLeft: Int,
                     filter: UnsafePointer<Float>, outputChannels: Int, bias: UnsafePointer<Float>, relu: Bool,
                     output: UnsafeMutablePointer<Float>, outputHeight: Int, outputWidth: Int, tileColumns: Int) {
            self.input = input; self.channels = channels; self.height = height; self.width = width
            self.padTop = padTop; self.padLeft = padLeft; self.filter = filter; self.outputChannels = outputChannels
            self.bias = bias; self.relu = relu; self.output = output; self.outputHeight = outputHeight
            self.outputWidth = outputWidth; self.tileColumns = tileColumns
        }

        var c: fcn_winograd_layer {
            fcn_winograd_layer(input: input, channels: Int32(channels), height: Int32(height), width: Int32(width),
                               padTop: Int32(padTop), padLeft: Int32(padLeft), filter: filter,
                               outputChannels: Int32(outputChannels), bias: bias, relu: relu ? 1 : 0, output: output,
                               outputHeight: Int32(outputHeight), outputWidth: Int32(outputWidth),
                               tileColumns: Int32(tileColumns))
        }
    }

    /// Floats of (64-byte aligned) scratch one block call of at most `maxTiles` tiles needs.
    package static func winogradScratchFloats(channels: Int, outputChannels: Int, maxTiles: Int) -> Int {
        fcn_winograd_f43_scratch_floats(Int32(channels), Int32(outputChannels), Int32(maxTiles))
    }

    /// Input transform, 36 products and output transform (+ bias, ReLU) of tiles
    /// `firstTile ..< firstTile + tileCount`. `scratch` is private to the calling thread.
    package static func winogradBlock(_ layer: WinogradLayer, firstTile: Int, tileCount: Int, scratch: UnsafeMutablePointer<Float>) {
        var l = layer.c
        let done = fcn_winograd_f43_block(&l, Int32(firstTile), Int32(tileCount), scratch)
        precondition(done == 1, "fcn_winograd_f43_block refused tiles \(firstTile)..<\(firstTile + tileCount) (not built in, or more than \(winogradMaxTiles))")
    }

    /// A direct stride-1 convolution with few input channels, as its C kernel sees it.
    package struct DirectLayer {
        package var input: UnsafePointer<Float>          // [C][H][W]
        package var channels: Int, height: Int, width: Int
        package var padTop: Int, padLeft: Int
        package var weight: UnsafePointer<Float>         // [O][C][KH][KW]
        package var outputChannels: Int, kernelHeight: Int, kernelWidth: Int
        package var bias: UnsafePointer<Float>           // [O]
        package var relu: Bool
        package var output: UnsafeMutablePointer<Float>  // [O][OH][OW]
        package var outputHeight: Int, outputWidth: Int

        package init(input: UnsafePointer<Float>, channels: Int, height: Int, width: Int, padTop: Int, padLeft: Int,
                     weight: UnsafePointer<Float>, outputChannels: Int, kernelHeight: Int, kernelWidth: Int,
                     bias: UnsafePointer<Float>, relu: Bool, output: UnsafeMutablePointer<Float>,
                     outputHeight: Int, outputWidth: Int) {
            self.input = input; self.channels = channels; self.height = height; self.width = width
            self.padTop = padTop; self.padLeft = padLeft; self.weight = weight; self.outputChannels = outputChannels
            self.kernelHeight = kernelHeight; self.kernelWidth = kernelWidth; self.bias = bias; self.relu = relu
            self.output = output; self.outputHeight = outputHeight; self.outputWidth = outputWidth
        }

        var c: fcn_direct_conv_layer {
            fcn_direct_conv_layer(input: input, channels: Int32(channels), height: Int32(height), width: Int32(width),
                                  padTop: Int32(padTop), padLeft: Int32(padLeft), weight: weight,
                                  outputChannels: Int32(outputChannels), kernelHeight: Int32(kernelHeight),
                                  kernelWidth: Int32(kernelWidth), bias: bias, relu: relu ? 1 : 0, output: output,
                                  outputHeight: Int32(outputHeight), outputWidth: Int32(outputWidth),
                                  vectorFloats: Int32(AVX512Kernels.directVectorFloats ?? 0))
        }
    }

    /// Floats of scratch one row call of the direct kernel needs for `layer`.
    package static func directScratchFloats(_ layer: DirectLayer) -> Int {
        var l = layer.c
        return fcn_direct_conv_scratch_floats(&l)
    }

    /// Output row `row` of every output channel of `layer`.
    package static func directRow(_ layer: DirectLayer, row: Int, scratch: UnsafeMutablePointer<Float>) {
        var l = layer.c
        let done = fcn_direct_conv_row(&l, Int32(row), scratch)
        precondition(done == 1, "fcn_direct_conv_row refused row \(row) of a \(layer.channels)-channel \(layer.kernelHeight)×\(layer.kernelWidth) layer (not built in, or outside its limits)")
    }

    /// A stride-1 convolution's weight gradient, as its C kernel sees it (one image).
    package struct DirectGradientLayer {
        package var input: UnsafePointer<Float>              // [C][H][W]
        package var channels: Int, height: Int, width: Int
        package var padTop: Int, padLeft: Int
        package var outputGradient: UnsafePointer<Float>     // [O][OH][OW]
        package var outputChannels: Int, outputHeight: Int, outputWidth: Int
        package var kernelHeight: Int, kernelWidth: Int

        package init(input: UnsafePointer<Float>, channels: Int, height: Int, width: Int, padTop: Int, padLeft: Int,
                     outputGradient: UnsafePointer<Float>, outputChannels: Int, outputHeight: Int, outputWidth: Int,
                     kernelHeight: Int, kernelWidth: Int) {
            self.input = input; self.channels = channels; self.height = height; self.width = width
            self.padTop = padTop; self.padLeft = padLeft; self.outputGradient = outputGradient
            self.outputChannels = outputChannels; self.outputHeight = outputHeight; self.outputWidth = outputWidth
            self.kernelHeight = kernelHeight; self.kernelWidth = kernelWidth
        }

        var c: fcn_direct_gradient_layer {
            fcn_direct_gradient_layer(input: input, channels: Int32(channels), height: Int32(height), width: Int32(width),
                                      padTop: Int32(padTop), padLeft: Int32(padLeft), outputGradient: outputGradient,
                                      outputChannels: Int32(outputChannels), outputHeight: Int32(outputHeight),
                                      outputWidth: Int32(outputWidth), kernelHeight: Int32(kernelHeight), kernelWidth: Int32(kernelWidth),
                                      vectorFloats: Int32(AVX512Kernels.directVectorFloats ?? 0))
        }
    }

    /// Floats of the zero-bordered copy of one image's input that the weight-gradient calls read.
    package static func directBorderedFloats(_ layer: DirectGradientLayer) -> Int {
        var l = layer.c
        return fcn_direct_bordered_floats(&l)
    }

    /// Copies `layer.input` into `bordered` with KH − 1 / KW − 1 zeros around it.
    package static func directBorder(_ layer: DirectGradientLayer, into bordered: UnsafeMutablePointer<Float>) {
        var l = layer.c
        precondition(fcn_direct_border_input(&l, bordered) == 1, "fcn_direct_border_input refused a \(layer.channels)-channel layer")
    }

    /// Output channels one weight-gradient call handles for a kernel `kernelWidth` wide.
    package static func directGradientBlockChannels(kernelWidth: Int) -> Int {
        Int(fcn_direct_weight_gradient_block_channels(Int32(kernelWidth), Int32(directVectorFloats ?? 0)))
    }

    /// Adds the weight-gradient sums of output channels `o0 ..<` (one block), input channel `c`,
    /// kernel row `u` to `dW` (`[O][C][KH][KW]`).
    package static func directWeightGradient(_ layer: DirectGradientLayer, bordered: UnsafePointer<Float>,
                                             o0: Int, c: Int, u: Int, into dW: UnsafeMutablePointer<Float>) {
        var l = layer.c
        let done = fcn_direct_weight_gradient(&l, bordered, Int32(o0), Int32(c), Int32(u), dW)
        precondition(done == 1, "fcn_direct_weight_gradient refused block o0 \(o0), c \(c), u \(u) (not built in, or outside its limits)")
    }
}

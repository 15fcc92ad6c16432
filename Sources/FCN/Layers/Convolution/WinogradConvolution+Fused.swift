// WinogradConvolution+Fused.swift — Winograd F(4×4, 3×3) in cache-sized blocks of tiles, our threads.
//
// Same algorithm as `WinogradConvolution.swift` (Lavin & Gray, CVPR 2016; paper §3, §4.1 use
// it for every 3×3 convolution of the VGG16 body), organised differently. There, a chunk of
// ~500 tiles goes through three whole-chunk passes — input transform into V, 36 OpenBLAS
// sgemms into M, output transform — and V and M (megabytes) travel through main memory
// between the passes. Here each thread takes a block of tiles (48, or up to 144 for the
// 512-channel layers) and runs all three steps on it with the AVX-512 kernel
// `fcn_winograd_f43_block` (Sources/CFCNKernels), while its V (36·C·48 floats) and M
// (36·O·48) are still in its L2 cache. The threads are ours (one per core, taking blocks from
// a shared counter, so a core slowed down by another process simply takes fewer blocks), not
// OpenBLAS's, so there are no barriers between the 36 products either.
//
// Chosen by `Convolution.kernel(for:purpose:precision:)` (`ConvolutionKernel.swift`) when the processor has
// AVX-512 (`isFusedKernelAvailable`) and the layer is not too wide (`prefersFusedKernel`);
// otherwise the BLAS path runs. Tests hold both equal to `Convolution.referenceForward`.
//
// Dimension letters: N batch, C input channels, H×W input, O output channels, OH×OW output,
// Q tiles per tile row, T tiles per image.

import FCNCore
import FCNKernels
import FCNKernels
import Synchronization

extension WinogradConvolution {
    /// Whether the fused AVX-512 block kernel can run here (see `CPUFeatures.avx512KernelsEnabled`).
    public static let isFusedKernelAvailable: Bool = CPUFeatures.avx512KernelsEnabled

    /// Whether the fused kernel beats the OpenBLAS path for this layer's size: up to
    /// C·O = 256·256. Every block reads all of U (36·C·O floats); for VGG16's 512-channel
    /// layers that is 38 MB per block, which no cache holds, and OpenBLAS's large products (one
    /// U matrix against hundreds of tiles) are as fast. Measured with `fcn-profile --layers
    /// --threads 1 --cpu-time` (FCN-8s, 500×500, CPU ms fused/BLAS): conv1_2 155/211, conv2_2
    /// 110/126, conv3_x 89/110; conv4_1 62/58, conv4_x 110/109, conv5_x 33/35 (blocks of 144).
    public var prefersFusedKernel: Bool {
        Self.prefersFusedKernel(inputChannels: filter.inputChannels, outputChannels: filter.outputChannels)
    }

    /// ``prefersFusedKernel`` for a layer of C input and O output channels.
    public static func prefersFusedKernel(inputChannels: Int, outputChannels: Int) -> Bool {
        inputChannels * outputChannels <= fusedChannelLimit
    }

    /// The largest C·O given to the fused kernel by default (see ``prefersFusedKernel``).
    static let fusedChannelLimit = 256 * 256

    /// Tiles one kernel call handles at most (nine vectors of 16; `CFCNKernels.h`).
    static var fusedBlockTiles: Int { AVX512Kernels.winogradMaxTiles }

    /// The convolution of `x` (`[N, C, H, W]` → `[N, O, OH, OW]`, optionally + ReLU) by the fused
    /// block kernel. Precondition: ``isFusedKernelAvailable``.
    ///
    /// - Parameter blockTiles: tiles per kernel call (1…144); nil chooses by size.
    func fusedForward(_ x: Tensor, fusingReLU: Bool, blockTiles: Int? = nil) -> Tensor {
        precondition(Self.isFusedKernelAvailable, "WinogradConvolution: the fused kernel needs AVX-512")
        let d = x.nchw
        let C = filter.inputChannels, O = filter.outputChannels
        precondition(d.c == C, "WinogradConvolution: input has \(d.c) channels, weight expects \(C)")
        let H = d.h, W = d.w
        let OH = convolutionOutputLength(input: H, kernel: 3, stride: 1, padBefore: padding.top, padAfter: padding.bottom)
        let OW = convolutionOutputLength(input: W, kernel: 3, stride: 1, padBefore: padding.left, padAfter: padding.right)
        precondition(OH >= 1 && OW >= 1, "WinogradConvolution: a 3×3 window does not fit a \(H)×\(W) input with padding \(padding)")
        let Q = (OW + 3) / 4, T = ((OH + 3) / 4) * Q

        // Workers: one per core (or the thread limit). Blocks: 48 tiles up to C·O = 256·256,
        // where V and M then fit in L2 (larger blocks spill them and run slower: conv3_x 1.3×);
        // 144 beyond, where reading U (38 MB) once per 48 tiles costs more than the spill.
        // The block count is a multiple of the worker count, so that conv4's 484 tiles
        // become 4 blocks of 121 rather than 3 of 144 and one of 52.
        let cores: Int = EngineConfiguration.current.resolvedThreads
        let workers: Int = max(1, min(cores, (T + 15) / 16))
        let largest: Int = C * O <= Self.fusedChannelLimit ? AVX512Kernels.winogradChunkTiles : Self.fusedBlockTiles
        let rounds: Int = (T + largest * workers - 1) / (largest * workers)
        let block: Int = blockTiles ?? (T + rounds * workers - 1) / (rounds * workers)
        precondition(block >= 1 && block <= Self.fusedBlockTiles, "WinogradConvolution: block of \(block) tiles")
        let blocksPerImage = (T + block - 1) / block

        // Every output pixel is written by exactly one block.
        var y = [Float](unsafeUninitializedCapacity: d.n * O * OH * OW) { $1 = d.n * O * OH * OW }   // [N, O, OH, OW]
        if y.isEmpty { return Tensor(shape: [d.n, O, OH, OW], scalars: y) }
        let biasValues = bias?.scalars ?? [Float](repeating: 0, count: O)
        let scratchFloats = AVX512Kernels.winogradScratchFloats(channels: C, outputChannels: O, maxTiles: block)
        let next = Atomic<Int>(0)                                // the next unclaimed block
        x.scalars.withUnsafeBufferPointer { xAll in
        filter.scalars.withUnsafeBufferPointer { U in
        biasValues.withUnsafeBufferPointer { biasValues in
        y.withUnsafeMutableBufferPointer { yAll in
            let (xAll, U, biasValues, yAll) = (xAll.baseAddress!, U.baseAddress!, biasValues.baseAddress!, yAll.baseAddress!)
            parallelFor(workers) { _ in
                let scratch = UnsafeMutableRawPointer.allocate(byteCount: scratchFloats * 4, alignment: 64)
                defer { scratch.deallocate() }
                let floats = scratch.bindMemory(to: Float.self, capacity: scratchFloats)
                while true {
                    let claimed = next.add(1, ordering: .relaxed).oldValue
                    if claimed >= d.n * blocksPerImage { break }
                    let n = claimed / blocksPerImage, first = (claimed % blocksPerImage) * block
                    let layer = AVX512Kernels.WinogradLayer(
                        input: xAll + n * C * H * W, channels: C, height: H, width: W,
                        padTop: padding.top, padLeft: padding.left,
                        filter: U, outputChannels: O, bias: biasValues, relu: fusingReLU,
                        output: yAll + n * O * OH * OW, outputHeight: OH, outputWidth: OW, tileColumns: Q)
                    AVX512Kernels.winogradBlock(layer, firstTile: first, tileCount: min(block, T - first), scratch: floats)
                }
            }
        }}}}
        return Tensor(shape: [d.n, O, OH, OW], scalars: y)
    }
}

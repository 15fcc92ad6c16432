// CFCNKernels.h — hand-vectorised inner loops (AVX-512) for the fast paths of FCN's layers.
//
// Not part of the paper: engineering for §4's inference pass. Swift compiles for the baseline
// x86-64 (SSE2) so that one binary runs everywhere, and it has no way to ask for AVX-512 in a
// single function. C has (`__attribute__((target("avx512f")))`), so the few loops that need
// 16-wide vectors and fused multiply-adds live here, and the Swift side calls them only after
// `CPUFeatures` has seen `avx512f`. On other processors (and other architectures, where these
// functions are empty stubs returning 0) the Swift fast paths run instead.
//
// Every function here has a plain Swift reference it is tested against (see the Swift callers:
// `WinogradConvolution+Fused.swift`, `DirectConvolution.swift`).
#ifndef CFCNKERNELS_H
#define CFCNKERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Limits shared with the Swift callers (`FCNKernels/AVX512Kernels.swift` reads them from here, so
/// the two languages cannot disagree):
/// - a Winograd block call handles at most FCN_WINOGRAD_MAX_TILES tiles (nine vectors of 16),
///   organised in chunks of FCN_WINOGRAD_CHUNK_TILES whose V and M rows stay in L2;
/// - the direct kernels take at most FCN_DIRECT_MAX_CHANNELS input channels and kernels of at
///   most FCN_DIRECT_MAX_KERNEL × FCN_DIRECT_MAX_KERNEL taps (its line scratch grows with C).
enum {
    FCN_WINOGRAD_MAX_TILES = 144,
    FCN_WINOGRAD_CHUNK_TILES = 48,
    FCN_DIRECT_MAX_CHANNELS = 1024,
    FCN_DIRECT_MAX_KERNEL = 7,
    FCN_BF16_GEMM_PANEL_ROWS = 8,
    FCN_BF16_GEMM_MAX_COLUMNS = 192,
};

/// Every kernel returns 1 when it computed its output and 0 when it did not: the kernel is not
/// built in (not x86-64) or an argument is outside the limits above. The Swift side checks it.

/// 1 when this build contains the AVX-512 kernels (x86-64), 0 otherwise. Whether the processor
/// can run them is for the caller to check.
int fcn_kernels_built_with_avx512(void);

/// One stride-1 3×3 convolution layer on one image, as Winograd F(4×4, 3×3) sees it.
/// Tiles: the output is cut into 4×4 tiles, `tileColumns` per tile row, numbered in raster order.
typedef struct {
    const float *input;        ///< [C][H][W]
    int channels, height, width;
    int padTop, padLeft;
    const float *filter;       ///< U, [36][O][C] (`WinogradFilter` layout)
    int outputChannels;
    const float *bias;         ///< [O], never NULL
    int relu;                  ///< 1: max(0, ·) after the bias
    float *output;             ///< [O][OH][OW]
    int outputHeight, outputWidth;
    int tileColumns;           ///< ceil(OW / 4)
} fcn_winograd_layer;

/// Floats of scratch a call of `fcn_winograd_f43_block` with at most `maxTiles` (≤ 144) tiles needs.
size_t fcn_winograd_f43_scratch_floats(int channels, int outputChannels, int maxTiles);

/// Input transform, 36 products summed over channels, output transform (+ bias, ReLU) for the
/// tiles `firstTile ..< firstTile + tileCount` (tileCount ≤ 144), writing their output pixels.
/// `scratch` (see above, 64-byte aligned) is private to the calling thread. Returns 0 when
/// the kernel is not built in or tileCount is outside 0…FCN_WINOGRAD_MAX_TILES.
int fcn_winograd_f43_block(const fcn_winograd_layer *layer, int firstTile, int tileCount, float *scratch);

/// A direct 3×3 (or any KH×KW ≤ 7×7) stride-1 convolution with few input channels, one output
/// row `row` of every output channel (AVX-512 or AVX2 loops, by `vectorFloats`): y[o][row][j] = bias[o] + Σ_{c,u,v} w[o][c][u][v]·x[c][row+u−padTop][j+v−padLeft]
/// (then ReLU). `scratch` needs `fcn_direct_conv_scratch_floats` floats. Returns 0 when not built
/// in, or when the channels, the kernel size or `row` are outside the limits.
typedef struct {
    const float *input;        ///< [C][H][W]
    int channels, height, width;
    int padTop, padLeft;
    const float *weight;       ///< [O][C][KH][KW]
    int outputChannels, kernelHeight, kernelWidth;
    const float *bias;         ///< [O], never NULL
    int relu;
    float *output;             ///< [O][OH][OW]
    int outputHeight, outputWidth;
    int vectorFloats;          ///< 16: the AVX-512 loops; 8: the AVX2 + FMA loops
} fcn_direct_conv_layer;

size_t fcn_direct_conv_scratch_floats(const fcn_direct_conv_layer *layer);
int fcn_direct_conv_row(const fcn_direct_conv_layer *layer, int row, float *scratch);

/// The weight gradient of a stride-1, undilated convolution without im2col:
/// dW[o][c][u][v] += Σ_{i,j} dY[o][i][j]·x[c][i+u−padTop][j+v−padLeft] (0 outside x).
/// First `fcn_direct_border_input` copies x into a zero-bordered buffer of
/// `fcn_direct_bordered_floats` floats (shared by all calls on that image); then each call of
/// `fcn_direct_weight_gradient` adds the sums of the output channels o0 ..< o0 + MR (MR =
/// `fcn_direct_weight_gradient_block_channels(KW, vectorFloats)`, fewer at the end), input channel c and kernel
/// row u to dW ([O][C][KH][KW]). Calls with different (o0, c, u) write different entries.
typedef struct {
    const float *input;           ///< [C][H][W]
    int channels, height, width;
    int padTop, padLeft;
    const float *outputGradient;  ///< [O][OH][OW]
    int outputChannels, outputHeight, outputWidth;
    int kernelHeight, kernelWidth;
    int vectorFloats;             ///< 16: the AVX-512 loops; 8: the AVX2 + FMA loops
} fcn_direct_gradient_layer;

size_t fcn_direct_bordered_floats(const fcn_direct_gradient_layer *layer);
int fcn_direct_border_input(const fcn_direct_gradient_layer *layer, float *bordered);
int fcn_direct_weight_gradient_block_channels(int kernelWidth, int vectorFloats);
int fcn_direct_weight_gradient(const fcn_direct_gradient_layer *layer, const float *bordered, int o0, int c, int u, float *dW);

/// 1 when this build contains the AVX512-BF16 GEMM (x86-64), 0 otherwise. Whether the processor
/// has `avx512_bf16` is for the caller to check.
int fcn_kernels_built_with_avx512bf16(void);

/// bf16 GEMM with f32 sums (`bfloat16_gemm.c`): C[M][N] = A[M][K]·B[K][N] + bias (then ReLU),
/// A given as packed bf16 weights, B as f32 (rounded to bf16 while it is packed), C in f32.
/// Words of packed A for an M×K matrix (panels of FCN_BF16_GEMM_PANEL_ROWS rows, k in pairs).
size_t fcn_bf16_packed_weight_words(int rows, int depth);
/// Rounds A (M×K, row stride lda) to bf16, nearest even, into `packed`
/// (`fcn_bf16_packed_weight_words` words). Returns 0 for an empty or inconsistent shape.
int fcn_bf16_pack_weights(const float *A, size_t lda, int rows, int depth, uint32_t *packed);

typedef struct {
    const uint32_t *weights;   ///< A, packed by `fcn_bf16_pack_weights`
    int rows, depth, columns;  ///< M, K, N
    const float *input;        ///< B, [K][N] with row stride ldb
    size_t ldb;
    const float *bias;         ///< [M], or NULL for none
    int relu;                  ///< 1: max(0, ·) after the bias
    float *output;             ///< C, [M][N] with row stride ldc
    size_t ldc;
} fcn_bf16_gemm;

/// 32-bit words of scratch one `fcn_bf16_gemm_block` call needs (private to the calling thread).
size_t fcn_bf16_gemm_scratch_words(void);
/// Computes C's rows m0 ..< m1 (m0 a multiple of FCN_BF16_GEMM_PANEL_ROWS) and columns
/// n0 ..< n1 (at most FCN_BF16_GEMM_MAX_COLUMNS of them). Calls on disjoint blocks may run on
/// different threads. Returns 0 when not built in or a range is outside the matrix.
int fcn_bf16_gemm_block(const fcn_bf16_gemm *gemm, int n0, int n1, int m0, int m1, uint32_t *scratch);

#ifdef __cplusplus
}
#endif
#endif

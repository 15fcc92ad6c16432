// direct_convolution.c — stride-1 convolution and its weight gradient without im2col, for
// AVX-512 and AVX2 (the loops are in direct_kernels.h, compiled here once per vector width).
//
// Forward (and, run on the turned filters, training's dL/dx): the fast path for FCN's first
// layer, conv1_1 (paper §3: 3 input channels, 64 filters of 3×3, padding 100, so a 500×500
// image gives a 698×698×64 output), and for the narrow layers of the course's VGG-mini in
// training. im2col + GEMM is a poor fit there: with an inner dimension of 27 (conv1_1) or 72
// (8 channels), writing and re-reading the column matrix costs more than the arithmetic. Here
// each output row is computed directly:
//
//   y[o][row][j] = bias[o] + Σ_{c,u,v} w[o][c][u][v] · line_{c,u}[j + v]
//
// where line_{c,u} is input row (row + u − padTop) of channel c, copied once into a
// zero-padded buffer so that the taps never need bounds checks. A register block holds MR
// output channels × NV vectors of pixels (8 × 3 × 16 with AVX-512's 32 registers, 4 × 2 × 8 with
// AVX2's 16 — more would spill); each tap costs NV unaligned loads (from L1), MR broadcasts and
// NV·MR fused multiply-adds. Rows that see
// only padding (the 98 rows above and below the image at pad 100) are just max(bias, 0) and
// skip the arithmetic.
//
// Weight gradient (training, CVPR §4.1: SGD through every layer):
//
//   dW[o][c][u][v] = Σ_{i,j} dY[o][i][j] · x[c][i + u − padTop][j + v − padLeft]      (0 outside x)
//
// taken straight from a zero-bordered copy of x: one call handles MR output channels, one input
// channel c and one kernel row u, and keeps the MR·KW sums in vector registers while it sweeps
// the output pixels a vector at a time (KW loads of x, then per output channel one load of dY
// and KW fused multiply-adds), reducing the vectors to scalars once at the end. Output pixels
// whose window lies wholly in the padding contribute nothing and are skipped: at FCN's padding
// of 100 a 128×128 input gives conv1_1 a 326×326 output of which only 130×130 pixels see the image.
//
// Dimension letters: C input channels, O output channels, KH×KW kernel, H×W input, OW output width.
#include "CFCNKernels.h"

#if defined(__x86_64__)
#include <string.h>

/// Length of one padded line: the OW + KW − 1 columns the taps read, plus a 48-float margin so
/// that the last (partial) block of 3 vectors can load whole vectors.
static size_t directLineLength(const fcn_direct_conv_layer *L) {
    return ((size_t)L->outputWidth + (size_t)L->kernelWidth - 1 + 48 + 15) & ~(size_t)15;
}

/// Width of one bordered row: KW − 1 zeros each side, plus 16 floats of zeros at the end.
static size_t directBorderedWidth(const fcn_direct_gradient_layer *L) {
    return (size_t)L->width + 2 * (size_t)(L->kernelWidth - 1) + 16;
}
static size_t directBorderedHeight(const fcn_direct_gradient_layer *L) {
    return (size_t)L->height + 2 * (size_t)(L->kernelHeight - 1);
}

#define VW 16
#define MR_FWD 8
#define NV_FWD 3
#define ACC_DW 24
#define TARGET "avx512f"
#define NAME(f) f##_avx512
#include "direct_kernels.h"
#undef VW
#undef MR_FWD
#undef NV_FWD
#undef ACC_DW
#undef TARGET
#undef NAME

#define VW 8
#define MR_FWD 4
#define NV_FWD 2
#define ACC_DW 10
#define TARGET "avx2,fma"
#define NAME(f) f##_avx2
#include "direct_kernels.h"
#undef VW
#undef MR_FWD
#undef NV_FWD
#undef ACC_DW
#undef TARGET
#undef NAME

size_t fcn_direct_conv_scratch_floats(const fcn_direct_conv_layer *L) {
    return (size_t)L->channels * L->kernelHeight * directLineLength(L);
}

int fcn_direct_conv_row(const fcn_direct_conv_layer *L, int outputRow, float *scratch) {
    const int C = L->channels, KH = L->kernelHeight, KW = L->kernelWidth;
    if (C < 1 || C > FCN_DIRECT_MAX_CHANNELS || KH < 1 || KH > FCN_DIRECT_MAX_KERNEL || KW < 1
        || KW > FCN_DIRECT_MAX_KERNEL || outputRow < 0 || outputRow >= L->outputHeight) return 0;
    switch (L->vectorFloats) {
    case 16: forwardRow_avx512(L, outputRow, scratch); return 1;
    case 8: forwardRow_avx2(L, outputRow, scratch); return 1;
    default: return 0;
    }
}

static int gradientLayerValid(const fcn_direct_gradient_layer *L) {
    return L->channels >= 1 && L->outputChannels >= 1 && L->height >= 1 && L->width >= 1
        && L->kernelHeight >= 1 && L->kernelHeight <= FCN_DIRECT_MAX_KERNEL
        && L->kernelWidth >= 1 && L->kernelWidth <= FCN_DIRECT_MAX_KERNEL
        && L->padTop >= 0 && L->padLeft >= 0 && L->outputHeight >= 1 && L->outputWidth >= 1
        && (L->vectorFloats == 16 || L->vectorFloats == 8);
}

size_t fcn_direct_bordered_floats(const fcn_direct_gradient_layer *L) {
    return gradientLayerValid(L) ? (size_t)L->channels * directBorderedHeight(L) * directBorderedWidth(L) : 0;
}

int fcn_direct_border_input(const fcn_direct_gradient_layer *L, float *bordered) {
    if (!gradientLayerValid(L)) return 0;
    const size_t bw = directBorderedWidth(L), bh = directBorderedHeight(L);
    const int KH = L->kernelHeight, KW = L->kernelWidth, H = L->height, W = L->width;
    memset(bordered, 0, (size_t)L->channels * bh * bw * sizeof(float));
    for (int c = 0; c < L->channels; c++)
        for (int h = 0; h < H; h++)
            memcpy(bordered + ((size_t)c * bh + h + KH - 1) * bw + KW - 1, L->input + ((size_t)c * H + h) * W, (size_t)W * sizeof(float));
    return 1;
}

int fcn_direct_weight_gradient_block_channels(int kernelWidth, int vectorFloats) {
    const int cap = vectorFloats == 16 ? 8 : 4, accumulators = vectorFloats == 16 ? 24 : 10;
    if (kernelWidth < 1) return 1;
    int mr = accumulators / kernelWidth;
    return mr < 1 ? 1 : (mr > cap ? cap : mr);
}

int fcn_direct_weight_gradient(const fcn_direct_gradient_layer *L, const float *bordered, int o0, int c, int u, float *dW) {
    if (!gradientLayerValid(L)) return 0;
    const int KH = L->kernelHeight, KW = L->kernelWidth, O = L->outputChannels;
    if (c < 0 || c >= L->channels || u < 0 || u >= KH || o0 < 0 || o0 >= O) return 0;
    const int block = fcn_direct_weight_gradient_block_channels(KW, L->vectorFloats);
    const int mr = O - o0 < block ? O - o0 : block;
    // Output pixels whose window meets the image: rows i with i + u′ − padTop in [0, H) for some
    // kernel row u′, columns likewise.
    int iLo = L->padTop - KH + 1, iHi = L->padTop + L->height;
    int jLo = L->padLeft - KW + 1, jHi = L->padLeft + L->width;
    if (iLo < 0) iLo = 0;
    if (jLo < 0) jLo = 0;
    if (iHi > L->outputHeight) iHi = L->outputHeight;
    if (jHi > L->outputWidth) jHi = L->outputWidth;
    if (iLo >= iHi || jLo >= jHi) return 1;
    if (L->vectorFloats == 16) gradient_avx512(L, bordered, o0, mr, c, u, iLo, iHi, jLo, jHi, dW);
    else gradient_avx2(L, bordered, o0, mr, c, u, iLo, iHi, jLo, jHi, dW);
    return 1;
}

#else

size_t fcn_direct_conv_scratch_floats(const fcn_direct_conv_layer *layer) { (void)layer; return 0; }
int fcn_direct_conv_row(const fcn_direct_conv_layer *layer, int row, float *scratch) { (void)layer; (void)row; (void)scratch; return 0; }
size_t fcn_direct_bordered_floats(const fcn_direct_gradient_layer *layer) { (void)layer; return 0; }
int fcn_direct_border_input(const fcn_direct_gradient_layer *layer, float *bordered) { (void)layer; (void)bordered; return 0; }
int fcn_direct_weight_gradient_block_channels(int kernelWidth, int vectorFloats) { (void)kernelWidth; (void)vectorFloats; return 1; }
int fcn_direct_weight_gradient(const fcn_direct_gradient_layer *layer, const float *bordered, int o0, int c, int u, float *dW) {
    (void)layer; (void)bordered; (void)o0; (void)c; (void)u; (void)dW; return 0;
}

#endif

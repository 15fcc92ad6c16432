// direct_convolution.c — stride-1 convolution with few input channels, one output row at a time, AVX-512.
//
// Fast path for FCN's first layer, conv1_1 (paper §3: 3 input channels, 64 filters of 3×3,
// padding 100, so a 500×500 image gives a 698×698×64 output). im2col + GEMM is a poor fit
// there: the GEMM has an inner dimension of only 27, so writing and re-reading the column
// matrix costs more than the arithmetic. Here each output row is computed directly:
//
//   y[o][row][j] = bias[o] + Σ_{c,u,v} w[o][c][u][v] · line_{c,u}[j + v]
//
// where line_{c,u} is input row (row + u − padTop) of channel c, copied once into a
// zero-padded buffer so that the taps never need bounds checks. A register block holds 8
// output channels × 3 vectors of 16 pixels; each tap costs 3 unaligned loads (from L1),
// 8 broadcasts and 24 fused multiply-adds. Rows that see only padding (the 98 rows above and
// below the image at pad 100) are just max(bias, 0) and skip the arithmetic.
//
// Dimension letters: C input channels, O output channels, KH×KW kernel, H×W input, OW output width.
#include "CFCNKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include <string.h>

#define KERNEL static inline __attribute__((always_inline, target("avx512f")))
#define ENTRY __attribute__((target("avx512f")))

/// Length of one padded line: the OW + KW − 1 columns the taps read, plus a 48-float margin so
/// that the last (partial) 48-pixel block can load whole vectors.
static size_t lineLength(const fcn_direct_conv_layer *L) {
    return ((size_t)L->outputWidth + (size_t)L->kernelWidth - 1 + 48 + 15) & ~(size_t)15;
}

size_t fcn_direct_conv_scratch_floats(const fcn_direct_conv_layer *L) {
    return (size_t)L->channels * L->kernelHeight * lineLength(L);
}

/// MR output channels × NV vectors of 16 pixels starting at column j of the row.
KERNEL void block(const fcn_direct_conv_layer *L, const float *lines, size_t length, int o, int j,
                  float *row, size_t planeStride, int width, int MR, int NV) {
    const int C = L->channels, KH = L->kernelHeight, KW = L->kernelWidth;
    __m512 acc[8][3];
    for (int r = 0; r < MR; r++) {
        __m512 b = _mm512_set1_ps(L->bias[o + r]);
        for (int v = 0; v < NV; v++) acc[r][v] = b;
    }
    for (int c = 0; c < C; c++) {
        for (int u = 0; u < KH; u++) {
            const float *line = lines + ((size_t)c * KH + u) * length + j;
            const float *w = L->weight + (((size_t)o * C + c) * KH + u) * KW;     // w[o][c][u][·]
            const size_t oStride = (size_t)C * KH * KW;
            for (int v = 0; v < KW; v++) {
                __m512 x[3];
                for (int n = 0; n < NV; n++) x[n] = _mm512_loadu_ps(line + v + 16 * n);
                for (int r = 0; r < MR; r++) {
                    __m512 wv = _mm512_set1_ps(w[r * oStride + v]);
                    for (int n = 0; n < NV; n++) acc[r][n] = _mm512_fmadd_ps(wv, x[n], acc[r][n]);
                }
            }
        }
    }
    const __m512 floor = L->relu ? _mm512_setzero_ps() : _mm512_set1_ps(-__builtin_inff());
    for (int r = 0; r < MR; r++) {
        float *out = row + (size_t)r * planeStride + j;
        for (int n = 0; n < NV; n++) {
            int left = width - j - 16 * n;
            if (left <= 0) break;
            __mmask16 m = left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1);
            _mm512_mask_storeu_ps(out + 16 * n, m, _mm512_max_ps(acc[r][n], floor));
        }
    }
}

ENTRY int fcn_direct_conv_row(const fcn_direct_conv_layer *L, int outputRow, float *scratch) {
    const int C = L->channels, H = L->height, W = L->width, KH = L->kernelHeight, KW = L->kernelWidth;
    const int O = L->outputChannels, OW = L->outputWidth;
    if (C < 1 || C > FCN_DIRECT_MAX_CHANNELS || KH < 1 || KH > FCN_DIRECT_MAX_KERNEL || KW < 1
        || KW > FCN_DIRECT_MAX_KERNEL || outputRow < 0 || outputRow >= L->outputHeight) return 0;
    const size_t length = lineLength(L), planeStride = (size_t)L->outputHeight * OW;
    float *row = L->output + (size_t)outputRow * OW;        // row of channel 0; channel o at + o·planeStride
    // The padded lines: line_{c,u}[j] = x[c][outputRow + u − padTop][j − padLeft], 0 outside.
    int anyInside = 0;
    for (int c = 0; c < C; c++) {
        for (int u = 0; u < KH; u++) {
            float *line = scratch + ((size_t)c * KH + u) * length;
            memset(line, 0, length * sizeof(float));
            int h = outputRow + u - L->padTop;
            if (h < 0 || h >= H) continue;
            int lo = L->padLeft > 0 ? L->padLeft : 0;                         // first line column inside the image
            int from = lo - L->padLeft, count = W - from;                     // image columns from.. (negative pad skips some)
            if (lo + count > (int)length) count = (int)length - lo;
            if (count > 0) { memcpy(line + lo, L->input + ((size_t)c * H + h) * W + from, (size_t)count * sizeof(float)); anyInside = 1; }
        }
    }
    if (!anyInside) {                                      // only padding under the window: y = bias (then ReLU)
        for (int o = 0; o < O; o++) {
            float value = L->bias[o];
            if (L->relu && value < 0) value = 0;
            __m512 v = _mm512_set1_ps(value);
            float *out = row + (size_t)o * planeStride;
            int j = 0;
            for (; j + 16 <= OW; j += 16) _mm512_storeu_ps(out + j, v);
            if (j < OW) _mm512_mask_storeu_ps(out + j, (__mmask16)((1u << (OW - j)) - 1), v);
        }
        return 1;
    }
    for (int o = 0; o < O; o += 8) {
        int mr = O - o < 8 ? O - o : 8;
        for (int j = 0; j < OW; j += 48) {
            float *out = row + (size_t)o * planeStride;
            switch (mr) {
            case 8: block(L, scratch, length, o, j, out, planeStride, OW, 8, 3); break;
            case 7: block(L, scratch, length, o, j, out, planeStride, OW, 7, 3); break;
            case 6: block(L, scratch, length, o, j, out, planeStride, OW, 6, 3); break;
            case 5: block(L, scratch, length, o, j, out, planeStride, OW, 5, 3); break;
            case 4: block(L, scratch, length, o, j, out, planeStride, OW, 4, 3); break;
            case 3: block(L, scratch, length, o, j, out, planeStride, OW, 3, 3); break;
            case 2: block(L, scratch, length, o, j, out, planeStride, OW, 2, 3); break;
            default: block(L, scratch, length, o, j, out, planeStride, OW, 1, 3); break;
            }
        }
    }
    return 1;
}

#else

size_t fcn_direct_conv_scratch_floats(const fcn_direct_conv_layer *layer) { (void)layer; return 0; }
int fcn_direct_conv_row(const fcn_direct_conv_layer *layer, int row, float *scratch) { (void)layer; (void)row; (void)scratch; return 0; }

#endif

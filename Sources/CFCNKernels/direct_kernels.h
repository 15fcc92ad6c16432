// direct_kernels.h — the direct convolution kernels, written once for any vector width.
//
// Included twice by direct_convolution.c: once for AVX-512 (VW = 16 floats, 32 registers) and
// once for AVX2 + FMA (VW = 8, 16 registers), so the same loops run on every x86-64 server this
// course meets (an AVX-512 Xeon, an AVX-512 or an AVX2-only EPYC). The vectors are clang's
// `ext_vector_type`; `target(...)` lets the compiler use the wide instructions in these functions
// only, and the Swift side calls them only after `CPUFeatures` has seen the instructions.
//
// Before including, define:
//   VW       floats per vector;
//   MR_FWD   output channels per forward register block;
//   NV_FWD   vectors of pixels per forward register block (MR_FWD × NV_FWD accumulators);
//   ACC_DW   accumulators the weight-gradient block may use (MR × KW ≤ ACC_DW);
//   TARGET   the target attribute string ("avx512f", "avx2,fma");
//   NAME(f)  the name of kernel f for this width (f##_avx512, f##_avx2).
//
// Every sum is accumulated in the same order as the reference loops of the definition
// (bias, then taps c, u, v in order, one fused multiply-add each), so a width changes nothing
// but the number of pixels done at once.

#define KERNEL_FN static inline __attribute__((always_inline, target(TARGET)))
#define ENTRY_FN static __attribute__((target(TARGET)))

typedef float NAME(vf) __attribute__((ext_vector_type(VW)));
typedef float NAME(vfu) __attribute__((ext_vector_type(VW), aligned(4)));   // unaligned access
#define LOADU(p) (*(const NAME(vfu) *)(p))
#define STOREU(p, v) (*(NAME(vfu) *)(p) = (v))
#define SPLAT(x) ((NAME(vf))(x))

// ---------------------------------------------------------------------------------------------
// Forward: one output row of every output channel (see direct_convolution.c).

/// MR output channels × NV_FWD vectors of VW pixels starting at column j of the row.
KERNEL_FN void NAME(forwardBlock)(const fcn_direct_conv_layer *L, const float *lines, size_t length, int o, int j,
                                  float *row, size_t planeStride, int width, const int MR) {
    const int C = L->channels, KH = L->kernelHeight, KW = L->kernelWidth;
    const size_t oStride = (size_t)C * KH * KW;
    NAME(vf) acc[MR_FWD][NV_FWD];
    for (int r = 0; r < MR; r++) {
        NAME(vf) b = SPLAT(L->bias[o + r]);
        for (int n = 0; n < NV_FWD; n++) acc[r][n] = b;
    }
    for (int c = 0; c < C; c++) {
        for (int u = 0; u < KH; u++) {
            const float *line = lines + ((size_t)c * KH + u) * length + j;
            const float *w = L->weight + (((size_t)o * C + c) * KH + u) * KW;     // w[o][c][u][·]
            for (int v = 0; v < KW; v++) {
                NAME(vf) x[NV_FWD];
                for (int n = 0; n < NV_FWD; n++) x[n] = LOADU(line + v + VW * n);
                for (int r = 0; r < MR; r++) {
                    NAME(vf) wv = SPLAT(w[r * oStride + v]);
                    for (int n = 0; n < NV_FWD; n++) acc[r][n] = __builtin_elementwise_fma(wv, x[n], acc[r][n]);
                }
            }
        }
    }
    const NAME(vf) floor = L->relu ? SPLAT(0.0f) : SPLAT(-__builtin_inff());
    for (int r = 0; r < MR; r++) {
        float *out = row + (size_t)r * planeStride + j;
        for (int n = 0; n < NV_FWD; n++) {
            int left = width - j - VW * n;
            if (left <= 0) break;
            NAME(vf) value = __builtin_elementwise_max(acc[r][n], floor);   // NaN → floor, as x86's max
            if (left >= VW) {
                STOREU(out + VW * n, value);
            } else {
                for (int k = 0; k < left; k++) out[VW * n + k] = value[k];
            }
        }
    }
}

ENTRY_FN void NAME(forwardRow)(const fcn_direct_conv_layer *L, int outputRow, float *scratch) {
    const int C = L->channels, H = L->height, W = L->width, KH = L->kernelHeight;
    const int O = L->outputChannels, OW = L->outputWidth;
    const size_t length = directLineLength(L), planeStride = (size_t)L->outputHeight * OW;
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
            float *out = row + (size_t)o * planeStride;
            for (int j = 0; j < OW; j++) out[j] = value;
        }
        return;
    }
    // Pixel blocks outside, channel blocks inside: the NV_FWD·VW + KW − 1 columns of the C·KH lines a
    // pixel block reads stay in L1 while every output channel block uses them.
    for (int j = 0; j < OW; j += NV_FWD * VW) {
        for (int o = 0; o < O; o += MR_FWD) {
            int mr = O - o < MR_FWD ? O - o : MR_FWD;
            float *out = row + (size_t)o * planeStride;
            switch (mr) {
#if MR_FWD >= 8
            case 8: NAME(forwardBlock)(L, scratch, length, o, j, out, planeStride, OW, 8); break;
            case 7: NAME(forwardBlock)(L, scratch, length, o, j, out, planeStride, OW, 7); break;
            case 6: NAME(forwardBlock)(L, scratch, length, o, j, out, planeStride, OW, 6); break;
            case 5: NAME(forwardBlock)(L, scratch, length, o, j, out, planeStride, OW, 5); break;
#endif
            case 4: NAME(forwardBlock)(L, scratch, length, o, j, out, planeStride, OW, 4); break;
            case 3: NAME(forwardBlock)(L, scratch, length, o, j, out, planeStride, OW, 3); break;
            case 2: NAME(forwardBlock)(L, scratch, length, o, j, out, planeStride, OW, 2); break;
            default: NAME(forwardBlock)(L, scratch, length, o, j, out, planeStride, OW, 1); break;
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Weight gradient: the sums of MR output channels from o0, input channel c, kernel row u, all KW
// kernel columns (see direct_convolution.c).

KERNEL_FN void NAME(gradientBlock)(const fcn_direct_gradient_layer *L, const float *bordered, int o0, int c, int u,
                                   int iLo, int iHi, int jLo, int jHi, float *dW, const int MR, const int KW) {
    const int KH = L->kernelHeight, OH = L->outputHeight, OW = L->outputWidth, C = L->channels;
    const size_t bw = directBorderedWidth(L), bh = directBorderedHeight(L), plane = (size_t)OH * OW;
    NAME(vf) acc[ACC_DW];
    float tail[ACC_DW];
    for (int k = 0; k < MR * KW; k++) { acc[k] = SPLAT(0.0f); tail[k] = 0; }
    const int vectorEnd = jLo + (jHi - jLo) / VW * VW;
    for (int i = iLo; i < iHi; i++) {
        // x[c][i + u − padTop][j + v − padLeft] is bordered[c][i + u − padTop + KH − 1][j + v − padLeft + KW − 1].
        const float *x = bordered + ((size_t)c * bh + (size_t)(i + u - L->padTop + KH - 1)) * bw + (KW - 1 - L->padLeft);
        const float *g = L->outputGradient + ((size_t)o0 * OH + i) * OW;
        for (int j = jLo; j < vectorEnd; j += VW) {
            NAME(vf) xv[7];
            for (int v = 0; v < KW; v++) xv[v] = LOADU(x + j + v);
            for (int r = 0; r < MR; r++) {
                const NAME(vf) dy = LOADU(g + (size_t)r * plane + j);
                for (int v = 0; v < KW; v++) acc[r * KW + v] = __builtin_elementwise_fma(dy, xv[v], acc[r * KW + v]);
            }
        }
        for (int j = vectorEnd; j < jHi; j++)
            for (int r = 0; r < MR; r++)
                for (int v = 0; v < KW; v++) tail[r * KW + v] += g[(size_t)r * plane + j] * x[j + v];
    }
    for (int r = 0; r < MR; r++)
        for (int v = 0; v < KW; v++) {
            float sum = tail[r * KW + v];
            for (int k = 0; k < VW; k++) sum += acc[r * KW + v][k];
            dW[(((size_t)(o0 + r) * C + c) * KH + u) * KW + v] += sum;
        }
}

#define GRADIENT_KW(MR, KWV) case KWV: NAME(gradientBlock)(L, bordered, o0, c, u, iLo, iHi, jLo, jHi, dW, MR, KWV); break;

ENTRY_FN void NAME(gradient)(const fcn_direct_gradient_layer *L, const float *bordered, int o0, int mr, int c, int u,
                             int iLo, int iHi, int jLo, int jHi, float *dW) {
    const int KW = L->kernelWidth;
    // (MR, KW) pairs with MR·KW ≤ ACC_DW; directGradientBlockChannels chose mr accordingly.
    switch (mr) {
#if ACC_DW >= 24
    case 8: switch (KW) { GRADIENT_KW(8, 1) GRADIENT_KW(8, 2) GRADIENT_KW(8, 3) } break;
    case 7: switch (KW) { GRADIENT_KW(7, 1) GRADIENT_KW(7, 2) GRADIENT_KW(7, 3) } break;
    case 6: switch (KW) { GRADIENT_KW(6, 1) GRADIENT_KW(6, 2) GRADIENT_KW(6, 3) GRADIENT_KW(6, 4) } break;
    case 5: switch (KW) { GRADIENT_KW(5, 1) GRADIENT_KW(5, 2) GRADIENT_KW(5, 3) GRADIENT_KW(5, 4) } break;
#endif
    case 4: switch (KW) { GRADIENT_KW(4, 1) GRADIENT_KW(4, 2) GRADIENT_KW(4, 3) GRADIENT_KW(4, 4) GRADIENT_KW(4, 5) GRADIENT_KW(4, 6) } break;
    case 3: switch (KW) { GRADIENT_KW(3, 1) GRADIENT_KW(3, 2) GRADIENT_KW(3, 3) GRADIENT_KW(3, 4) GRADIENT_KW(3, 5) GRADIENT_KW(3, 6) GRADIENT_KW(3, 7) } break;
    case 2: switch (KW) { GRADIENT_KW(2, 1) GRADIENT_KW(2, 2) GRADIENT_KW(2, 3) GRADIENT_KW(2, 4) GRADIENT_KW(2, 5) GRADIENT_KW(2, 6) GRADIENT_KW(2, 7) } break;
    default: switch (KW) { GRADIENT_KW(1, 1) GRADIENT_KW(1, 2) GRADIENT_KW(1, 3) GRADIENT_KW(1, 4) GRADIENT_KW(1, 5) GRADIENT_KW(1, 6) GRADIENT_KW(1, 7) } break;
    }
}

#undef GRADIENT_KW
#undef KERNEL_FN
#undef ENTRY_FN
#undef LOADU
#undef STOREU
#undef SPLAT

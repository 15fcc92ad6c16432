// winograd_f43.c — fused Winograd F(4×4, 3×3) convolution for a block of tiles, AVX-512.
//
// Fast path for the stride-1 3×3 convolutions of FCN's VGG16 body (paper §3, §4.1). The
// algorithm and its matrices are explained in Sources/FCNKernels/WinogradTransforms.swift
// (Lavin & Gray, CVPR 2016); the Swift driver is WinogradConvolution+Fused.swift.
//
// Why a fused block kernel. The BLAS path transforms a few hundred tiles into a buffer V, runs
// 36 sgemms over it into a buffer M, then transforms M back: V and M are megabytes each, so
// every one of those passes goes through main memory, and that — not the arithmetic — was
// most of the time of the wide, shallow layers (conv1_2: 64 channels at 698×698). Here one
// thread takes a block of tiles and does all three steps on it while its V and M are still
// in its caches; the threads share nothing but the read-only input and filter and write
// disjoint output pixels. Blocks of 48 tiles keep V and M (36·C·48 and 36·O·48 floats) in L2
// for the shallow layers; the deep ones take up to 144, because every block reads all of U
// (36·C·O floats, 38 MB at 512 → 512) and larger blocks read it less often.
//
// Vector layout: 16 tiles side by side in one 512-bit register ("lanes" = tiles). A block is
// up to nine groups of 16 consecutive tiles (raster order over the tile grid). Within a
// group, lane l is tile gStart + l; a group may wrap from the end of one tile row to the next
// (FCN's deep layers have only 11 or 22 tiles per row, so wasting the rest of a group would
// waste a third of the work). Lanes past the block are computed on zeros and never stored.
//
// Dimension letters: C input channels, O output channels, H×W input, OH×OW output, Q tiles
// per tile row, ξ ∈ 0..<36 a position in the 6×6 transformed tile, TB tile slots per block.
#include "CFCNKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include <string.h>

#define KERNEL static inline __attribute__((always_inline, target("avx512f")))
#define ENTRY __attribute__((target("avx512f")))

/// Tile slots of one call: up to nine groups of 16. V and M rows have S = 48·⌈count/48⌉ slots.
enum { MAX_TILES = FCN_WINOGRAD_MAX_TILES, CHUNK = FCN_WINOGRAD_CHUNK_TILES };

int fcn_kernels_built_with_avx512(void) { return 1; }

size_t fcn_winograd_f43_scratch_floats(int channels, int outputChannels, int maxTiles) {
    // V [36][C][S], M [36][O][S] with S = 48·⌈maxTiles/48⌉ ≤ 144, two staging lines of 64 + 16 floats.
    if (maxTiles > MAX_TILES) maxTiles = MAX_TILES;
    size_t slots = (size_t)CHUNK * (size_t)((maxTiles + CHUNK - 1) / CHUNK);
    return (size_t)36 * slots * ((size_t)channels + (size_t)outputChannels) + 2 * 80;
}

/// A run of lanes of one group that lie in the same tile row: lanes lane0 ..< lane0 + count
/// are tiles (row, col0) … (row, col0 + count − 1).
typedef struct { int row, col0, lane0, count; } Segment;

/// Splits the `n` tiles starting at raster index `t` into runs within one tile row.
static int segments(int t, int n, int Q, Segment *out) {
    int count = 0, lane = 0;
    while (lane < n) {
        int row = t / Q, col = t % Q;
        int run = Q - col < n - lane ? Q - col : n - lane;
        out[count++] = (Segment){row, col, lane, run};
        lane += run;
        t += run;
    }
    return count;
}

/// Lanes of a 16-float load at `w0 + j0 + lane` that are inside [0, W) and below `n`.
KERNEL __mmask16 columnMask(int w0, int j0, int n, int W) {
    __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    __m512i j = _mm512_add_epi32(lane, _mm512_set1_epi32(j0));
    __m512i w = _mm512_add_epi32(j, _mm512_set1_epi32(w0));
    __mmask16 inside = _mm512_cmpge_epi32_mask(w, _mm512_setzero_si512()) & _mm512_cmplt_epi32_mask(w, _mm512_set1_epi32(W));
    return inside & _mm512_cmplt_epi32_mask(j, _mm512_set1_epi32(n));
}

/// Masked load: masked-off lanes read as 0 and their addresses are never touched (AVX-512
/// suppresses faults on masked-off lanes), so the padding around the image costs nothing.
KERNEL __m512 loadMasked(__mmask16 m, const float *p) { return _mm512_maskz_loadu_ps(m, p); }

/// Phase k (0 ≤ k < 4) of 64 interleaved floats a‖b‖c‖d: lane t gets element 4t + k. The
/// permute uses only the low 5 index bits, so the same index serves lanes 0–7 (from a‖b) and
/// lanes 8–15 (from c‖d, element 4t + k − 32); a blend joins the halves.
KERNEL __m512 phase(__m512 a, __m512 b, __m512 c, __m512 d, int k) {
    __m512i index = _mm512_add_epi32(_mm512_setr_epi32(0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44, 48, 52, 56, 60),
                                     _mm512_set1_epi32(k));
    return _mm512_mask_blend_ps(0xFF00, _mm512_permutex2var_ps(a, index, b), _mm512_permutex2var_ps(c, index, d));
}

/// Bᵀ applied to six vectors (in place): see `Winograd.inputTransform` in Swift.
KERNEL void inputTransform6(__m512 *d0, __m512 *d1, __m512 *d2, __m512 *d3, __m512 *d4, __m512 *d5) {
    const __m512 four = _mm512_set1_ps(4), five = _mm512_set1_ps(5), two = _mm512_set1_ps(2);
    __m512 a = _mm512_fnmadd_ps(four, *d2, *d4), b = _mm512_fnmadd_ps(four, *d1, *d3);   // rows 1, 2 are a ± b
    __m512 c = _mm512_sub_ps(*d4, *d2), e = _mm512_mul_ps(two, _mm512_sub_ps(*d3, *d1)); // rows 3, 4 are c ± e
    __m512 r0 = _mm512_fnmadd_ps(five, *d2, _mm512_fmadd_ps(four, *d0, *d4));
    __m512 r5 = _mm512_fnmadd_ps(five, *d3, _mm512_fmadd_ps(four, *d1, *d5));
    *d0 = r0; *d1 = _mm512_add_ps(a, b); *d2 = _mm512_sub_ps(a, b);
    *d3 = _mm512_add_ps(c, e); *d4 = _mm512_sub_ps(c, e); *d5 = r5;
}

/// Aᵀ applied to six vectors, giving four: see `Winograd.outputTransform` in Swift.
KERNEL void outputTransform6(__m512 m0, __m512 m1, __m512 m2, __m512 m3, __m512 m4, __m512 m5, __m512 *y) {
    __m512 s12 = _mm512_add_ps(m1, m2), d12 = _mm512_sub_ps(m1, m2);
    __m512 s34 = _mm512_add_ps(m3, m4), d34 = _mm512_sub_ps(m3, m4);
    y[0] = _mm512_add_ps(_mm512_add_ps(m0, s12), s34);
    y[1] = _mm512_fmadd_ps(_mm512_set1_ps(2), d34, d12);
    y[2] = _mm512_fmadd_ps(_mm512_set1_ps(4), s34, s12);
    y[3] = _mm512_add_ps(_mm512_fmadd_ps(_mm512_set1_ps(8), d34, d12), m5);
}

/// Step 1 for one group of 16 tiles and every channel: V[ξ][c][slot ..< slot + 16] = Bᵀ d B.
KERNEL void transformInputGroup(const fcn_winograd_layer *L, const Segment *seg, int segCount,
                                float *V, int TB, int slot, float *staging) {
    const int C = L->channels, H = L->height, W = L->width;
    // One segment (the usual case on wide layers): the six rows of every patch are read
    // straight from the image with masked loads; the masks do not depend on the channel.
    __mmask16 mask[8];
    int w0 = 4 * seg[0].col0 - L->padLeft, n = 4 * seg[0].count;
    for (int q = 0; q < 4; q++) {
        mask[q] = columnMask(w0, 16 * q, n, W);           // a, b, c, d: columns 4t + 0…3
        mask[4 + q] = columnMask(w0 + 4, 16 * q, n, W);   // e, f, g, h: columns 4t + 4…7
    }
    float *line0 = staging, *line4 = staging + 80;
    for (int c = 0; c < C; c++) {
        const float *plane = L->input + (size_t)c * H * W;
        __m512 t[6][6];                                    // d B, row i, column j
        for (int i = 0; i < 6; i++) {
            __m512 a, b, cc, d, e, f, g, h;
            if (segCount == 1) {
                int row = 4 * seg[0].row + i - L->padTop;
                if (row < 0 || row >= H) {
                    for (int j = 0; j < 6; j++) t[i][j] = _mm512_setzero_ps();
                    continue;
                }
                const float *src = plane + (size_t)row * W + w0;
                // The same row two channels on, into L1 ahead of use: a block reads 6 short rows
                // of each of C planes, more streams than the hardware prefetcher follows.
                if (c + 2 < C) {
                    const char *ahead = (const char *)(src + 2 * (size_t)H * W);
                    for (int k = 0; k < 5; k++) _mm_prefetch(ahead + 64 * k, _MM_HINT_T0);
                }
                a = loadMasked(mask[0], src); b = loadMasked(mask[1], src + 16);
                cc = loadMasked(mask[2], src + 32); d = loadMasked(mask[3], src + 48);
                e = loadMasked(mask[4], src + 4); f = loadMasked(mask[5], src + 20);
                g = loadMasked(mask[6], src + 36); h = loadMasked(mask[7], src + 52);
            } else {
                // Several tile rows in one group: gather each run into two staging lines
                // (line0[4l + k] = column k of lane l's patch, line4 the same four columns on).
                memset(staging, 0, sizeof(float) * 160);
                for (int s = 0; s < segCount; s++) {
                    int row = 4 * seg[s].row + i - L->padTop;
                    if (row < 0 || row >= H) continue;
                    const float *src = plane + (size_t)row * W;
                    int sw = 4 * seg[s].col0 - L->padLeft, sn = 4 * seg[s].count;
                    for (int j = 0; j < sn; j += 16) {
                        _mm512_storeu_ps(line0 + 4 * seg[s].lane0 + j, loadMasked(columnMask(sw, j, sn, W), src + sw + j));
                        _mm512_storeu_ps(line4 + 4 * seg[s].lane0 + j, loadMasked(columnMask(sw + 4, j, sn, W), src + sw + 4 + j));
                    }
                }
                a = _mm512_loadu_ps(line0); b = _mm512_loadu_ps(line0 + 16);
                cc = _mm512_loadu_ps(line0 + 32); d = _mm512_loadu_ps(line0 + 48);
                e = _mm512_loadu_ps(line4); f = _mm512_loadu_ps(line4 + 16);
                g = _mm512_loadu_ps(line4 + 32); h = _mm512_loadu_ps(line4 + 48);
            }
            __m512 d0 = phase(a, b, cc, d, 0), d1 = phase(a, b, cc, d, 1), d2 = phase(a, b, cc, d, 2);
            __m512 d3 = phase(a, b, cc, d, 3), d4 = phase(e, f, g, h, 0), d5 = phase(e, f, g, h, 1);
            inputTransform6(&d0, &d1, &d2, &d3, &d4, &d5);           // along the row: d B
            t[i][0] = d0; t[i][1] = d1; t[i][2] = d2; t[i][3] = d3; t[i][4] = d4; t[i][5] = d5;
        }
        for (int j = 0; j < 6; j++) {                                // down the columns: Bᵀ (d B)
            __m512 r0 = t[0][j], r1 = t[1][j], r2 = t[2][j], r3 = t[3][j], r4 = t[4][j], r5 = t[5][j];
            inputTransform6(&r0, &r1, &r2, &r3, &r4, &r5);
            float *out = V + ((size_t)j * C + c) * TB + slot;        // ξ = 6r + j
            size_t step = (size_t)6 * C * TB;
            _mm512_store_ps(out, r0); _mm512_store_ps(out + step, r1); _mm512_store_ps(out + 2 * step, r2);
            _mm512_store_ps(out + 3 * step, r3); _mm512_store_ps(out + 4 * step, r4); _mm512_store_ps(out + 5 * step, r5);
        }
    }
}

/// Step 2 micro-kernel: M[o][0 ..< 16·NV] = Σ_c U[o][c]·V[c][0 ..< 16·NV] for MR rows o of one ξ
/// (V and M rows TB floats apart). MR·NV accumulators stay in registers; each c costs NV
/// vector loads, MR broadcasts and MR·NV fused multiply-adds.
KERNEL void product(const float *U, int C, const float *V, float *M, int TB, int MR, int NV) {
    __m512 acc[8][3];
    for (int r = 0; r < MR; r++) for (int v = 0; v < NV; v++) acc[r][v] = _mm512_setzero_ps();
    for (int c = 0; c < C; c++) {
        __m512 x[3];
        for (int v = 0; v < NV; v++) x[v] = _mm512_load_ps(V + (size_t)c * TB + 16 * v);
        for (int r = 0; r < MR; r++) {
            __m512 u = _mm512_set1_ps(U[(size_t)r * C + c]);
            for (int v = 0; v < NV; v++) acc[r][v] = _mm512_fmadd_ps(u, x[v], acc[r][v]);
        }
    }
    for (int r = 0; r < MR; r++) for (int v = 0; v < NV; v++) _mm512_store_ps(M + (size_t)r * TB + 16 * v, acc[r][v]);
}

/// `product` with MR and NV as compile-time constants (so the accumulators are registers).
#define PRODUCT_CASES(MR) \
    switch (groups) { \
    case 1: product(u, C, v, m, TB, MR, 1); break; \
    case 2: product(u, C, v, m, TB, MR, 2); break; \
    default: product(u, C, v, m, TB, MR, 3); break; }

/// Step 2 for the whole block. The 48-tile chunks are the innermost loop, so that the MR rows
/// of U[ξ] (MR·C floats) are read from memory once per block and then from L1: a block of
/// 144 tiles reads U — 38 MB for a 512 → 512 layer — a third as often as one of 48.
ENTRY static void multiplyAll(const fcn_winograd_layer *L, const float *V, float *M, int TB, int allGroups) {
    const int C = L->channels, O = L->outputChannels;
    for (int xi = 0; xi < 36; xi++) {
        for (int o = 0; o < O; o += 8) {
          for (int chunk = 0; 3 * chunk < allGroups; chunk++) {
            const int groups = allGroups - 3 * chunk < 3 ? allGroups - 3 * chunk : 3;
            const float *v = V + (size_t)xi * C * TB + CHUNK * chunk;
            const float *u = L->filter + ((size_t)xi * O + o) * C;
            float *m = M + ((size_t)xi * O + o) * TB + CHUNK * chunk;
            switch (O - o < 8 ? O - o : 8) {
            case 8: PRODUCT_CASES(8) break;
            case 7: PRODUCT_CASES(7) break;
            case 6: PRODUCT_CASES(6) break;
            case 5: PRODUCT_CASES(5) break;
            case 4: PRODUCT_CASES(4) break;
            case 3: PRODUCT_CASES(3) break;
            case 2: PRODUCT_CASES(2) break;
            default: PRODUCT_CASES(1) break;
            }
          }
        }
    }
}

/// The inverse of `phase`: four vectors y0…y3 (lane t = column b of tile t) become 64
/// interleaved floats out[4t + b], as four vectors. Two rounds of two-source permutes.
KERNEL void interleave(__m512 y0, __m512 y1, __m512 y2, __m512 y3, __m512 *out) {
    // Round 1: pairs (y0[t], y1[t]) for t < 8 and t ≥ 8, likewise (y2, y3).
    const __m512i lo = _mm512_setr_epi32(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    const __m512i hi = _mm512_add_epi32(lo, _mm512_set1_epi32(8));
    __m512 p01 = _mm512_permutex2var_ps(y0, lo, y1), p01h = _mm512_permutex2var_ps(y0, hi, y1);
    __m512 p23 = _mm512_permutex2var_ps(y2, lo, y3), p23h = _mm512_permutex2var_ps(y2, hi, y3);
    // Round 2: element e = 4t' + b of the result is pair t' of p01 (b < 2) or of p23 (b ≥ 2).
    const __m512i first = _mm512_setr_epi32(0, 1, 16, 17, 2, 3, 18, 19, 4, 5, 20, 21, 6, 7, 22, 23);
    const __m512i second = _mm512_add_epi32(first, _mm512_set1_epi32(8));
    out[0] = _mm512_permutex2var_ps(p01, first, p23);
    out[1] = _mm512_permutex2var_ps(p01, second, p23);
    out[2] = _mm512_permutex2var_ps(p01h, first, p23h);
    out[3] = _mm512_permutex2var_ps(p01h, second, p23h);
}

/// Step 3 for one group and every output channel: Y = Aᵀ m A + bias (ReLU), stored to the
/// output rows of the group's tiles (what sticks out past OH or OW is dropped).
KERNEL void transformOutputGroup(const fcn_winograd_layer *L, const Segment *seg, int segCount,
                                 const float *M, int TB, int slot, float *staging) {
    const int O = L->outputChannels, OH = L->outputHeight, OW = L->outputWidth;
    const __m512 floor = L->relu ? _mm512_setzero_ps() : _mm512_set1_ps(-__builtin_inff());
    __mmask16 mask[4];
    int w0 = 4 * seg[0].col0, n = 4 * seg[0].count;
    if (w0 + n > OW) n = OW - w0;
    for (int q = 0; q < 4; q++) mask[q] = columnMask(w0, 16 * q, n, OW);
    for (int o = 0; o < O; o++) {
        const __m512 bias = _mm512_set1_ps(L->bias[o]);
        __m512 t[4][6];                                              // Aᵀ m: row a, column j
        for (int j = 0; j < 6; j++) {
            const float *m = M + ((size_t)j * O + o) * TB + slot;   // ξ = 6i + j
            size_t step = (size_t)6 * O * TB;
            __m512 y[4];
            outputTransform6(_mm512_load_ps(m), _mm512_load_ps(m + step), _mm512_load_ps(m + 2 * step),
                             _mm512_load_ps(m + 3 * step), _mm512_load_ps(m + 4 * step), _mm512_load_ps(m + 5 * step), y);
            for (int a = 0; a < 4; a++) t[a][j] = y[a];
        }
        float *plane = L->output + (size_t)o * OH * OW;
        for (int a = 0; a < 4; a++) {
            __m512 y[4], row[4];
            outputTransform6(t[a][0], t[a][1], t[a][2], t[a][3], t[a][4], t[a][5], y);   // (Aᵀ m) A
            for (int b = 0; b < 4; b++) y[b] = _mm512_max_ps(_mm512_add_ps(y[b], bias), floor);
            interleave(y[0], y[1], y[2], y[3], row);
            if (segCount == 1) {
                int h = 4 * seg[0].row + a;
                if (h >= OH) continue;
                float *dst = plane + (size_t)h * OW + w0;
                for (int q = 0; q < 4; q++) _mm512_mask_storeu_ps(dst + 16 * q, mask[q], row[q]);
            } else {
                for (int q = 0; q < 4; q++) _mm512_storeu_ps(staging + 16 * q, row[q]);
                for (int s = 0; s < segCount; s++) {
                    int h = 4 * seg[s].row + a;
                    if (h >= OH) continue;
                    int sw = 4 * seg[s].col0, sn = 4 * seg[s].count;
                    if (sw + sn > OW) sn = OW - sw;
                    float *dst = plane + (size_t)h * OW + sw;
                    for (int j = 0; j < sn; j += 16)
                        _mm512_mask_storeu_ps(dst + j, columnMask(0, j, sn, OW), _mm512_loadu_ps(staging + 4 * seg[s].lane0 + j));
                }
            }
        }
    }
}

ENTRY int fcn_winograd_f43_block(const fcn_winograd_layer *L, int firstTile, int tileCount, float *scratch) {
    if (tileCount < 0 || tileCount > MAX_TILES || firstTile < 0) return 0;
    if (tileCount == 0) return 1;
    const int C = L->channels, O = L->outputChannels, Q = L->tileColumns;
    const int TB = CHUNK * ((tileCount + CHUNK - 1) / CHUNK);          // slots per row of V and M
    float *V = scratch, *M = scratch + (size_t)36 * C * TB, *staging = M + (size_t)36 * O * TB;
    const int groups = (tileCount + 15) / 16;
    // Slots of the last chunk past the last group are never read: the products of a chunk
    // cover only its groups.
    Segment seg[MAX_TILES / 16][16];
    int segCount[MAX_TILES / 16];
    for (int g = 0; g < groups; g++) {
        int n = tileCount - 16 * g < 16 ? tileCount - 16 * g : 16;
        segCount[g] = segments(firstTile + 16 * g, n, Q, seg[g]);
        transformInputGroup(L, seg[g], segCount[g], V, TB, 16 * g, staging);
    }
    multiplyAll(L, V, M, TB, groups);
    for (int g = 0; g < groups; g++) transformOutputGroup(L, seg[g], segCount[g], M, TB, 16 * g, staging);
    return 1;
}

#else  // not x86-64: no AVX-512 kernels; the Swift paths run instead.

int fcn_kernels_built_with_avx512(void) { return 0; }
size_t fcn_winograd_f43_scratch_floats(int channels, int outputChannels, int maxTiles) {
    (void)channels; (void)outputChannels; (void)maxTiles; return 0;
}
int fcn_winograd_f43_block(const fcn_winograd_layer *layer, int firstTile, int tileCount, float *scratch) {
    (void)layer; (void)firstTile; (void)tileCount; (void)scratch; return 0;
}

#endif

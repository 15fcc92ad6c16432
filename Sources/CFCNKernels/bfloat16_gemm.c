// bfloat16_gemm.c — C[M][N] = A[M][K] · B[K][N] (+ bias, ReLU) with bf16 operands and f32 sums,
// by AVX512-BF16's `vdpbf16ps`.
//
// Not part of the paper: the opt-in `--precision bf16` of FCN's inference pass (paper §4.1
// times it; CVPR 2015 and PAMI 2016 both run f32 on a GPU). The Swift side is
// `Sources/FCNKernels/BFloat16GEMM.swift`, which also holds the readable reference this kernel
// is tested against (round both operands to bf16, sum the products in f32).
//
// bf16 ("brain float") is the top half of an IEEE f32: 1 sign bit, the same 8 exponent bits, 7
// mantissa bits. Same range as f32, about 2–3 significant decimal digits. One instruction,
//
//     vdpbf16ps acc, a, b        acc[i] += a[2i]·b[2i] + a[2i+1]·b[2i+1]      (i < 16, f32 acc)
//
// does 32 multiply-adds on pairs of bf16 values — twice the f32 FMA's 16 — and each product of
// two bf16 values is exact in f32 (8 + 8 significant bits), so summing in f32 loses no more than
// an f32 dot product would. The operands are what lose precision: each is rounded once to bf16.
//
// Layouts. Pairs along K are interleaved, because the instruction multiplies a[2i], a[2i+1] by
// b[2i], b[2i+1] into lane i:
//   packed A (the weights, packed once per network by `fcn_bf16_pack_weights`): panels of
//     MR = 8 rows; panel p holds, for every k-pair q < K2 = ⌈K/2⌉, eight 32-bit words
//     word[p][q][r] = bf16(A[8p + r][2q]) | bf16(A[8p + r][2q + 1]) << 16
//     (rows past M and the column past an odd K are zeros);
//   packed B (the activations, converted while packing, per call): for a chunk of KC2 k-pairs,
//     micro-panels of NR = 48 columns: word[q][j] = bf16(B[2q][j]) | bf16(B[2q + 1][j]) << 16.
// Register block: 8 rows × 48 columns = 24 accumulators of 16 floats (of AVX-512's 32
// registers); per k-pair 3 loads of B and 8 broadcasts of A (folded into the instruction)
// feed 24 `vdpbf16ps`. Blocking: for each chunk of KC2 = 128 k-pairs, the B chunk of the call's
// columns (≤ 128 × 192 words = 96 KB) stays in L2 while every row panel's A slice (4 KB, L1)
// runs across it. C is written after the first chunk and re-read by the next ones.
// Measured with one thread (AMD EPYC with AVX512-BF16, 2026-12-02, load 0.4, a C harness over
// 512×2048×4608, 4096×256×4096, 256×4096×2304): 137–141 GFLOP/s, 0.57–0.64× OpenBLAS sgemm's time
// on the same shapes, and 94 % of a loop of independent `vdpbf16ps` on registers (150 GFLOP/s).
//
// Rounding: `vcvtneps2bf16` rounds to nearest even and flushes subnormal inputs to zero; the
// dot product also treats subnormal bf16 inputs as zero and flushes subnormal results. The
// Swift reference rounds the same way (`BFloat16.rounded`).
//
// Dimension letters: M rows of A and C (output channels), K the inner dimension, N columns of
// B and C (pixels), K2 = ⌈K/2⌉ k-pairs.
#include "CFCNKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include <string.h>

#define KERNEL static inline __attribute__((always_inline, target("avx512f,avx512bf16")))
#define ENTRY __attribute__((target("avx512f,avx512bf16")))

enum {
    MR = FCN_BF16_GEMM_PANEL_ROWS,          // rows of a weight panel and of the register block
    NV = 3,                                 // vectors of 16 columns in the register block
    NR = 16 * NV,                           // columns of a B micro-panel
    KC2 = 128,                              // k-pairs per chunk
    MAX_COLUMNS = FCN_BF16_GEMM_MAX_COLUMNS,
};

int fcn_kernels_built_with_avx512bf16(void) { return 1; }

size_t fcn_bf16_packed_weight_words(int rows, int depth) {
    if (rows < 1 || depth < 1) return 0;
    return (size_t)((rows + MR - 1) / MR) * MR * (size_t)((depth + 1) / 2);
}

/// 16 floats to 16 bf16 values (nearest even), each in the low half of a 32-bit lane.
KERNEL __m512i bf16Low(__m512 x) {
    return _mm512_cvtepu16_epi32((__m256i)_mm512_cvtneps_pbh(x));
}

/// Lanes j < n (n ≤ 16) set.
KERNEL __mmask16 firstLanes(int n) { return n >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << n) - 1u); }

ENTRY int fcn_bf16_pack_weights(const float *A, size_t lda, int M, int K, uint32_t *packed) {
    if (M < 1 || K < 1 || lda < (size_t)K) return 0;
    const int K2 = (K + 1) / 2, panels = (M + MR - 1) / MR;
    // One panel at a time: gather 16 k-pairs of each row, convert, and scatter into [q][r].
    for (int p = 0; p < panels; p++) {
        uint32_t *out = packed + (size_t)p * K2 * MR;
        for (int r = 0; r < MR; r++) {
            const int m = p * MR + r;
            for (int q0 = 0; q0 < K2; q0 += 16) {
                const int pairs = K2 - q0 < 16 ? K2 - q0 : 16;
                uint32_t words[16];
                if (m < M) {
                    // Elements 2q0 … 2q0 + 31 of row m, as even (k = 2q) and odd (k = 2q + 1) lanes.
                    const int k0 = 2 * q0, count = K - k0 < 32 ? K - k0 : 32;
                    float row[32] = {0};
                    memcpy(row, A + (size_t)m * lda + k0, (size_t)count * sizeof(float));
                    __m512i index = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
                    __m512 lo = _mm512_loadu_ps(row), hi = _mm512_loadu_ps(row + 16);
                    __m512 even = _mm512_permutex2var_ps(lo, index, hi);
                    __m512 odd = _mm512_permutex2var_ps(lo, _mm512_add_epi32(index, _mm512_set1_epi32(1)), hi);
                    __m512i w = _mm512_or_si512(bf16Low(even), _mm512_slli_epi32(bf16Low(odd), 16));
                    _mm512_storeu_si512(words, w);
                } else {
                    memset(words, 0, sizeof words);
                }
                for (int i = 0; i < pairs; i++) out[(size_t)(q0 + i) * MR + r] = words[i];
            }
        }
    }
    return 1;
}

/// Packs B rows 2q0 … 2(q0 + kc2) − 1 (zeros past K) and columns n0 … n0 + width − 1 into
/// micro-panels [⌈width / NR⌉][kc2][NR], the last one padded with zeros (masked loads never touch
/// the columns past n0 + width).
KERNEL void packB(const float *B, size_t ldb, int K, int n0, int width, int q0, int kc2, uint32_t *out) {
    for (int j0 = 0; j0 < width; j0 += NR) {
        uint32_t *panel = out + (size_t)(j0 / NR) * kc2 * NR;
        for (int v = 0; v < NV; v++) {
            const int left = width - j0 - 16 * v;
            const __mmask16 m = left <= 0 ? 0 : firstLanes(left);
            const float *column = B + n0 + j0 + 16 * v;
            for (int q = 0; q < kc2; q++) {
                const int k = 2 * (q0 + q);
                __m512 even = _mm512_maskz_loadu_ps(m, column + (size_t)k * ldb);
                __m512 odd = k + 1 < K ? _mm512_maskz_loadu_ps(m, column + (size_t)(k + 1) * ldb) : _mm512_setzero_ps();
                __m512i w = _mm512_or_si512(bf16Low(even), _mm512_slli_epi32(bf16Low(odd), 16));
                _mm512_storeu_si512(panel + (size_t)q * NR + 16 * v, w);
            }
        }
    }
}

/// One 8 × 48 block of C at `c` (row stride ldc): `rows` ≤ 8 rows, `columns` ≤ 48 columns, from
/// an A slice `a` ([kc2][8] words) and a B micro-panel `b` (kc2 rows of 48 words, `bStride` apart).
/// `first`: start from `bias` (or 0 when NULL) instead of C; `relu`: clamp at zero before storing.
KERNEL void block(const uint32_t *a, const uint32_t *b, size_t bStride, int kc2, float *c, size_t ldc,
                  int rows, int columns, const float *bias, int first, int relu) {
    __m512 acc[MR][NV];
    __mmask16 mask[NV];
    for (int v = 0; v < NV; v++) mask[v] = columns - 16 * v <= 0 ? 0 : firstLanes(columns - 16 * v);
    for (int r = 0; r < MR; r++) {
        if (r >= rows) {
            for (int v = 0; v < NV; v++) acc[r][v] = _mm512_setzero_ps();
        } else if (first) {
            __m512 start = _mm512_set1_ps(bias ? bias[r] : 0.0f);
            for (int v = 0; v < NV; v++) acc[r][v] = start;
        } else {
            for (int v = 0; v < NV; v++) acc[r][v] = _mm512_maskz_loadu_ps(mask[v], c + (size_t)r * ldc + 16 * v);
        }
    }
    for (int q = 0; q < kc2; q++) {
        const uint32_t *row = b + (size_t)q * bStride;
        const __m512bh b0 = (__m512bh)_mm512_loadu_ps(row);
        const __m512bh b1 = (__m512bh)_mm512_loadu_ps(row + 16);
        const __m512bh b2 = (__m512bh)_mm512_loadu_ps(row + 32);
        for (int r = 0; r < MR; r++) {
            const __m512bh w = (__m512bh)_mm512_set1_epi32((int)a[(size_t)q * MR + r]);
            acc[r][0] = _mm512_dpbf16_ps(acc[r][0], w, b0);
            acc[r][1] = _mm512_dpbf16_ps(acc[r][1], w, b1);
            acc[r][2] = _mm512_dpbf16_ps(acc[r][2], w, b2);
        }
    }
    for (int r = 0; r < rows; r++) {
        for (int v = 0; v < NV; v++) {
            __m512 value = relu ? _mm512_max_ps(acc[r][v], _mm512_setzero_ps()) : acc[r][v];
            _mm512_mask_storeu_ps(c + (size_t)r * ldc + 16 * v, mask[v], value);
        }
    }
}

size_t fcn_bf16_gemm_scratch_words(void) { return (size_t)KC2 * MAX_COLUMNS; }

ENTRY int fcn_bf16_gemm_block(const fcn_bf16_gemm *g, int n0, int n1, int m0, int m1, uint32_t *scratch) {
    const int M = g->rows, K = g->depth, N = g->columns;
    if (M < 1 || K < 1 || N < 1 || g->ldb < (size_t)N || g->ldc < (size_t)N || n0 < 0 || n1 > N || n0 >= n1
        || n1 - n0 > MAX_COLUMNS || m0 < 0 || m1 > M || m0 >= m1 || m0 % MR != 0) return 0;
    const int K2 = (K + 1) / 2, width = n1 - n0;
    for (int q0 = 0; q0 < K2; q0 += KC2) {
        const int kc2 = K2 - q0 < KC2 ? K2 - q0 : KC2;
        packB(g->input, g->ldb, K, n0, width, q0, kc2, scratch);
        const int first = q0 == 0, last = q0 + kc2 == K2;
        for (int m = m0; m < m1; m += MR) {
            const uint32_t *a = g->weights + (size_t)(m / MR) * K2 * MR + (size_t)q0 * MR;
            const int rows = m1 - m < MR ? m1 - m : MR;
            for (int j = 0; j < width; j += NR) {
                const int columns = width - j < NR ? width - j : NR;
                block(a, scratch + (size_t)(j / NR) * kc2 * NR, NR, kc2, g->output + (size_t)m * g->ldc + n0 + j, g->ldc,
                      rows, columns, g->bias ? g->bias + m : NULL, first, last && g->relu);
            }
        }
    }
    return 1;
}

#else  // not x86-64: no bf16 kernel; `--precision bf16` reports that the CPU cannot run it.

int fcn_kernels_built_with_avx512bf16(void) { return 0; }
size_t fcn_bf16_packed_weight_words(int rows, int depth) { (void)rows; (void)depth; return 0; }
int fcn_bf16_pack_weights(const float *A, size_t lda, int M, int K, uint32_t *packed) {
    (void)A; (void)lda; (void)M; (void)K; (void)packed; return 0;
}
size_t fcn_bf16_gemm_scratch_words(void) { return 0; }
int fcn_bf16_gemm_block(const fcn_bf16_gemm *g, int n0, int n1, int m0, int m1, uint32_t *scratch) {
    (void)g; (void)n0; (void)n1; (void)m0; (void)m1; (void)scratch; return 0;
}

#endif

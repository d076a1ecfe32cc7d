/* The fast decoder's whole decode step for one token, in C: see engine/native_step.py.
 *
 * Weights are the decoder's own 4-bit groups (GGUF's Q4_1 grid: 32 codes per group, a
 * bfloat16 step and offset per group, value = (code - 8) * step + offset) and its int8
 * output matrix (one float scale per row). Activations are rounded to int16 with one
 * scale per group of 32 (15 bits, finer than the bfloat16 that torch's kernels use), so
 * the inner loops are integer multiply-adds that keep pace with the memory.
 *
 * One OpenMP parallel region per token, of the size the caller asks for (the engine thread's
 * count, or fewer while other programs keep the cores busy). Built with -march=native for
 * the machine it runs on.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <omp.h>
#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>
#define NATIVE_AVX2 1
#if defined(__AVX512F__) && defined(__AVX512BW__)
#define NATIVE_AVX512 1
#endif
#endif

#define GROUP 32
#define CHUNK 128 /* cached tokens per attention work item */
#define MAX_GROUP 16 /* query heads per key/value head */

typedef struct {
    const uint8_t *codes; /* [rows][cols / 32][16]: byte k holds code k (low) and k + 16 (high) */
    const uint16_t *sz;   /* [rows][cols / 32][2] bfloat16: step, offset */
    int rows, cols;
} Q4;

typedef struct {
    const float *input_norm, *post_norm;
    Q4 qkv, out, gate_up, down;
    const float *qkv_bias; /* Qwen2's q/k/v biases, or NULL */
} Layer;

typedef struct {
    int layers, hidden, heads, kv_heads, head_dim, ffn, vocab;
    float eps;
    Layer *layer;
    const float *final_norm;
    const int8_t *head;       /* [vocab][hidden] */
    const float *head_scale;  /* [vocab] */
    /* scratch */
    float *x, *qkv, *attended, *gate_up;
    float *part_max, *part_sum, *part_out; /* attention partials per work item */
    int16_t *qx;
    float *qx_scale, *qx_sum;
    int max_items;
} Model;

static inline float bf16_to_f32(uint16_t v) {
    uint32_t u = (uint32_t)v << 16;
    float f;
    memcpy(&f, &u, 4);
    return f;
}

static inline uint16_t f32_to_bf16(float f) {
    uint32_t u;
    memcpy(&u, &f, 4);
    u += 0x7FFF + ((u >> 16) & 1); /* round to nearest even, as torch does */
    return (uint16_t)(u >> 16);
}

/* -- activations as int16, one scale per group --------------------------------------- */

#ifdef NATIVE_AVX2
/* e^x for x <= 0 (softmax and SiLU), Cephes' polynomial: float rounding-level error */
static inline __m256 exp256(__m256 x) {
    x = _mm256_max_ps(x, _mm256_set1_ps(-87.f));
    x = _mm256_min_ps(x, _mm256_set1_ps(88.f));
    __m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f)),
                               _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), x);
    r = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), r);
    __m256 y = _mm256_set1_ps(1.9875691500E-4f);
    y = _mm256_fmadd_ps(y, r, _mm256_set1_ps(1.3981999507E-3f));
    y = _mm256_fmadd_ps(y, r, _mm256_set1_ps(8.3334519073E-3f));
    y = _mm256_fmadd_ps(y, r, _mm256_set1_ps(4.1665795894E-2f));
    y = _mm256_fmadd_ps(y, r, _mm256_set1_ps(1.6666665459E-1f));
    y = _mm256_fmadd_ps(y, r, _mm256_set1_ps(5.0000001201E-1f));
    y = _mm256_fmadd_ps(y, _mm256_mul_ps(r, r), _mm256_add_ps(r, _mm256_set1_ps(1.f)));
    __m256i e = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(y, _mm256_castsi256_ps(e));
}

static inline float hsum256(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}
#endif

/* p[i] = exp(x[i] - shift), returns the sum */
static float exp_shifted(float *x, int n, float shift) {
    int i = 0;
    float total = 0.f;
#ifdef NATIVE_AVX2
    __m256 acc = _mm256_setzero_ps(), m = _mm256_set1_ps(shift);
    for (; i + 8 <= n; i += 8) {
        __m256 e = exp256(_mm256_sub_ps(_mm256_loadu_ps(x + i), m));
        _mm256_storeu_ps(x + i, e);
        acc = _mm256_add_ps(acc, e);
    }
    total = hsum256(acc);
#endif
    for (; i < n; i++) {
        x[i] = expf(x[i] - shift);
        total += x[i];
    }
    return total;
}

static void quantize(const float *x, int n, int16_t *q, float *scale, float *sum) {
    for (int g = 0; g < n / GROUP; g++) {
        const float *xs = x + g * GROUP;
#ifdef NATIVE_AVX2
        const __m256 sign = _mm256_set1_ps(-0.f);
        __m256 v[4], amax = _mm256_setzero_ps(), total = _mm256_setzero_ps();
        for (int k = 0; k < 4; k++) {
            v[k] = _mm256_loadu_ps(xs + 8 * k);
            amax = _mm256_max_ps(amax, _mm256_andnot_ps(sign, v[k]));
            total = _mm256_add_ps(total, v[k]);
        }
        __m128 a = _mm_max_ps(_mm256_castps256_ps128(amax), _mm256_extractf128_ps(amax, 1));
        a = _mm_max_ps(a, _mm_movehl_ps(a, a));
        a = _mm_max_ss(a, _mm_movehdup_ps(a));
        float top = _mm_cvtss_f32(a);
        float d = top > 0.f ? top / 32767.f : 1.f;
        __m256 inv = _mm256_set1_ps(1.f / d);
        __m256i i0 = _mm256_cvtps_epi32(_mm256_mul_ps(v[0], inv)), i1 = _mm256_cvtps_epi32(_mm256_mul_ps(v[1], inv));
        __m256i i2 = _mm256_cvtps_epi32(_mm256_mul_ps(v[2], inv)), i3 = _mm256_cvtps_epi32(_mm256_mul_ps(v[3], inv));
        /* packs works within 128-bit lanes: put the quarters back in order */
        _mm256_storeu_si256((__m256i *)(q + g * GROUP), _mm256_permute4x64_epi64(_mm256_packs_epi32(i0, i1), 0xD8));
        _mm256_storeu_si256((__m256i *)(q + g * GROUP + 16), _mm256_permute4x64_epi64(_mm256_packs_epi32(i2, i3), 0xD8));
        scale[g] = d;
        sum[g] = hsum256(total);
#else
        float amax = 0.f, total = 0.f;
        for (int j = 0; j < GROUP; j++) {
            float a = fabsf(xs[j]);
            amax = a > amax ? a : amax;
            total += xs[j];
        }
        float d = amax > 0.f ? amax / 32767.f : 1.f;
        float inv = 1.f / d;
        for (int j = 0; j < GROUP; j++) q[g * GROUP + j] = (int16_t)lrintf(xs[j] * inv);
        scale[g] = d;
        sum[g] = total;
#endif
    }
}

/* -- one row of activations times the weights (the decode step's products) ----------- */

/* Streaming the weights is the whole cost of these products, and on some machines (a
 * 2-core Sapphire Rapids VM: 3.5 GB/s a thread without this, 10 with it) the hardware
 * does not fetch ahead on its own while the loop computes: so each pass asks for the
 * rows about PREFETCH_BYTES ahead, and the per-group scalar work (bfloat16 steps, the
 * offsets' share) is done for a whole row at once in vectors, outside the inner loop. */
#define PREFETCH_BYTES 1536
#define ATTENTION_AHEAD 12 /* cached tokens (128 bytes each at 64 dims) */

static inline void prefetch_span(const void *p, size_t bytes) {
#ifdef NATIVE_AVX2
    for (size_t o = 0; o < bytes; o += 64) _mm_prefetch((const char *)p + o, _MM_HINT_T0);
#else
    (void)p, (void)bytes;
#endif
}

static inline int prefetch_rows(size_t row_bytes) {
    int rows = (int)(PREFETCH_BYTES / (row_bytes ? row_bytes : 1));
    return rows < 2 ? 2 : rows;
}

/* Per token: each group's activation scale beside a zero, and -8 * sum beside sum, so
 * that a row's interleaved (step, offset) pairs multiply them lane by lane. */
static void pair_scales(const float *dx, const float *xsum, int groups, float *dx_pairs, float *sum_pairs) {
    for (int g = 0; g < groups; g++) {
        dx_pairs[2 * g] = dx[g], dx_pairs[2 * g + 1] = 0.f;
        sum_pairs[2 * g] = -8.f * xsum[g], sum_pairs[2 * g + 1] = xsum[g];
    }
}

/* scale[2g] = step_g * dx_g for one row; returns the offsets' share of its product,
 * sum_g (offset_g - 8 step_g) * xsum_g */
static inline float row_scales(const uint16_t *sz, int groups, const float *dx_pairs, const float *sum_pairs,
                               float *scale) {
    int i = 0, n = 2 * groups;
    float total = 0.f;
#if defined(NATIVE_AVX512)
    __m512 offsets = _mm512_setzero_ps();
    for (; i < n; i += 16) {
        __mmask16 m = n - i >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (n - i)) - 1);
        __m512 so = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm256_maskz_loadu_epi16(m, sz + i)), 16));
        _mm512_mask_storeu_ps(scale + i, m, _mm512_mul_ps(so, _mm512_maskz_loadu_ps(m, dx_pairs + i)));
        offsets = _mm512_fmadd_ps(so, _mm512_maskz_loadu_ps(m, sum_pairs + i), offsets);
    }
    return _mm512_reduce_add_ps(offsets);
#elif defined(NATIVE_AVX2)
    __m256 offsets = _mm256_setzero_ps();
    for (; i + 8 <= n; i += 8) {
        __m256 so = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(sz + i))), 16));
        _mm256_storeu_ps(scale + i, _mm256_mul_ps(so, _mm256_loadu_ps(dx_pairs + i)));
        offsets = _mm256_fmadd_ps(so, _mm256_loadu_ps(sum_pairs + i), offsets);
    }
    total = hsum256(offsets);
#endif
    for (; i < n; i += 2) {
        float step = bf16_to_f32(sz[i]), offset = bf16_to_f32(sz[i + 1]);
        scale[i] = step * dx_pairs[i];
        total += step * sum_pairs[i] + offset * sum_pairs[i + 1];
    }
    return total;
}

#if defined(NATIVE_AVX512)
/* one group's 32 codes times its 32 int16 activations, as 16 float partial sums */
static inline __m512 group_q4(const uint8_t *codes, const int16_t *qx) {
    __m128i v = _mm_loadu_si128((const __m128i *)codes);
    __m256i b = _mm256_and_si256(_mm256_inserti128_si256(_mm256_castsi128_si256(v), _mm_srli_epi16(v, 4), 1),
                                 _mm256_set1_epi8(0x0F));
    return _mm512_cvtepi32_ps(_mm512_madd_epi16(_mm512_cvtepu8_epi16(b), _mm512_loadu_si512((const void *)qx)));
}
#define VEC __m512
#define VZERO _mm512_setzero_ps
#define VFMA(a, b, c) _mm512_fmadd_ps(a, b, c)
#define VSET1 _mm512_set1_ps
#define VADD _mm512_add_ps
#define VSUM _mm512_reduce_add_ps
#define GROUP_Q4 group_q4
#elif defined(NATIVE_AVX2)
static inline __m256 group_q4_256(const uint8_t *codes, const int16_t *qx) {
    const __m128i low_bits = _mm_set1_epi8(0x0F);
    __m128i v = _mm_loadu_si128((const __m128i *)codes);
    __m256i c0 = _mm256_cvtepu8_epi16(_mm_and_si128(v, low_bits));
    __m256i c1 = _mm256_cvtepu8_epi16(_mm_and_si128(_mm_srli_epi16(v, 4), low_bits));
    const __m256i *q = (const __m256i *)qx;
    return _mm256_cvtepi32_ps(_mm256_add_epi32(_mm256_madd_epi16(c0, _mm256_loadu_si256(q)),
                                               _mm256_madd_epi16(c1, _mm256_loadu_si256(q + 1))));
}
#define VEC __m256
#define VZERO _mm256_setzero_ps
#define VFMA(a, b, c) _mm256_fmadd_ps(a, b, c)
#define VSET1 _mm256_set1_ps
#define VADD _mm256_add_ps
#define VSUM hsum256
#define GROUP_Q4 group_q4_256
#endif

/* y[r] (+)= row r of the 4-bit matrix times x, for rows [r0, r1); two rows at a time,
 * two accumulators each, so the multiply-adds do not wait on one another */
static void gemv_q4(const Q4 *w, const int16_t *qx, const float *dx, const float *xsum, float *y,
                    int r0, int r1, int accumulate) {
    const int groups = w->cols / GROUP;
    const size_t row_codes = (size_t)groups * 16, row_sz = (size_t)groups * 2;
    float dx_pairs[2 * groups], sum_pairs[2 * groups], sa[2 * groups], sb[2 * groups];
    pair_scales(dx, xsum, groups, dx_pairs, sum_pairs);
    const int ahead = prefetch_rows(row_codes);
    for (int r = r0; r < r1; r += 2) {
        const int two = r + 1 < r1;
        const uint8_t *ca = w->codes + (size_t)r * row_codes, *cb = ca + row_codes;
        if (r + ahead < r1) {
            prefetch_span(ca + ahead * row_codes, 2 * row_codes);
            prefetch_span(w->sz + (size_t)(r + ahead) * row_sz, 4 * row_sz);
        }
        float ta = row_scales(w->sz + (size_t)r * row_sz, groups, dx_pairs, sum_pairs, sa), tb = 0.f;
#ifdef GROUP_Q4
        VEC a0 = VZERO(), a1 = VZERO(), b0 = VZERO(), b1 = VZERO();
        int g = 0;
        if (two) {
            tb = row_scales(w->sz + (size_t)(r + 1) * row_sz, groups, dx_pairs, sum_pairs, sb);
            for (; g + 2 <= groups; g += 2) {
                a0 = VFMA(GROUP_Q4(ca + g * 16, qx + g * GROUP), VSET1(sa[2 * g]), a0);
                b0 = VFMA(GROUP_Q4(cb + g * 16, qx + g * GROUP), VSET1(sb[2 * g]), b0);
                a1 = VFMA(GROUP_Q4(ca + g * 16 + 16, qx + g * GROUP + GROUP), VSET1(sa[2 * g + 2]), a1);
                b1 = VFMA(GROUP_Q4(cb + g * 16 + 16, qx + g * GROUP + GROUP), VSET1(sb[2 * g + 2]), b1);
            }
            for (; g < groups; g++) {
                a0 = VFMA(GROUP_Q4(ca + g * 16, qx + g * GROUP), VSET1(sa[2 * g]), a0);
                b0 = VFMA(GROUP_Q4(cb + g * 16, qx + g * GROUP), VSET1(sb[2 * g]), b0);
            }
            tb += VSUM(VADD(b0, b1));
        } else {
            for (; g < groups; g++) a0 = VFMA(GROUP_Q4(ca + g * 16, qx + g * GROUP), VSET1(sa[2 * g]), a0);
        }
        ta += VSUM(VADD(a0, a1));
#else
        if (two) tb = row_scales(w->sz + (size_t)(r + 1) * row_sz, groups, dx_pairs, sum_pairs, sb);
        for (int g = 0; g < groups; g++) {
            int32_t da = 0, db = 0;
            for (int k = 0; k < 16; k++) {
                da += (ca[g * 16 + k] & 15) * qx[g * GROUP + k] + (ca[g * 16 + k] >> 4) * qx[g * GROUP + k + 16];
                if (two) db += (cb[g * 16 + k] & 15) * qx[g * GROUP + k] + (cb[g * 16 + k] >> 4) * qx[g * GROUP + k + 16];
            }
            ta += (float)da * sa[2 * g];
            if (two) tb += (float)db * sb[2 * g];
        }
#endif
        y[r] = accumulate ? y[r] + ta : ta;
        if (two) y[r + 1] = accumulate ? y[r + 1] + tb : tb;
    }
}

/* y[r] = scale[r] * (row r of the int8 matrix times x), rows [r0, r1) */
static void gemv_q8(const int8_t *w, const float *scale, int cols, const int16_t *qx, const float *dx,
                    float *y, int r0, int r1) {
    const int groups = cols / GROUP;
    const int ahead = prefetch_rows((size_t)cols);
    for (int r = r0; r < r1; r++) {
        const int8_t *row = w + (size_t)r * cols;
        if (r + ahead < r1) prefetch_span(row + (size_t)ahead * cols, (size_t)cols);
#if defined(NATIVE_AVX512)
        __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps();
        int g = 0;
        for (; g + 2 <= groups; g += 2) {
            __m512i p0 = _mm512_madd_epi16(_mm512_cvtepi8_epi16(_mm256_loadu_si256((const __m256i *)(row + g * GROUP))),
                                           _mm512_loadu_si512((const void *)(qx + g * GROUP)));
            __m512i p1 = _mm512_madd_epi16(_mm512_cvtepi8_epi16(_mm256_loadu_si256((const __m256i *)(row + g * GROUP + GROUP))),
                                           _mm512_loadu_si512((const void *)(qx + g * GROUP + GROUP)));
            a0 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(p0), _mm512_set1_ps(dx[g]), a0);
            a1 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(p1), _mm512_set1_ps(dx[g + 1]), a1);
        }
        for (; g < groups; g++) {
            __m512i p = _mm512_madd_epi16(_mm512_cvtepi8_epi16(_mm256_loadu_si256((const __m256i *)(row + g * GROUP))),
                                          _mm512_loadu_si512((const void *)(qx + g * GROUP)));
            a0 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(p), _mm512_set1_ps(dx[g]), a0);
        }
        y[r] = _mm512_reduce_add_ps(_mm512_add_ps(a0, a1)) * scale[r];
#elif defined(NATIVE_AVX2)
        __m256 acc = _mm256_setzero_ps();
        for (int g = 0; g < groups; g++) {
            __m256i v = _mm256_loadu_si256((const __m256i *)(row + g * GROUP));
            __m256i w0 = _mm256_cvtepi8_epi16(_mm256_castsi256_si128(v));
            __m256i w1 = _mm256_cvtepi8_epi16(_mm256_extracti128_si256(v, 1));
            const __m256i *q = (const __m256i *)(qx + g * GROUP);
            __m256i p = _mm256_add_epi32(_mm256_madd_epi16(w0, _mm256_loadu_si256(q)),
                                         _mm256_madd_epi16(w1, _mm256_loadu_si256(q + 1)));
            acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p), _mm256_set1_ps(dx[g]), acc);
        }
        y[r] = hsum256(acc) * scale[r];
#else
        float total = 0.f;
        for (int g = 0; g < groups; g++) {
            int32_t dot = 0;
            for (int j = 0; j < GROUP; j++) dot += row[g * GROUP + j] * qx[g * GROUP + j];
            total += (float)dot * dx[g];
        }
        y[r] = total * scale[r];
#endif
    }
}

/* out = silu(gate) * up */
static void silu_times(const float *gate, const float *up, float *out, int n) {
    int i = 0;
#ifdef NATIVE_AVX2
    const __m256 one = _mm256_set1_ps(1.f), sign = _mm256_set1_ps(-0.f);
    for (; i + 8 <= n; i += 8) {
        __m256 g = _mm256_loadu_ps(gate + i);
        /* exp of -|g| only (no overflow); sigmoid(g) = 1/(1+e) or e/(1+e) by sign */
        __m256 e = exp256(_mm256_or_ps(g, sign));
        __m256 sig = _mm256_blendv_ps(_mm256_div_ps(one, _mm256_add_ps(one, e)),
                                      _mm256_div_ps(e, _mm256_add_ps(one, e)), g);
        _mm256_storeu_ps(out + i, _mm256_mul_ps(_mm256_mul_ps(g, sig), _mm256_loadu_ps(up + i)));
    }
#endif
    for (; i < n; i++) out[i] = gate[i] / (1.f + expf(-gate[i])) * up[i];
}

static void rms_norm(const float *x, const float *weight, int n, float eps, float *out) {
    float total = 0.f;
    for (int i = 0; i < n; i++) total += x[i] * x[i];
    float inv = 1.f / sqrtf(total / n + eps);
    for (int i = 0; i < n; i++) out[i] = x[i] * inv * weight[i];
}

static inline void split(int n, int *r0, int *r1) {
    int threads = omp_get_num_threads(), me = omp_get_thread_num();
    int per = (n + threads - 1) / threads;
    *r0 = me * per < n ? me * per : n;
    *r1 = (me + 1) * per < n ? (me + 1) * per : n;
}


static float dot_bf16(const float *q, const uint16_t *k, int n) {
#ifdef NATIVE_AVX2
    __m256 acc = _mm256_setzero_ps();
    for (int d = 0; d < n; d += 8) {
        __m256i kk = _mm256_slli_epi32(_mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(k + d))), 16);
        acc = _mm256_fmadd_ps(_mm256_loadu_ps(q + d), _mm256_castsi256_ps(kk), acc);
    }
    return hsum256(acc);
#else
    float total = 0.f;
    for (int d = 0; d < n; d++) total += q[d] * bf16_to_f32(k[d]);
    return total;
#endif
}

static void axpy_bf16(float a, const uint16_t *v, float *out, int n) {
#ifdef NATIVE_AVX2
    __m256 aa = _mm256_set1_ps(a);
    for (int d = 0; d < n; d += 8) {
        __m256i vv = _mm256_slli_epi32(_mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(v + d))), 16);
        _mm256_storeu_ps(out + d, _mm256_fmadd_ps(aa, _mm256_castsi256_ps(vv), _mm256_loadu_ps(out + d)));
    }
#else
    for (int d = 0; d < n; d++) out[d] += a * bf16_to_f32(v[d]);
#endif
}

/* scores[g][t - t0] = q_g . k_t * scale for the `group` query heads sharing these keys */
static void attention_scores(const float *q, int group, int D, const uint16_t *k, int t0, int t1, float scale,
                             float scores[][CHUNK]) {
#if defined(__AVX512F__)
    if (D == 64) {
        for (int t = t0; t < t1; t++) {
            const uint16_t *kt = k + (size_t)t * 64;
            prefetch_span(kt + ATTENTION_AHEAD * 64, 128);
            __m512 kk[4];
            for (int j = 0; j < 4; j++)
                kk[j] = _mm512_castsi512_ps(
                    _mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *)(kt + 16 * j))), 16));
            for (int g = 0; g < group; g++) {
                const float *qg = q + g * 64;
                __m512 acc = _mm512_mul_ps(kk[0], _mm512_loadu_ps(qg));
                acc = _mm512_fmadd_ps(kk[1], _mm512_loadu_ps(qg + 16), acc);
                acc = _mm512_fmadd_ps(kk[2], _mm512_loadu_ps(qg + 32), acc);
                acc = _mm512_fmadd_ps(kk[3], _mm512_loadu_ps(qg + 48), acc);
                scores[g][t - t0] = _mm512_reduce_add_ps(acc) * scale;
            }
        }
        return;
    }
#elif defined(NATIVE_AVX2)
    if (D == 64) {
        for (int t = t0; t < t1; t++) {
            const uint16_t *kt = k + (size_t)t * 64;
            prefetch_span(kt + ATTENTION_AHEAD * 64, 128);
            __m256 kk[8];
            for (int j = 0; j < 8; j++)
                kk[j] = _mm256_castsi256_ps(
                    _mm256_slli_epi32(_mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(kt + 8 * j))), 16));
            for (int g = 0; g < group; g++) {
                const float *qg = q + g * 64;
                __m256 a0 = _mm256_mul_ps(kk[0], _mm256_loadu_ps(qg));
                __m256 a1 = _mm256_mul_ps(kk[1], _mm256_loadu_ps(qg + 8));
                for (int j = 2; j < 8; j += 2) {
                    a0 = _mm256_fmadd_ps(kk[j], _mm256_loadu_ps(qg + 8 * j), a0);
                    a1 = _mm256_fmadd_ps(kk[j + 1], _mm256_loadu_ps(qg + 8 * j + 8), a1);
                }
                scores[g][t - t0] = hsum256(_mm256_add_ps(a0, a1)) * scale;
            }
        }
        return;
    }
#endif
    for (int t = t0; t < t1; t++)
        for (int g = 0; g < group; g++) scores[g][t - t0] = dot_bf16(q + g * D, k + (size_t)t * D, D) * scale;
}

/* out[g] = sum_t p[g][t - t0] * v_t */
static void attention_values(float p[][CHUNK], int group, int D, const uint16_t *v, int t0, int t1, float *out) {
#if defined(__AVX512F__)
    if (D == 64 && group <= 4) {
        __m512 acc[4][4];
        for (int g = 0; g < group; g++)
            for (int j = 0; j < 4; j++) acc[g][j] = _mm512_setzero_ps();
        for (int t = t0; t < t1; t++) {
            const uint16_t *vt = v + (size_t)t * 64;
            prefetch_span(vt + ATTENTION_AHEAD * 64, 128);
            __m512 vv[4];
            for (int j = 0; j < 4; j++)
                vv[j] = _mm512_castsi512_ps(
                    _mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *)(vt + 16 * j))), 16));
            for (int g = 0; g < group; g++) {
                __m512 w = _mm512_set1_ps(p[g][t - t0]);
                for (int j = 0; j < 4; j++) acc[g][j] = _mm512_fmadd_ps(w, vv[j], acc[g][j]);
            }
        }
        for (int g = 0; g < group; g++)
            for (int j = 0; j < 4; j++) _mm512_storeu_ps(out + g * 64 + 16 * j, acc[g][j]);
        return;
    }
#elif defined(NATIVE_AVX2)
    if (D == 64 && group <= 3) {
        for (int half = 0; half < 2; half++) { /* 32 dims at a time: 12 accumulators */
            __m256 acc[3][4];
            for (int g = 0; g < group; g++)
                for (int j = 0; j < 4; j++) acc[g][j] = _mm256_setzero_ps();
            for (int t = t0; t < t1; t++) {
                const uint16_t *vt = v + (size_t)t * 64 + 32 * half;
                prefetch_span(vt + ATTENTION_AHEAD * 64, 64);
                __m256 vv[4];
                for (int j = 0; j < 4; j++)
                    vv[j] = _mm256_castsi256_ps(
                        _mm256_slli_epi32(_mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(vt + 8 * j))), 16));
                for (int g = 0; g < group; g++) {
                    __m256 w = _mm256_set1_ps(p[g][t - t0]);
                    for (int j = 0; j < 4; j++) acc[g][j] = _mm256_fmadd_ps(w, vv[j], acc[g][j]);
                }
            }
            for (int g = 0; g < group; g++)
                for (int j = 0; j < 4; j++) _mm256_storeu_ps(out + g * 64 + 32 * half + 8 * j, acc[g][j]);
        }
        return;
    }
#endif
    memset(out, 0, (size_t)group * D * sizeof(float));
    for (int g = 0; g < group; g++)
        for (int t = t0; t < t1; t++) axpy_bf16(p[g][t - t0], v + (size_t)t * D, out + g * D, D);
}

void *native_create(int layers, int hidden, int heads, int kv_heads, int head_dim, int ffn, int vocab,
                    float eps, int max_context) {
    Model *m = calloc(1, sizeof(Model));
    if (!m) return NULL;
    m->layers = layers, m->hidden = hidden, m->heads = heads, m->kv_heads = kv_heads;
    m->head_dim = head_dim, m->ffn = ffn, m->vocab = vocab, m->eps = eps;
    m->layer = calloc(layers, sizeof(Layer));
    int width = (heads + 2 * kv_heads) * head_dim;
    m->x = calloc(hidden, sizeof(float));
    m->qkv = calloc(width, sizeof(float));
    m->attended = calloc(heads * head_dim, sizeof(float));
    m->gate_up = calloc(2 * ffn, sizeof(float));
    m->max_items = kv_heads * ((max_context + CHUNK - 1) / CHUNK + 1);
    int group = heads / kv_heads;
    m->part_max = calloc((size_t)m->max_items * group, sizeof(float));
    m->part_sum = calloc((size_t)m->max_items * group, sizeof(float));
    m->part_out = calloc((size_t)m->max_items * group * head_dim, sizeof(float));
    return m;
}

void native_set_layer(void *handle, int index, const float *input_norm, const float *post_norm,
                      const uint8_t *qkv_codes, const uint16_t *qkv_sz, const uint8_t *out_codes,
                      const uint16_t *out_sz, const uint8_t *gu_codes, const uint16_t *gu_sz,
                      const uint8_t *down_codes, const uint16_t *down_sz, const float *qkv_bias) {
    Model *m = handle;
    Layer *l = &m->layer[index];
    l->qkv_bias = qkv_bias; /* NULL for Llama */
    int width = (m->heads + 2 * m->kv_heads) * m->head_dim;
    l->input_norm = input_norm, l->post_norm = post_norm;
    l->qkv = (Q4){qkv_codes, qkv_sz, width, m->hidden};
    l->out = (Q4){out_codes, out_sz, m->hidden, m->heads * m->head_dim};
    l->gate_up = (Q4){gu_codes, gu_sz, 2 * m->ffn, m->hidden};
    l->down = (Q4){down_codes, down_sz, m->hidden, m->ffn};
}

void native_set_head(void *handle, const float *final_norm, const int8_t *head, const float *head_scale) {
    Model *m = handle;
    m->final_norm = final_norm, m->head = head, m->head_scale = head_scale;
}

void native_free(void *handle) {
    Model *m = handle;
    if (!m) return;
    free(m->layer), free(m->x), free(m->qkv), free(m->attended);
    free(m->gate_up), free(m->part_max), free(m->part_sum), free(m->part_out);
    free(m);
}

/* One token: `x` is its embedding, `position` its place; its keys and values are written
 * into the bfloat16 caches ([layers][kv_heads][capacity][head_dim]) at `position`. */
int native_step(void *handle, const float *embedding, int position, const float *cos, const float *sin,
                uint16_t *keys, uint16_t *values, int capacity, float *logits, int threads) {
    Model *m = handle;
    const int H = m->hidden, D = m->head_dim, NH = m->heads, NKV = m->kv_heads;
    const int group = NH / NKV, half = D / 2, tokens = position + 1;
    const int chunks = (tokens + CHUNK - 1) / CHUNK, items = NKV * chunks;
    const float scale = 1.f / sqrtf((float)D);
    if (items > m->max_items || position >= capacity || group > MAX_GROUP) return -1;
    memcpy(m->x, embedding, H * sizeof(float));
    int widest = m->ffn > H ? m->ffn : H;
    if (NH * D > widest) widest = NH * D;

#pragma omp parallel num_threads(threads > 0 ? threads : omp_get_max_threads())
    {
        int16_t *qx = malloc(widest * sizeof(int16_t));
        float *qscale = malloc(widest / GROUP * sizeof(float));
        float *qsum = malloc(widest / GROUP * sizeof(float));
        float *work = malloc(widest * sizeof(float)); /* this thread's norm or activation */
        /* every thread quantizes the same input for itself (a few hundred values): no barrier */
        int r0, r1;
        for (int li = 0; li < m->layers; li++) {
            const Layer *l = &m->layer[li];
            rms_norm(m->x, l->input_norm, H, m->eps, work); /* each thread, for itself */
            quantize(work, H, qx, qscale, qsum);
            split(l->qkv.rows, &r0, &r1);
            gemv_q4(&l->qkv, qx, qscale, qsum, m->qkv, r0, r1, 0);
#pragma omp barrier
#pragma omp single
            {
                float *qk = m->qkv; /* rotate q and k heads in place */
                if (l->qkv_bias)
                    for (int i = 0; i < l->qkv.rows; i++) qk[i] += l->qkv_bias[i];
                for (int h = 0; h < NH + NKV; h++) {
                    float *v = qk + h * D;
                    for (int d = 0; d < half; d++) {
                        float a = v[d], b = v[d + half];
                        v[d] = a * cos[d] - b * sin[d];
                        v[d + half] = b * cos[d + half] + a * sin[d + half];
                    }
                }
                for (int h = 0; h < NKV; h++) {
                    size_t at = (((size_t)li * NKV + h) * capacity + position) * D;
                    for (int d = 0; d < D; d++) {
                        keys[at + d] = f32_to_bf16(qk[(NH + h) * D + d]);
                        values[at + d] = f32_to_bf16(qk[(NH + NKV + h) * D + d]);
                    }
                }
            }
            /* implicit barrier: the cache holds this token's keys and values */
#pragma omp for schedule(dynamic, 1)
            for (int item = 0; item < items; item++) {
                int h = item / chunks, c = item % chunks;
                int t0 = c * CHUNK, t1 = t0 + CHUNK < tokens ? t0 + CHUNK : tokens;
                const uint16_t *k = keys + (((size_t)li * NKV + h) * capacity) * D;
                const uint16_t *v = values + (((size_t)li * NKV + h) * capacity) * D;
                float scores[MAX_GROUP][CHUNK];
                const float *q = m->qkv + h * group * D;
                attention_scores(q, group, D, k, t0, t1, scale, scores);
                float *out = m->part_out + (size_t)item * group * D;
                for (int g = 0; g < group; g++) {
                    float best = -INFINITY;
                    for (int t = 0; t < t1 - t0; t++) best = scores[g][t] > best ? scores[g][t] : best;
                    m->part_max[item * group + g] = best;
                    m->part_sum[item * group + g] = exp_shifted(scores[g], t1 - t0, best);
                }
                attention_values(scores, group, D, v, t0, t1, out);
            }
            /* implicit barrier; every thread merges the chunks for all heads (cheap) */
#pragma omp single
            {
                for (int hq = 0; hq < NH; hq++) {
                    int h = hq / group, g = hq % group;
                    float best = -INFINITY, total = 0.f;
                    for (int c = 0; c < chunks; c++) {
                        float mx = m->part_max[(h * chunks + c) * group + g];
                        best = mx > best ? mx : best;
                    }
                    float *out = m->attended + hq * D;
                    memset(out, 0, D * sizeof(float));
                    for (int c = 0; c < chunks; c++) {
                        int at = (h * chunks + c) * group + g;
                        float w = expf(m->part_max[at] - best);
                        total += w * m->part_sum[at];
                        const float *part = m->part_out + (size_t)at * D;
                        for (int d = 0; d < D; d++) out[d] += w * part[d];
                    }
                    for (int d = 0; d < D; d++) out[d] /= total;
                }
            }
            quantize(m->attended, NH * D, qx, qscale, qsum);
            split(H, &r0, &r1);
            gemv_q4(&l->out, qx, qscale, qsum, m->x, r0, r1, 1);
#pragma omp barrier
            rms_norm(m->x, l->post_norm, H, m->eps, work);
            quantize(work, H, qx, qscale, qsum);
            split(l->gate_up.rows, &r0, &r1);
            gemv_q4(&l->gate_up, qx, qscale, qsum, m->gate_up, r0, r1, 0);
#pragma omp barrier
            silu_times(m->gate_up, m->gate_up + m->ffn, work, m->ffn);
            quantize(work, m->ffn, qx, qscale, qsum);
            split(H, &r0, &r1);
            gemv_q4(&l->down, qx, qscale, qsum, m->x, r0, r1, 1);
#pragma omp barrier
        }
        rms_norm(m->x, m->final_norm, H, m->eps, work);
        quantize(work, H, qx, qscale, qsum);
        split(m->vocab, &r0, &r1);
        gemv_q8(m->head, m->head_scale, H, qx, qscale, logits, r0, r1);
        free(qx), free(qscale), free(qsum), free(work);
    }
    return 0;
}

/* -- many rows at once (prompts): int8 activations, integer tiles ------------------- */

/* A prompt's rows share every weight, so a block of weight rows is unpacked once into
 * bytes laid out for the CPU's int8 dot-product instruction, stays in the cache, and
 * meets every prompt row there. Activations are rounded to int8 with one scale per group
 * of 32 (llama.cpp's Q8 blocks for the same Q4_1 weights); each group's float sum carries
 * the weights' offsets. On AVX-512 VNNI one `vpdpbusd` does 64 multiply-adds, 4 times a
 * float32 FMA's 16, so the products outrun the float32 matrix product torch reads prompts
 * with. */
#if defined(__AVX512F__) && defined(__AVX512VNNI__)
#define GEMM_NB 16 /* weight rows per block: one zmm lane each */
#define GEMM_MB 8  /* prompt rows per tile */
#elif defined(NATIVE_AVX2)
#define GEMM_NB 8 /* one ymm lane each */
#define GEMM_MB 4
#endif

#ifdef GEMM_NB

static inline int32_t load32(const int8_t *p) {
    int32_t v;
    memcpy(&v, p, 4);
    return v;
}

/* one row of activations: int8 codes, a scale and the sum per group of 32 */
static void quantize8(const float *x, int n, int8_t *q, float *scale, float *sum) {
    const __m256 sign = _mm256_set1_ps(-0.f);
    const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
    for (int g = 0; g < n / GROUP; g++) {
        const float *xs = x + g * GROUP;
        __m256 v[4], amax = _mm256_setzero_ps();
        for (int k = 0; k < 4; k++) {
            v[k] = _mm256_loadu_ps(xs + 8 * k);
            amax = _mm256_max_ps(amax, _mm256_andnot_ps(sign, v[k]));
        }
        __m128 a = _mm_max_ps(_mm256_castps256_ps128(amax), _mm256_extractf128_ps(amax, 1));
        a = _mm_max_ps(a, _mm_movehl_ps(a, a));
        a = _mm_max_ss(a, _mm_movehdup_ps(a));
        float top = _mm_cvtss_f32(a);
        float d = top > 0.f ? top / 127.f : 1.f;
        __m256 inv = _mm256_set1_ps(1.f / d);
        __m256i i0 = _mm256_cvtps_epi32(_mm256_mul_ps(v[0], inv)), i1 = _mm256_cvtps_epi32(_mm256_mul_ps(v[1], inv));
        __m256i i2 = _mm256_cvtps_epi32(_mm256_mul_ps(v[2], inv)), i3 = _mm256_cvtps_epi32(_mm256_mul_ps(v[3], inv));
        /* the packs work within 128-bit lanes; the permutation puts the 4-byte runs back in order */
        __m256i bytes = _mm256_packs_epi16(_mm256_packs_epi32(i0, i1), _mm256_packs_epi32(i2, i3));
        _mm256_storeu_si256((__m256i *)(q + g * GROUP), _mm256_permutevar8x32_epi32(bytes, order));
        scale[g] = d;
        /* the sum of the rounded values, not of x: the offsets then see the same activations
         * as the codes, and the error stays that of the weights times the rounding (with
         * the exact sum it doubled, the codes being all positive) */
        __m256i codes = _mm256_add_epi32(_mm256_add_epi32(i0, i1), _mm256_add_epi32(i2, i3));
        sum[g] = d * hsum256(_mm256_cvtepi32_ps(codes));
    }
}

/* Weight rows [r0, r0 + NB) as the tiles read them: per group, 8 runs of NB rows x 4 codes
 * (as bytes), then the NB steps and the NB group minima (offset - 8 step). */
static void pack_block(const Q4 *w, int r0, uint8_t *codes, float *step, float *low) {
    const int groups = w->cols / GROUP;
    const __m128i low_bits = _mm_set1_epi8(0x0F);
    for (int n = 0; n < GEMM_NB; n++) {
        const uint8_t *src = w->codes + (size_t)(r0 + n) * groups * 16;
        const uint16_t *sz = w->sz + (size_t)(r0 + n) * groups * 2;
        for (int g = 0; g < groups; g++) {
            uint8_t c[32];
            __m128i v = _mm_loadu_si128((const __m128i *)(src + g * 16));
            _mm_storeu_si128((__m128i *)c, _mm_and_si128(v, low_bits));
            _mm_storeu_si128((__m128i *)(c + 16), _mm_and_si128(_mm_srli_epi16(v, 4), low_bits));
            uint8_t *dst = codes + (size_t)g * GROUP * GEMM_NB + 4 * n;
            for (int j = 0; j < 8; j++) memcpy(dst + j * 4 * GEMM_NB, c + 4 * j, 4);
            float s = bf16_to_f32(sz[2 * g]), o = bf16_to_f32(sz[2 * g + 1]);
            step[g * GEMM_NB + n] = s;
            low[g * GEMM_NB + n] = o - 8.f * s;
        }
    }
}

/* y[m][0..NB) for GEMM_MB prompt rows against one packed block (row stride ldy) */
static void tile(const uint8_t *codes, const float *step, const float *low, int groups, const int8_t *qa,
                 const float *da, const float *xs, int cols, float *y, int ldy) {
#if GEMM_NB == 16
    __m512 acc[GEMM_MB];
    for (int m = 0; m < GEMM_MB; m++) acc[m] = _mm512_setzero_ps();
    for (int g = 0; g < groups; g++) {
        const uint8_t *wc = codes + (size_t)g * GROUP * GEMM_NB;
        __m512i w[8], dot[GEMM_MB];
        for (int j = 0; j < 8; j++) w[j] = _mm512_loadu_si512((const void *)(wc + 64 * j));
        for (int m = 0; m < GEMM_MB; m++) dot[m] = _mm512_setzero_si512();
        for (int j = 0; j < 8; j++)
            for (int m = 0; m < GEMM_MB; m++)
                dot[m] = _mm512_dpbusd_epi32(dot[m], w[j], _mm512_set1_epi32(load32(qa + (size_t)m * cols + g * GROUP + 4 * j)));
        __m512 s = _mm512_loadu_ps(step + g * GEMM_NB), lo = _mm512_loadu_ps(low + g * GEMM_NB);
        for (int m = 0; m < GEMM_MB; m++) {
            __m512 scaled = _mm512_mul_ps(s, _mm512_set1_ps(da[m * groups + g]));
            acc[m] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(dot[m]), scaled, acc[m]);
            acc[m] = _mm512_fmadd_ps(lo, _mm512_set1_ps(xs[m * groups + g]), acc[m]);
        }
    }
    for (int m = 0; m < GEMM_MB; m++) _mm512_storeu_ps(y + (size_t)m * ldy, acc[m]);
#else
    __m256 acc[GEMM_MB];
#ifndef __AVXVNNI__
    const __m256i ones = _mm256_set1_epi16(1);
#endif
    for (int m = 0; m < GEMM_MB; m++) acc[m] = _mm256_setzero_ps();
    for (int g = 0; g < groups; g++) {
        const uint8_t *wc = codes + (size_t)g * GROUP * GEMM_NB;
        __m256i dot[GEMM_MB];
        for (int m = 0; m < GEMM_MB; m++) dot[m] = _mm256_setzero_si256();
        for (int j = 0; j < 8; j++) {
            __m256i w = _mm256_loadu_si256((const __m256i *)(wc + 32 * j));
            for (int m = 0; m < GEMM_MB; m++) {
                __m256i a = _mm256_set1_epi32(load32(qa + (size_t)m * cols + g * GROUP + 4 * j));
#ifdef __AVXVNNI__
                dot[m] = _mm256_dpbusd_avx_epi32(dot[m], w, a);
#else
                dot[m] = _mm256_add_epi32(dot[m], _mm256_madd_epi16(_mm256_maddubs_epi16(w, a), ones));
#endif
            }
        }
        __m256 s = _mm256_loadu_ps(step + g * GEMM_NB), lo = _mm256_loadu_ps(low + g * GEMM_NB);
        for (int m = 0; m < GEMM_MB; m++) {
            __m256 scaled = _mm256_mul_ps(s, _mm256_set1_ps(da[m * groups + g]));
            acc[m] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(dot[m]), scaled, acc[m]);
            acc[m] = _mm256_fmadd_ps(lo, _mm256_set1_ps(xs[m * groups + g]), acc[m]);
        }
    }
    for (int m = 0; m < GEMM_MB; m++) _mm256_storeu_ps(y + (size_t)m * ldy, acc[m]);
#endif
}

/* y[n][rows] = x[n][cols] times the 4-bit matrix, for many rows; 0 when it cannot (no memory) */
static int gemm_q4(const Q4 *w, const float *x, int n, float *y) {
    const int cols = w->cols, groups = cols / GROUP, rows = w->rows;
    const size_t padded = (size_t)(n + GEMM_MB - 1) / GEMM_MB * GEMM_MB;
    int8_t *qa = calloc(padded * cols, 1); /* the padding rows stay zero */
    float *da = calloc(padded * groups, sizeof(float)), *xs = calloc(padded * groups, sizeof(float));
    int ok = qa && da && xs;
    if (ok) {
#pragma omp parallel
        {
#pragma omp for schedule(static)
            for (int i = 0; i < n; i++)
                quantize8(x + (size_t)i * cols, cols, qa + (size_t)i * cols, da + (size_t)i * groups, xs + (size_t)i * groups);
            uint8_t *codes = malloc((size_t)GEMM_NB * cols);
            float *step = malloc((size_t)GEMM_NB * groups * sizeof(float));
            float *low = malloc((size_t)GEMM_NB * groups * sizeof(float));
            float spare[GEMM_MB * GEMM_NB];
            if (!(codes && step && low)) {
#pragma omp atomic write
                ok = 0;
            }
            /* dynamic: a thread whose core another program shares takes fewer blocks */
#pragma omp for schedule(dynamic, 1)
            for (int b = 0; b < rows / GEMM_NB; b++) {
                if (!(codes && step && low)) continue;
                pack_block(w, b * GEMM_NB, codes, step, low);
                for (int m0 = 0; m0 < n; m0 += GEMM_MB) {
                    const int8_t *q = qa + (size_t)m0 * cols;
                    const float *d = da + (size_t)m0 * groups, *s = xs + (size_t)m0 * groups;
                    if (m0 + GEMM_MB <= n) {
                        tile(codes, step, low, groups, q, d, s, cols, y + (size_t)m0 * rows + b * GEMM_NB, rows);
                    } else { /* the last rows: computed in full, only the real ones kept */
                        tile(codes, step, low, groups, q, d, s, cols, spare, GEMM_NB);
                        for (int m = 0; m < n - m0; m++)
                            memcpy(y + (size_t)(m0 + m) * rows + b * GEMM_NB, spare + m * GEMM_NB, GEMM_NB * sizeof(float));
                    }
                }
            }
            free(codes), free(step), free(low);
        }
    }
    free(qa), free(da), free(xs);
    return ok;
}
#endif

/* y[n][rows] = x[n][cols] times the 4-bit matrix, row by row (prefill of a few tokens, copy
 * drafts and the eager step use the same products as the decode step above) */
void native_matmul_q4(const uint8_t *codes, const uint16_t *sz, int rows, int cols, const float *x, int n,
                      float *y) {
    Q4 w = {codes, sz, rows, cols};
    for (int i = 0; i < n; i++) {
#pragma omp parallel
        {
            int16_t *qx = malloc(cols * sizeof(int16_t));
            float *qscale = malloc(cols / GROUP * sizeof(float));
            float *qsum = malloc(cols / GROUP * sizeof(float));
            int r0, r1;
            quantize(x + (size_t)i * cols, cols, qx, qscale, qsum);
            split(rows, &r0, &r1);
            gemv_q4(&w, qx, qscale, qsum, y + (size_t)i * rows, r0, r1, 0);
            free(qx), free(qscale), free(qsum);
        }
    }
}

/* y[n][rows] = x[n][cols] times the 4-bit matrix through the int8 tiles above, for a
 * prompt's many rows; returns 0 (y untouched) where this build has no tiles (no AVX2),
 * the rows do not fill whole blocks, or memory ran out: the caller then computes it
 * another way. */
int native_matmul_q4_int8(const uint8_t *codes, const uint16_t *sz, int rows, int cols, const float *x, int n,
                          float *y) {
#ifdef GEMM_NB
    Q4 w = {codes, sz, rows, cols};
    if (n > 0 && rows % GEMM_NB == 0) return gemm_q4(&w, x, n, y);
#endif
    (void)codes, (void)sz, (void)rows, (void)cols, (void)x, (void)n, (void)y;
    return 0;
}

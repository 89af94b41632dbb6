// Packing of GEMM operands into the micro-kernel layouts: A blocks become MR-row panels stored k-major (alpha folded
// in), B blocks become NR-column panels stored k-major; ragged edge panels are zero-padded. Transposed reads go through
// 8×8 AVX register transposes so that either orientation of A or B packs at streaming speed.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace My3DGen.Engine.Backends.Cpu;

internal static unsafe class SimdGemmPack
{
    /// <summary>
    /// Packs op(A)[m0..m0+mLen, k0..k0+kc]·alpha into ceil(mLen/MR) panels; panel p starts at dst + p·MR·kc and
    /// holds element (m0 + p·MR + i, k0 + k) at [k·MR + i]. op(A)(m,k) = transA ? A[k·lda + m] : A[m·lda + k].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA(float* A, long lda, bool transA, int m0, int mLen, int k0, int kc, float alpha, int MR, float* dst)
    {
        for (int i0 = 0; i0 < mLen; i0 += MR, dst += (long)MR * kc)
        {
            int rows = Math.Min(MR, mLen - i0);
            int m = m0 + i0;
            if (transA) PackContiguous(A + (long)k0 * lda + m, lda, rows, kc, alpha, MR, dst);
            else PackStrided(A + (long)m * lda + k0, lda, rows, kc, alpha, MR, dst);
        }
    }

    /// <summary>
    /// Packs op(B)[k0..k0+kc, n0..n0+nLen] into ceil(nLen/NR) panels; panel q starts at dst + q·NR·kc and holds
    /// element (k0 + k, n0 + q·NR + j) at [k·NR + j]. op(B)(k,n) = transB ? B[n·ldb + k] : B[k·ldb + n].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB(float* B, long ldb, bool transB, int k0, int kc, int n0, int nLen, int NR, float* dst)
    {
        for (int j0 = 0; j0 < nLen; j0 += NR, dst += (long)NR * kc)
        {
            int cols = Math.Min(NR, nLen - j0);
            int n = n0 + j0;
            if (transB) PackStrided(B + (long)n * ldb + k0, ldb, cols, kc, 1f, NR, dst);
            else PackContiguous(B + (long)k0 * ldb + n, ldb, cols, kc, 1f, NR, dst);
        }
    }

    /// <summary>Panel whose <paramref name="width"/> lanes are contiguous in memory for each k (row k at src + k·ld).</summary>
    private static void PackContiguous(float* src, long ld, int width, int kc, float scale, int panel, float* dst)
    {
        if (width == panel && panel % 8 == 0)
        {
            var s = Vector256.Create(scale);
            for (int k = 0; k < kc; k++, src += ld, dst += panel)
                for (int j = 0; j < panel; j += 8)
                    (Vector256.Load(src + j) * s).Store(dst + j);
            return;
        }
        for (int k = 0; k < kc; k++, src += ld, dst += panel)
        {
            int j = 0;
            for (; j < width; j++) dst[j] = src[j] * scale;
            for (; j < panel; j++) dst[j] = 0f;
        }
    }

    /// <summary>Panel whose lanes are rows of memory (lane j at src + j·ld, consecutive k contiguous): a transpose.</summary>
    private static void PackStrided(float* src, long ld, int width, int kc, float scale, int panel, float* dst)
    {
        int k = 0;
        if (Avx.IsSupported && width == panel && panel % 8 == 0)
        {
            var s = Vector256.Create(scale);
            for (; k + 8 <= kc; k += 8)
                for (int j = 0; j < panel; j += 8)
                    Transpose8x8(src + j * ld + k, ld, dst + (long)k * panel + j, panel, s);
        }
        for (; k < kc; k++)
        {
            float* d = dst + (long)k * panel;
            int j = 0;
            for (; j < width; j++) d[j] = src[j * ld + k] * scale;
            for (; j < panel; j++) d[j] = 0f;
        }
    }

    /// <summary>dst[c·dstStride + r] = src[r·srcStride + c]·scale for r, c in 0..8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* src, long srcStride, float* dst, long dstStride, Vector256<float> scale)
    {
        var r0 = Avx.LoadVector256(src);
        var r1 = Avx.LoadVector256(src + srcStride);
        var r2 = Avx.LoadVector256(src + 2 * srcStride);
        var r3 = Avx.LoadVector256(src + 3 * srcStride);
        var r4 = Avx.LoadVector256(src + 4 * srcStride);
        var r5 = Avx.LoadVector256(src + 5 * srcStride);
        var r6 = Avx.LoadVector256(src + 6 * srcStride);
        var r7 = Avx.LoadVector256(src + 7 * srcStride);
        // Interleave pairs of rows, then pairs of pairs, then swap 128-bit halves.
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
        var s0 = Avx.Shuffle(t0, t2, 0x44); var s1 = Avx.Shuffle(t0, t2, 0xEE);
        var s2 = Avx.Shuffle(t1, t3, 0x44); var s3 = Avx.Shuffle(t1, t3, 0xEE);
        var s4 = Avx.Shuffle(t4, t6, 0x44); var s5 = Avx.Shuffle(t4, t6, 0xEE);
        var s6 = Avx.Shuffle(t5, t7, 0x44); var s7 = Avx.Shuffle(t5, t7, 0xEE);
        (Avx.Permute2x128(s0, s4, 0x20) * scale).Store(dst);
        (Avx.Permute2x128(s1, s5, 0x20) * scale).Store(dst + dstStride);
        (Avx.Permute2x128(s2, s6, 0x20) * scale).Store(dst + 2 * dstStride);
        (Avx.Permute2x128(s3, s7, 0x20) * scale).Store(dst + 3 * dstStride);
        (Avx.Permute2x128(s0, s4, 0x31) * scale).Store(dst + 4 * dstStride);
        (Avx.Permute2x128(s1, s5, 0x31) * scale).Store(dst + 5 * dstStride);
        (Avx.Permute2x128(s2, s6, 0x31) * scale).Store(dst + 6 * dstStride);
        (Avx.Permute2x128(s3, s7, 0x31) * scale).Store(dst + 7 * dstStride);
    }
}

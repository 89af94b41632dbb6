// The transformed-domain GEMMs M_ξ = U_ξ·V_ξ of a Winograd chunk that holds at most 16 tiles (the small images: 16² with
// F(4×4,3×3)): one 512-bit vector of tiles per output row, so the general 8×32 kernel would spend half its work on padding.
// Here a 16×16 micro-kernel reads two 8-row panels of the packed U (the general kernel's packed-A layout, every K slice)
// and the rows of V_ξ as they are (no B packing), keeps 16 accumulators and stores each row once; the (ξ, 16-row block)
// pairs are split over the threads. AVX-512 only (CpuWinograd3x3.Pays requires it).
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using V = System.Runtime.Intrinsics.Vector512<float>;

namespace My3DGen.Engine.Backends.Cpu;

internal static unsafe class CpuWinogradNarrowGemm
{
    /// <summary>Tiles one call can serve: one vector.</summary>
    public const int MaxTiles = 16;
    /// <summary>How far ahead (floats of one panel, 64 k steps) the U panels are prefetched: they stream from memory once
    /// per call, and without the hint the loads did not overlap the FMAs (measured 2.7 → 2.3 ms at 512→512 @16).</summary>
    private const int Ahead = 512;

    /// <summary>Whether the packed weights use the layout this kernel reads (8-row panels) and the CPU has AVX-512.</summary>
    public static bool Supports(CpuWinogradWeights u) => Avx512F.IsSupported && u.Kernel.MR == 8;

    /// <summary>
    /// For ξ &lt; xiCount: m[ξ·ldMXi + o·ldM + t] = Σ_i U_ξ[o, i]·v[ξ·ldVXi + i·ldV + t] for o &lt; outC and the 16 lanes t
    /// (lanes past the chunk's tiles compute on V's padding and are ignored by the caller). U_ξ is u's packed matrix ξ.
    /// </summary>
    public static void Run(CpuWinogradWeights u, int xiCount, float* v, long ldVXi, long ldV, float* m, long ldMXi, long ldM, int threads)
    {
        int inC = u.InC, outC = u.OutC, kcBlock = SimdGemmDriver.KBlock(u.Kernel, inC), mPad = (outC + 7) / 8 * 8;
        int blocks = (outC + 15) / 16, tasks = xiCount * blocks;
        long stride = u.Stride;
        fixed (float* pu = u.Packed)
        {
            nint pU = (nint)pu, pV = (nint)v, pM = (nint)m;
            void Range(int t0, int t1)
            {
                var rows = stackalloc V[16];
                for (int task = t0; task < t1; task++)
                {
                    int xi = task / blocks, o0 = task % blocks * 16, count = Math.Min(16, outC - o0);
                    float* uXi = (float*)pU + xi * stride, vXi = (float*)pV + xi * ldVXi;
                    Block(uXi, vXi, ldV, inC, kcBlock, mPad, o0, count, rows);
                    float* mRow = (float*)pM + xi * ldMXi + (long)o0 * ldM;
                    for (int r = 0; r < count; r++) rows[r].Store(mRow + r * ldM);
                }
            }
            threads = Math.Clamp(Math.Min(threads, tasks / 4), 1, Math.Max(1, threads));
            if (threads == 1) Range(0, tasks);
            else
                Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads },
                    wk => Range((int)((long)tasks * wk / threads), (int)((long)tasks * (wk + 1) / threads)));
        }
    }

    /// <summary>rows[r] = Σ_i U[o0 + r, i]·V[i] for r &lt; count over every K slice of the packed U (rows past outC read the
    /// zero padding of the last panel; with one panel left, rows 8–15 repeat rows 0–7).</summary>
    private static void Block(float* u, float* v, long ldV, int inC, int kcBlock, int mPad, int o0, int count, V* rows)
    {
        for (int r = 0; r < 16; r++) rows[r] = V.Zero;
        bool two = count > 8;
        for (int pc = 0; pc < inC; pc += kcBlock)
        {
            int kc = Math.Min(kcBlock, inC - pc);
            float* p0 = u + (long)pc * mPad + (long)o0 * kc, b = v + pc * ldV;
            // A lone last panel (≤ 8 rows left) is read as both halves; rows 8–15 then repeat 0–7 and are not stored.
            Kernel16(p0, two ? p0 + 8L * kc : p0, b, ldV, kc, rows);
        }
    }

    /// <summary>16 rows: two 8-row panels (k-major, 8 floats per k) against kc rows of V.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel16(float* a0, float* a1, float* b, long ldV, int kc, V* rows)
    {
        V c0 = rows[0], c1 = rows[1], c2 = rows[2], c3 = rows[3], c4 = rows[4], c5 = rows[5], c6 = rows[6], c7 = rows[7];
        V d0 = rows[8], d1 = rows[9], d2 = rows[10], d3 = rows[11], d4 = rows[12], d5 = rows[13], d6 = rows[14], d7 = rows[15];
        for (int k = 0; k < kc; k++, a0 += 8, a1 += 8, b += ldV)
        {
            Sse.Prefetch0(a0 + Ahead);
            Sse.Prefetch0(a1 + Ahead);
            var bv = Vector512.Load(b);
            c0 = Avx512F.FusedMultiplyAdd(Vector512.Create(a0[0]), bv, c0);
            c1 = Avx512F.FusedMultiplyAdd(Vector512.Create(a0[1]), bv, c1);
            c2 = Avx512F.FusedMultiplyAdd(Vector512.Create(a0[2]), bv, c2);
            c3 = Avx512F.FusedMultiplyAdd(Vector512.Create(a0[3]), bv, c3);
            c4 = Avx512F.FusedMultiplyAdd(Vector512.Create(a0[4]), bv, c4);
            c5 = Avx512F.FusedMultiplyAdd(Vector512.Create(a0[5]), bv, c5);
            c6 = Avx512F.FusedMultiplyAdd(Vector512.Create(a0[6]), bv, c6);
            c7 = Avx512F.FusedMultiplyAdd(Vector512.Create(a0[7]), bv, c7);
            d0 = Avx512F.FusedMultiplyAdd(Vector512.Create(a1[0]), bv, d0);
            d1 = Avx512F.FusedMultiplyAdd(Vector512.Create(a1[1]), bv, d1);
            d2 = Avx512F.FusedMultiplyAdd(Vector512.Create(a1[2]), bv, d2);
            d3 = Avx512F.FusedMultiplyAdd(Vector512.Create(a1[3]), bv, d3);
            d4 = Avx512F.FusedMultiplyAdd(Vector512.Create(a1[4]), bv, d4);
            d5 = Avx512F.FusedMultiplyAdd(Vector512.Create(a1[5]), bv, d5);
            d6 = Avx512F.FusedMultiplyAdd(Vector512.Create(a1[6]), bv, d6);
            d7 = Avx512F.FusedMultiplyAdd(Vector512.Create(a1[7]), bv, d7);
        }
        (rows[0], rows[1], rows[2], rows[3], rows[4], rows[5], rows[6], rows[7]) = (c0, c1, c2, c3, c4, c5, c6, c7);
        (rows[8], rows[9], rows[10], rows[11], rows[12], rows[13], rows[14], rows[15]) = (d0, d1, d2, d3, d4, d5, d6, d7);
    }
}

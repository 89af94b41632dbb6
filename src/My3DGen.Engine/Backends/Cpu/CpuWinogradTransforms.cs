// The F(4×4, 3×3) Winograd transforms (interpolation points 0, ±1, ±2, ∞) on 16 lanes: the weight transform G·g·Gᵀ
// (lanes = input channels, optionally reading the weight transposed and flipped), the input transform Bᵀ·d·B split into a
// row pass along x (stride-4 deinterleave of a zero-padded image row) and a column pass along y (contiguous over tiles),
// and the output transform Aᵀ·m·A with the 4-way interleave back into image rows; for the weight gradient their adjoints:
// A·gy·Aᵀ of 4×4 output-gradient tiles (row pass with a stride-4 deinterleave, column pass) and Gᵀ·ĝ·G back to 3×3 taps.
// CpuWinograd3x3 drives them.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using V = System.Runtime.Intrinsics.Vector512<float>;

namespace My3DGen.Engine.Backends.Cpu;

internal static unsafe class CpuWinogradTransforms
{
    /// <summary>Tiles (or channels) processed together: one 512-bit vector of floats.</summary>
    public const int Lanes = 16;

    /// <summary>Tests set this to run the portable (scalar gather / interleave) paths on an AVX-512 machine.</summary>
    internal static bool ForcePortable { get; set; }

    private static bool UseAvx512 => Avx512F.IsSupported && !ForcePortable;

    /// <summary>
    /// u[ξ·16 + l] = (G·g·Gᵀ)[ξ] for lanes l &lt; count, where tap t = ky·3 + kx of lane l is read at
    /// w[l·laneStride + (flip ? 8 − t : t)] (flip reads the kernel rotated by 180°). Lanes ≥ count are 0.
    /// </summary>
    public static void Weight(float* w, long laneStride, bool flip, int count, float* u)
    {
        var g = stackalloc V[9];
        for (int t = 0; t < 9; t++) g[t] = LoadStrided(w + (flip ? 8 - t : t), laneStride, count);
        var m = stackalloc V[18];  // G·g: 6 rows × 3 columns
        for (int kx = 0; kx < 3; kx++)
            WeightT1(g[kx], g[3 + kx], g[6 + kx], m + kx, 3);
        for (int a = 0; a < 6; a++)
            WeightT1(m[a * 3], m[a * 3 + 1], m[a * 3 + 2], (V*)(u + a * 6 * Lanes), 1);
    }

    /// <summary>
    /// Adjoint of <see cref="Weight"/> for lanes l &lt; count: w[l·laneStride + t] += (Gᵀ·ĝ·G)[t] for the 3×3 taps t, where
    /// ĝ[ξ] lane l = gHat[ξ·ldXi + l] (ξ = 6·row + column, 36 values).
    /// </summary>
    public static void WeightAdjoint(float* gHat, long ldXi, int count, float* w, long laneStride)
    {
        var m = stackalloc V[18];  // ĝ·G: 6 rows × 3 columns
        for (int a = 0; a < 6; a++)
        {
            float* row = gHat + a * 6 * ldXi;
            WeightT1Adjoint(Vector512.Load(row), Vector512.Load(row + ldXi), Vector512.Load(row + 2 * ldXi), Vector512.Load(row + 3 * ldXi),
                Vector512.Load(row + 4 * ldXi), Vector512.Load(row + 5 * ldXi), m + a * 3, 1);
        }
        var taps = stackalloc V[9];
        for (int kx = 0; kx < 3; kx++)
            WeightT1Adjoint(m[kx], m[3 + kx], m[6 + kx], m[9 + kx], m[12 + kx], m[15 + kx], taps + kx, 3);
        var tmp = stackalloc float[Lanes];
        for (int t = 0; t < 9; t++)
        {
            taps[t].Store(tmp);
            for (int l = 0; l < count; l++) w[l * laneStride + t] += tmp[l];
        }
    }

    /// <summary>
    /// Row pass of the input transform for one image row. p is the row with one zero in front (p[0] = x[−1]) and zeros
    /// past its end up to 4·RoundUp(tilesX, 16) + 8 floats. Writes, for every tile tx and ξx, Σₖ Bᵀ[ξx,k]·p[4tx + k] to
    /// dst[ξx·ldXi + tx] (and to dst2 when not null). Up to 15 floats past tilesX are written too (spill room).
    /// </summary>
    public static void InputRow(float* p, int tilesX, float* dst, float* dst2, long ldXi)
    {
        var d = stackalloc V[6];
        var s = stackalloc V[4];
        for (int tx = 0; tx < tilesX; tx += Lanes)
        {
            float* q = p + 4L * tx;
            if (UseAvx512)
            {
                Deinterleave4(q, d);
                Deinterleave4(q + 4, s);
                d[4] = s[0];
                d[5] = s[1];
            }
            else
                for (int k = 0; k < 6; k++) d[k] = LoadStrided(q + k, 4, Lanes);
            InputT1(d[0], d[1], d[2], d[3], d[4], d[5], out var r0, out var r1, out var r2, out var r3, out var r4, out var r5);
            Store6(dst + tx, ldXi, r0, r1, r2, r3, r4, r5);
            if (dst2 != null) Store6(dst2 + tx, ldXi, r0, r1, r2, r3, r4, r5);
        }
    }

    /// <summary>
    /// Column pass: for lanes t in [0, count) step 16, dst[ξy·ldDst + t] = Σₖ Bᵀ[ξy,k]·src[k·ldSrc + t].
    /// </summary>
    public static void InputColumn(float* src, long ldSrc, int count, float* dst, long ldDst)
    {
        for (int t = 0; t < count; t += Lanes)
        {
            float* s = src + t;
            InputT1(Vector512.Load(s), Vector512.Load(s + ldSrc), Vector512.Load(s + 2 * ldSrc), Vector512.Load(s + 3 * ldSrc), Vector512.Load(s + 4 * ldSrc),
                Vector512.Load(s + 5 * ldSrc), out var r0, out var r1, out var r2, out var r3, out var r4, out var r5);
            Store6(dst + t, ldDst, r0, r1, r2, r3, r4, r5);
        }
    }

    /// <summary>
    /// Output transform of 16 consecutive tiles: m[ξ·ldXi + l] holds the 36 products of tile l; writes the 4×4 outputs
    /// as 4 interleaved rows of 64 floats: out[r·64 + 4l + c] = (Aᵀ·m·A)[r, c] of tile l.
    /// </summary>
    public static void Output(float* m, long ldXi, float* outRows)
    {
        var z = stackalloc V[24];  // Aᵀ along y: 4 rows × 6 columns
        for (int b = 0; b < 6; b++)
        {
            float* s = m + b * ldXi;
            OutputT1(Vector512.Load(s), Vector512.Load(s + 6 * ldXi), Vector512.Load(s + 12 * ldXi), Vector512.Load(s + 18 * ldXi),
                Vector512.Load(s + 24 * ldXi), Vector512.Load(s + 30 * ldXi), out z[b], out z[6 + b], out z[12 + b], out z[18 + b]);
        }
        for (int r = 0; r < 4; r++)
        {
            V* zr = z + r * 6;
            OutputT1(zr[0], zr[1], zr[2], zr[3], zr[4], zr[5], out var c0, out var c1, out var c2, out var c3);
            Interleave4(c0, c1, c2, c3, outRows + r * 64);
        }
    }

    /// <summary>
    /// Row pass of the output transform's adjoint for one row of output gradients. p is the row, zero past its end up to
    /// 4·RoundUp(tilesX, 16) floats. Writes, for every tile tx and ξx, Σ_c A[ξx,c]·p[4tx + c] to dst[ξx·ldXi + tx]. Up to
    /// 15 floats past tilesX are written too (spill room).
    /// </summary>
    public static void OutputAdjointRow(float* p, int tilesX, float* dst, long ldXi)
    {
        var c = stackalloc V[4];
        for (int tx = 0; tx < tilesX; tx += Lanes)
        {
            float* q = p + 4L * tx;
            if (UseAvx512) Deinterleave4(q, c);
            else
                for (int k = 0; k < 4; k++) c[k] = LoadStrided(q + k, 4, Lanes);
            OutputT1Adjoint(c[0], c[1], c[2], c[3], out var r0, out var r1, out var r2, out var r3, out var r4, out var r5);
            Store6(dst + tx, ldXi, r0, r1, r2, r3, r4, r5);
        }
    }

    /// <summary>
    /// Column pass of the output transform's adjoint: for lanes t in [0, count) step 16,
    /// dst[ξy·ldDst + t] = Σ_r A[ξy,r]·src[r·ldSrc + t] over the 4 rows r of a tile.
    /// </summary>
    public static void OutputAdjointColumn(float* src, long ldSrc, int count, float* dst, long ldDst)
    {
        for (int t = 0; t < count; t += Lanes)
        {
            float* s = src + t;
            OutputT1Adjoint(Vector512.Load(s), Vector512.Load(s + ldSrc), Vector512.Load(s + 2 * ldSrc), Vector512.Load(s + 3 * ldSrc),
                out var r0, out var r1, out var r2, out var r3, out var r4, out var r5);
            Store6(dst + t, ldDst, r0, r1, r2, r3, r4, r5);
        }
    }

    // ---- 1-D transforms ----

    /// <summary>G·(g0, g1, g2) → r[0], r[step], …, r[5·step].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WeightT1(V g0, V g1, V g2, V* r, int step)
    {
        V sixth = Vector512.Create(1f / 6), twelfth = Vector512.Create(1f / 12), h24 = Vector512.Create(1f / 24);
        var even = g0 + g2;
        var e24 = h24 * g0 + sixth * g2;
        r[0] = Vector512.Create(0.25f) * g0;
        r[step] = -sixth * (even + g1);
        r[2 * step] = -sixth * (even - g1);
        r[3 * step] = e24 + twelfth * g1;
        r[4 * step] = e24 - twelfth * g1;
        r[5 * step] = g2;
    }

    /// <summary>Gᵀ·(r0..r5) → g[0], g[step], g[2·step] (the adjoint of <see cref="WeightT1"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WeightT1Adjoint(V r0, V r1, V r2, V r3, V r4, V r5, V* g, int step)
    {
        V sixth = Vector512.Create(1f / 6), twelfth = Vector512.Create(1f / 12), h24 = Vector512.Create(1f / 24);
        var s12 = r1 + r2;
        var s34 = r3 + r4;
        g[0] = Vector512.Create(0.25f) * r0 - sixth * s12 + h24 * s34;
        g[step] = sixth * (r2 - r1) + twelfth * (r3 - r4);
        g[2 * step] = sixth * (s34 - s12) + r5;
    }

    /// <summary>Bᵀ·(d0..d5).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InputT1(V d0, V d1, V d2, V d3, V d4, V d5, out V r0, out V r1, out V r2, out V r3, out V r4, out V r5)
    {
        V four = Vector512.Create(4f), five = Vector512.Create(5f), two = Vector512.Create(2f);
        r0 = four * d0 - five * d2 + d4;
        r1 = d4 + d3 - four * (d1 + d2);
        r2 = d4 - d3 + four * (d1 - d2);
        var e = d4 - d2;
        var o = two * (d3 - d1);
        r3 = e + o;
        r4 = e - o;
        r5 = four * d1 - five * d3 + d5;
    }

    /// <summary>Aᵀ·(m0..m5).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void OutputT1(V m0, V m1, V m2, V m3, V m4, V m5, out V o0, out V o1, out V o2, out V o3)
    {
        var s12 = m1 + m2;
        var d12 = m1 - m2;
        var s34 = m3 + m4;
        var d34 = m3 - m4;
        o0 = m0 + s12 + s34;
        o1 = d12 + Vector512.Create(2f) * d34;
        o2 = s12 + Vector512.Create(4f) * s34;
        o3 = d12 + Vector512.Create(8f) * d34 + m5;
    }

    /// <summary>A·(v0..v3) (the adjoint of <see cref="OutputT1"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void OutputT1Adjoint(V v0, V v1, V v2, V v3, out V m0, out V m1, out V m2, out V m3, out V m4, out V m5)
    {
        var even = v0 + Vector512.Create(4f) * v2;
        var odd = Vector512.Create(2f) * v1 + Vector512.Create(8f) * v3;
        m0 = v0;
        m1 = v0 + v1 + v2 + v3;
        m2 = v0 - v1 + v2 - v3;
        m3 = even + odd;
        m4 = even - odd;
        m5 = v3;
    }

    // ---- lane shuffles ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store6(float* dst, long ld, V r0, V r1, V r2, V r3, V r4, V r5)
    {
        r0.Store(dst);
        r1.Store(dst + ld);
        r2.Store(dst + 2 * ld);
        r3.Store(dst + 3 * ld);
        r4.Store(dst + 4 * ld);
        r5.Store(dst + 5 * ld);
    }

    /// <summary>Lane l = p[l·stride] for l &lt; count, 0 beyond.</summary>
    private static V LoadStrided(float* p, long stride, int count)
    {
        var tmp = stackalloc float[Lanes];
        for (int l = 0; l < Lanes; l++) tmp[l] = l < count ? p[l * stride] : 0f;
        return Vector512.Load(tmp);
    }

    private static readonly Vector512<int> Even4Lo = Vector512.Create(0, 4, 8, 12, 16, 20, 24, 28, 0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>d[k] lane l = q[4l + k] for k = 0..3 (64 floats from q).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Deinterleave4(float* q, V* d)
    {
        V a = Vector512.Load(q), b = Vector512.Load(q + 16), c = Vector512.Load(q + 32), e = Vector512.Load(q + 48);
        for (int k = 0; k < 4; k++)
        {
            var idx = Even4Lo + Vector512.Create(k);
            var lo = Avx512F.PermuteVar16x32x2(a, idx, b);
            var hi = Avx512F.PermuteVar16x32x2(c, idx, e);
            d[k] = Avx512F.InsertVector256(lo, hi.GetLower(), 1);
        }
    }

    private static readonly Vector512<int> Zip2Lo = Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    private static readonly Vector512<int> Zip2Hi = Zip2Lo + Vector512.Create(8);
    private static readonly Vector512<int> Zip4Lo = Vector512.Create(0, 1, 16, 17, 2, 3, 18, 19, 4, 5, 20, 21, 6, 7, 22, 23);
    private static readonly Vector512<int> Zip4Hi = Zip4Lo + Vector512.Create(8);

    /// <summary>dst[4l + c] = v_c lane l (64 floats).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Interleave4(V v0, V v1, V v2, V v3, float* dst)
    {
        if (UseAvx512)
        {
            V lo01 = Avx512F.PermuteVar16x32x2(v0, Zip2Lo, v1), hi01 = Avx512F.PermuteVar16x32x2(v0, Zip2Hi, v1);
            V lo23 = Avx512F.PermuteVar16x32x2(v2, Zip2Lo, v3), hi23 = Avx512F.PermuteVar16x32x2(v2, Zip2Hi, v3);
            Avx512F.PermuteVar16x32x2(lo01, Zip4Lo, lo23).Store(dst);
            Avx512F.PermuteVar16x32x2(lo01, Zip4Hi, lo23).Store(dst + 16);
            Avx512F.PermuteVar16x32x2(hi01, Zip4Lo, hi23).Store(dst + 32);
            Avx512F.PermuteVar16x32x2(hi01, Zip4Hi, hi23).Store(dst + 48);
            return;
        }
        for (int l = 0; l < Lanes; l++)
        {
            dst[4 * l] = v0.GetElement(l);
            dst[4 * l + 1] = v1.GetElement(l);
            dst[4 * l + 2] = v2.GetElement(l);
            dst[4 * l + 3] = v3.GetElement(l);
        }
    }
}

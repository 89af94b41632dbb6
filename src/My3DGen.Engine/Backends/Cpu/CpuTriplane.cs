// The managed CPU implementation of the fused tri-plane decode. Forward: blocks of points per worker gather the
// plane-mean features (SIMD over the 32 contiguous channels of the channel-last planes), then run the decoder as two
// small GEMMs (SimdGemm) with vectorised softplus/sigmoid. Backward: per-point rows from the generic body, weight and
// bias gradients as GEMMs / column sums over the rows, and plane gradients scattered by workers that each own a fixed
// range of plane rows (deterministic; no atomics).
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using My3DGen.Kernels;

namespace My3DGen.Engine.Backends.Cpu;

internal static class CpuTriplane
{
    const int C = TriplaneLayout.Channels, Hd = TriplaneLayout.Hidden, O = TriplaneLayout.Outputs;
    /// <summary>Points per backward chunk (bounds the row buffer to ~59 MB).</summary>
    const int BackwardChunk = 1 << 16;

    static readonly float[] ZeroBias = new float[Hd];

    /// <summary>Points per forward block (features, hidden and outputs of a block stay in L2).</summary>
    const int ForwardBlock = 256;

    public static void Forward(in TriplaneParams p, float[] planes, float[] dec, float[] rays, float[] depths, float[] output)
    {
        var q = p;
        int blocks = (p.Points + ForwardBlock - 1) / ForwardBlock;
        CpuParallel.For(blocks, 1, (b0, b1) =>
        {
            var f = new float[ForwardBlock * C];
            var h = new float[ForwardBlock * Hd];
            for (long blk = b0; blk < b1; blk++)
            {
                int start = (int)blk * ForwardBlock, count = Math.Min(ForwardBlock, q.Points - start);
                for (int i = 0; i < count; i++) GatherFeatures(q, planes, rays, depths, start + i, f.AsSpan(i * C, C));
                // Hidden = softplus(F·W1ᵀ + b1), Out = H·W2ᵀ + b2, written straight into the output rows.
                SimdGemm.GemmBatched(false, true, count, Hd, C, 1f, f, C, 0, dec.AsSpan(TriplaneLayout.W1), C, 0, 0f, h, Hd, 0, 1, parallel: false);
                for (int i = 0; i < count; i++) BiasSoftplus(h.AsSpan(i * Hd, Hd), dec.AsSpan(TriplaneLayout.B1, Hd));
                var o = output.AsSpan(start * O, count * O);
                SimdGemm.GemmBatched(false, true, count, O, Hd, 1f, h, Hd, 0, dec.AsSpan(TriplaneLayout.W2), Hd, 0, 0f, o, O, 0, 1, parallel: false);
                for (int i = 0; i < count; i++) OutputActivation(o.Slice(i * O, O), dec.AsSpan(TriplaneLayout.B2, O));
            }
        });
    }

    /// <summary>f = mean over the three planes of the bilinear features at point <paramref name="q"/> (SIMD over channels).</summary>
    static void GatherFeatures(in TriplaneParams p, float[] planes, float[] rays, float[] depths, int q, Span<float> f)
    {
        f.Clear();
        var acc = MemoryMarshal.Cast<float, Vector<float>>(f);
        int b = TriplaneCore.Position(new ArrayBuffer(rays), new ArrayBuffer(depths), p, q, out float px, out float py, out float pz);
        float qx = p.Scale * px, qy = p.Scale * py, qz = p.Scale * pz;
        for (int plane = 0; plane < 3; plane++)
        {
            TriplaneCore.Project(plane, qx, qy, qz, out float u, out float v);
            if (!TriplaneCore.Locate(u, v, p.Width, p.Height, out int x0, out int y0, out float fx, out float fy)) continue;
            int planeBase = (b * 3 + plane) * p.PlaneSize;
            for (int tap = 0; tap < 4; tap++)
            {
                int texel = TriplaneCore.Tap(tap, x0, y0, fx, fy, p.Width, p.Height, out float wt);
                if (texel < 0) continue;
                var src = MemoryMarshal.Cast<float, Vector<float>>(planes.AsSpan(planeBase + texel * C, C));
                for (int k = 0; k < acc.Length; k++) acc[k] += wt * src[k];
            }
        }
        for (int k = 0; k < acc.Length; k++) acc[k] /= 3f;
    }

    /// <summary>h = softplus(h + b) in place (torch threshold 20).</summary>
    static void BiasSoftplus(Span<float> h, ReadOnlySpan<float> bias)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i + 8 <= h.Length; i += 8)
            {
                var x = Vector256.Create(h.Slice(i, 8)) + Vector256.Create(bias.Slice(i, 8));
                var y = Vector256.Log(Vector256<float>.One + Vector256.Exp(x));
                Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256.Create(20f)), x, y).CopyTo(h.Slice(i, 8));
            }
        for (; i < h.Length; i++) h[i] = TriplaneCore.Softplus(h[i] + bias[i]);
    }

    /// <summary>o[0] = σ + b0 (raw), o[1..32] = sigmoid(o + b)·1.002 − 0.001.</summary>
    static void OutputActivation(Span<float> o, ReadOnlySpan<float> bias)
    {
        o[0] += bias[0];
        int i = 1;
        if (Vector256.IsHardwareAccelerated)
            for (; i + 8 <= o.Length; i += 8)
            {
                var x = Vector256.Create(o.Slice(i, 8)) + Vector256.Create(bias.Slice(i, 8));
                var s = Vector256<float>.One / (Vector256<float>.One + Vector256.Exp(-x));
                (s * (1f + 2f * 0.001f) - Vector256.Create(0.001f)).CopyTo(o.Slice(i, 8));
            }
        for (; i < o.Length; i++) o[i] = TriplaneCore.Rgb(o[i] + bias[i]);
    }

    public static void Backward(in TriplaneParams p, float[] planes, float[] dec, float[] rays, float[] depths, float[] gOut,
        float[] gPlanes, float[] gDec)
    {
        Array.Clear(gPlanes, 0, p.Batch * 3 * p.PlaneSize);
        Array.Clear(gDec, 0, TriplaneLayout.DecoderSize);
        int chunk = Math.Min(BackwardChunk, Math.Max(1, p.Points));
        var rows = GC.AllocateUninitializedArray<float>(chunk * TriplaneLayout.RowSize);
        for (int start = 0; start < p.Points; start += chunk)
        {
            var q = p;
            q.ChunkStart = start;
            q.ChunkCount = Math.Min(chunk, p.Points - start);
            int blocks = (q.ChunkCount + ForwardBlock - 1) / ForwardBlock;
            CpuParallel.For(blocks, 1, (b0, b1) =>
            {
                var a = new float[ForwardBlock * Hd];
                var o = new float[ForwardBlock * O];
                for (long blk = b0; blk < b1; blk++)
                {
                    int first = (int)blk * ForwardBlock;
                    BackwardRows(q, planes, dec, rays, depths, gOut, rows, first, Math.Min(ForwardBlock, q.ChunkCount - first), a, o);
                }
            });
            DecoderGradients(rows, q.ChunkCount, gDec);
            ScatterPlanes(q, rays, depths, rows, gPlanes);
        }
    }

    /// <summary>Rows (see <see cref="TriplaneLayout"/>) of chunk points first..first+count: the forward is recomputed and the
    /// backward through both layers runs as GEMMs (GH = GO·W2, GF = GA·W1/3).</summary>
    static void BackwardRows(in TriplaneParams p, float[] planes, float[] dec, float[] rays, float[] depths, float[] gOut, float[] rows,
        int first, int count, float[] a, float[] o)
    {
        const int R = TriplaneLayout.RowSize;
        int r0 = first * R;
        for (int i = 0; i < count; i++) GatherFeatures(p, planes, rays, depths, p.ChunkStart + first + i, rows.AsSpan(r0 + i * R + TriplaneLayout.RowF, C));
        SimdGemm.GemmBatched(false, true, count, Hd, C, 1f, rows.AsSpan(r0 + TriplaneLayout.RowF), R, 0, dec.AsSpan(TriplaneLayout.W1), C, 0,
            0f, a, Hd, 0, 1, parallel: false);
        var b1 = dec.AsSpan(TriplaneLayout.B1, Hd);
        for (int i = 0; i < count; i++)
        {
            var ai = a.AsSpan(i * Hd, Hd);
            for (int j = 0; j < Hd; j++) ai[j] += b1[j];
            var h = rows.AsSpan(r0 + i * R + TriplaneLayout.RowH, Hd);
            ai.CopyTo(h);
            BiasSoftplus(h, ZeroBias);
        }
        SimdGemm.GemmBatched(false, true, count, O, Hd, 1f, rows.AsSpan(r0 + TriplaneLayout.RowH), R, 0, dec.AsSpan(TriplaneLayout.W2), Hd, 0,
            0f, o, O, 0, 1, parallel: false);
        for (int i = 0; i < count; i++)
        {
            int q = p.ChunkStart + first + i;
            var go = rows.AsSpan(r0 + i * R + TriplaneLayout.RowGo, O);
            go[0] = gOut[q * O];
            for (int k = 1; k < O; k++)
            {
                float sg = TriplaneCore.Sigmoid(o[i * O + k] + dec[TriplaneLayout.B2 + k]);
                go[k] = gOut[q * O + k] * (1f + 2f * 0.001f) * sg * (1f - sg);
            }
        }
        // GA = (GO·W2) ⊙ softplus'(A), written into the rows; GF = GA·W1 / 3.
        SimdGemm.GemmBatched(false, false, count, Hd, O, 1f, rows.AsSpan(r0 + TriplaneLayout.RowGo), R, 0, dec.AsSpan(TriplaneLayout.W2), Hd, 0,
            0f, rows.AsSpan(r0 + TriplaneLayout.RowGa), R, 0, 1, parallel: false);
        for (int i = 0; i < count; i++)
        {
            var ga = rows.AsSpan(r0 + i * R + TriplaneLayout.RowGa, Hd);
            for (int j = 0; j < Hd; j++) ga[j] *= TriplaneCore.SoftplusGrad(a[i * Hd + j]);
        }
        SimdGemm.GemmBatched(false, false, count, C, Hd, 1f / 3f, rows.AsSpan(r0 + TriplaneLayout.RowGa), R, 0, dec.AsSpan(TriplaneLayout.W1), C, 0,
            0f, rows.AsSpan(r0 + TriplaneLayout.RowGf), R, 0, 1, parallel: false);
    }

    /// <summary>gW2 += GOᵀ·H, gb2 += Σ GO, gW1 += GAᵀ·F, gb1 += Σ GA over the chunk's rows.</summary>
    static void DecoderGradients(float[] rows, int count, float[] gDec)
    {
        const int R = TriplaneLayout.RowSize;
        SimdGemm.Gemm(true, false, O, Hd, count, 1f, rows.AsSpan(TriplaneLayout.RowGo), R, rows.AsSpan(TriplaneLayout.RowH), R,
            1f, gDec.AsSpan(TriplaneLayout.W2), Hd);
        SimdGemm.Gemm(true, false, Hd, C, count, 1f, rows.AsSpan(TriplaneLayout.RowGa), R, rows.AsSpan(TriplaneLayout.RowF), R,
            1f, gDec.AsSpan(TriplaneLayout.W1), C);
        ColumnSums(rows, count, TriplaneLayout.RowGo, O, gDec, TriplaneLayout.B2);
        ColumnSums(rows, count, TriplaneLayout.RowGa, Hd, gDec, TriplaneLayout.B1);
    }

    /// <summary>dst[at + k] += Σ_i rows[i·R + col + k] for k &lt; width (double accumulation, fixed order).</summary>
    static void ColumnSums(float[] rows, int count, int col, int width, float[] dst, int at)
    {
        var acc = new double[width];
        for (int i = 0; i < count; i++)
        {
            var row = rows.AsSpan(i * TriplaneLayout.RowSize + col, width);
            for (int k = 0; k < width; k++) acc[k] += row[k];
        }
        for (int k = 0; k < width; k++) dst[at + k] += (float)acc[k];
    }

    /// <summary>gPlanes[texel] += tap weight · gf for every tap; worker w applies only taps whose plane row (b, plane, y)
    /// lies in its fixed range, visiting points in order, so the sum order is fixed.</summary>
    static void ScatterPlanes(TriplaneParams p, float[] rays, float[] depths, float[] rows, float[] gPlanes)
    {
        int units = p.Batch * 3 * p.Height;
        int workers = Math.Max(1, Math.Min(Environment.ProcessorCount, units));
        Parallel.For(0, workers, wkr =>
        {
            int lo = (int)((long)units * wkr / workers), hi = (int)((long)units * (wkr + 1) / workers);
            var ry = new ArrayBuffer(rays); var dp = new ArrayBuffer(depths);
            for (int i = 0; i < p.ChunkCount; i++)
            {
                int b = TriplaneCore.Position(ry, dp, p, p.ChunkStart + i, out float px, out float py, out float pz);
                float qx = p.Scale * px, qy = p.Scale * py, qz = p.Scale * pz;
                var gf = rows.AsSpan(i * TriplaneLayout.RowSize + TriplaneLayout.RowGf, C);
                for (int plane = 0; plane < 3; plane++)
                {
                    int unitBase = (b * 3 + plane) * p.Height;
                    if (unitBase + p.Height <= lo || unitBase >= hi) continue;
                    TriplaneCore.Project(plane, qx, qy, qz, out float u, out float v);
                    if (!TriplaneCore.Locate(u, v, p.Width, p.Height, out int x0, out int y0, out float fx, out float fy)) continue;
                    for (int tap = 0; tap < 4; tap++)
                    {
                        int y = y0 + (tap >> 1);
                        if (unitBase + y < lo || unitBase + y >= hi) continue;
                        int texel = TriplaneCore.Tap(tap, x0, y0, fx, fy, p.Width, p.Height, out float wt);
                        if (texel < 0) continue;
                        var dst = gPlanes.AsSpan(((b * 3 + plane) * p.Height * p.Width + texel) * C, C);
                        for (int c = 0; c < C; c++) dst[c] += wt * gf[c];
                    }
                }
            }
        });
    }
}

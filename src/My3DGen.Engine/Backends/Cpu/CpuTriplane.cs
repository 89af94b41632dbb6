// The managed CPU implementation of the fused tri-plane decode. Forward: blocks of points per worker gather the
// plane-mean features (SIMD over the 32 contiguous channels of the channel-last planes), then run the decoder as two
// small GEMMs (SimdGemm) with vectorised softplus/sigmoid. Backward: per-point rows from the generic body, weight and
// bias gradients as GEMMs / column sums over the rows, and plane gradients scattered by workers that each own a fixed
// range of plane rows (deterministic; no atomics).
using System.Runtime.InteropServices;
using My3DGen.Kernels;

namespace My3DGen.Engine.Backends.Cpu;

internal static class CpuTriplane
{
    const int C = TriplaneLayout.Channels, Hd = TriplaneLayout.Hidden, O = TriplaneLayout.Outputs;
    /// <summary>Points per backward chunk (bounds the row buffer to ~59 MB).</summary>
    const int BackwardChunk = 1 << 16;

    public static void Forward(in TriplaneParams p, float[] planes, float[] dec, float[] rays, float[] depths, float[] output)
    {
        var q = p;
        CpuParallel.For(p.Points, 256, (s, e) =>
        {
            var scratch = new ArrayBuffer(new float[TriplaneLayout.ForwardScratch]);
            var pl = new ArrayBuffer(planes); var dc = new ArrayBuffer(dec); var ry = new ArrayBuffer(rays);
            var dp = new ArrayBuffer(depths); var o = new ArrayBuffer(output);
            for (long i = s; i < e; i++) TriplaneCore.Forward(pl, dc, ry, dp, o, scratch, 0, q, (int)i);
        });
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
            CpuParallel.For(q.ChunkCount, 256, (s, e) =>
            {
                var pl = new ArrayBuffer(planes); var dc = new ArrayBuffer(dec); var ry = new ArrayBuffer(rays);
                var dp = new ArrayBuffer(depths); var g = new ArrayBuffer(gOut); var rw = new ArrayBuffer(rows);
                for (long i = s; i < e; i++) TriplaneCore.Backward(pl, dc, ry, dp, g, rw, (int)i * TriplaneLayout.RowSize, q, q.ChunkStart + (int)i);
            });
            DecoderGradients(rows, q.ChunkCount, gDec);
            ScatterPlanes(q, rays, depths, rows, gPlanes);
        }
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

// The managed CPU implementation of the fused tri-plane decode. The walk over a point's planes and bilinear taps is
// TriplaneCore.Taps (the kernels' own), with SIMD visitors over the 32 contiguous channels of the channel-last planes.
// Forward: blocks of 8 neighbouring rays, visited in 8×8-pixel tiles so that neighbouring rays reuse the same texels
// while they are in cache, gather the plane-mean features, then run the decoder as two small GEMMs (SimdGemm) with
// vectorised softplus/sigmoid. Backward: per-point rows, weight and bias gradients as GEMMs / column sums over the rows,
// and plane gradients scattered by workers that each own a fixed range of plane rows (deterministic; no atomics).
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using My3DGen.Kernels;

namespace My3DGen.Engine.Backends.Cpu;

internal static class CpuTriplane
{
    const int C = TriplaneLayout.Channels, Hd = TriplaneLayout.Hidden, O = TriplaneLayout.Outputs;
    /// <summary>Points per backward chunk (bounds the row buffer to ~59 MB).</summary>
    const int BackwardChunk = 1 << 16;
    /// <summary>Points per backward block (a block's rows stay in L2).</summary>
    const int BackwardBlock = 256;

    static readonly float[] ZeroBias = new float[Hd];

    /// <summary>Rays per block (one row of an 8×8-pixel tile); a block's points are contiguous.</summary>
    const int BlockRays = 8;

    /// <summary>Number of ray blocks of <paramref name="p"/>.</summary>
    static int BlockCount(in TriplaneParams p) => (p.Batch * p.RaysPerBatch + BlockRays - 1) / BlockRays;

    /// <summary>First ray of block <paramref name="block"/>: when each batch item's rays are the row-major pixels of a square image
    /// whose side is a multiple of 8, blocks go tile by tile (8 rows of 8 pixels), else in ray order.</summary>
    static int BlockFirstRay(in TriplaneParams p, int side, int block)
    {
        if (side == 0) return block * BlockRays;
        int perItem = p.RaysPerBatch / BlockRays, b = block / perItem, k = block - b * perItem;
        int tilesPerRow = side / BlockRays, tile = k / BlockRays, row = k - tile * BlockRays;
        int ti = tile / tilesPerRow, tj = tile - ti * tilesPerRow;
        return b * p.RaysPerBatch + (ti * BlockRays + row) * side + tj * BlockRays;
    }

    /// <summary>The image side when the rays of a batch item form a square image with a side divisible by 8, else 0.</summary>
    static int TileSide(in TriplaneParams p)
    {
        int side = (int)Math.Round(Math.Sqrt(p.RaysPerBatch));
        return side * side == p.RaysPerBatch && side % BlockRays == 0 ? side : 0;
    }

    /// <summary>Points [start, start + count) of block <paramref name="block"/>.</summary>
    static (int Start, int Count) BlockPoints(in TriplaneParams p, int side, int block)
    {
        int r0 = BlockFirstRay(p, side, block), rays = Math.Min(BlockRays, p.Batch * p.RaysPerBatch - r0);
        return (r0 * p.Samples, rays * p.Samples);
    }

    public static unsafe void Forward(in TriplaneParams p, float[] planes, float[] dec, float[] rays, float[] depths, float[] output)
    {
        var q = p;
        int side = TileSide(p), maxPoints = BlockRays * p.Samples;
        CpuParallel.For(BlockCount(p), 1, (b0, b1) =>
        {
            var f = GC.AllocateUninitializedArray<float>(maxPoints * C);
            var h = GC.AllocateUninitializedArray<float>(maxPoints * Hd);
            for (long blk = b0; blk < b1; blk++)
            {
                var (start, count) = BlockPoints(q, side, (int)blk);
                GatherFeatures(q, planes, rays, depths, start, count, f, 0, C);
                // Hidden = softplus(F·W1ᵀ + b1), Out = H·W2ᵀ + b2, written straight into the output rows.
                SimdGemm.GemmBatched(false, true, count, Hd, C, 1f, f, C, 0, dec.AsSpan(TriplaneLayout.W1), C, 0, 0f, h, Hd, 0, 1, parallel: false);
                for (int i = 0; i < count; i++) BiasSoftplus(h.AsSpan(i * Hd, Hd), dec.AsSpan(TriplaneLayout.B1, Hd));
                // Colours: a 32-wide GEMM into columns 1..32 of the output rows; σ (column 0) as one dot product per point.
                var o = output.AsSpan(start * O, count * O);
                SimdGemm.GemmBatched(false, true, count, C, Hd, 1f, h, Hd, 0, dec.AsSpan(TriplaneLayout.W2 + Hd), Hd, 0, 0f, o[1..], O, 0, 1, parallel: false);
                for (int i = 0; i < count; i++)
                {
                    o[i * O] = Sigma(h.AsSpan(i * Hd, Hd), dec);
                    RgbActivation(o.Slice(i * O, O), dec.AsSpan(TriplaneLayout.B2, O));
                }
            }
        });
    }

    /// <summary>dst[at + i·stride ..+32) = mean over the three planes of the bilinear features of point first + i, i &lt; count
    /// (TriplaneCore.Taps with a SIMD visitor).</summary>
    static unsafe void GatherFeatures(in TriplaneParams p, float[] planes, float[] rays, float[] depths, int first, int count, float[] dst, int at, int stride)
    {
        var ry = new ArrayBuffer(rays); var dp = new ArrayBuffer(depths);
        fixed (float* pl = planes, d = dst)
        {
            for (int i = 0; i < count; i++)
            {
                float* acc = d + at + (long)i * stride;
                new Span<float>(acc, C).Clear();
                TriplaneCore.Taps(ry, dp, p, first + i, new SimdGatherTaps(pl, acc));
                Scale(acc, 1f / 3f);
            }
        }
    }

    /// <summary>acc[0..32) *= s.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static unsafe void Scale(float* acc, float s)
    {
        var w = Vector512.Create(s);
        Vector512.Store(Vector512.Load(acc) * w, acc);
        Vector512.Store(Vector512.Load(acc + 16) * w, acc + 16);
    }

    /// <summary>acc[0..32) += weight · planes[at ..+32) for every tap.</summary>
    unsafe readonly struct SimdGatherTaps(float* planes, float* acc) : ITapVisitor
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Visit(int planeIndex, int row, int at, float weight) => Axpy(planes + at, acc, weight);
    }

    /// <summary>dst[0..32) += w · src[0..32) (Vector512 runs as two AVX2 halves on machines without AVX-512).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static unsafe void Axpy(float* src, float* dst, float w)
    {
        var v = Vector512.Create(w);
        Vector512.Store(Vector512.FusedMultiplyAdd(v, Vector512.Load(src), Vector512.Load(dst)), dst);
        Vector512.Store(Vector512.FusedMultiplyAdd(v, Vector512.Load(src + 16), Vector512.Load(dst + 16)), dst + 16);
    }

    /// <summary>h = softplus(h + b) in place (torch threshold 20), 16 lanes at a time (two AVX2 halves without AVX-512).</summary>
    static void BiasSoftplus(Span<float> h, ReadOnlySpan<float> bias)
    {
        int i = 0;
        for (; i + 16 <= h.Length; i += 16)
        {
            var x = Vector512.Create(h.Slice(i, 16)) + Vector512.Create(bias.Slice(i, 16));
            var y = Vector512.Log(Vector512<float>.One + Vector512.Exp(x));
            Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create(20f)), x, y).CopyTo(h.Slice(i, 16));
        }
        for (; i < h.Length; i++) h[i] = TriplaneCore.Softplus(h[i] + bias[i]);
    }

    /// <summary>o[1..32] = sigmoid(o + b)·1.002 − 0.001 (the colour features; o[0] = σ is set by <see cref="Sigma"/>).</summary>
    static void RgbActivation(Span<float> o, ReadOnlySpan<float> bias)
    {
        for (int i = 1; i + 16 <= o.Length; i += 16)
        {
            var x = Vector512.Create(o.Slice(i, 16)) + Vector512.Create(bias.Slice(i, 16));
            var s = Vector512<float>.One / (Vector512<float>.One + Vector512.Exp(-x));
            (s * (1f + 2f * 0.001f) - Vector512.Create(0.001f)).CopyTo(o.Slice(i, 16));
        }
    }

    /// <summary>Raw density b2[0] + W2[0,:]·h of one point (the decoder's first output, outside the 32-wide colour GEMM).</summary>
    static float Sigma(ReadOnlySpan<float> h, ReadOnlySpan<float> dec)
    {
        var w = dec.Slice(TriplaneLayout.W2, Hd);
        var acc = Vector512<float>.Zero;
        for (int j = 0; j < Hd; j += 16) acc = Vector512.FusedMultiplyAdd(Vector512.Create(h.Slice(j, 16)), Vector512.Create(w.Slice(j, 16)), acc);
        return dec[TriplaneLayout.B2] + Vector512.Sum(acc);
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
            int blocks = (q.ChunkCount + BackwardBlock - 1) / BackwardBlock;
            CpuParallel.For(blocks, 1, (b0, b1) =>
            {
                var a = GC.AllocateUninitializedArray<float>(BackwardBlock * Hd);
                var o = GC.AllocateUninitializedArray<float>(BackwardBlock * O);
                for (long blk = b0; blk < b1; blk++)
                {
                    int first = (int)blk * BackwardBlock;
                    BackwardRows(q, planes, dec, rays, depths, gOut, rows, first, Math.Min(BackwardBlock, q.ChunkCount - first), a, o);
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
        GatherFeatures(p, planes, rays, depths, p.ChunkStart + first, count, rows, r0 + TriplaneLayout.RowF, R);
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

    /// <summary>gPlanes[texel] += tap weight · gf for every tap (TriplaneCore.Taps); worker w applies only taps whose plane row
    /// (b, plane, y) lies in its fixed range, visiting points in order, so the sum order is fixed.</summary>
    static unsafe void ScatterPlanes(TriplaneParams p, float[] rays, float[] depths, float[] rows, float[] gPlanes)
    {
        int units = p.Batch * 3 * p.Height;
        int workers = Math.Max(1, Math.Min(Environment.ProcessorCount, units));
        Parallel.For(0, workers, wkr =>
        {
            int lo = (int)((long)units * wkr / workers), hi = (int)((long)units * (wkr + 1) / workers);
            var ry = new ArrayBuffer(rays); var dp = new ArrayBuffer(depths);
            fixed (float* g = gPlanes, r = rows)
            {
                for (int i = 0; i < p.ChunkCount; i++)
                    TriplaneCore.Taps(ry, dp, p, p.ChunkStart + i,
                        new RangeScatterTaps(g, r + (long)i * TriplaneLayout.RowSize + TriplaneLayout.RowGf, lo, hi, p.Height));
            }
        });
    }

    /// <summary>gPlanes[at ..+32) += weight · gf for the taps whose plane row (planeIndex·H + row) lies in [lo, hi).</summary>
    unsafe readonly struct RangeScatterTaps(float* gPlanes, float* gf, int lo, int hi, int height) : ITapVisitor
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Visit(int planeIndex, int row, int at, float weight)
        {
            int unit = planeIndex * height + row;
            if (unit >= lo && unit < hi) Axpy(gf, gPlanes + at, weight);
        }
    }
}

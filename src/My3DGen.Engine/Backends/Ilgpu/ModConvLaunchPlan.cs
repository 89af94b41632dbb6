// The launches of each modulated-conv primitive, planned once for the ILGPU backend (runs them) and the counting backend
// (counts them): passes cut so grid Y (row tiles) and Z (samples × classes × chunks) stay ≤ 65,535 and rebased, the
// split-K chunking of the factor gradient, FLOPs and int32 index ranges; per-sample int32 spans are checked here.
using ILGPU;
using My3DGen.Kernels;

namespace My3DGen.Engine.Backends.Ilgpu;

/// <summary>The kernel a <see cref="ModConvLaunch"/> runs.</summary>
internal enum ModConvStep
{
    /// <summary>Forward implicit GEMM with A[index[n]] rows: the LoRA hidden u (tiled).</summary>
    Hidden,
    /// <summary>Forward implicit GEMM with W rows, the low-rank term and the optional fused epilogue (tiled).</summary>
    Forward,
    /// <summary>Standalone epilogue (grid-stride).</summary>
    Epilogue,
    /// <summary>Epilogue backward (one group per row).</summary>
    EpilogueBackward,
    /// <summary>gu = LoraScale·B[idx]ᵀ·graw (grid-stride).</summary>
    HiddenGradient,
    /// <summary>Input gradient implicit GEMM (tiled).</summary>
    BackwardData,
    /// <summary>Factor-gradient implicit GEMM into split-K partials (tiled).</summary>
    WeightGrad,
    /// <summary>Per-sample LoRA B gradient rows (one group per row).</summary>
    LoraBGrad,
    /// <summary>Ordered sum of the W-gradient partials into gWeight (grid-stride).</summary>
    SumWeight,
    /// <summary>Ordered sum of the A-gradient partials into each adapter's slot of gA (grid-stride).</summary>
    SumLoraA,
    /// <summary>Ordered sum of the B-gradient rows into each adapter's slot of gB (grid-stride).</summary>
    SumLoraB,
}

/// <summary>One kernel launch: tiled steps use <see cref="Grid"/> with 16×16 groups; grid-stride steps cover
/// <see cref="Items"/> elements; per-row steps <see cref="Items"/> rows.</summary>
internal readonly record struct ModConvLaunch(ModConvStep Step, Index3D Grid, long Items, ModConvPass Pass, ModConvSplitSum Sum,
    long IndexRange, double Flops)
{
    /// <summary>Whether the step is one of the 16×16-group implicit GEMMs.</summary>
    public bool Tiled => Step is ModConvStep.Hidden or ModConvStep.Forward or ModConvStep.BackwardData or ModConvStep.WeightGrad;
    /// <summary>Whether the step runs one group per row.</summary>
    public bool PerRow => Step is ModConvStep.EpilogueBackward or ModConvStep.LoraBGrad;
}

/// <summary>Plans the launches of the modulated-conv primitives (see the file header).</summary>
internal static class ModConvLaunchPlan
{
    const int Tile = ModConvCore.Tile;
    /// <summary>FLOPs per epilogue value (scale, noise, bias, activation, gain, clamp).</summary>
    const double EpilogueFlops = 6;
    /// <summary>Smallest pixel chunk of the split-K factor gradient.</summary>
    const int MinChunkPixels = 256;
    /// <summary>Most floats of factor-gradient partials (128 MB) the split may add.</summary>
    const long MaxPartialFloats = 1L << 25;

    /// <summary>Throws NotSupportedException when a per-sample span the kernels index in int32 is too large.</summary>
    public static long CheckSpans(in ModConvGeometry g)
    {
        long range = Math.Max(Math.Max((long)g.I * g.H * g.W, (long)Math.Max(g.O, g.Rank) * g.OH * g.OW), Math.Max(g.WeightLength, (long)g.N * g.I));
        if (range > DeviceLimits.MaxLinearCount)
            throw new NotSupportedException($"modulated conv {g.N}×{g.I}×{g.H}×{g.W}→{g.O}: a per-sample span of {range:N0} elements exceeds int32");
        return range;
    }

    /// <summary>The forward: the hidden pass (Rank > 0), then the main pass writing raw and/or y.</summary>
    public static List<ModConvLaunch> Forward(in ModConvGeometry g, bool writeRaw, ModConvEpilogueParams? epilogue, int maxGridYZ)
    {
        long range = CheckSpans(g);
        var launches = new List<ModConvLaunch>();
        var p = ModConvPass.Of(g);
        if (g.Rank > 0)
        {
            var h = p;
            h.Rows = g.Rank; h.Flags = ModConvPass.PerSampleWeight | ModConvPass.WriteOut;
            AddConv(launches, ModConvStep.Hidden, h, g.N, range, 0, maxGridYZ);
        }
        var f = p;
        f.Rows = g.O;
        f.Flags = (g.Rank > 0 ? ModConvPass.LoraTerm : 0) | (writeRaw ? ModConvPass.WriteOut : 0) | (epilogue != null ? ModConvPass.WriteY : 0);
        if (epilogue is { } e) f.Epilogue = e;
        AddConv(launches, ModConvStep.Forward, f, g.N, range, (g.Rank > 0 ? 2.0 * g.Rank : 0) + (epilogue != null ? EpilogueFlops : 0), maxGridYZ);
        return launches;
    }

    /// <summary>The standalone epilogue over N·O·EH·EW values.</summary>
    public static ModConvLaunch Epilogue(in ModConvGeometry g) =>
        new(ModConvStep.Epilogue, default, g.OutputLength, default, default, g.OutputLength, EpilogueFlops * g.OutputLength);

    /// <summary>The epilogue backward: one group per (n, o) row.</summary>
    public static ModConvLaunch EpilogueBackward(in ModConvGeometry g) =>
        new(ModConvStep.EpilogueBackward, default, (long)g.N * g.O, default, default, g.OutputLength, 14.0 * g.OutputLength);

    /// <summary>The input gradient: gu (Rank > 0), then one implicit GEMM over [W; A[idx]].</summary>
    public static List<ModConvLaunch> BackwardData(in ModConvGeometry g, int maxGridYZ)
    {
        long range = CheckSpans(g);
        var launches = new List<ModConvLaunch>();
        var p = ModConvPass.Of(g);
        if (g.Rank > 0) launches.Add(HiddenGradient(g, p));
        p.Rows = g.I;
        long hw = (long)g.H * g.W;
        double perSample = 2.0 * hw * (g.O + g.Rank) * g.Taps;
        foreach (var (rt0, rts, z0, zs) in Cut(RowTiles(g.I), g.N, maxGridYZ))
        {
            var l = p;
            l.RowTile0 = rt0; l.Z0 = z0;
            launches.Add(new(ModConvStep.BackwardData, new Index3D(ColTiles(hw), rts, zs), 0, l, default, range,
                perSample * RowsIn(g.I, rt0, rts) * zs));
        }
        return launches;
    }

    /// <summary>The factor gradients that are wanted: gu (for gA), the split-K implicit GEMM over [graw; gu] rows into
    /// partials of <paramref name="partialLength"/> floats with the ordered sums into gWeight / gA, and the per-sample
    /// gB rows (N·O·Q floats) with their ordered sum. <paramref name="targetGroups"/> (0 = no split) or
    /// <paramref name="forcedChunks"/> choose the chunks.</summary>
    public static List<ModConvLaunch> BackwardWeights(in ModConvGeometry g, bool wantW, bool wantA, bool wantB, int targetGroups,
        int forcedChunks, int maxGridYZ, out long partialLength)
    {
        long range = CheckSpans(g);
        var launches = new List<ModConvLaunch>();
        var p = ModConvPass.Of(g);
        wantA &= g.Rank > 0; wantB &= g.Rank > 0;
        partialLength = 0;
        if (wantA) launches.Add(HiddenGradient(g, p));
        int rows = (wantW ? g.O : 0) + (wantA ? g.Rank : 0);
        int it = g.I * g.Taps;
        if (rows > 0)
        {
            var w = p;
            w.Rows = rows; w.RowBegin = wantW ? 0 : g.O;
            var classes = Enumerable.Range(0, w.Classes).Select(c => ModConvTapClass.Of(w, c)).ToArray();
            int maxPixels = classes.Max(c => c.Pixels), colTiles = ColTiles((long)g.I * classes.Max(c => c.Taps));
            int chunks = ChooseChunks(colTiles * RowTiles(rows) * w.Classes * g.N, maxPixels, (long)g.N * rows * it, targetGroups, forcedChunks);
            w.ChunkPixels = (maxPixels + chunks - 1) / chunks;
            w.Chunks = chunks = (maxPixels + w.ChunkPixels - 1) / w.ChunkPixels;
            partialLength = (long)g.N * chunks * rows * it;
            int zCount = checked(g.N * chunks * w.Classes);
            foreach (var (rt0, rts, z0, zs) in Cut(RowTiles(rows), zCount, maxGridYZ))
            {
                var l = w;
                l.RowTile0 = rt0; l.Z0 = z0;
                double macs = 0;
                for (int z = z0; z < z0 + zs; z++)
                {
                    var c = classes[z % w.Classes];
                    int chunk = z / w.Classes % chunks;
                    macs += (double)Math.Clamp(c.Pixels - chunk * w.ChunkPixels, 0, w.ChunkPixels) * g.I * c.Taps;
                }
                launches.Add(new(ModConvStep.WeightGrad, new Index3D(colTiles, rts, zs), 0, l, default, range, 2 * macs * RowsIn(rows, rt0, rts)));
            }
            if (wantW) launches.Add(Sum(ModConvStep.SumWeight, g, g.WeightLength, 1, chunks, (long)rows * it, 0));
            if (wantA) launches.Add(Sum(ModConvStep.SumLoraA, g, (long)g.Rank * it, g.Adapters, chunks, (long)rows * it, wantW ? (long)g.O * it : 0));
        }
        if (wantB)
        {
            long bRows = (long)g.N * g.O * g.Rank;
            launches.Add(new(ModConvStep.LoraBGrad, default, bRows, p, default, Math.Max(bRows, (long)g.Rank * g.OH * g.OW), 2.0 * bRows * g.OH * g.OW));
            launches.Add(Sum(ModConvStep.SumLoraB, g, (long)g.O * g.Rank, g.Adapters, 1, (long)g.O * g.Rank, 0));
        }
        return launches;
    }

    /// <summary>The grid (x, y, z) of one per-row launch on a GPU: one group per row up to 65,535 rows (grid-stride beyond).</summary>
    public static int RowGrid(long rows, int cap) => (int)Math.Clamp(rows, 1, cap);

    static ModConvLaunch HiddenGradient(in ModConvGeometry g, ModConvPass p) =>
        new(ModConvStep.HiddenGradient, default, g.HiddenLength, p, default, g.HiddenLength, 2.0 * g.O * g.HiddenLength);

    static ModConvLaunch Sum(ModConvStep step, in ModConvGeometry g, long count, int slots, int chunks, long stride, long offset)
    {
        var s = new ModConvSplitSum
        {
            Count = checked((int)count), Slots = slots, Shared = step == ModConvStep.SumWeight ? 1 : 0, Samples = g.N, Chunks = chunks,
            Stride = stride, Offset = offset,
        };
        long items = slots * count;
        return new(step, default, items, default, s, items, (double)g.N * chunks * count);
    }

    /// <summary>One forward-shaped pass: grid (pixel tiles of the largest class, row tiles, samples × classes), cut at the limit.</summary>
    static void AddConv(List<ModConvLaunch> launches, ModConvStep step, ModConvPass p, int samples, long range, double perOutput, int maxGridYZ)
    {
        var classes = Enumerable.Range(0, p.Classes).Select(c => ModConvTapClass.Of(p, c)).ToArray();
        int colTiles = ColTiles(classes.Max(c => (long)c.Pixels));
        foreach (var (rt0, rts, z0, zs) in Cut(RowTiles(p.Rows), checked(samples * p.Classes), maxGridYZ))
        {
            var l = p;
            l.RowTile0 = rt0; l.Z0 = z0;
            double flops = 0;
            for (int z = z0; z < z0 + zs; z++)
            {
                var c = classes[z % p.Classes];
                flops += (double)c.Pixels * (2.0 * p.I * c.Taps + perOutput);
            }
            launches.Add(new(step, new Index3D(colTiles, rts, zs), 0, l, default, range, flops * RowsIn(p.Rows, rt0, rts)));
        }
    }

    /// <summary>Chunks of the factor gradient's pixel reduction: enough groups for <paramref name="targetGroups"/>, chunks of at
    /// least <see cref="MinChunkPixels"/> pixels, partials within <see cref="MaxPartialFloats"/>.</summary>
    static int ChooseChunks(long groupsPerChunk, int maxPixels, long partialPerChunk, int targetGroups, int forced)
    {
        if (forced > 0) return Math.Clamp(forced, 1, Math.Max(1, maxPixels));
        if (targetGroups <= 0 || groupsPerChunk >= targetGroups) return 1;
        long chunks = (targetGroups + groupsPerChunk - 1) / groupsPerChunk;
        chunks = Math.Min(chunks, Math.Max(1, maxPixels / MinChunkPixels));
        chunks = Math.Min(chunks, Math.Max(1, MaxPartialFloats / Math.Max(1, partialPerChunk)));
        return (int)Math.Max(1, chunks);
    }

    /// <summary>Launch cuts: row tiles and z in pieces of at most <paramref name="maxGridYZ"/>.</summary>
    static IEnumerable<(int RowTile0, int RowTiles, int Z0, int Zs)> Cut(int rowTiles, int zCount, int maxGridYZ)
    {
        for (int r0 = 0; r0 < rowTiles; r0 += maxGridYZ)
            for (int z0 = 0; z0 < zCount; z0 += maxGridYZ)
                yield return (r0, Math.Min(maxGridYZ, rowTiles - r0), z0, Math.Min(maxGridYZ, zCount - z0));
    }

    static int RowTiles(int rows) => (rows + Tile - 1) / Tile;

    static int ColTiles(long cols)
    {
        long tiles = (cols + Tile - 1) / Tile;
        if (tiles > DeviceLimits.MaxGridX) throw new NotSupportedException($"modulated conv: {cols:N0} columns exceed grid X");
        return (int)tiles;
    }

    /// <summary>Rows covered by row tiles [rt0, rt0 + rts) of a GEMM with <paramref name="rows"/> rows.</summary>
    static long RowsIn(int rows, int rt0, int rts) => Math.Min(rows, (long)(rt0 + rts) * Tile) - (long)rt0 * Tile;
}

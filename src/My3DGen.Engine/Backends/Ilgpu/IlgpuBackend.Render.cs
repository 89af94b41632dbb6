// IlgpuBackend volume-render primitives: every step is a kernel queued on the default stream (no uploads, downloads
// or waits): rays, depths, the fused tri-plane decode and its backward (rows → GEMMs for the decoder, 64-bit fixed-point
// scatter for the planes), the global depth range and the march. Kernels are compiled on first use.
using ILGPU;
using ILGPU.Runtime;
using My3DGen.Kernels;
using AV = ILGPU.ArrayView<float>;

namespace My3DGen.Engine.Backends.Ilgpu;

public sealed partial class IlgpuBackend
{
    /// <summary>Points per backward chunk of the tri-plane decode (row buffer ≈ 59 MB).</summary>
    const int TriplaneBackwardChunk = 1 << 16;

    RenderKernels? _render;
    RenderKernels Render => _render ??= new RenderKernels(_accelerator);

    /// <inheritdoc/>
    public void GenerateRays(Storage labels, int batch, int resolution, Storage rays)
    {
        long n = (long)batch * resolution * resolution;
        var l = Own(labels, nameof(labels)); var r = Own(rays, nameof(rays));
        Need(l, 0, batch * 25L, nameof(labels)); Need(r, 0, n * 6, nameof(rays));
        if (n == 0) return;
        Render.Rays(_kernels.Linear(n), l.View, r.View, batch, resolution);
    }

    /// <inheritdoc/>
    public void CoarseDepths(in DepthSamplingParams p, Storage depths)
    {
        var d = Own(depths, nameof(depths));
        long n = (long)p.Rays * p.Coarse;
        Need(d, 0, n, nameof(depths));
        if (n == 0) return;
        Render.Coarse(_kernels.Linear(n), d.View, p);
    }

    /// <inheritdoc/>
    public void ImportanceDepths(in DepthSamplingParams p, Storage coarse, Storage weights, Storage fine)
    {
        var c = Own(coarse, nameof(coarse)); var w = Own(weights, nameof(weights)); var f = Own(fine, nameof(fine));
        Need(c, 0, (long)p.Rays * p.Coarse, nameof(coarse)); Need(w, 0, (long)p.Rays * (p.Coarse - 1), nameof(weights));
        Need(f, 0, (long)p.Rays * p.Fine, nameof(fine));
        if (p.Rays == 0 || p.Fine == 0) return;
        Render.Importance(_kernels.Linear(p.Rays), c.View, w.View, f.View, p);
    }

    /// <inheritdoc/>
    public void TriplaneDecode(in TriplaneParams p, Storage planes, Storage decoder, Storage rays, Storage depths, Storage output)
    {
        var (pl, dc, ry, dp) = TriplaneInputs(p, planes, decoder, rays, depths);
        var o = Own(output, nameof(output));
        Need(o, 0, (long)p.Points * TriplaneLayout.Outputs, nameof(output));
        if (p.Points == 0) return;
        Render.TriplaneForward(_kernels.Linear(p.Points), pl.View, dc.View, ry.View, dp.View, o.View, p);
    }

    /// <inheritdoc/>
    public void TriplaneDecodeBackward(in TriplaneParams p, Storage planes, Storage decoder, Storage rays, Storage depths, Storage gOutput,
        Storage gPlanes, Storage gDecoder)
    {
        var (pl, dc, ry, dp) = TriplaneInputs(p, planes, decoder, rays, depths);
        var go = Own(gOutput, nameof(gOutput)); var gp = Own(gPlanes, nameof(gPlanes)); var gd = Own(gDecoder, nameof(gDecoder));
        long planeSize = (long)p.Batch * 3 * p.PlaneSize;
        Need(go, 0, (long)p.Points * TriplaneLayout.Outputs, nameof(gOutput));
        Need(gp, 0, planeSize, nameof(gPlanes)); Need(gd, 0, TriplaneLayout.DecoderSize, nameof(gDecoder));
        Fill(gp, 0, planeSize, 0f);
        Fill(gd, 0, TriplaneLayout.DecoderSize, 0f);
        if (p.Points == 0) return;
        int chunk = Math.Min(TriplaneBackwardChunk, p.Points);
        var rows = Temp((long)chunk * TriplaneLayout.RowSize);
        var maxes = Temp(chunk);
        var max = Temp(1);
        var ones = Temp(chunk);
        var acc = Temp(2 * planeSize);            // int64 fixed-point accumulators
        try
        {
            Fill(ones, 0, chunk, 1f);
            Fill(acc, 0, 2 * planeSize, 0f);      // all-zero bits = 0L
            var accView = acc.View.Cast<long>();
            const int R = TriplaneLayout.RowSize;
            for (int start = 0; start < p.Points; start += chunk)
            {
                var q = p;
                q.ChunkStart = start;
                q.ChunkCount = Math.Min(chunk, p.Points - start);
                var cfg = _kernels.Linear(q.ChunkCount);
                Render.TriplaneRows(cfg, pl.View, dc.View, ry.View, dp.View, go.View, rows.View, maxes.View, q);
                RunGemm(rows.View, rows.View, gd.View, GemmParams.Create(true, false, TriplaneLayout.Outputs, TriplaneLayout.Hidden, q.ChunkCount, 1f,
                    TriplaneLayout.RowGo, R, 0, TriplaneLayout.RowH, R, 0, 1f, TriplaneLayout.W2, TriplaneLayout.Hidden, 0));
                RunGemm(rows.View, rows.View, gd.View, GemmParams.Create(true, false, TriplaneLayout.Hidden, TriplaneLayout.Channels, q.ChunkCount, 1f,
                    TriplaneLayout.RowGa, R, 0, TriplaneLayout.RowF, R, 0, 1f, TriplaneLayout.W1, TriplaneLayout.Channels, 0));
                RunGemm(ones.View, rows.View, gd.View, GemmParams.Create(false, false, 1, TriplaneLayout.Outputs, q.ChunkCount, 1f,
                    0, q.ChunkCount, 0, TriplaneLayout.RowGo, R, 0, 1f, TriplaneLayout.B2, TriplaneLayout.Outputs, 0));
                RunGemm(ones.View, rows.View, gd.View, GemmParams.Create(false, false, 1, TriplaneLayout.Hidden, q.ChunkCount, 1f,
                    0, q.ChunkCount, 0, TriplaneLayout.RowGa, R, 0, 1f, TriplaneLayout.B1, TriplaneLayout.Hidden, 0));
                ReduceLastAxis(ReduceOp.Max, maxes, 0, 1, q.ChunkCount, max);
                Render.Scatter(cfg, ry.View, dp.View, rows.View, max.View, accView, q);
                Render.AddFixed(_kernels.Linear(planeSize), accView, max.View, gp.View, checked((int)planeSize));
            }
        }
        finally { rows.Release(); maxes.Release(); max.Release(); ones.Release(); acc.Release(); }
    }

    (IlgpuStorage, IlgpuStorage, IlgpuStorage, IlgpuStorage) TriplaneInputs(in TriplaneParams p, Storage planes, Storage decoder, Storage rays, Storage depths)
    {
        var pl = Own(planes, nameof(planes)); var dc = Own(decoder, nameof(decoder));
        var ry = Own(rays, nameof(rays)); var dp = Own(depths, nameof(depths));
        long pointCount = (long)p.Batch * p.RaysPerBatch * p.Samples;
        if (pointCount * TriplaneLayout.RowSize > int.MaxValue || 2L * p.Batch * 3 * p.Height * p.Width * TriplaneLayout.Channels > int.MaxValue)
            throw new ArgumentException("tri-plane decode too large for one call (int32 indices); render in smaller batches", nameof(p));
        Need(pl, 0, (long)p.Batch * 3 * p.PlaneSize, nameof(planes)); Need(dc, 0, TriplaneLayout.DecoderSize, nameof(decoder));
        Need(ry, 0, (long)p.Batch * p.RaysPerBatch * 6, nameof(rays)); Need(dp, 0, pointCount, nameof(depths));
        return (pl, dc, ry, dp);
    }

    /// <inheritdoc/>
    public void MarchRays(in RayMarchParams p, Storage coarse, Storage depthsCoarse, Storage? fine, Storage? depthsFine, Storage output, Storage? weights)
    {
        var (sc, dc, sf, df) = MarchInputs(p, coarse, depthsCoarse, fine, depthsFine);
        var o = Own(output, nameof(output));
        Need(o, 0, (long)p.Rays * RayMarchLayout.OutputRow, nameof(output));
        var w = weights == null ? o : Own(weights, nameof(weights));
        if (weights != null) Need(w, 0, (long)p.Rays * (p.Total - 1), nameof(weights));
        if (p.Rays == 0) return;
        var range = Temp(2);
        try
        {
            LaunchRange(p, dc, df, range);
            Render.MarchForward(_kernels.Linear(p.Rays), sc.View, dc.View, sf.View, df.View, range.View, o.View, w.View, p);
        }
        finally { range.Release(); }
    }

    /// <inheritdoc/>
    public void MarchRaysBackward(in RayMarchParams p, Storage coarse, Storage depthsCoarse, Storage? fine, Storage? depthsFine, Storage gOutput,
        Storage gCoarse, Storage? gFine)
    {
        var (sc, dc, sf, df) = MarchInputs(p, coarse, depthsCoarse, fine, depthsFine);
        var go = Own(gOutput, nameof(gOutput)); var gc = Own(gCoarse, nameof(gCoarse));
        var gf = gFine == null ? gc : Own(gFine, nameof(gFine));
        Need(go, 0, (long)p.Rays * RayMarchLayout.OutputRow, nameof(gOutput));
        Need(gc, 0, (long)p.Rays * p.Coarse * RayMarchLayout.SampleRow, nameof(gCoarse));
        if (gFine != null) Need(gf, 0, (long)p.Rays * p.Fine * RayMarchLayout.SampleRow, nameof(gFine));
        if (p.Rays == 0) return;
        var range = Temp(2);
        var scratch = Temp(Math.Max(1L, (long)p.Rays * (p.Total - 1) * RayMarchLayout.ScratchPerInterval));
        try
        {
            LaunchRange(p, dc, df, range);
            Render.MarchBackward(_kernels.Linear(p.Rays), sc.View, dc.View, sf.View, df.View, range.View, go.View, gc.View, gf.View, scratch.View, p);
        }
        finally { range.Release(); scratch.Release(); }
    }

    (IlgpuStorage, IlgpuStorage, IlgpuStorage, IlgpuStorage) MarchInputs(in RayMarchParams p, Storage coarse, Storage depthsCoarse, Storage? fine, Storage? depthsFine)
    {
        if (p.Total < 2) throw new ArgumentException("a march needs at least two samples per ray", nameof(p));
        if ((long)p.Rays * p.Total * RayMarchLayout.ScratchPerInterval > int.MaxValue)
            throw new ArgumentException("march too large for one call (int32 indices); render in smaller batches", nameof(p));
        var sc = Own(coarse, nameof(coarse)); var dc = Own(depthsCoarse, nameof(depthsCoarse));
        Need(sc, 0, (long)p.Rays * p.Coarse * RayMarchLayout.SampleRow, nameof(coarse)); Need(dc, 0, (long)p.Rays * p.Coarse, nameof(depthsCoarse));
        if (p.Fine == 0) return (sc, dc, sc, dc);
        if (fine == null || depthsFine == null) throw new ArgumentNullException(nameof(fine), "p.Fine > 0 needs the fine samples and depths");
        var sf = Own(fine, nameof(fine)); var df = Own(depthsFine, nameof(depthsFine));
        Need(sf, 0, (long)p.Rays * p.Fine * RayMarchLayout.SampleRow, nameof(fine)); Need(df, 0, (long)p.Rays * p.Fine, nameof(depthsFine));
        return (sc, dc, sf, df);
    }

    void LaunchRange(in RayMarchParams p, IlgpuStorage dc, IlgpuStorage df, IlgpuStorage range)
    {
        int group = Kind == BackendKind.IlgpuCpu ? 16 : RayMarchKernels.RangeGroup;   // simulated threads are costly on the CPU accelerator
        while (group > _accelerator.MaxNumThreadsPerGroup) group /= 2;
        Render.Range(new KernelConfig(1, group), dc.View, df.View, range.View, p);
    }

    /// <summary>The render kernels of one accelerator, compiled on first use.</summary>
    sealed class RenderKernels(Accelerator acc)
    {
        Action<KernelConfig, AV, AV, int, int>? _rays;
        Action<KernelConfig, AV, DepthSamplingParams>? _coarse;
        Action<KernelConfig, AV, AV, AV, DepthSamplingParams>? _importance;
        Action<KernelConfig, AV, AV, AV, AV, AV, TriplaneParams>? _triForward;
        Action<KernelConfig, AV, AV, AV, AV, AV, AV, AV, TriplaneParams>? _triRows;
        Action<KernelConfig, AV, AV, AV, AV, ArrayView<long>, TriplaneParams>? _scatter;
        Action<KernelConfig, ArrayView<long>, AV, AV, int>? _addFixed;
        Action<KernelConfig, AV, AV, AV, RayMarchParams>? _range;
        Action<KernelConfig, AV, AV, AV, AV, AV, AV, AV, RayMarchParams>? _marchForward;
        Action<KernelConfig, AV, AV, AV, AV, AV, AV, AV, AV, AV, RayMarchParams>? _marchBackward;

        public Action<KernelConfig, AV, AV, int, int> Rays => _rays ??= acc.LoadStreamKernel<AV, AV, int, int>(RayMarchKernels.Rays);
        public Action<KernelConfig, AV, DepthSamplingParams> Coarse =>
            _coarse ??= acc.LoadStreamKernel<AV, DepthSamplingParams>(RayMarchKernels.CoarseDepths);
        public Action<KernelConfig, AV, AV, AV, DepthSamplingParams> Importance =>
            _importance ??= acc.LoadStreamKernel<AV, AV, AV, DepthSamplingParams>(RayMarchKernels.Importance);
        public Action<KernelConfig, AV, AV, AV, AV, AV, TriplaneParams> TriplaneForward =>
            _triForward ??= acc.LoadStreamKernel<AV, AV, AV, AV, AV, TriplaneParams>(TriplaneKernels.Forward);
        public Action<KernelConfig, AV, AV, AV, AV, AV, AV, AV, TriplaneParams> TriplaneRows =>
            _triRows ??= acc.LoadStreamKernel<AV, AV, AV, AV, AV, AV, AV, TriplaneParams>(TriplaneKernels.BackwardRows);
        public Action<KernelConfig, AV, AV, AV, AV, ArrayView<long>, TriplaneParams> Scatter =>
            _scatter ??= acc.LoadStreamKernel<AV, AV, AV, AV, ArrayView<long>, TriplaneParams>(TriplaneKernels.ScatterFixed);
        public Action<KernelConfig, ArrayView<long>, AV, AV, int> AddFixed =>
            _addFixed ??= acc.LoadStreamKernel<ArrayView<long>, AV, AV, int>(TriplaneKernels.AddFixed);
        public Action<KernelConfig, AV, AV, AV, RayMarchParams> Range =>
            _range ??= acc.LoadStreamKernel<AV, AV, AV, RayMarchParams>(RayMarchKernels.Range);
        public Action<KernelConfig, AV, AV, AV, AV, AV, AV, AV, RayMarchParams> MarchForward =>
            _marchForward ??= acc.LoadStreamKernel<AV, AV, AV, AV, AV, AV, AV, RayMarchParams>(RayMarchKernels.Forward);
        public Action<KernelConfig, AV, AV, AV, AV, AV, AV, AV, AV, AV, RayMarchParams> MarchBackward =>
            _marchBackward ??= acc.LoadStreamKernel<AV, AV, AV, AV, AV, AV, AV, AV, AV, RayMarchParams>(RayMarchKernels.Backward);
    }
}

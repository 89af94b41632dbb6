// CountingBackend: the volume-render primitives and the up-conv FIR, counted as IlgpuBackend.Render / .Fir launch them
// (one grid-stride kernel per step; the tri-plane backward in 65,536-point chunks of rows kernel + 4 decoder GEMMs +
// a max reduction + the fixed-point scatter + the add-back). FLOPs are per point / per sample estimates stated inline.
using My3DGen.Kernels;

namespace My3DGen.Engine.Backends.Counting;

public sealed partial class CountingBackend
{
    const int TriplaneBackwardChunk = 1 << 16;
    // 3 planes × 4 bilinear taps × 32 channels (mul+add) + the 32→64→33 decoder MLP (mul+add per weight).
    const double TriplanePointFlops = 3 * 4 * 32 * 2 + 2.0 * (TriplaneLayout.Hidden * TriplaneLayout.Channels + TriplaneLayout.Outputs * TriplaneLayout.Hidden);
    // MipRayMarcher2 per interval: mid-point colour/density (34 adds + 34 mults), softplus, exp, running transmittance, composite.
    const double MarchIntervalFlops = 2 * RayMarchLayout.SampleRow * 2 + 16;

    /// <inheritdoc/>
    public void Fir2d(in FirGeometry g, Storage x, Storage? bias, Storage y)
    {
        g.Validate();
        Flops(nameof(Fir2d), 2.0 * 16 * g.OutputLength + (bias != null ? g.OutputLength : 0));
        Linear(nameof(Fir2d), g.OutputLength);
    }

    /// <inheritdoc/>
    public void GenerateRays(Storage labels, int batch, int resolution, Storage rays)
    {
        long n = (long)batch * resolution * resolution;
        Flops(nameof(GenerateRays), 40.0 * n);
        Linear(nameof(GenerateRays), n);
    }

    /// <inheritdoc/>
    public void CoarseDepths(in DepthSamplingParams p, Storage depths)
    {
        long n = (long)p.Rays * p.Coarse;
        Flops(nameof(CoarseDepths), 4.0 * n);
        Linear(nameof(CoarseDepths), n);
    }

    /// <inheritdoc/>
    public void ImportanceDepths(in DepthSamplingParams p, Storage coarse, Storage weights, Storage fine)
    {
        if (p.Rays == 0 || p.Fine == 0) return;
        Flops(nameof(ImportanceDepths), 12.0 * p.Rays * (p.Coarse + p.Fine));
        Linear(nameof(ImportanceDepths), p.Rays);
    }

    /// <inheritdoc/>
    public void TriplaneDecode(in TriplaneParams p, Storage planes, Storage decoder, Storage rays, Storage depths, Storage output)
    {
        if (p.Points == 0) return;
        Flops(nameof(TriplaneDecode), TriplanePointFlops * p.Points);
        Linear(nameof(TriplaneDecode), p.Points);
    }

    /// <inheritdoc/>
    public void TriplaneDecodeBackward(in TriplaneParams p, Storage planes, Storage decoder, Storage rays, Storage depths, Storage gOutput,
        Storage gPlanes, Storage gDecoder)
    {
        const string op = nameof(TriplaneDecodeBackward);
        long planeSize = (long)p.Batch * 3 * p.PlaneSize;
        Linear(nameof(Fill), planeSize);
        Linear(nameof(Fill), TriplaneLayout.DecoderSize);
        if (p.Points == 0) return;
        int chunk = Math.Min(TriplaneBackwardChunk, p.Points);
        Linear(nameof(Fill), chunk);
        Linear(nameof(Fill), 2 * planeSize);
        for (int start = 0; start < p.Points; start += chunk)
        {
            int count = Math.Min(chunk, p.Points - start);
            Flops(op, 2 * TriplanePointFlops * count);                     // recompute + back through the MLP and taps
            Linear(op, count);                                               // rows
            Gemm(op, GemmParams.Create(true, false, TriplaneLayout.Outputs, TriplaneLayout.Hidden, count, 1f, 0, TriplaneLayout.RowSize, 0,
                0, TriplaneLayout.RowSize, 0, 1f, 0, TriplaneLayout.Hidden, 0));
            Gemm(op, GemmParams.Create(true, false, TriplaneLayout.Hidden, TriplaneLayout.Channels, count, 1f, 0, TriplaneLayout.RowSize, 0,
                0, TriplaneLayout.RowSize, 0, 1f, 0, TriplaneLayout.Channels, 0));
            Gemm(op, GemmParams.Create(false, false, 1, TriplaneLayout.Outputs, count, 1f, 0, count, 0, 0, TriplaneLayout.RowSize, 0, 1f, 0,
                TriplaneLayout.Outputs, 0));
            Gemm(op, GemmParams.Create(false, false, 1, TriplaneLayout.Hidden, count, 1f, 0, count, 0, 0, TriplaneLayout.RowSize, 0, 1f, 0,
                TriplaneLayout.Hidden, 0));
            ReduceLastAxis(ReduceOp.Max, planes, 0, 1, count, planes);
            Linear(op, count);                                               // fixed-point scatter into the planes
            Linear(op, planeSize);                                           // add the accumulators back as floats
        }
    }

    /// <inheritdoc/>
    public void MarchRays(in RayMarchParams p, Storage coarse, Storage depthsCoarse, Storage? fine, Storage? depthsFine, Storage output, Storage? weights)
    {
        if (p.Rays == 0) return;
        Launch(nameof(MarchRays), 1, 1, 1, (long)p.Rays * p.Total);        // the global depth range (one group)
        Flops(nameof(MarchRays), MarchIntervalFlops * p.Rays * (p.Total - 1));
        Linear(nameof(MarchRays), p.Rays);
    }

    /// <inheritdoc/>
    public void MarchRaysBackward(in RayMarchParams p, Storage coarse, Storage depthsCoarse, Storage? fine, Storage? depthsFine, Storage gOutput,
        Storage gCoarse, Storage? gFine)
    {
        if (p.Rays == 0) return;
        Launch(nameof(MarchRaysBackward), 1, 1, 1, (long)p.Rays * p.Total);
        Flops(nameof(MarchRaysBackward), 2 * MarchIntervalFlops * p.Rays * (p.Total - 1));
        Linear(nameof(MarchRaysBackward), p.Rays);
    }
}

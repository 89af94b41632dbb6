// ILGPU kernels of the volume render: ray generation, coarse depths, importance depths, the global depth range,
// and MipRayMarcher2 forward/backward (one ray per thread). Bodies in RayMarchCore / DepthSamplingCore.
using ILGPU;
using ILGPU.Algorithms;

namespace My3DGen.Kernels;

/// <summary>Render kernels; references <see cref="RayMarchReference"/> and <see cref="DepthSamplingReference"/>.</summary>
internal static class RayMarchKernels
{
    /// <summary>Group size of <see cref="Range"/> (one group).</summary>
    public const int RangeGroup = 256;

    /// <summary>rays [N·R², 6] from labels [N, 25].</summary>
    public static void Rays(ArrayView<float> labels, ArrayView<float> rays, int batch, int resolution)
    {
        int m = resolution * resolution;
        for (int t = GridStride.Start; t < batch * m; t += GridStride.Step)
            DepthSamplingCore.Ray(new ViewBuffer(labels), new ViewBuffer(rays), resolution, t / m, t % m);
    }

    /// <summary>depths [Rays, Coarse].</summary>
    public static void CoarseDepths(ArrayView<float> depths, DepthSamplingParams p)
    {
        for (int t = GridStride.Start; t < p.Rays * p.Coarse; t += GridStride.Step)
            depths[t] = DepthSamplingCore.Coarse(p, t / p.Coarse, t % p.Coarse);
    }

    /// <summary>fine [Rays, Fine] from coarse depths and weights.</summary>
    public static void Importance(ArrayView<float> coarse, ArrayView<float> weights, ArrayView<float> fine, DepthSamplingParams p)
    {
        for (int r = GridStride.Start; r < p.Rays; r += GridStride.Step)
            DepthSamplingCore.Importance(new ViewBuffer(coarse), new ViewBuffer(weights), new ViewBuffer(fine), p, r);
    }

    /// <summary>range = (min, max) over all depths of both lists; launch as one group of <see cref="RangeGroup"/> threads.</summary>
    public static void Range(ArrayView<float> dc, ArrayView<float> df, ArrayView<float> range, RayMarchParams p)
    {
        var lo = SharedMemory.Allocate<float>(RangeGroup);
        var hi = SharedMemory.Allocate<float>(RangeGroup);
        int t = Group.IdxX;
        float l = float.PositiveInfinity, h = float.NegativeInfinity;
        RayMarchCore.Range(new ViewBuffer(dc), new ViewBuffer(df), p, t, Group.DimX, ref l, ref h);
        lo[t] = l; hi[t] = h;
        Group.Barrier();
        for (int s = Group.DimX / 2; s > 0; s >>= 1)
        {
            if (t < s) { lo[t] = XMath.Min(lo[t], lo[t + s]); hi[t] = XMath.Max(hi[t], hi[t + s]); }
            Group.Barrier();
        }
        if (t == 0) { range[0] = lo[0]; range[1] = hi[0]; }
    }

    /// <summary>March forward, one ray per thread.</summary>
    public static void Forward(ArrayView<float> sc, ArrayView<float> dc, ArrayView<float> sf, ArrayView<float> df, ArrayView<float> range,
        ArrayView<float> output, ArrayView<float> weights, RayMarchParams p)
    {
        for (int r = GridStride.Start; r < p.Rays; r += GridStride.Step)
            RayMarchCore.Forward(new ViewBuffer(sc), new ViewBuffer(dc), new ViewBuffer(sf), new ViewBuffer(df), new ViewBuffer(range),
                new ViewBuffer(output), new ViewBuffer(weights), p, r);
    }

    /// <summary>March backward, one ray per thread (each sample row is written by its own ray only).</summary>
    public static void Backward(ArrayView<float> sc, ArrayView<float> dc, ArrayView<float> sf, ArrayView<float> df, ArrayView<float> range,
        ArrayView<float> gOut, ArrayView<float> gc, ArrayView<float> gf, ArrayView<float> scratch, RayMarchParams p)
    {
        for (int r = GridStride.Start; r < p.Rays; r += GridStride.Step)
            RayMarchCore.Backward(new ViewBuffer(sc), new ViewBuffer(dc), new ViewBuffer(sf), new ViewBuffer(df), new ViewBuffer(range),
                new ViewBuffer(gOut), new ViewBuffer(gc), new ViewBuffer(gf), new ViewBuffer(scratch), p, r);
    }
}

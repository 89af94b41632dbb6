// CPU backend volume-render primitives: ray generation, depth sampling and the march run the shared generic bodies
// (My3DGen.Kernels *Core) over managed arrays, multithreaded per ray; the fused tri-plane decode has its own SIMD path
// (CpuTriplane). Plane-gradient accumulation is deterministic: each worker owns a fixed range of plane rows.
using My3DGen.Kernels;

namespace My3DGen.Engine.Backends.Cpu;

public sealed partial class CpuBackend
{
    static ArrayBuffer B(Storage s) => new(D(s));

    /// <inheritdoc/>
    public void GenerateRays(Storage labels, int batch, int resolution, Storage rays)
    {
        var l = B(labels); var r = B(rays);
        int m = resolution * resolution;
        CpuParallel.For((long)batch * m, 1024, (s, e) =>
        {
            for (long t = s; t < e; t++) DepthSamplingCore.Ray(l, r, resolution, (int)(t / m), (int)(t % m));
        });
    }

    /// <inheritdoc/>
    public void CoarseDepths(in DepthSamplingParams p, Storage depths)
    {
        var d = D(depths); var q = p;
        CpuParallel.For((long)p.Rays * p.Coarse, 1 << 14, (s, e) =>
        {
            for (long t = s; t < e; t++) d[t] = DepthSamplingCore.Coarse(q, (int)(t / q.Coarse), (int)(t % q.Coarse));
        });
    }

    /// <inheritdoc/>
    public void ImportanceDepths(in DepthSamplingParams p, Storage coarse, Storage weights, Storage fine)
    {
        var c = B(coarse); var w = B(weights); var f = B(fine); var q = p;
        CpuParallel.For(p.Rays, 256, (s, e) =>
        {
            for (long r = s; r < e; r++) DepthSamplingCore.Importance(c, w, f, q, (int)r);
        });
    }

    /// <inheritdoc/>
    public void TriplaneDecode(in TriplaneParams p, Storage planes, Storage decoder, Storage rays, Storage depths, Storage output) =>
        CpuTriplane.Forward(p, D(planes), D(decoder), D(rays), D(depths), D(output));

    /// <inheritdoc/>
    public void TriplaneDecodeBackward(in TriplaneParams p, Storage planes, Storage decoder, Storage rays, Storage depths, Storage gOutput,
        Storage gPlanes, Storage gDecoder) =>
        CpuTriplane.Backward(p, D(planes), D(decoder), D(rays), D(depths), D(gOutput), D(gPlanes), D(gDecoder));

    /// <inheritdoc/>
    public void MarchRays(in RayMarchParams p, Storage coarse, Storage depthsCoarse, Storage? fine, Storage? depthsFine, Storage output, Storage? weights)
    {
        var sc = B(coarse); var dc = B(depthsCoarse);
        var sf = fine == null ? sc : B(fine); var df = depthsFine == null ? dc : B(depthsFine);
        var o = B(output); var w = weights == null ? o : B(weights);
        var range = new ArrayBuffer(DepthRange(p, dc, df));
        var q = p;
        CpuParallel.For(p.Rays, 64, (s, e) =>
        {
            for (long r = s; r < e; r++) RayMarchCore.Forward(sc, dc, sf, df, range, o, w, q, (int)r);
        });
    }

    /// <inheritdoc/>
    public void MarchRaysBackward(in RayMarchParams p, Storage coarse, Storage depthsCoarse, Storage? fine, Storage? depthsFine, Storage gOutput,
        Storage gCoarse, Storage? gFine)
    {
        var sc = B(coarse); var dc = B(depthsCoarse);
        var sf = fine == null ? sc : B(fine); var df = depthsFine == null ? dc : B(depthsFine);
        var go = B(gOutput); var gc = B(gCoarse); var gf = gFine == null ? gc : B(gFine);
        var range = new ArrayBuffer(DepthRange(p, dc, df));
        var scratch = new ArrayBuffer(GC.AllocateUninitializedArray<float>(Math.Max(1, p.Rays * (p.Total - 1) * RayMarchLayout.ScratchPerInterval)));
        var q = p;
        CpuParallel.For(p.Rays, 64, (s, e) =>
        {
            for (long r = s; r < e; r++) RayMarchCore.Backward(sc, dc, sf, df, range, go, gc, gf, scratch, q, (int)r);
        });
    }

    /// <summary>[min, max] over every depth of both lists (EG3D clamps to the whole depth tensor's range).</summary>
    static float[] DepthRange(in RayMarchParams p, ArrayBuffer dc, ArrayBuffer df)
    {
        float lo = float.PositiveInfinity, hi = float.NegativeInfinity;
        RayMarchCore.Range(dc, df, p, 0, 1, ref lo, ref hi);
        return [lo, hi];
    }
}

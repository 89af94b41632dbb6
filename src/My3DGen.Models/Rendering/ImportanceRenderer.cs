// EG3D's ImportanceRenderer: coarse pass (stratified depths → tri-plane features → decoder → march), importance
// depths from the coarse weights, fine pass, merge + per-ray sort of both sample sets (host order + IndexSelect)
// and the final march. Rays are processed in chunks to bound memory; depth clamping uses the global range.
using My3DGen.Engine.Ops;
using My3DGen.Engine.Tensors;
using My3DGen.Models.Nn;
using My3DGen.Models.Eg3d;

namespace My3DGen.Models.Rendering;

/// <summary>Sampling settings of one render.</summary>
internal sealed record RenderSettings(Random? Rng, int RaysPerChunk = 2048)
{
    /// <summary>The fixture rule: no jitter, importance u = linspace(0, 1).</summary>
    public bool Deterministic => Rng == null;
}

internal sealed class ImportanceRenderer(Eg3dConfig cfg, OsgDecoder decoder)
{
    /// <summary>Renders rays through the planes: features [N, M, 32] (·2−1 applied) and depth [N, M, 1].</summary>
    public (Tensor Features, Tensor Depth) Render(FlatPlanes planes, RayBundle rays, RenderSettings settings, RenderTrace? trace = null)
    {
        var rk = cfg.Rendering;
        int n = rays.Batch, m = rays.Rays, d = rk.DepthResolution, di = rk.DepthResolutionImportance;
        int chunk = trace != null ? m : Math.Clamp(settings.RaysPerChunk, 1, m);
        if (trace != null) trace.Rays = rays;
        var feats = new List<Tensor>();
        var depthParts = new List<Tensor>();
        float gmin = float.PositiveInfinity, gmax = float.NegativeInfinity;
        for (int start = 0; start < m; start += chunk)
        {
            int count = Math.Min(chunk, m - start);
            Tensor[] Body()
            {
                var (f, dep, lo, hi) = RenderChunk(planes, rays, start, count, d, di, settings, trace);
                gmin = MathF.Min(gmin, lo); gmax = MathF.Max(gmax, hi);
                return [f, dep];
            }
            // A trace keeps the intermediates, so they must not be released.
            var part = trace != null ? Body() : InferenceScope.RunMany(Body);
            feats.Add(part[0]);
            depthParts.Add(part[1]);
        }
        var features = feats.Count == 1 ? feats[0] : ShapeOps.Concat(feats, 1);
        var depth = depthParts.Count == 1 ? depthParts[0] : ShapeOps.Concat(depthParts, 1);
        return (features, depth.Clamp(gmin, gmax));
    }

    (Tensor Features, Tensor Depth, float Min, float Max) RenderChunk(FlatPlanes planes, RayBundle rays, int start, int count,
        int d, int di, RenderSettings settings, RenderTrace? trace)
    {
        var rk = cfg.Rendering;
        int n = rays.Batch, rc = n * count;
        var coarseDepths = DepthSampler.Coarse(rc, d, rk.RayStart, rk.RayEnd, settings.Rng);
        var coarse = Pass(planes, rays, start, count, coarseDepths, d, trace != null);
        var coarseMarch = RayMarcher.March(coarse.Decoded.Rgb.Reshape(n, count, d, -1), coarse.Decoded.Sigma.Reshape(n, count, d, 1),
            coarseDepths, rk.WhiteBack);
        if (trace != null) { trace.DepthsCoarse = coarseDepths; trace.Coarse = coarse; trace.CoarseMarch = coarseMarch; }
        if (di == 0)
        {
            var (lo0, hi0) = MinMax(coarseDepths);
            return (coarseMarch.Rgb, coarseMarch.Depth, lo0, hi0);  // coarse-only models: clamped per chunk (same range when deterministic)
        }
        var weights = coarseMarch.Weights.ToArray();
        var fineDepths = DepthSampler.Importance(coarseDepths, weights, rc, d, di, settings.Rng);
        var fine = Pass(planes, rays, start, count, fineDepths, di, trace != null);
        if (trace != null) { trace.ImportanceWeights = weights; trace.DepthsFine = fineDepths; trace.Fine = fine; }

        // Merge: concat per ray (coarse then fine), sort by depth on the host, gather colours and densities in that order.
        int k = d + di;
        var all = new float[rc * k];
        var order = new int[rc * k];
        Parallel.For(0, rc, r =>
        {
            var keys = new float[k];
            var idx = new int[k];
            for (int s = 0; s < d; s++) { keys[s] = coarseDepths[r * d + s]; idx[s] = r * d + s; }
            for (int s = 0; s < di; s++) { keys[d + s] = fineDepths[r * di + s]; idx[d + s] = rc * d + r * di + s; }
            Array.Sort(keys, idx);
            keys.CopyTo(all, r * k);
            idx.CopyTo(order, r * k);
        });
        var be = planes.Rows.Backend;
        var ids = Tensor.FromInts(be, order, order.Length);
        int c = coarse.Decoded.Rgb.Shape[2];
        var rgbAll = Indexing.IndexSelect(ShapeOps.Concat([coarse.Decoded.Rgb.Reshape(rc * d, c), fine.Decoded.Rgb.Reshape(rc * di, c)], 0), 0, ids);
        var sigAll = Indexing.IndexSelect(ShapeOps.Concat([coarse.Decoded.Sigma.Reshape(rc * d, 1), fine.Decoded.Sigma.Reshape(rc * di, 1)], 0), 0, ids);
        // Clamped later against the range of all chunks (EG3D clamps to the min/max of the whole depth tensor).
        var final = RayMarcher.March(rgbAll.Reshape(n, count, k, c), sigAll.Reshape(n, count, k, 1), all, rk.WhiteBack, (float.MinValue, float.MaxValue));
        if (trace != null) trace.Final = final;
        var (lo, hi) = MinMax(all);
        return (final.Rgb, final.Depth, lo, hi);
    }

    PassTrace Pass(FlatPlanes planes, RayBundle rays, int start, int count, float[] depths, int k, bool traced)
    {
        var pts = TriplaneSampler.Points(rays, start, count, depths, k);
        var features = TriplaneSampler.SampleMean(planes, pts, count * k, cfg.Rendering.BoxWarp);
        var perPlane = traced ? TriplaneSampler.SamplePerPlane(planes, pts, count * k, cfg.Rendering.BoxWarp) : null;
        return new PassTrace(pts, perPlane, decoder.Forward(features));
    }

    static (float, float) MinMax(float[] v)
    {
        float lo = float.PositiveInfinity, hi = float.NegativeInfinity;
        foreach (var x in v) { lo = MathF.Min(lo, x); hi = MathF.Max(hi, x); }
        return (lo, hi);
    }
}

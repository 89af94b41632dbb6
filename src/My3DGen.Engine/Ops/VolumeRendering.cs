// Tensor-level ops of EG3D's neural render on the device (IBackend.Render primitives): ray generation, coarse and
// importance depths (no gradient), the fused tri-plane decode and the ray march (differentiable with respect to the
// planes, the packed decoder and the sample rows). Nothing here reads device data back to the host.
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Tensors;
using My3DGen.Kernels;

namespace My3DGen.Engine.Ops;

/// <summary>Device-resident volume rendering ops (EG3D ray sampler, tri-plane decoder, MipRayMarcher2, importance sampling).</summary>
public static class VolumeRendering
{
    sealed record DecodeState(TriplaneParams P);
    sealed record MarchState(RayMarchParams P);

    /// <summary>Rays [N·R², 6] (origin, unit direction) for camera labels [N, 25] at resolution R (pixel m = row·R + col).</summary>
    public static Tensor Rays(Tensor camera, int resolution)
    {
        const string op = "render_rays";
        var be = OpChecks.Float(op, camera);
        OpChecks.Rank(op, camera, 2, "camera");
        if (camera.Shape[1] != 25) throw new ShapeMismatchException(op, $"camera must be [N,25], got {TensorException.Fmt(camera.Shape)}");
        if (resolution <= 0) throw new ShapeMismatchException(op, $"resolution {resolution} must be positive");
        int n = camera.Shape[0];
        Tensor c;
        using (GradMode.NoGrad()) c = ShapeOps.Compact(camera);
        var rays = Tensor.Empty(be, [n * resolution * resolution, 6]);
        be.GenerateRays(c.Storage, n, resolution, rays.Storage);
        return rays;
    }

    /// <summary>Coarse depths [rays, samples]: start + k·(end−start)/(samples−1), jittered by U[0,1)·Δ when <paramref name="seed"/> is given;
    /// without a seed, <paramref name="meanPositions"/> moves them by Δ/2, the mean of that jitter.</summary>
    public static Tensor CoarseDepths(Backends.IBackend backend, int rays, int samples, float start, float end, uint? seed, bool meanPositions = false)
    {
        if (samples < 2) throw new ShapeMismatchException("render_coarse_depths", $"need at least 2 samples per ray, got {samples}");
        var p = new DepthSamplingParams { Rays = rays, Coarse = samples, Start = start, End = end, Stratified = Rule(seed, meanPositions), Seed = seed ?? 0 };
        var t = Tensor.Empty(backend, [rays, samples]);
        backend.CoarseDepths(p, t.Storage);
        return t;
    }

    /// <summary>EG3D sample_importance: <paramref name="count"/> depths per ray (ascending) from coarse depths [rays, D] and their
    /// march weights [rays, D−1]; u = linspace(0, 1) without a seed (u_q = (q + 1)/(count + 1), the mean of the q-th sorted uniform,
    /// with <paramref name="meanPositions"/>), else sorted uniforms drawn from <paramref name="seed"/>.</summary>
    public static Tensor ImportanceDepths(Tensor coarseDepths, Tensor weights, int count, uint? seed, bool meanPositions = false)
    {
        const string op = "render_importance";
        var be = OpChecks.Float(op, coarseDepths, weights);
        OpChecks.SameBackend(op, coarseDepths, weights);
        OpChecks.Rank(op, coarseDepths, 2, "coarse depths");
        int rays = coarseDepths.Shape[0], d = coarseDepths.Shape[1];
        if (d < 4) throw new ShapeMismatchException(op, $"importance sampling needs at least 4 coarse samples, got {d}");
        if (weights.Numel != (long)rays * (d - 1)) throw new ShapeMismatchException(op, $"weights {TensorException.Fmt(weights.Shape)} are not [{rays},{d - 1}]");
        Tensor dc, w;
        using (GradMode.NoGrad()) { dc = ShapeOps.Compact(coarseDepths); w = ShapeOps.Compact(weights); }
        var p = new DepthSamplingParams { Rays = rays, Coarse = d, Fine = count, Stratified = Rule(seed, meanPositions), Seed = seed ?? 0 };
        var fine = Tensor.Empty(be, [rays, count]);
        be.ImportanceDepths(p, dc.Storage, w.Storage, fine.Storage);
        return fine;
    }

    /// <summary>DepthSamplingParams.Stratified: 1 jittered, 2 deterministic at the jitter's mean positions, 0 the fixture rule.</summary>
    static int Rule(uint? seed, bool meanPositions) => seed.HasValue ? 1 : meanPositions ? 2 : 0;

    /// <summary>EG3D's tri-plane sampling + OSGDecoder fused: [N·M·K, 33] (σ raw, then sigmoid·1.002 − 0.001 colour features) at
    /// the points o + t·d of rays [N·M, 6] and depths [N·M, K], from planes channel-last [N, 3, H, W, 32] and the packed decoder
    /// [<see cref="TriplaneLayout.DecoderSize"/>] (W1·gain, b1·gain, W2·gain, b2·gain). Differentiable w.r.t. planes and decoder.</summary>
    public static Tensor TriplaneDecode(Tensor planes, Tensor decoder, Tensor rays, Tensor depths, float boxWarp)
    {
        const string op = "triplane_decode";
        var be = OpChecks.Float(op, planes, decoder, rays, depths);
        OpChecks.SameBackend(op, planes, decoder, rays, depths);
        OpChecks.Rank(op, planes, 5, "planes");
        if (planes.Shape[1] != 3 || planes.Shape[4] != TriplaneLayout.Channels)
            throw new ShapeMismatchException(op, $"planes must be [N,3,H,W,{TriplaneLayout.Channels}], got {TensorException.Fmt(planes.Shape)}");
        if (decoder.Numel != TriplaneLayout.DecoderSize)
            throw new ShapeMismatchException(op, $"decoder must hold {TriplaneLayout.DecoderSize} values, got {decoder.Numel}");
        OpChecks.Rank(op, depths, 2, "depths");
        int n = planes.Shape[0], raysTotal = depths.Shape[0], k = depths.Shape[1];
        if (rays.Numel != (long)raysTotal * 6 || raysTotal % n != 0)
            throw new ShapeMismatchException(op, $"rays {TensorException.Fmt(rays.Shape)} and depths {TensorException.Fmt(depths.Shape)} do not describe N·M rays for N = {n}");
        var p = new TriplaneParams
        {
            Batch = n, Height = planes.Shape[2], Width = planes.Shape[3], RaysPerBatch = raysTotal / n, Samples = k, Scale = 2f / boxWarp,
        };
        var pl = ShapeOps.Compact(planes);
        var dec = ShapeOps.Compact(decoder);
        Tensor ry, dp;
        using (GradMode.NoGrad()) { ry = ShapeOps.Compact(rays); dp = ShapeOps.Compact(depths); }
        var y = Tensor.Empty(be, [raysTotal * k, TriplaneLayout.Outputs]);
        if (y.Numel > 0) be.TriplaneDecode(p, pl.Storage, dec.Storage, ry.Storage, dp.Storage, y.Storage);
        Node.Record(y, OpKind.TriplaneDecode, [pl, dec, ry, dp], new DecodeState(p));
        return y;
    }

    internal static Tensor?[] TriplaneDecodeBackward(Node node, Tensor gy)
    {
        var s = node.State<DecodeState>();
        var inp = node.Inputs;
        var gyc = ShapeOps.Compact(gy);
        var gPlanes = Tensor.Empty(gy.Backend, inp[0].Shape);
        var gDec = Tensor.Empty(gy.Backend, inp[1].Shape);
        gy.Backend.TriplaneDecodeBackward(s.P, inp[0].Storage, inp[1].Storage, inp[2].Storage, inp[3].Storage, gyc.Storage, gPlanes.Storage, gDec.Storage);
        return [gPlanes, gDec, null, null];
    }

    /// <summary>EG3D's MipRayMarcher2 over the merge of coarse samples [R, Kc, 33] at depths [R, Kc] and (optionally) fine samples
    /// [R, Kf, 33] at depths [R, Kf], each list sorted per ray: [R, 33] = (features·2 − 1, depth clamped to the range of all depths).
    /// Differentiable w.r.t. the sample rows.</summary>
    public static Tensor March(Tensor coarse, Tensor depthsCoarse, Tensor? fine, Tensor? depthsFine, bool whiteBack) =>
        MarchCore(coarse, depthsCoarse, fine, depthsFine, whiteBack, null);

    /// <summary>The compositing weights [R, K−1] of a march over one sample list (no gradient; EG3D's importance input).</summary>
    public static Tensor MarchWeights(Tensor samples, Tensor depths, bool whiteBack)
    {
        using var _ = GradMode.NoGrad();
        var weights = Tensor.Empty(samples.Backend, [depths.Shape[0], depths.Shape[1] - 1]);
        MarchCore(samples, depths, null, null, whiteBack, weights).Dispose();
        return weights;
    }

    static Tensor MarchCore(Tensor coarse, Tensor depthsCoarse, Tensor? fine, Tensor? depthsFine, bool whiteBack, Tensor? weights)
    {
        const string op = "ray_march";
        var be = OpChecks.Float(op, coarse, depthsCoarse);
        OpChecks.SameBackend(op, coarse, depthsCoarse);
        OpChecks.Rank(op, depthsCoarse, 2, "coarse depths");
        int r = depthsCoarse.Shape[0], kc = depthsCoarse.Shape[1], kf = depthsFine?.Shape[1] ?? 0;
        if ((fine == null) != (depthsFine == null)) throw new ShapeMismatchException(op, "fine samples and fine depths go together");
        if (coarse.Numel != (long)r * kc * RayMarchLayout.SampleRow)
            throw new ShapeMismatchException(op, $"coarse samples {TensorException.Fmt(coarse.Shape)} are not [{r},{kc},{RayMarchLayout.SampleRow}]");
        if (fine != null && (depthsFine!.Shape[0] != r || fine.Numel != (long)r * kf * RayMarchLayout.SampleRow))
            throw new ShapeMismatchException(op, $"fine samples {TensorException.Fmt(fine.Shape)} / depths {TensorException.Fmt(depthsFine.Shape)} do not match {r} rays");
        if (kc + kf < 2) throw new ShapeMismatchException(op, "a march needs at least two samples per ray");
        var p = new RayMarchParams { Rays = r, Coarse = kc, Fine = kf, WhiteBack = whiteBack ? 1 : 0, WithWeights = weights != null ? 1 : 0 };
        var sc = ShapeOps.Compact(coarse);
        var sf = fine == null ? null : ShapeOps.Compact(fine);
        Tensor dc, df;
        using (GradMode.NoGrad()) { dc = ShapeOps.Compact(depthsCoarse); df = depthsFine == null ? dc : ShapeOps.Compact(depthsFine); }
        var y = Tensor.Empty(be, [r, RayMarchLayout.OutputRow]);
        be.MarchRays(p, sc.Storage, dc.Storage, sf?.Storage, fine == null ? null : df.Storage, y.Storage, weights?.Storage);
        Node.Record(y, OpKind.RayMarch, sf == null ? [sc, dc] : [sc, dc, sf, df], new MarchState(p));
        return y;
    }

    internal static Tensor?[] MarchBackward(Node node, Tensor gy)
    {
        var s = node.State<MarchState>();
        var inp = node.Inputs;
        var gyc = ShapeOps.Compact(gy);
        var gc = Tensor.Empty(gy.Backend, inp[0].Shape);
        var gf = inp.Length > 2 ? Tensor.Empty(gy.Backend, inp[2].Shape) : null;
        gy.Backend.MarchRaysBackward(s.P, inp[0].Storage, inp[1].Storage, inp.Length > 2 ? inp[2].Storage : null, inp.Length > 2 ? inp[3].Storage : null,
            gyc.Storage, gc.Storage, gf?.Storage);
        return inp.Length > 2 ? [gc, null, gf, null] : [gc, null];
    }
}

// The render's sampling kernels against their references on every backend (coarse depths, importance depths in the
// deterministic and stratified rules, march weights), and the tri-plane backward's deterministic accumulation:
// repeated runs give bit-identical plane and decoder gradients, and the backends agree.
using My3DGen.Engine.Backends;
using My3DGen.Engine.Ops;
using My3DGen.Engine.Tensors;
using My3DGen.Engine.Tests.Support;
using My3DGen.Kernels;

namespace My3DGen.Engine.Tests.Ops;

public class RenderKernelTests
{
    public static IEnumerable<IBackend> Backends() => TestBackends.All();

    [TestCaseSource(nameof(Backends))]
    public void CoarseDepthsMatchReference(IBackend be)
    {
        using var _ = TensorScope.Begin();
        // Fixture rule, mean-position rule, jittered.
        foreach (var (seed, mean) in new (uint?, bool)[] { (null, false), (null, true), (5u, false) })
        {
            var p = new DepthSamplingParams { Rays = 37, Coarse = 12, Start = 2.25f, End = 3.3f, Stratified = seed.HasValue ? 1 : mean ? 2 : 0, Seed = seed ?? 0 };
            var t = VolumeRendering.CoarseDepths(be, p.Rays, p.Coarse, p.Start, p.End, seed, mean);
            Compare.Close(t.ToArray(), DepthSamplingReference.Coarse(p), 1e-6, 1e-6, $"coarse depths (rule {p.Stratified})");
        }
    }

    [TestCaseSource(nameof(Backends))]
    public void ImportanceDepthsMatchReference(IBackend be)
    {
        using var _ = TensorScope.Begin();
        var rng = new Random(3);
        const int rays = 41, d = 12, fineCount = 12;
        foreach (var (seed, mean) in new (uint?, bool)[] { (null, false), (null, true), (9u, false) })
        {
            var coarse = VolumeRendering.CoarseDepths(be, rays, d, 2.25f, 3.3f, seed, mean);
            // Peaked weights (some rays all zero) exercise flat and steep CDFs.
            var w = Enumerable.Range(0, rays * (d - 1)).Select(i => i / (d - 1) % 7 == 0 ? 0f : (float)Math.Pow(rng.NextDouble(), 4)).ToArray();
            var fine = VolumeRendering.ImportanceDepths(coarse, Tensor.FromArray(be, w, rays, d - 1), fineCount, seed, mean);
            var p = new DepthSamplingParams { Rays = rays, Coarse = d, Fine = fineCount, Stratified = seed.HasValue ? 1 : mean ? 2 : 0, Seed = seed ?? 0 };
            var got = fine.ToArray();
            Compare.Close(got, DepthSamplingReference.Importance(coarse.ToArray(), w, p), 2e-5, 1e-5, $"importance depths (rule {p.Stratified})");
            for (int r = 0; r < rays; r++)
                for (int k = 1; k < fineCount; k++)
                    Assert.That(got[r * fineCount + k], Is.GreaterThanOrEqualTo(got[r * fineCount + k - 1]), "fine depths ascend per ray");
        }
    }

    [TestCaseSource(nameof(Backends))]
    public void MarchWeightsMatchReference(IBackend be)
    {
        using var _ = TensorScope.Begin();
        var rng = new Random(4);
        var (c, _) = RenderOpCases.MarchDepths();
        var samples = Enumerable.Range(0, 3 * 5 * 33).Select(_ => (float)(rng.NextDouble() * 4 - 1)).ToArray();
        var w = VolumeRendering.MarchWeights(Tensor.FromArray(be, samples, 3, 5, 33), Tensor.FromArray(be, c, 3, 5), false);
        var p = new RayMarchParams { Rays = 3, Coarse = 5 };
        var expected = RayMarchReference.March(samples.Select(v => (double)v).ToArray(), c, null, null, p).Weights;
        Compare.Close(w.ToArray(), expected, 1e-6, 1e-5, "march weights");
    }

    /// <summary>Many points on 3×4 planes, so most texels receive many contributions.</summary>
    static (float[] Planes, float[] Decoder, Tensor Rays, Tensor Depths, TriplaneParams P) Crowded(IBackend be)
    {
        var rng = new Random(12);
        var p = new TriplaneParams { Batch = 1, Height = 3, Width = 4, RaysPerBatch = 50, Samples = 9, Scale = 2f };
        var planes = Enumerable.Range(0, 3 * p.PlaneSize).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        var dec = Enumerable.Range(0, TriplaneLayout.DecoderSize).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        var rays = new float[p.RaysPerBatch * 6];
        for (int r = 0; r < p.RaysPerBatch; r++)
        {
            for (int a = 0; a < 3; a++) rays[r * 6 + a] = (float)(rng.NextDouble() - 0.5) * 0.8f;
            rays[r * 6 + 3 + r % 3] = 1f;
        }
        var depths = Enumerable.Range(0, p.RaysPerBatch * p.Samples).Select(i => 0.05f * (i % p.Samples) - 0.2f).ToArray();
        return (planes, dec, Tensor.FromArray(be, rays, p.RaysPerBatch, 6), Tensor.FromArray(be, depths, p.RaysPerBatch, p.Samples), p);
    }

    static (float[] GPlanes, float[] GDecoder) DecodeGradients(IBackend be)
    {
        using var _ = TensorScope.Begin();
        var (planes, dec, rays, depths, p) = Crowded(be);
        var pl = Tensor.FromArray(be, planes, 1, 3, p.Height, p.Width, 32); pl.RequiresGrad = true;
        var dc = Tensor.FromArray(be, dec, dec.Length); dc.RequiresGrad = true;
        var y = VolumeRendering.TriplaneDecode(pl, dc, rays, depths, 1f);
        var r = Tensor.FromArray(be, Enumerable.Range(0, (int)y.Numel).Select(i => MathF.Sin(i * 0.37f)).ToArray(), y.Shape);
        (y * r).Sum().Backward();
        return (pl.Grad!.ToArray(), dc.Grad!.ToArray());
    }

    [TestCaseSource(nameof(Backends))]
    public void TriplaneBackwardIsDeterministic(IBackend be)
    {
        var a = DecodeGradients(be);
        var b = DecodeGradients(be);
        Assert.That(b.GPlanes, Is.EqualTo(a.GPlanes), "plane gradients bit-identical across runs");
        Assert.That(b.GDecoder, Is.EqualTo(a.GDecoder), "decoder gradients bit-identical across runs");
        Assert.That(a.GPlanes.Count(v => v != 0f), Is.GreaterThan(a.GPlanes.Length / 2), "most texels receive gradient");
    }

    [Test]
    public void TriplaneBackwardAgreesAcrossBackends()
    {
        var cpu = DecodeGradients(TestBackends.All().First());
        foreach (var be in TestBackends.Extra())
        {
            var other = DecodeGradients(be);
            Compare.Close(other.GPlanes, cpu.GPlanes.Select(v => (double)v).ToArray(), 1e-5, 1e-4, $"plane gradients on {be.Kind}");
            Compare.Close(other.GDecoder, cpu.GDecoder.Select(v => (double)v).ToArray(), 1e-4, 1e-4, $"decoder gradients on {be.Kind}");
        }
    }
}

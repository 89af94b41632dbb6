// The generator's stages on ILGPU's CPU accelerator (the GPU code path, emulated): mapping, backbone blocks 4–16,
// and decoder + ray march for a subset of rays, against the same fixtures as the managed CPU backend.
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Backends;
using My3DGen.Models.Rendering;
using My3DGen.Models.Synthesis;

namespace My3DGen.Models.Tests.Eg3d;

[NonParallelizable]
public class IlgpuCpuTests
{
    static readonly Lazy<IBackend> Backend = new(() => DeviceSelector.Create("ilgpu-cpu"));
    static readonly Lazy<Eg3dGenerator> Gen = new(() => Eg3dGenerator.Load(FixtureData.TinyModel, Backend.Value));

    [Test]
    public void MappingMatchesFixture()
    {
        using var r = new Reference(FixtureData.Open(FixtureData.Case1));
        using var _ = GradMode.NoGrad();
        var be = Backend.Value;
        var ws = Gen.Value.Mapping(r.Tensor(be, "input.z"), r.Tensor(be, "input.c_cond"), 0.7f, 14);
        r.Check("ilgpu-cpu ws (psi 0.7)", "ws", ws, 1e-4);
    }

    [Test]
    public void BlocksUpTo16MatchFixture()
    {
        using var r = new Reference(FixtureData.Open(FixtureData.Case0));
        using var _ = GradMode.NoGrad();
        var be = Backend.Value;
        var ws = r.Tensor(be, "ws");
        Engine.Tensors.Tensor? x = null, img = null;
        int wi = 0;
        foreach (var b in Gen.Value.Backbone.Blocks.Take(3))
        {
            (x, img) = b.Forward(x, img, ws.Slice(1, wi, b.NumConv + 1), NoiseSettings.Const);
            wi += b.NumConv;
            string name = b.Name.Split('.').Last();
            r.Check($"ilgpu-cpu synthesis.{name}.x", $"synthesis.{name}.x", x, r.IntermediateTol($"synthesis.{name}.x"));
            r.Check($"ilgpu-cpu synthesis.{name}.img", $"synthesis.{name}.img", img, r.IntermediateTol($"synthesis.{name}.img"));
        }
    }

    [Test, Category("Slow")]
    public void DecoderAndMarchOnRaySubsetMatchFixture()
    {
        const int rays = 32, d = 12;
        using var r = new Reference(FixtureData.Open(FixtureData.Case0));
        using var _ = GradMode.NoGrad();
        var be = Backend.Value;
        var planes = TinyModel.Case0.Planes.To(be);
        var coords = r.Read("render.coarse.coords").AsSpan(0, rays * d * 3).ToArray();
        var depths = r.Read("render.depths_coarse").AsSpan(0, rays * d).ToArray();
        var features = TriplaneSampler.SampleMean(FlatPlanes.From(planes), coords, rays * d, 1f);
        var dec = Gen.Value.Decoder.Forward(features);
        var march = RayMarcher.March(dec.Rgb.Reshape(1, rays, d, 32), dec.Sigma.Reshape(1, rays, d, 1), depths, false, (2.25f, 3.3f));
        Compare(r, "ilgpu-cpu decoder_sigma (32 rays)", "render.coarse.decoder_sigma", dec.Sigma.ToArray(), 1e-3);
        Compare(r, "ilgpu-cpu marched_rgb (32 rays)", "render.coarse.marched_rgb", march.Rgb.ToArray(), 1e-3);
        Compare(r, "ilgpu-cpu marched_depth (32 rays)", "render.coarse.marched_depth", march.Depth.ToArray(), 1e-3);
        Compare(r, "ilgpu-cpu marched_weights (32 rays)", "render.coarse.marched_weights", march.Weights.ToArray(), 1e-4);
    }

    /// <summary>Compares the leading elements of a reference tensor (the first rays) with <paramref name="actual"/>.</summary>
    static void Compare(Reference r, string stage, string key, float[] actual, double tol)
    {
        var expected = r.Read(key).AsSpan(0, actual.Length).ToArray();
        double err = Reference.MaxAbs(expected, actual);
        TestContext.Out.WriteLine($"{stage}: max abs err = {err:E2}");
        Assert.That(err, Is.LessThanOrEqualTo(tol), stage);
    }
}

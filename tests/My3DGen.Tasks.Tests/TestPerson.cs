// Shared inputs: random W+ anchor sets for the latent math, and a synthetic person for the renders — the tiny EG3D
// fixture (converted once per run) with anchors mapped from seeds, like the demo's person (W anchors, ψ = 0.7).
using My3DGen.Engine.Backends.Cpu;
using My3DGen.Models;
using My3DGen.Models.Api;
using My3DGen.Models.Tests.Eg3d;
using My3DGen.Tasks.Latents;

namespace My3DGen.Tasks.Tests;

internal static class TestPerson
{
    /// <summary>N anchors of num_ws × w_dim standard-normal values (distinct per layer: W+).</summary>
    public static AnchorSet RandomWPlus(int count, int seed, int numWs = 14, int wDim = 512)
    {
        var rng = new Random(seed);
        var ws = Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, numWs * wDim).Select(_ => (float)Gaussian(rng)).ToArray()).ToList();
        return new AnchorSet(Enumerable.Range(0, count).Select(i => $"img{i}.png").ToList(), ws, numWs, wDim);
    }

    /// <summary>N W anchors (one w repeated on every layer).</summary>
    public static AnchorSet RandomW(int count, int seed, int numWs = 14, int wDim = 512)
    {
        var rng = new Random(seed);
        var ws = Enumerable.Range(0, count).Select(_ =>
        {
            var w = Enumerable.Range(0, wDim).Select(_ => (float)Gaussian(rng)).ToArray();
            return Enumerable.Range(0, numWs).SelectMany(_ => w).ToArray();
        }).ToList();
        return new AnchorSet(Enumerable.Range(0, count).Select(i => $"img{i}.png").ToList(), ws, numWs, wDim);
    }

    static readonly Lazy<Eg3dGenerator> Generator = new(() => Eg3dGenerator.Load(FixtureData.TinyModel, CpuBackend.Instance));

    /// <summary>The tiny EG3D fixture (shared; read-only use).</summary>
    public static Eg3dGenerator Tiny => Generator.Value;

    /// <summary>A person of <paramref name="count"/> W anchors: mapped z of seeds 10, 11, … with ψ = 0.7.</summary>
    public static AnchorSet MappedAnchors(int count)
    {
        var g = Tiny;
        var latents = LatentSources.FromSeeds(g, Enumerable.Range(10, count).ToList(), new MappingSettings());
        var ws = latents.Select(l => { using var t = l.Ws(); return t.ToArray(); }).ToList();
        return new AnchorSet(Enumerable.Range(0, count).Select(i => $"photo{i}.png").ToList(), ws, g.Config.NumWs, g.Config.WDim);
    }

    /// <summary>A person's anchors as the demo makes them: W latents mapped (ψ = 0.7, frontal camera) from z0 + 0.5·N(0, I), one shared
    /// z0, so that they are close to each other like photos of one person.</summary>
    public static AnchorSet CloseAnchors(int count, int seed)
    {
        var g = Tiny;
        var be = CpuBackend.Instance;
        var rng = new Random(seed);
        var z0 = Enumerable.Range(0, g.Config.ZDim).Select(_ => Gaussian(rng)).ToArray();
        using var noGrad = Engine.Autograd.GradMode.NoGrad();
        using var scope = Engine.Tensors.TensorScope.Begin();
        var cond = Engine.Tensors.Tensor.FromArray(be, RenderViews.AverageCamera(g), 1, 25);
        var ws = Enumerable.Range(0, count).Select(_ => g.Mapping(Engine.Tensors.Tensor.FromArray(be,
            z0.Select(v => (float)(v + 0.5 * Gaussian(rng))).ToArray(), 1, g.Config.ZDim), cond, psi: 0.7f).ToArray()).ToList();
        return new AnchorSet(Enumerable.Range(0, count).Select(i => $"photo{i}.png").ToList(), ws, g.Config.NumWs, g.Config.WDim);
    }

    public static string TempDir()
    {
        var d = Path.Combine(Path.GetTempPath(), "my3dgen-tasks-tests", $"{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(d);
        return d;
    }

    public static double Gaussian(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());
}

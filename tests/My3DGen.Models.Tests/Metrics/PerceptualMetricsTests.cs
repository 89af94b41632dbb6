// DISTS and the Ojha diversity against the PyTorch reference of tools/metrics/make_reference.py (hash-random VGG16,
// alpha/beta and LPIPS-vgg weights of the real shapes), and the converter on a weights.pt in the DISTS file layout.
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Backends.Cpu;
using My3DGen.Engine.IO;
using My3DGen.Engine.Tensors;
using My3DGen.Models.Metrics;
using My3DGen.Models.Perceptual;

namespace My3DGen.Models.Tests.Metrics;

public class PerceptualMetricsTests
{
    [Test, Category("Slow")]
    public void DistsMatchesPyTorch()
    {
        var be = CpuBackend.Instance;
        using var dists = Dists.CreateRandom(MetricsFixture.DistsSeed, be);
        using var scope = TensorScope.Begin();
        using var _ = GradMode.NoGrad();
        Tensor T(params string[] names) => MetricImages.ToTensor(be, names.Select(MetricsFixture.Image).ToList());
        var d64 = dists.Distance(T("dists_a0", "dists_a1"), T("dists_b0", "dists_b1")).ToArray();
        var dOdd = dists.Distance(T("dists_a2"), T("dists_b2")).ToArray();
        var dSame = dists.Distance(T("dists_a2"), T("dists_a2")).ToArray();
        var got = d64.Concat(dOdd).Concat(dSame).Select(v => (double)v).ToArray();
        var expected = MetricsFixture.Floats("dists.64").Concat(MetricsFixture.Floats("dists.40x56")).Concat(MetricsFixture.Floats("dists.same")).Select(v => (double)v).ToArray();
        double err = MetricsFixture.MaxAbsDiff(got, expected);
        TestContext.Out.WriteLine($"DISTS {string.Join(", ", got.Select(v => v.ToString("F6")))} vs PyTorch {string.Join(", ", expected.Select(v => v.ToString("F6")))}: max |Δ| {err:E2}");
        Assert.That(err, Is.LessThan(1e-5));
        Assert.That(got[0], Is.LessThan(got[1]), "the noisy copy is closer than an unrelated image");
    }

    [Test, Category("Slow")]
    public void DiversityMatchesPyTorch()
    {
        var be = CpuBackend.Instance;
        using var lpips = Lpips.CreateRandom(LpipsNet.Vgg, MetricsFixture.LpipsVggSeed, be);
        var train = Enumerable.Range(0, 3).Select(i => MetricsFixture.Named($"train{i}")).ToList();
        var gen = Enumerable.Range(0, 7).Select(i => MetricsFixture.Named($"dgen{i}")).ToList();
        var r = DiversityMetric.Compute(lpips, gen, train, size: 64, batch: 4);
        var assign = MetricsFixture.Floats("diversity.assign");
        var sizes = Enumerable.Range(0, 3).Select(k => assign.Count(a => (int)a == k)).ToArray();
        Assert.That(r.Clusters.Select(c => c.Size), Is.EqualTo(sizes), "cluster sizes");
        var means = MetricsFixture.Floats("diversity.cluster_mean").Select(v => (double)v).ToArray();
        var score = MetricsFixture.Floats("diversity.score");
        double errC = MetricsFixture.MaxAbsDiff(r.Clusters.Select(c => c.MeanLpips), means), errS = Math.Abs(r.Score - score[0]);
        TestContext.Out.WriteLine($"diversity {r.Score:F7} ± {r.Std:F7} vs PyTorch {score[0]:F7} ± {score[1]:F7}; sizes {string.Join("/", sizes)}; cluster means max |Δ| {errC:E2}, score |Δ| {errS:E2}");
        Assert.That(errC, Is.LessThan(1e-5));
        Assert.That(errS, Is.LessThan(1e-5));
        Assert.That(r.Std, Is.EqualTo(score[1]).Within(1e-5));
    }

    [Test]
    public void LpipsFromCachedFeaturesEqualsDirectDistance()
    {
        var be = CpuBackend.Instance;
        using var lpips = Lpips.CreateRandom(LpipsNet.Alex, 7, be);
        using var scope = TensorScope.Begin();
        var x = Tensor.Uniform(be, new Random(1), [3, 3, 48, 40], -1, 1);
        var y = Tensor.Uniform(be, new Random(2), [3, 3, 48, 40], -1, 1);
        var direct = lpips.Distance(x, y).ToArray();
        var cached = lpips.DistanceFromFeatures(lpips.Features(x), lpips.Features(y)).ToArray();
        Assert.That(cached, Is.EqualTo(direct).Within(1e-6));
    }

    [Test]
    public void DistsWeightsFileConvertsWithItsValues()
    {
        // A PyTorch-saved (legacy format) file laid out as dists-pytorch's weights.pt, holding the seed-5 hash values.
        string dir = Path.Combine(Path.GetTempPath(), "my3dgen-dists-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string output = Path.Combine(dir, "dists.safetensors");
            WeightsConverter.WeightsConverter.Convert(Path.Combine(MetricsFixture.Dir, "dists_weights_random.pt"), output);
            using var f = SafeTensorsFile.Open(output);
            Assert.That(f.Tensors.Select(t => t.Name), Is.EquivalentTo(new[] { "alpha", "beta" }));
            Assert.That(f.Info("alpha").Shape, Is.EqualTo(new[] { 1, 1475, 1, 1 }));
            // Streams 26 and 27 follow the 26 VGG16 conv tensors.
            Assert.That(f.ReadFloat32("alpha"), Is.EqualTo(HashUniform.Fill(MetricsFixture.DistsSeed * 1000 + 26, 1475, 0.1, 1.0)));
            Assert.That(f.ReadFloat32("beta"), Is.EqualTo(HashUniform.Fill(MetricsFixture.DistsSeed * 1000 + 27, 1475, 0.1, 1.0)));
        }
        finally { Directory.Delete(dir, true); }
    }
}

// ArcFace IR-SE50 against the PyTorch reference of tools/metrics/make_reference.py (hash-random weights of the real
// shapes): embeddings for both preprocessing variants on three image sizes, formula (2) ID_sim on 6 + 4 images,
// and the state-dict names the loader reads against the spec's module list (algorithms.md §5).
using My3DGen.Engine.Backends.Cpu;
using My3DGen.Models.Identity;
using My3DGen.Models.Metrics;

namespace My3DGen.Models.Tests.Metrics;

[Category("Slow")]
public class ArcFaceTests
{
    [TestCase(ArcFacePreprocess.My3DGen, "my3dgen")]
    [TestCase(ArcFacePreprocess.Psp, "psp")]
    public void EmbeddingsMatchPyTorch(ArcFacePreprocess mode, string key)
    {
        var net = MetricsFixture.ArcFace;
        var names = new[] { "face_a", "face_b", "face_c" };
        var got = MetricsService.Embed(net, names.Select(MetricsFixture.Image).ToList(), mode, batch: 2);
        double worst = 0;
        for (int i = 0; i < names.Length; i++)
        {
            var expected = MetricsFixture.Floats($"arcface.{key}.{names[i]}");
            double err = MetricsFixture.MaxAbsDiff(got.Skip(512 * i).Take(512).Select(v => (double)v), expected.Select(v => (double)v));
            double norm = Math.Sqrt(got.Skip(512 * i).Take(512).Sum(v => (double)v * v));
            TestContext.Out.WriteLine($"ArcFace {key} {names[i]}: max |Δ| {err:E2}, |e| = {norm:F6}");
            Assert.That(norm, Is.EqualTo(1.0).Within(1e-5), "unit embedding");
            worst = Math.Max(worst, err);
        }
        Assert.That(worst, Is.LessThan(1e-5));
    }

    [Test]
    public void IdSimFormula2MatchesPyTorch()
    {
        var net = MetricsFixture.ArcFace;
        var gen = Enumerable.Range(0, 6).Select(i => MetricsFixture.Named($"gen{i}")).ToList();
        var refs = Enumerable.Range(0, 4).Select(i => MetricsFixture.Named($"ref{i}")).ToList();
        var r = MetricsService.IdSim(net, gen, refs, ArcFacePreprocess.My3DGen, batch: 4);
        var cos = MetricsFixture.Floats("idsim.cos");
        double expected = MetricsFixture.Floats("idsim.score")[0];
        var bestExpected = Enumerable.Range(0, 6).Select(i => (double)Enumerable.Range(0, 4).Max(j => cos[i * 4 + j])).ToArray();
        double err = Math.Abs(r.Score - expected), errBest = MetricsFixture.MaxAbsDiff(r.BestCosine, bestExpected);
        TestContext.Out.WriteLine($"ID_sim {r.Score:F7} vs PyTorch {expected:F7}: |Δ| {err:E2}; per-image best cosine max |Δ| {errBest:E2}");
        Assert.That(err, Is.LessThan(1e-5));
        Assert.That(errBest, Is.LessThan(1e-5));
        Assert.That(r.BestReference, Is.EqualTo(Enumerable.Range(0, 6).Select(i => Enumerable.Range(0, 4).MaxBy(j => cos[i * 4 + j])).ToArray()));
    }

    [Test]
    public void IdSimIsTheMeanOfTheBestCosinesAndIdErrorIsOneMinusCos()
    {
        float[] g = [1, 0, 0.6f, 0.8f], r = [0, 1, 1, 0];
        var s = IdentityMetrics.IdSim(g, r, 2);
        Assert.That(s.BestCosine, Is.EqualTo(new[] { 1.0, 0.8 }).Within(1e-7));
        Assert.That(s.Score, Is.EqualTo(0.9).Within(1e-7));
        Assert.That(IdentityMetrics.IdError([0.6f, 0.8f], [1, 0]), Is.EqualTo(0.4).Within(1e-7));
    }

    /// <summary>The spec's list (algorithms.md §5): input_layer.{0,1,2}; body.{0..23}.res_layer.{0,1,2,3,4,5.fc1,5.fc2};
    /// body.{3,7,21}.shortcut_layer.{0,1}; output_layer.{0,3,4} — expanded to tensor names by module type
    /// (conv: weight; BN: weight, bias, running_mean, running_var; PReLU: weight; Linear: weight, bias).</summary>
    [Test]
    public void LoaderReadsExactlyTheSpecKeyNames()
    {
        string[] Bn(string m) => [$"{m}.weight", $"{m}.bias", $"{m}.running_mean", $"{m}.running_var"];
        var spec = new List<string> { "input_layer.0.weight" };
        spec.AddRange(Bn("input_layer.1")); spec.Add("input_layer.2.weight");
        for (int u = 0; u < 24; u++)
        {
            spec.AddRange(Bn($"body.{u}.res_layer.0"));
            spec.Add($"body.{u}.res_layer.1.weight"); spec.Add($"body.{u}.res_layer.2.weight"); spec.Add($"body.{u}.res_layer.3.weight");
            spec.AddRange(Bn($"body.{u}.res_layer.4"));
            spec.Add($"body.{u}.res_layer.5.fc1.weight"); spec.Add($"body.{u}.res_layer.5.fc2.weight");
        }
        foreach (int u in new[] { 3, 7, 21 }) { spec.Add($"body.{u}.shortcut_layer.0.weight"); spec.AddRange(Bn($"body.{u}.shortcut_layer.1")); }
        spec.AddRange(Bn("output_layer.0")); spec.Add("output_layer.3.weight"); spec.Add("output_layer.3.bias"); spec.AddRange(Bn("output_layer.4"));
        var loader = ArcFaceLayout.Tensors.Select(t => t.Name).ToList();
        Assert.That(loader, Is.Unique);
        Assert.That(loader, Is.EquivalentTo(spec));
        Assert.That(ArcFaceLayout.Tensors.Sum(t => t.Shape.Aggregate(1L, (a, b) => a * b)), Is.EqualTo(43_824_064), "values incl. BN buffers (≈ 175 MB of float32, as the released file)");
    }
}

// The tasks rendered with the tiny EG3D fixture and a 4-anchor synthetic person: interpolation's θ = 0 / 1 renders equal
// the anchors' own renders (≤ 1e-5), its files and per-θ ID_sim column; synthesis writes every sample, its latents
// and weights; an edit's θ = 0 row is the start latent's render and STOP drops the rows outside P_β.
using My3DGen.Engine.IO;
using My3DGen.Engine.Tensors;
using My3DGen.Models.Api;
using My3DGen.Tasks.Editing;
using My3DGen.Tasks.Identity;
using My3DGen.Tasks.Interpolation;
using My3DGen.Tasks.Rendering;
using My3DGen.Tasks.Synthesis;

namespace My3DGen.Tasks.Tests;

[Category("Slow")]
public class RenderedTasksTests
{
    static float[] RenderAlone(float[] ws, float[] camera)
    {
        using var t = RenderService.RenderImages(TestPerson.Tiny, [(ws, camera)])[0];
        return t.ToArray();
    }

    [Test]
    public void InterpolationEndsAreTheAnchorsRenders()
    {
        var g = TestPerson.Tiny;
        var anchors = TestPerson.MappedAnchors(4);
        var views = TaskViews.Random(g, 1, seed: 0);
        Assert.That(views.Select(v => v.Name), Has.All.Match(@"^yaw[+-]0\.[0-3]\d_pitch[+-]0\.[0-2]\d$"));
        var dir = TestPerson.TempDir();
        var images = new Dictionary<(int, int), float[]>();
        var scorer = new EmbeddingIdentityScorer("mean colour", MeanColour, [Tensor.FromArray(g.Backend, RenderAlone(anchors.Ws(1), views[0].Label), 1, 3, g.Config.ImgResolution, g.Config.ImgResolution)]);
        var result = InterpolationService.Run(g, anchors, new InterpolationRequest
        {
            From = 1, To = 3, Views = views, OutputDirectory = dir, IdentityScorer = scorer,
            Observer = (r, c, image) => { if (r is 0 or 9) images[(r, c)] = image.ToArray(); },
        });
        double err = 0;
        for (int c = 0; c < views.Count; c++)
        {
            err = Math.Max(err, MaxAbs(images[(0, c)], RenderAlone(anchors.Ws(1), views[c].Label)));
            err = Math.Max(err, MaxAbs(images[(9, c)], RenderAlone(anchors.Ws(3), views[c].Label)));
        }
        TestContext.Out.WriteLine($"interpolation θ = 0 / 1 vs the anchors' renders: max abs {err:E2}; ID_sim per θ (mean-colour embedding) {string.Join(" ", result.IdentitySimilarity!.Select(v => v.ToString("F3")))}");
        Assert.That(err, Is.LessThanOrEqualTo(1e-5));
        Assert.That(result.Thetas, Has.Length.EqualTo(10));
        Assert.That(result.IdentitySimilarity![0], Is.GreaterThan(result.IdentitySimilarity[9] - 1e-9));
        foreach (var f in result.Files) Assert.That(File.Exists(f), f);
        var latents = NpyFile.Read(Path.Combine(dir, "latents.npy"));
        Assert.That(latents.Shape, Is.EqualTo(new[] { 10, g.Config.NumWs, g.Config.WDim }));
        Assert.That(File.ReadAllLines(Path.Combine(dir, "interpolation.csv"))[0], Is.EqualTo("theta,id_sim"));
        Directory.Delete(dir, true);
    }

    [Test]
    public void SynthesisWritesEverySampleAndReproducesWithItsSeed()
    {
        var g = TestPerson.Tiny;
        var anchors = TestPerson.MappedAnchors(4);
        var dir = TestPerson.TempDir();
        var result = SynthesisService.Run(g, anchors, new SynthesisRequest { Count = 2, RandomViews = 2, OutputDirectory = dir });
        Assert.That(Directory.GetFiles(dir, "sample_*.png"), Has.Length.EqualTo(4));
        var latents = NpyFile.Read(Path.Combine(dir, "latents.npy"));
        Assert.That(latents.Shape, Is.EqualTo(new[] { 2, g.Config.NumWs, g.Config.WDim }));
        Assert.That(latents.Data, Is.EqualTo(result.Samples.SelectMany(s => s.Ws).ToArray()));
        Assert.That(File.ReadAllText(Path.Combine(dir, "samples.json")), Does.Contain("\"weights\""));
        Assert.That(result.Samples.Select(s => s.Ws), Is.EqualTo(Latents.P0Sampler.Sample(anchors, 2).Select(s => s.Ws)), "the seed (default 2) fixes the set");
        Directory.Delete(dir, true);
    }

    [Test]
    public void EditThetaZeroIsTheStartAndStopDropsRows()
    {
        var g = TestPerson.Tiny;
        var anchors = TestPerson.MappedAnchors(4);
        var view = RenderViews.FromYawPitch(g, [0.2f], [0f]);
        var direction = AlphaEditingTests.UnitRandom(g.Config.WDim, seed: 5);
        float[]? atZero = null;
        var thetas = new[] { -40.0, 0 };
        var request = new EditRequest
        {
            Start = AlphaLatent.FromAnchor(anchors, 2), StartName = "photo2", Direction = direction, Thetas = thetas, Views = view,
            OutputDirectory = TestPerson.TempDir(), Observer = (r, c, image) => { if (r == 1) atZero = image.ToArray(); },
        };
        var result = EditService.Run(g, request);
        double err = MaxAbs(atZero!, RenderAlone(anchors.Ws(2), view[0].Label));
        TestContext.Out.WriteLine($"edit θ = 0 vs the anchor's render: max abs {err:E2}; cos(n∥, n) = {result.Projection.MinCosine:F3}; min α per θ {string.Join(" ", result.Steps.Select(s => s.MinAlpha.ToString("F3")))}");
        Assert.That(err, Is.LessThanOrEqualTo(1e-5));
        Assert.That(result.Steps.Count(s => s.OutsideDilatedSpace), Is.EqualTo(1), "θ = −40 leaves P_β");
        var stopped = EditService.Run(g, request with { Policy = EdgePolicy.Stop, OutputDirectory = TestPerson.TempDir(), Observer = null });
        Assert.That(NpyFile.Read(Path.Combine(Path.GetDirectoryName(stopped.Grid!)!, "latents.npy")).Shape[0], Is.EqualTo(1));
        Assert.That(File.ReadAllLines(Path.Combine(Path.GetDirectoryName(stopped.Grid!)!, "edit.csv")).Count(l => l.EndsWith(",stopped")), Is.EqualTo(1));
        Directory.Delete(request.OutputDirectory, true);
        Directory.Delete(Path.GetDirectoryName(stopped.Grid!)!, true);
    }

    /// <summary>A stand-in embedding for the scorer's plumbing: the image's mean colour per channel plus a constant.</summary>
    static float[] MeanColour(Tensor image)
    {
        var v = image.ToArray();
        int plane = v.Length / 3;
        return [.. Enumerable.Range(0, 3).Select(c => (float)v.Skip(c * plane).Take(plane).Average()), 1f];
    }

    static double MaxAbs(float[] a, float[] b)
    {
        Assert.That(a.Length, Is.EqualTo(b.Length));
        double m = 0;
        for (int i = 0; i < a.Length; i++) m = Math.Max(m, Math.Abs(a[i] - b[i]));
        return m;
    }
}

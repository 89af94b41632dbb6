// PTI on the tiny EG3D fixture: a rendered target of another latent from a side view, a short W projection, then a short
// pivotal tuning stacked on a synthetic "person" LoRA set. Checks the LPIPS drop (≤ 0.5× the projection's), that removing
// the tuning gives the person's model back bit for bit, the files, and the stacking rules of LoraNetwork.
using My3DGen.Engine.Backends.Cpu;
using My3DGen.Engine.Tensors;
using My3DGen.Models;
using My3DGen.Models.Api;
using My3DGen.Models.Lora;
using My3DGen.Models.Perceptual;
using My3DGen.Models.Tests.Eg3d;
using My3DGen.Personalization.Lora;
using My3DGen.Personalization.Projection;
using My3DGen.Tasks.Inversion;

namespace My3DGen.Tasks.Tests;

[Category("Slow")]
public sealed class InversionTests
{
    static Eg3dGenerator WithPerson(out LoraNetwork person) => TestPerson.WithRandomPerson(0.05, out person);

    static float[] Render(Eg3dGenerator g, float[] ws, float[] cam)
    {
        using var t = PivotalTuner.RenderPivot(g, ws, cam);
        return t.ToArray();
    }

    [Test]
    public void PtiHalvesLpipsAndRemovingItRestoresThePerson()
    {
        using var g = WithPerson(out var person);
        person.Merge();
        var target = TestPerson.MappedAnchors(12).Ws(11);
        var cam = RenderViews.FromYawPitch(g, [0.3f], [0.1f])[0].Label;
        var photo = Render(g, target, cam);
        var probe = TestPerson.MappedAnchors(3).Ws(2);
        var personBefore = Render(g, probe, cam);

        using var vgg = Lpips.CreateRandom(LpipsNet.Vgg, 1, CpuBackend.Instance);
        using var alex = Lpips.CreateRandom(LpipsNet.Alex, 2, CpuBackend.Instance);
        var dir = TestPerson.TempDir();
        var r = InversionService.Run(g, vgg, alex, new InversionRequest
        {
            Photo = new ProjectionTarget("photo", photo, cam),
            OutputDirectory = dir,
            Projection = new ProjectionOptions { Steps = 4, WAvgSamples = 32, NoiseMaps = NoiseMapMode.Const, LossResolution = 32 },
            Tuning = new PivotalTuningOptions { Steps = 16, LearningRate = 1e-2f, Rank = 4 },
            OrbitFrames = 4,
        });
        TestContext.Out.WriteLine($"LPIPS-alex projection {r.LpipsProjection:G4} -> PTI {r.LpipsTuned:G4}; MSE {r.MseProjection:G4} -> {r.MseTuned:G4}; {r.TrainedValues} values; {dir}");
        Assert.That(r.LpipsTuned, Is.LessThanOrEqualTo(0.5f * r.LpipsProjection));
        Assert.That(g.AttachedLora, Is.SameAs(person), "the tuning set is removed");
        Assert.That(Render(g, probe, cam), Is.EqualTo(personBefore), "the person's model is restored bit for bit");
        foreach (var f in r.Files) Assert.That(File.Exists(f), f);

        using (var applied = AdapterFile.Apply(g, r.AdapterPath))
        {
            Assert.That(applied.Lora!.StackedOn, Is.SameAs(person));
            var again = Render(g, r.Pivot, cam);
            double mse = again.Zip(photo, (a, b) => (double)(a - b) * (a - b)).Average();
            Assert.That(mse, Is.EqualTo(r.MseTuned).Within(1e-4), "the saved adapter reproduces the tuned reconstruction");
        }
        Assert.That(Render(g, probe, cam), Is.EqualTo(personBefore));
    }

    [Test]
    public void StackingNeedsAMergedSetAndUnstacksInOrder()
    {
        using var g = WithPerson(out var person);
        Assert.Throws<InvalidOperationException>(() => new LoraNetwork(g, new LoraOptions(1), false));
        person.Merge();
        using var top = new LoraNetwork(g, new LoraOptions(1), false);
        Assert.That(top.StackedOn, Is.SameAs(person));
        Assert.Throws<InvalidOperationException>(() => person.Unmerge());
        top.Dispose();
        Assert.That(g.AttachedLora, Is.SameAs(person));
        person.Unmerge();
    }
}

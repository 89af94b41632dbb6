// Projector behaviour on the small model: batch 4 gives each photo exactly what batch 1 gives it; a folder run cancelled
// after its first photo leaves only whole anchors (no temp files) and a rerun projects only the rest; options are checked.
using My3DGen.Models.Lora;
using My3DGen.Personalization.Projection;

namespace My3DGen.Personalization.Tests.Projection;

public class ProjectorBehaviourTests
{
    static ProjectionOptions Quick => new() { Steps = 3, LossResolution = 32, WAvgSamples = 64, LearningRate = 0.05f };

    [Test, Category("Slow")]
    public void BatchOfFourEqualsBatchOfOnePerPhoto()
    {
        using var gen = ProjectionWorld.Generator();
        using var vgg = ProjectionWorld.RandomVgg();
        var targets = Enumerable.Range(0, 4).Select(i => ProjectionWorld.Target(gen, i)).ToList();
        var one = new Projector(gen, vgg, Quick with { BatchSize = 1 }).Project(targets);
        var four = new Projector(gen, vgg, Quick with { BatchSize = 4 }).Project(targets);
        double worst = 0, moved = 0;
        for (int i = 0; i < 4; i++)
        {
            Assert.That(four[i].Name, Is.EqualTo(one[i].Name));
            worst = Math.Max(worst, one[i].Latent.Zip(four[i].Latent, (a, b) => (double)Math.Abs(a - b)).Max());
            worst = Math.Max(worst, Math.Abs(one[i].Lpips - four[i].Lpips));
            moved = Math.Max(moved, one[i].Latent.Zip(one[0].Latent, (a, b) => (double)Math.Abs(a - b)).Max());
        }
        TestContext.Out.WriteLine($"batch 4 vs batch 1: max |Δ latent|, |Δ LPIPS| = {worst:E2}; photos differ from each other by up to {moved:E2}");
        Assert.That(worst, Is.LessThanOrEqualTo(1e-5));
        Assert.That(moved, Is.GreaterThan(1e-4), "different photos must get different latents");
    }

    [Test, Category("Slow")]
    public void CancelledFolderRunKeepsWholeAnchorsAndTheRerunProjectsOnlyTheRest()
    {
        using var gen = ProjectionWorld.Generator();
        using var vgg = ProjectionWorld.RandomVgg();
        var dir = ProjectionWorld.PhotoFolder(gen, Path.Combine(Path.GetTempPath(), $"my3dgen-project-{Guid.NewGuid():N}"), 3);
        try
        {
            using var cts = new CancellationTokenSource();
            var progress = new SyncProgress(p => { if (p.ImagesDone == 1 && p.Step == 1) cts.Cancel(); });   // cancel early in photo 2
            Assert.Throws<OperationCanceledException>(() => FolderProjection.Run(new Projector(gen, vgg, Quick), gen, dir, progress: progress, cancel: cts.Token));
            Assert.That(File.Exists(Path.Combine(dir, "photo_0_latent.npy")), Is.True, "the finished photo keeps its anchor");
            Assert.That(File.Exists(Path.Combine(dir, "photo_1_latent.npy")) || File.Exists(Path.Combine(dir, "photo_2_latent.npy")), Is.False);
            Assert.That(Directory.GetFiles(dir, "*.tmp", SearchOption.AllDirectories), Is.Empty, "no partial files");
            Assert.That(FolderProjection.MissingAnchors(dir), Is.EqualTo(new[] { "photo_1.png", "photo_2.png" }));
            var first = File.ReadAllBytes(Path.Combine(dir, "photo_0_latent.npy"));

            var seen = new HashSet<string>();
            var rerun = FolderProjection.Run(new Projector(gen, vgg, Quick), gen, dir, progress: new SyncProgress(p => seen.UnionWith(p.Batch)));
            Assert.That(rerun.Skipped, Is.EqualTo(new[] { "photo_0.png" }));
            Assert.That(rerun.Projected.Select(r => r.Name), Is.EqualTo(new[] { "photo_1.png", "photo_2.png" }));
            Assert.That(seen, Is.EquivalentTo(new[] { "photo_1.png", "photo_2.png" }), "only the rest is optimised");
            Assert.That(File.ReadAllBytes(Path.Combine(dir, "photo_0_latent.npy")), Is.EqualTo(first), "the finished anchor is untouched");
            var ds = Data.PersonDataset.Load(dir, gen.Config.ImgResolution, gen.Config.NumWs, gen.Config.WDim);
            var viaCollection = Data.PersonDataset.Load(dir, gen.Config.ImgResolution, gen.Config.NumWs, gen.Config.WDim, Path.Combine(dir, AnchorFiles.CollectionName));
            for (int i = 0; i < 3; i++) Assert.That(viaCollection.Samples[i].Latent, Is.EqualTo(ds.Samples[i].Latent), "anchors.safetensors = the .npy files");
            Assert.That(File.Exists(rerun.Grid) && File.Exists(rerun.Table), Is.True);
            var csv = File.ReadAllLines(rerun.Table!);
            Assert.That(csv, Has.Length.EqualTo(3));
            Assert.That(csv[1], Does.StartWith("photo_1.png,").And.EndWith(",random"));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Test]
    public void OptionsOutOfRangeNameTheOption()
    {
        Assert.That(Assert.Throws<InvalidOptionException>(() => new ProjectionOptions { Steps = 0 }.Validate())!.Option, Is.EqualTo("--steps"));
        Assert.That(Assert.Throws<InvalidOptionException>(() => new ProjectionOptions { LearningRate = float.NaN }.Validate())!.Option, Is.EqualTo("--lr"));
        Assert.That(Assert.Throws<InvalidOptionException>(() => new ProjectionOptions { WNoiseFactor = -1 }.Validate())!.Option, Is.EqualTo("--w-noise"));
        Assert.That(Assert.Throws<InvalidOptionException>(() => new ProjectionOptions { WAvgSamples = 1 }.Validate())!.Option, Is.EqualTo("--w-avg-samples"));
        Assert.That(Assert.Throws<InvalidOptionException>(() => new ProjectionOptions { BatchSize = 0 }.Validate())!.Option, Is.EqualTo("--batch"));
        Assert.That(Assert.Throws<InvalidOptionException>(() => new ProjectionOptions { MseWeight = -1 }.Validate())!.Option, Is.EqualTo("--mse-weight"));
        Assert.That(new ProjectionOptions().Describe(), Does.StartWith("W, 500 steps, lr 0.01, w-noise 0.05, noise optimize, w-avg from 600 z (frontal camera)"));
    }

    sealed class SyncProgress(Action<ProjectionProgress> report) : IProgress<ProjectionProgress>
    {
        public void Report(ProjectionProgress value) => report(value);
    }
}

// The library side of the CLI: RenderService honours its CancellationToken before any file is written, latents and
// views are built as the CLI builds them (average-camera conditioning, names), and OutputPaths only removes temp
// files of processes that are gone.
using My3DGen.Engine.Backends.Cpu;
using My3DGen.Models;
using My3DGen.Models.Api;

namespace My3DGen.Cli.Tests;

public class RenderServiceTests
{
    static readonly Lazy<Eg3dGenerator> Generator = new(() => Eg3dGenerator.Load(TestWorld.Model, CpuBackend.Instance));

    [Test]
    public void ACancelledRenderWritesNothing()
    {
        var g = Generator.Value;
        var dir = Path.Combine(TestWorld.CaseDir(), "out");
        var request = new RenderRequest
        {
            Latents = LatentSources.FromSeeds(g, [0, 1], new MappingSettings()),
            Views = RenderViews.FromYawPitch(g, [0f], [0f]),
            OutputDirectory = dir,
        };
        Assert.Throws<OperationCanceledException>(() => RenderService.Render(g, request, cancel: new CancellationToken(true)));
        Assert.That(Directory.GetFiles(dir), Is.Empty);
    }

    [Test]
    public void LatentsAndViewsAreNamedAndConditionedLikeTheCli()
    {
        var g = Generator.Value;
        Assert.That(LatentSources.FromSeeds(g, [3, 12], new MappingSettings()).Select(l => (l.Name, l.Seed)), Is.EqualTo(new[] { ("seed0003", 3), ("seed0012", 12) }));
        var views = RenderViews.FromYawPitch(g, [-0.35f, 0f], [0.1f]);
        Assert.That(views.Select(v => v.Name), Is.EqualTo(new[] { "yaw-0.35_pitch+0.10", "yaw+0.00_pitch+0.10" }));
        Assert.That(RenderViews.AverageCamera(g), Is.EqualTo(Models.Cameras.CameraLabel.Create(0, 0, g.Config.Rendering.AvgCameraRadius, g.Config.Rendering.AvgCameraPivot)));
        Assert.That(RenderViews.Orbit(g, 4), Has.Count.EqualTo(4));
    }

    [Test]
    public void OnlyTempFilesOfEndedProcessesAreRemoved()
    {
        var dir = TestWorld.CaseDir();
        var target = Path.Combine(dir, "a.safetensors");
        var mine = Path.Combine(dir, $".a.safetensors.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        var stale = Path.Combine(dir, $".a.safetensors.{int.MaxValue - 3}.{Guid.NewGuid():N}.tmp");
        var other = Path.Combine(dir, $".b.safetensors.{int.MaxValue - 3}.{Guid.NewGuid():N}.tmp");
        foreach (var f in new[] { mine, stale, other }) File.WriteAllText(f, "x");
        Assert.That(OutputPaths.RemoveStaleTemps(target), Is.EqualTo(1));
        Assert.That((File.Exists(mine), File.Exists(stale), File.Exists(other)), Is.EqualTo((true, false, true)));
    }
}

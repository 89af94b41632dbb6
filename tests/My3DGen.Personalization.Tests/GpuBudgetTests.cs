// The full-size forward and training step run through the counting backend (no math): GFLOP per stage, kernel
// launches, host↔device bytes and queue drains stay within GpuBudgets, and no launch exceeds a grid (65,535) or
// int32 index limit, at batch 1–8 with and without gradients. The numbers are printed for the record.
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Backends.Counting;
using My3DGen.Engine.Backends.Ilgpu;
using My3DGen.Engine.Tensors;
using My3DGen.Models;
using My3DGen.Models.Perceptual;
using My3DGen.Models.Synthesis;
using My3DGen.Personalization.Diagnostics;

namespace My3DGen.Personalization.Tests;

[TestFixture, Category("Slow"), NonParallelizable]
public class GpuBudgetTests
{
    CountingBackend _be = null!;
    Eg3dGenerator _g = null!;

    [OneTimeSetUp]
    public void Build()
    {
        _be = new CountingBackend();
        _g = Ffhq512Workloads.Generator(_be);
    }

    [OneTimeTearDown]
    public void Release() => _g.Dispose();

    [Test]
    public void GflopPerImageByStage()
    {
        var (ws, c) = Ffhq512Workloads.Inputs(_g, 1);
        using var _ = GradMode.NoGrad();
        using var scope = TensorScope.Begin();
        _be.Reset();
        var planes = _g.SynthesizePlanes(ws);
        var backbone = _be.Counts;
        var res = _g.Render(planes, ws, c);
        var renderAndSr = BackendCounts.Between(backbone, _be.Counts);
        var before = _be.Counts;
        _g.SuperResolution.Forward(res.ImageRaw, res.FeatureImage, ws, NoiseSettings.None);
        var sr = BackendCounts.Between(before, _be.Counts);
        double b = backbone.Flops / 1e9, s = sr.Flops / 1e9, r = renderAndSr.Flops / 1e9 - s;
        TestContext.Out.WriteLine($"GFLOP per 512² image: total {b + s + r:F1} = backbone {b:F1} + super-resolution {s:F1} + render {r:F1}");
        foreach (var (op, f) in backbone.FlopsByOp.Concat(renderAndSr.FlopsByOp).GroupBy(kv => kv.Key).Select(gr => (gr.Key, gr.Sum(kv => kv.Value))))
            TestContext.Out.WriteLine($"  {op}: {f / 1e9:F2} GFLOP");
        Assert.Multiple(() =>
        {
            Assert.That(b, Is.EqualTo(GpuBudgets.BackboneGflop).Within(GpuBudgets.GflopTolerance * GpuBudgets.BackboneGflop), "backbone GFLOP");
            Assert.That(s, Is.EqualTo(GpuBudgets.SuperResolutionGflop).Within(GpuBudgets.GflopTolerance * GpuBudgets.SuperResolutionGflop), "SR GFLOP");
            Assert.That(r, Is.EqualTo(GpuBudgets.RenderGflop).Within(GpuBudgets.GflopTolerance * GpuBudgets.RenderGflop), "render GFLOP");
        });
    }

    [Test]
    public void ForwardStaysWithinBudgetsAndDeviceLimits([Values(1, 4, 8)] int batch, [Values(false, true)] bool withGrad)
    {
        var (ws, c) = Ffhq512Workloads.Inputs(_g, batch);
        _be.Reset();
        using (TensorScope.Begin()) Ffhq512Workloads.Forward(_g, ws, c, withGrad);
        var n = _be.Counts;
        TestContext.Out.WriteLine($"batch {batch}, {(withGrad ? "forward + backward" : "forward, no grad")}: {n}");
        AssertDeviceLimits(n);
        Assert.Multiple(() =>
        {
            if (withGrad)
            {
                Assert.That(n.Launches, Is.LessThanOrEqualTo(GpuBudgets.GradLaunches(batch)), "launches");
                Assert.That(n.UploadBytes / 1e6, Is.LessThanOrEqualTo(GpuBudgets.GradUploadMBPerImage * batch), "upload MB");
                Assert.That(n.DownloadBytes / 1e6, Is.LessThanOrEqualTo(GpuBudgets.GradDownloadMBPerImage * batch), "download MB");
            }
            else
            {
                Assert.That(n.Launches, Is.LessThanOrEqualTo(GpuBudgets.ForwardLaunchesPerImage * batch), "launches");
                Assert.That(n.UploadBytes / 1e6, Is.LessThanOrEqualTo(GpuBudgets.ForwardUploadMBPerImage * batch), "upload MB");
                Assert.That(n.DownloadBytes / 1e6, Is.LessThanOrEqualTo(GpuBudgets.ForwardDownloadMBPerImage * batch), "download MB");
            }
            Assert.That(n.Downloads, Is.LessThanOrEqualTo(GpuBudgets.DownloadsPerForward), "downloads");
            Assert.That(n.Drains, Is.LessThanOrEqualTo(GpuBudgets.DrainsPerForward), "drains");
        });
    }

    /// <summary>One personalization step (fused render, staged per sample) with and without decoder gradients: the only
    /// read-back is the step's loss parts after the last backward, so nothing leaves the device inside a forward or backward.</summary>
    [Test]
    public void TrainingStepStaysWithinBudgetsAndDeviceLimits([Values(1, 4)] int batch, [Values(true, false)] bool trainDecoder)
    {
        using var lpips = Lpips.CreateRandom(LpipsNet.Alex, 0, _be);
        using var trainer = Ffhq512Workloads.Trainer(_g, lpips, batch, trainDecoder: trainDecoder);
        _be.Reset();
        trainer.TrainStep();
        var n = _be.Counts;
        TestContext.Out.WriteLine($"training step, batch {batch}, decoder {(trainDecoder ? "trained" : "frozen")}: {n}");
        AssertDeviceLimits(n);
        Assert.Multiple(() =>
        {
            Assert.That(n.Launches, Is.LessThanOrEqualTo(GpuBudgets.TrainLaunchesPerSample * batch), "launches");
            Assert.That(n.UploadBytes / 1e6, Is.LessThanOrEqualTo(GpuBudgets.TrainUploadMBPerSample * batch), "upload MB");
            Assert.That(n.DownloadBytes / 1e6, Is.LessThanOrEqualTo(GpuBudgets.TrainDownloadMBPerSample * batch), "download MB");
            Assert.That(n.Downloads, Is.LessThanOrEqualTo(GpuBudgets.DownloadsPerTrainingStep), "downloads");
            Assert.That(n.Drains, Is.LessThanOrEqualTo(GpuBudgets.DrainsPerTrainingStep), "drains");
        });
    }

    static void AssertDeviceLimits(BackendCounts n)
    {
        Assert.That(n.Violations, Is.Empty, "launches beyond a device limit");
        Assert.That(n.MaxGridY, Is.LessThanOrEqualTo(DeviceLimits.MaxGridYZ), "grid Y");
        Assert.That(n.MaxGridZ, Is.LessThanOrEqualTo(DeviceLimits.MaxGridYZ), "grid Z");
        Assert.That(n.MaxIndexRange, Is.LessThanOrEqualTo(DeviceLimits.MaxLinearCount), "int32 index range");
    }
}

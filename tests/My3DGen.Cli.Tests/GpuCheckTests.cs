// `my3dgen gpu-check --quick` here (no GPU): one "no GPU" line, every planned check listed in the JSON report (kernel
// parity at the small size, the tiny generator vs the PyTorch fixture, the timings as skipped) and none failed;
// and `devices --verbose` names every GPU kind with its details or the reason it is not usable.
using System.Text.Json;
using My3DGen.Personalization.Diagnostics;

namespace My3DGen.Cli.Tests;

[NonParallelizable]
public class GpuCheckTests
{
    [Test, Category("Slow")]
    public void QuickGpuCheckListsEveryCheckAndPassesWithoutAGpu()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"my3dgen-gpucheck-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        var report = Path.Combine(dir, "report.json");
        try
        {
            var fixtures = Path.Combine(TestContext.CurrentContext.TestDirectory, "fixtures", "eg3d");
            var run = CliRunner.Run("gpu-check", "--quick", "--fixtures", fixtures, "-o", report);
            TestContext.Out.WriteLine(run.ToString());
            Assert.That(run.Code, Is.Zero, run.ToString());
            using var doc = JsonDocument.Parse(File.ReadAllText(report));
            var root = doc.RootElement;
            var names = root.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();
            Assert.That(names, Is.EqualTo(GpuCheck.PlannedChecks(new GpuCheckOptions { Quick = true })), "every check, in order");
            Assert.That(names, Does.Contain("kernel/gemm-Blocked64/small").And.Contain("kernel/conv2d-backward-weight/small")
                .And.Contain("kernel/index-add/small").And.Contain("model/tiny-generator-vs-pytorch").And.Contain("timing/forward-512"));
            var status = root.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("status").GetString());
            Assert.That(status["model/tiny-generator-vs-pytorch"], Is.EqualTo("pass"));
            Assert.That(status.Where(kv => kv.Key.StartsWith("kernel/")).Select(kv => kv.Value).Distinct(), Is.EqualTo(new[] { "pass" }));
            Assert.That(status["timing/forward-512"], Is.EqualTo("skipped"));
            if (!root.GetProperty("gpu").GetBoolean())
                Assert.That(root.GetProperty("gpu_line").GetString(), Does.StartWith("no GPU:"));
            Assert.That(run.Stderr + run.Stdout, Does.Contain(root.GetProperty("gpu_line").GetString()), "the GPU line is printed");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Test]
    public void DevicesVerboseProbesEveryGpuKind()
    {
        var run = CliRunner.Run("devices", "--verbose", "--json");
        Assert.That(run.Code, Is.Zero, run.ToString());
        using var doc = JsonDocument.Parse(run.Stdout);
        var probes = doc.RootElement.GetProperty("probes").EnumerateArray().ToList();
        Assert.That(probes.Select(p => p.GetProperty("kind").GetString()), Is.EqualTo(new[] { "Cuda", "OpenCL" }));
        foreach (var p in probes)
            Assert.That(p.GetProperty("found").GetBoolean() || !string.IsNullOrEmpty(p.GetProperty("error").GetString()), "a reason when absent");
    }
}

// Ctrl-C (SIGINT), SIGTERM and SIGKILL sent to a child my3dgen: personalize stops between steps, saves a checkpoint of
// the steps done, prints "cancelled; resume with --resume", exits 130 and leaves no temp file; --resume then continues from it.
// A killed run's stale temp file is removed by the next run. render stops with 130 and only complete PNGs.
using System.Diagnostics;
using My3DGen.Engine.IO;
using SixLabors.ImageSharp;

namespace My3DGen.Cli.Tests;

[NonParallelizable]
public class SignalTests
{
    const int SigInt = 2, SigKill = 9, SigTerm = 15;

    static void WaitFor(Func<bool> condition, Process child, string what)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (child.HasExited) Assert.Fail($"my3dgen exited ({child.ExitCode}) before {what}: {child.StandardError.ReadToEnd()}");
            if (sw.Elapsed > TimeSpan.FromSeconds(90)) { child.Kill(true); Assert.Fail($"timed out waiting for {what}"); }
            Thread.Sleep(50);
        }
    }

    static string[] Temps(string dir) => Directory.GetFiles(dir, "*.tmp", SearchOption.AllDirectories);

    static int CheckpointStep(string path)
    {
        using var f = SafeTensorsFile.Open(path);
        return int.Parse(f.Metadata["step"]);
    }

    static (string Adapter, string Checkpoint, Process Child) StartTraining(string dir) =>
        (Path.Combine(dir, "a.lora.safetensors"), Path.Combine(dir, "a.lora.ckpt.safetensors"),
         CliRunner.Start("personalize", "-m", TestWorld.Model, "--data", TestWorld.Dataset, "--lpips-random", "--device", "cpu",
             "--steps", "200", "--checkpoint-every", "1", "-o", Path.Combine(dir, "a.lora.safetensors")));

    [TestCase(SigInt)]
    [TestCase(SigTerm)]
    public void PersonalizeStopsSavesAndResumes(int signal)
    {
        var dir = TestWorld.CaseDir();
        var (adapter, ckpt, child) = StartTraining(dir);
        using (child)
        {
            WaitFor(() => File.Exists(ckpt), child, "the first checkpoint");
            CliRunner.Signal(child, signal);
            var run = CliRunner.Finish(child);
            Assert.That(run.Code, Is.EqualTo(130), run.ToString());
            Assert.That(run.StderrLines, Has.Length.EqualTo(1), run.ToString());
            Assert.That(run.Stderr, Does.StartWith("cancelled; resume with --resume").And.Not.Contain("   at "), run.ToString());
        }
        Assert.That(Temps(dir), Is.Empty, "temp files left");
        Assert.That(File.Exists(adapter), Is.False, "no adapter from a cancelled run");
        int step = CheckpointStep(ckpt);
        Assert.That(step, Is.GreaterThanOrEqualTo(1));
        if (signal == SigTerm) return;   // the same code path as SIGINT: resuming once (below) keeps the test project fast
        var resumed = CliRunner.Run("personalize", "-m", TestWorld.Model, "--data", TestWorld.Dataset, "--lpips-random", "--device", "cpu",
            "--steps", $"{step}", "-o", adapter, "--resume");
        Assert.That(resumed.Code, Is.Zero, resumed.ToString());
        Assert.That(resumed.Stdout, Does.Contain($"resumed at step {step}"));
        Assert.That(File.Exists(adapter), Is.True);
    }

    [Test]
    public void AKilledRunResumesAndItsStaleTempFileIsRemoved()
    {
        var dir = TestWorld.CaseDir();
        var (adapter, ckpt, child) = StartTraining(dir);
        var stale = Path.Combine(dir, $".a.lora.ckpt.safetensors.{int.MaxValue - 7}.{Guid.NewGuid():N}.tmp");
        File.WriteAllBytes(stale, new byte[512 * 1024]);
        using (child)
        {
            WaitFor(() => File.Exists(ckpt), child, "the first checkpoint");
            CliRunner.Signal(child, SigKill);
            child.WaitForExit();
        }
        int step = CheckpointStep(ckpt);
        var resumed = CliRunner.Run("personalize", "-m", TestWorld.Model, "--data", TestWorld.Dataset, "--lpips-random", "--device", "cpu",
            "--steps", $"{step}", "--checkpoint-every", "1", "-o", adapter, "--resume");
        Assert.That(resumed.Code, Is.Zero, resumed.ToString());
        Assert.That(File.Exists(adapter), Is.True);
        Assert.That(Temps(dir), Is.Empty, "the killed run's temp file was not cleaned");
    }

    [Test]
    public void RenderStopsWithCompleteFilesOnly()
    {
        var dir = TestWorld.CaseDir();
        var outDir = Path.Combine(dir, "out");
        using var child = CliRunner.Start("render", "-m", TestWorld.Model, "--device", "cpu", "--seeds", "0-40", "-o", outDir);
        WaitFor(() => Directory.Exists(outDir) && Directory.GetFiles(outDir, "*.png").Length > 0, child, "the first PNG");
        CliRunner.Signal(child, SigTerm);
        var run = CliRunner.Finish(child);
        Assert.That(run.Code, Is.EqualTo(130), run.ToString());
        Assert.That(run.Stderr.Trim(), Is.EqualTo("cancelled"), run.ToString());
        Assert.That(Temps(dir), Is.Empty);
        Assert.That(File.Exists(Path.Combine(outDir, "contact_sheet.png")), Is.False);
        foreach (var png in Directory.GetFiles(outDir, "*.png"))
            Assert.DoesNotThrow(() => Image.Identify(png), png);
    }
}

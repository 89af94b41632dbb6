// What the CLI does when nothing is wrong: help with examples and exit codes, --json results on stdout, --quiet,
// progress lines when not a terminal, no hard wrapping when piped, shape meshes, resuming a finished checkpoint.
using System.Text;
using System.Text.Json;

namespace My3DGen.Cli.Tests;

[NonParallelizable]
public class BehaviourTests
{
    [Test]
    public void HelpListsTheExitCodesAndEachVerbItsExamples()
    {
        var root = CliRunner.Run("--help");
        Assert.That(root.Code, Is.Zero);
        Assert.That(root.Stdout, Does.Contain("Exit codes:").And.Contain("130").And.Contain("70").And.Contain("usage error"));
        foreach (var verb in new[] { "render", "shape", "personalize", "project", "convert", "inspect", "devices", "demo", "metrics", "prepare",
                                     "interpolate", "synthesize", "fit-direction", "edit" })
        {
            var help = CliRunner.Run(verb, "--help");
            Assert.That(help.Code, Is.Zero, verb);
            Assert.That(help.Stdout, Does.Contain("Examples:").And.Contain($"my3dgen {verb}").And.Contain("--json"), verb);
        }
    }

    [Test]
    public void InspectAndDevicesPrintOneJsonObjectAndQuietPrintsNothing()
    {
        var inspect = CliRunner.Run("inspect", TestWorld.Model, "--json");
        Assert.That(inspect.Code, Is.Zero, inspect.ToString());
        using (var doc = JsonDocument.Parse(inspect.Stdout))
            Assert.That(doc.RootElement.GetProperty("tensors").GetArrayLength(), Is.GreaterThan(100));
        var devices = CliRunner.Run("devices", "--json");
        using (var doc = JsonDocument.Parse(devices.Stdout))
            Assert.That(doc.RootElement.GetProperty("devices")[0].GetProperty("kind").GetString(), Is.EqualTo("cpu"));
        var quiet = CliRunner.Run("inspect", TestWorld.Model, "-q");
        Assert.That((quiet.Code, quiet.Stdout, quiet.Stderr), Is.EqualTo((0, "", "")));
        var error = CliRunner.Run("inspect", "/nonexistent/x.pkl", "--json");
        using (var doc = JsonDocument.Parse(error.Stdout))
            Assert.That(doc.RootElement.GetProperty("exitCode").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public void TrainingPrintsRegularProgressLinesWhenNotATerminal()
    {
        var ckpt = TestWorld.Checkpoint;   // the shared 2-step run
        var lines = TestWorld.TrainingOutput.Split('\n').Where(l => l.StartsWith("personalizing: ")).ToList();
        Assert.That(lines, Has.Count.EqualTo(2), TestWorld.TrainingOutput);
        Assert.That(lines[0], Does.StartWith("personalizing: 50% step 1/2 loss "));
        Assert.That(lines[^1], Does.StartWith("personalizing: 100% step 2/2 loss "));
        Assert.That(File.Exists(ckpt), Is.True);
    }

    [Test]
    public void ResumingAFinishedCheckpointWritesTheAdapterWithoutTraining()
    {
        var dir = TestWorld.CaseDir();
        File.Copy(TestWorld.Checkpoint, Path.Combine(dir, "a.lora.ckpt.safetensors"));
        var run = CliRunner.Run("personalize", "-m", TestWorld.Model, "--data", TestWorld.Dataset, "--lpips-random", "--device", "cpu",
            "--steps", "2", "-o", Path.Combine(dir, "a.lora.safetensors"), "--resume", "--json");
        Assert.That(run.Code, Is.Zero, run.ToString());
        using var doc = JsonDocument.Parse(run.Stdout);
        Assert.That(doc.RootElement.GetProperty("steps").GetInt32(), Is.EqualTo(2));
        Assert.That(File.Exists(doc.RootElement.GetProperty("adapter").GetString()), Is.True);
        Assert.That(run.Stderr, Does.Not.Contain("personalizing: "), "no step was trained");
    }

    [Test]
    public void PipedOutputIsNeverHardWrapped()
    {
        var dir = Path.Combine(TestWorld.CaseDir(), new string('d', 120));
        Directory.CreateDirectory(dir);
        var model = Path.Combine(dir, "model-with-a-long-name.safetensors");
        File.Copy(TestWorld.Model, model);
        using var child = CliRunner.Start("inspect", model);
        var run = CliRunner.Finish(child);
        Assert.That(run.Code, Is.Zero, run.ToString());
        Assert.That(run.Stdout.Split('\n')[0], Does.StartWith(model + ": "), "the first line holds the whole path");
        Assert.That(run.Stdout.Split('\n').Any(l => l.Length > 200), Is.True);
    }

    [Test]
    public void ShapeWritesAMeshOrExplainsTheSigmaRange()
    {
        var dir = TestWorld.CaseDir();
        var ply = Path.Combine(dir, "face.ply");
        // The tiny model's random weights keep σ within a few units of 0: the default level 10 finds no surface.
        var none = CliRunner.Run("shape", "--model", TestWorld.Model, "--seed", "0", "--resolution", "16", "--device", "cpu", "--out", ply);
        Assert.That(none.Code, Is.EqualTo(2), none.ToString());
        Assert.That(none.Stderr, Does.Contain("--level 10: no surface at level 10").And.Contain("ranges over"));
        Assert.That(File.Exists(ply), Is.False);
        var mesh = CliRunner.Run("shape", "--model", TestWorld.Model, "--seed", "0", "--resolution", "16", "--level", "0", "--device", "cpu", "--out", ply);
        Assert.That(mesh.Code, Is.EqualTo(0), mesh.ToString());
        var head = Encoding.ASCII.GetString(File.ReadAllBytes(ply).AsSpan(0, 200));
        Assert.That(head, Does.StartWith("ply\nformat binary_little_endian 1.0\n").And.Contain("element face "));
        Assert.That(Directory.GetFiles(dir, "*.tmp"), Is.Empty);
    }
}

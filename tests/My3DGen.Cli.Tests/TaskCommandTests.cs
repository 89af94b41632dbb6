// The task verbs end to end on the CLI test person (tiny model, 4 photos): fit-direction reports its validation
// accuracy and writes a unit [1,512] direction, interpolate / synthesize / edit write their grids (with ID_sim and
// diversity from labelled random networks), eval writes every table and figure, and bad inputs (an unknown anchor, a
// direction of the wrong shape, a bad policy, two models with one label, test photos without networks) are one-line
// errors with exit codes 1 / 2.
using System.Text.Json;
using My3DGen.Engine.IO;

namespace My3DGen.Cli.Tests;

[Category("Slow")]
public class TaskCommandTests
{
    [Test]
    public void EachTaskVerbHasHelpWithExamples()
    {
        foreach (var verb in new[] { "interpolate", "synthesize", "fit-direction", "edit", "invert", "eval" })
        {
            var help = CliRunner.Run(verb, "--help");
            Assert.That(help.Code, Is.Zero, verb);
            Assert.That(help.Stdout, Does.Contain("Examples:").And.Contain($"my3dgen {verb}").And.Contain("--json"), verb);
        }
    }

    [Test]
    public void FitDirectionSeparatesSyntheticScores()
    {
        var dir = TestWorld.CaseDir();
        var rng = new Random(1);
        var ws = Enumerable.Range(0, 400 * 512).Select(i => (float)((rng.NextDouble() * 2 - 1) * (i % 512 < 2 ? 1 : 0.05))).ToArray();   // signal in w0, w1
        var scores = Enumerable.Range(0, 400).Select(i => ws[i * 512] - ws[i * 512 + 1]).ToArray();   // the truth: (e0 − e1)/√2
        NpyFile.Write(Path.Combine(dir, "ws.npy"), [400, 512], ws);
        NpyFile.Write(Path.Combine(dir, "scores.npy"), [400], scores);
        var run = CliRunner.Run("fit-direction", "--latents", Path.Combine(dir, "ws.npy"), "--scores", Path.Combine(dir, "scores.npy"),
            "--ratio", "0.1", "-o", Path.Combine(dir, "n.npy"), "--json");
        Assert.That(run.Code, Is.Zero, run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        double acc = json.RootElement.GetProperty("validationAccuracy").GetDouble();
        var n = NpyFile.Read(Path.Combine(dir, "n.npy"));
        TestContext.Out.WriteLine($"fit-direction, 400 latents, ratio 0.1: validation accuracy {acc:P1}, n·truth = {(n.Data[0] - n.Data[1]) / Math.Sqrt(2):F3}");
        Assert.That(n.Shape, Is.EqualTo(new[] { 1, 512 }));
        Assert.That(acc, Is.GreaterThanOrEqualTo(0.9));
        Assert.That(n.Data[0], Is.GreaterThan(0.2));
        Assert.That(n.Data[1], Is.LessThan(-0.2));
    }

    [Test]
    public void InterpolateSynthesizeAndEditWriteTheirGrids()
    {
        var dir = TestWorld.CaseDir();
        var run = CliRunner.Run("interpolate", "-m", TestWorld.Model, "--data", TestWorld.Dataset, "--from", "img0", "--to", "3", "--steps", "2", "--views", "1",
            "--device", "cpu", "-o", Path.Combine(dir, "morph"));
        Assert.That(run.Code, Is.Zero, run.ToString());
        Assert.That(File.Exists(Path.Combine(dir, "morph", "interpolation_grid.png")) && File.Exists(Path.Combine(dir, "morph", "interpolation.gif")));

        run = CliRunner.Run("synthesize", "-m", TestWorld.Model, "--adapter", TestWorld.Adapter, "--data", TestWorld.Dataset, "-n", "1", "--yaw", "0",
            "--device", "cpu", "-o", Path.Combine(dir, "synth"));
        Assert.That(run.Code, Is.Zero, run.ToString());
        Assert.That(NpyFile.Read(Path.Combine(dir, "synth", "latents.npy")).Shape, Is.EqualTo(new[] { 1, 14, 512 }));

        var n = Enumerable.Range(0, 512).Select(i => i % 2 == 0 ? 1f : -1f).ToArray();
        NpyFile.Write(Path.Combine(dir, "n.npy"), [1, 512], n);
        run = CliRunner.Run("edit", "-m", TestWorld.Model, "--data", TestWorld.Dataset, "--start", "img1.png", "--direction", Path.Combine(dir, "n.npy"),
            "--thetas=-1,0", "--policy", "project", "--yaw", "0", "--device", "cpu", "-o", Path.Combine(dir, "edit"));
        Assert.That(run.Code, Is.Zero, run.ToString());
        Assert.That(run.Stdout, Does.Contain("cos(n_par, n) =").And.Contain("normalised to 1"));
        Assert.That(File.ReadAllLines(Path.Combine(dir, "edit", "edit.csv")), Has.Length.EqualTo(3));

        // Any latent plugs in (here the synthesized one; later an inversion's pivot): θ = 0 writes it back unchanged.
        run = CliRunner.Run("edit", "-m", TestWorld.Model, "--data", TestWorld.Dataset, "--ws", Path.Combine(dir, "synth", "latents.npy"),
            "--direction", Path.Combine(dir, "n.npy"), "--thetas=0", "--yaw", "0", "--device", "cpu", "-o", Path.Combine(dir, "edit-ws"));
        Assert.That(run.Code, Is.Zero, run.ToString());
        var edited = NpyFile.Read(Path.Combine(dir, "edit-ws", "latents.npy")).Data;
        var synthesized = NpyFile.Read(Path.Combine(dir, "synth", "latents.npy")).Data;
        Assert.That(edited.Zip(synthesized, (a, b) => Math.Abs(a - b)).Max(), Is.LessThanOrEqualTo(1e-5));
    }

    [Test]
    public void InterpolateAndSynthesizeReportIdentityAndDiversity()
    {
        var dir = TestWorld.CaseDir();
        var run = CliRunner.Run("interpolate", "-m", TestWorld.Model, "--adapter", TestWorld.Adapter, "--data", TestWorld.Dataset, "--from", "0", "--to", "1",
            "--steps", "2", "--views", "1", "--random-weights", "--device", "cpu", "-o", Path.Combine(dir, "morph"), "--json");
        Assert.That(run.Code, Is.Zero, run.ToString());
        using (var json = JsonDocument.Parse(run.Stdout))
        {
            Assert.That(json.RootElement.GetProperty("idSim").GetArrayLength(), Is.EqualTo(2));
            Assert.That(json.RootElement.GetProperty("idSimNetwork").GetString(), Does.Contain("RANDOM WEIGHTS"));
        }
        Assert.That(run.Stderr, Does.Contain("RANDOM WEIGHTS").And.Contain("ID_sim"));
        Assert.That(File.ReadAllLines(Path.Combine(dir, "morph", "interpolation.csv"))[0], Is.EqualTo("theta,id_sim"));

        run = CliRunner.Run("synthesize", "-m", TestWorld.Model, "--data", TestWorld.Dataset, "-n", "3", "--views", "1", "--random-weights",
            "--diversity-size", "32", "--device", "cpu", "-o", Path.Combine(dir, "synth"), "--json");
        Assert.That(run.Code, Is.Zero, run.ToString());
        using (var json = JsonDocument.Parse(run.Stdout))
        {
            Assert.That(json.RootElement.GetProperty("idSim").GetDouble(), Is.InRange(-1, 1));
            Assert.That(json.RootElement.GetProperty("diversityNetwork").GetString(), Does.Contain("LPIPS-vgg").And.Contain("RANDOM WEIGHTS"));
        }
        using var samples = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "synth", "samples.json")));
        Assert.That(samples.RootElement.GetProperty("clusters").GetArrayLength(), Is.EqualTo(4), "one cluster per training photo");
    }

    [Test]
    public void EvalWritesEveryTableOnTheTestPerson()
    {
        var dir = TestWorld.CaseDir();
        string o = Path.Combine(dir, "eval");
        var run = CliRunner.Run("eval", "-m", TestWorld.Model, "--data", TestWorld.Dataset, "--test", TestWorld.Dataset, "--adapter", "r1=" + TestWorld.Adapter,
            "--random-weights", "--quick", "--project-steps", "1", "--tune-steps", "1", "--restore-steps", "1", "--thetas", "2", "--views", "1", "--samples", "2", "--sample-views", "1",
            "--clusters", "2", "--diversity-size", "32", "--device", "cpu", "-o", o, "--json");
        Assert.That(run.Code, Is.Zero, run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.That(json.RootElement.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("label").GetString()), Is.EqualTo(new[] { "base", "r1" }));
        Assert.That(json.RootElement.GetProperty("randomWeights").GetArrayLength(), Is.GreaterThan(0));
        foreach (var f in new[] { "eval.md", "eval.json", "fig3_inversion.csv", "fig4_interpolation_id_sim.csv", "fig5_synthesis.csv", "table1_rank_sweep.csv",
                     "fig3_inversion.png", "fig4_interpolation.png", "fig4_interpolation_id_sim.png", "fig5_synthesis.png", "fig6_restoration.csv", "fig6_restoration.png",
                     "table1_rank_sweep.png", "r1/inpainting/img0/inpainted.png", "r1/superres/img0/restoration.png" })
            Assert.That(File.Exists(Path.Combine(o, f)), f);
        Assert.That(run.Stderr, Does.Contain("Table 1").And.Contain("RANDOM WEIGHTS"));
        Assert.That(File.ReadAllLines(Path.Combine(o, "table1_rank_sweep.csv")), Has.Length.EqualTo(3));

        run = CliRunner.Run("eval", "-m", TestWorld.Model, "--data", TestWorld.Dataset, "--adapter", "a=" + TestWorld.Adapter, "--adapter", "a=" + TestWorld.Adapter, "-o", Path.Combine(dir, "x"));
        Assert.That(run.Code, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain("'a'"));
        run = CliRunner.Run("eval", "-m", TestWorld.Model, "--data", TestWorld.Dataset, "--test", TestWorld.Dataset, "--device", "cpu", "-o", Path.Combine(dir, "y"));
        Assert.That(run.Code, Is.EqualTo(2), run.ToString());
        Assert.That(run.StderrLines, Has.Length.EqualTo(1));
        Assert.That(run.Stderr, Does.Contain("--random-weights"));
    }

    [Test]
    public void InvertWritesItsOutputsAndRejectsAMissingCamera()
    {
        var dir = TestWorld.CaseDir();
        string photo = Path.Combine(TestWorld.Dataset, "img0.png"), cam = Path.Combine(dir, "cam.npy");
        var run = CliRunner.Run("invert", "-m", TestWorld.Model, "--photo", photo, "--camera", cam, "--random-weights", "-o", Path.Combine(dir, "x"));
        Assert.That(run.Code, Is.EqualTo(1), run.ToString());
        Assert.That(run.Stderr, Does.Contain("cam.npy"));
        NpyFile.Write(cam, [25], Models.Cameras.CameraLabel.Create(0.1f, 0f));
        run = CliRunner.Run("invert", "-m", TestWorld.Model, "--adapter", TestWorld.Adapter, "--photo", photo, "--camera", cam, "--random-weights",
            "--steps", "2", "--w-avg-samples", "8", "--tune-steps", "2", "-o", Path.Combine(dir, "pti"), "--json");
        Assert.That(run.Code, Is.Zero, run.ToString());
        foreach (var f in new[] { "compare.png", "novel_views.png", "orbit.gif", "pivot.npy", "img0.pti.lora.safetensors", "metrics.json", "inversion.csv" })
            Assert.That(File.Exists(Path.Combine(dir, "pti", f)), f);
    }

    [Test]
    public void BadTaskInputsAreOneLineErrors()
    {
        var dir = TestWorld.CaseDir();
        var run = CliRunner.Run("interpolate", "-m", TestWorld.Model, "--data", TestWorld.Dataset, "--from", "nobody", "--to", "1", "-o", Path.Combine(dir, "a"));
        Assert.That(run.Code, Is.EqualTo(1), run.ToString());
        Assert.That(run.StderrLines, Has.Length.EqualTo(1));
        Assert.That(run.Stderr, Does.Contain("nobody").And.Contain("img0.png"));

        NpyFile.Write(Path.Combine(dir, "bad.npy"), [2, 512], new float[1024]);
        run = CliRunner.Run("edit", "-m", TestWorld.Model, "--data", TestWorld.Dataset, "--start", "0", "--direction", Path.Combine(dir, "bad.npy"), "-o", Path.Combine(dir, "b"));
        Assert.That(run.Code, Is.EqualTo(1), run.ToString());
        Assert.That(run.Stderr, Does.Contain("bad.npy").And.Contain("[1,512]"));

        run = CliRunner.Run("edit", "-m", TestWorld.Model, "--data", TestWorld.Dataset, "--start", "0", "--direction", Path.Combine(dir, "bad.npy"), "--policy", "wrap", "-o", Path.Combine(dir, "c"));
        Assert.That(run.Code, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain("--policy"));

        run = CliRunner.Run("edit", "-m", TestWorld.Model, "--data", TestWorld.Dataset, "--direction", Path.Combine(dir, "bad.npy"), "-o", Path.Combine(dir, "d"));
        Assert.That(run.Code, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain("--start").And.Contain("--ws"));
    }
}

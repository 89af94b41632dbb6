// `inpaint` and `superres` end to end on the CLI test person (tiny model, 4 photos, random LPIPS weights, 2 steps): the
// output files and the JSON result; a mask of the wrong size, a too small or non-square low-res photo are one-line errors
// (exit 1) naming the file; a bad --blend or --factor is a usage error (exit 2).
using System.Text.Json;
using My3DGen.Engine.IO;
using My3DGen.Models.Imaging;

namespace My3DGen.Cli.Tests;

[Category("Slow")]
public class RestorationCommandTests
{
    static string Camera(string dir)
    {
        var cam = Path.Combine(dir, "cam.npy");
        NpyFile.Write(cam, [25], Models.Cameras.CameraLabel.Create(0.1f, 0f));
        return cam;
    }

    [Test]
    public void BothVerbsHaveHelpWithExamples()
    {
        foreach (var verb in new[] { "inpaint", "superres" })
        {
            var help = CliRunner.Run(verb, "--help");
            Assert.That(help.Code, Is.Zero, verb);
            Assert.That(help.Stdout, Does.Contain("Examples:").And.Contain($"my3dgen {verb}").And.Contain("--json").And.Contain("--random-weights"), verb);
        }
        Assert.That(CliRunner.Run("inpaint", "--help").Stdout, Does.Contain("white = hole"));
    }

    [Test]
    public void InpaintWritesItsOutputsAndRejectsAMaskOfTheWrongSize()
    {
        var dir = TestWorld.CaseDir();
        string photo = Path.Combine(TestWorld.Dataset, "img0.png"), cam = Camera(dir), mask = Path.Combine(dir, "hole.png");
        var m = new RgbImage(128, 128, Rgb.Black);
        m.FillRectangle(40, 50, 30, 20, Rgb.White);
        m.SavePng(mask);
        var run = CliRunner.Run("inpaint", "-m", TestWorld.Model, "--adapter", TestWorld.Adapter, "--data", TestWorld.Dataset, "--photo", photo, "--camera", cam,
            "--mask", mask, "--random-weights", "--steps", "2", "--device", "cpu", "-o", Path.Combine(dir, "filled"), "--json");
        Assert.That(run.Code, Is.Zero, run.ToString());
        using (var json = JsonDocument.Parse(run.Stdout))
            Assert.That(json.RootElement.GetProperty("holeFraction").GetDouble(), Is.EqualTo(600.0 / (128 * 128)).Within(1e-9));
        foreach (var f in new[] { "inpainted.png", "projection.png", "compare.png", "novel_views.png", "latent.npy", "alpha.npy", "inpainting.csv" })
            Assert.That(File.Exists(Path.Combine(dir, "filled", f)), f);
        Assert.That(NpyFile.Read(Path.Combine(dir, "filled", "alpha.npy")).Shape, Is.EqualTo(new[] { 1, 14, 4 }));

        new RgbImage(64, 64, Rgb.White).SavePng(mask);
        run = CliRunner.Run("inpaint", "-m", TestWorld.Model, "--data", TestWorld.Dataset, "--photo", photo, "--camera", cam, "--mask", mask,
            "--random-weights", "--steps", "2", "--device", "cpu", "-o", Path.Combine(dir, "bad"));
        Assert.That(run.Code, Is.EqualTo(1), run.ToString());
        Assert.That(run.StderrLines, Has.Length.EqualTo(1));
        Assert.That(run.Stderr, Does.Contain("hole.png").And.Contain("64x64").And.Contain("128x128"));

        run = CliRunner.Run("inpaint", "-m", TestWorld.Model, "--data", TestWorld.Dataset, "--photo", photo, "--camera", cam, "--blend", "smear", "-o", Path.Combine(dir, "c"));
        Assert.That(run.Code, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain("--blend"));
    }

    [Test]
    public void SuperresWritesItsOutputsAndRejectsUnusableLowResPhotos()
    {
        var dir = TestWorld.CaseDir();
        string photo = Path.Combine(TestWorld.Dataset, "img1.png"), cam = Camera(dir);
        var run = CliRunner.Run("superres", "-m", TestWorld.Model, "--adapter", TestWorld.Adapter, "--data", TestWorld.Dataset, "--photo", photo, "--camera", cam,
            "--factor", "4", "--random-weights", "--steps", "2", "--device", "cpu", "-o", Path.Combine(dir, "sr"), "--json");
        Assert.That(run.Code, Is.Zero, run.ToString());
        using (var json = JsonDocument.Parse(run.Stdout))
        {
            Assert.That(json.RootElement.GetProperty("inputSide").GetInt32(), Is.EqualTo(32));
            Assert.That(json.RootElement.GetProperty("downsampledMse").GetDouble(), Is.GreaterThan(0));
        }
        foreach (var f in new[] { "restoration.png", "lowres.png", "compare.png", "novel_views.png", "latent.npy", "alpha.npy", "superres.csv" })
            Assert.That(File.Exists(Path.Combine(dir, "sr", f)), f);

        string small = Path.Combine(dir, "small.png"), wide = Path.Combine(dir, "wide.png");
        new RgbImage(16, 16, Rgb.Black).SavePng(small);
        new RgbImage(48, 32, Rgb.Black).SavePng(wide);
        foreach (var (file, text) in new[] { (small, "at least 32x32"), (wide, "square") })
        {
            run = CliRunner.Run("superres", "-m", TestWorld.Model, "--data", TestWorld.Dataset, "--photo", file, "--camera", cam, "--random-weights", "-o", Path.Combine(dir, "x"));
            Assert.That(run.Code, Is.EqualTo(1), run.ToString());
            Assert.That(run.StderrLines, Has.Length.EqualTo(1));
            Assert.That(run.Stderr, Does.Contain(Path.GetFileName(file)).And.Contain(text));
        }
        run = CliRunner.Run("superres", "-m", TestWorld.Model, "--data", TestWorld.Dataset, "--photo", photo, "--camera", cam, "--factor", "3", "--random-weights", "-o", Path.Combine(dir, "y"));
        Assert.That(run.Code, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain("--factor"));
    }
}

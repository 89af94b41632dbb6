// `project` and the one-command `personalize` on the tiny model: a folder of photos + dataset.json without anchors is
// enough; anchors, anchors.safetensors, the grid and the table appear, random LPIPS-VGG weights are announced, and a
// second `project` run skips the photos already projected. Missing VGG weights are a one-line usage error.
using System.Text.Json;

namespace My3DGen.Cli.Tests;

[Category("Slow")]
public class ProjectCommandTests
{
    static string PhotosWithoutAnchors()
    {
        var dir = TestWorld.CaseDir();
        foreach (var f in Directory.GetFiles(TestWorld.Dataset).Where(f => !f.EndsWith("_latent.npy", StringComparison.Ordinal)))
            File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
        return dir;
    }

    static readonly string[] Quick = ["--lpips-random", "--device", "cpu", "--loss-resolution", "32", "--w-avg-samples", "16"];

    [Test]
    public void PersonalizeProjectsPhotosWithoutAnchorsThenTrains()
    {
        var dir = PhotosWithoutAnchors();
        var adapter = Path.Combine(TestWorld.CaseDir(), "me.lora.safetensors");
        var run = CliRunner.Run(["personalize", "-m", TestWorld.Model, "--data", dir, "--steps", "1", "--checkpoint-every", "0", "--project-steps", "2", "-o", adapter, .. Quick]);
        Assert.That(run.Code, Is.Zero, run.ToString());
        Assert.That(run.Stdout, Does.Contain("have no anchor: projecting them first").And.Contain("RANDOM LPIPS-VGG weights"));
        var photos = Directory.GetFiles(dir, "*.png").Where(f => !f.EndsWith("projection.png", StringComparison.Ordinal)).ToList();
        Assert.That(photos, Is.Not.Empty);
        foreach (var photo in photos)
            Assert.That(File.Exists(Path.ChangeExtension(photo, null) + "_latent.npy"), Is.True, photo);
        Assert.That(File.Exists(Path.Combine(dir, "anchors.safetensors")) && File.Exists(Path.Combine(dir, "projection.png")) && File.Exists(adapter), Is.True);
    }

    [Test]
    public void ProjectWritesAnchorsAndASecondRunSkipsThem()
    {
        var dir = PhotosWithoutAnchors();
        var first = CliRunner.Run(["project", "-m", TestWorld.Model, "--data", dir, "--steps", "2", "--batch", "2", "--json", .. Quick]);
        Assert.That(first.Code, Is.Zero, first.ToString());
        using (var doc = JsonDocument.Parse(first.Stdout))
        {
            Assert.That(doc.RootElement.GetProperty("projected").GetArrayLength(), Is.EqualTo(4));
            Assert.That(doc.RootElement.GetProperty("randomLpips").GetBoolean(), Is.True);
            Assert.That(File.ReadAllText(doc.RootElement.GetProperty("table").GetString()!), Does.Contain("lpips_vgg256,mse,psnr_db"));
        }
        var second = CliRunner.Run(["project", "-m", TestWorld.Model, "--data", dir, "--steps", "2", .. Quick]);
        Assert.That(second.Code, Is.Zero, second.ToString());
        Assert.That(second.Stdout, Does.Contain("skipped 4 photo(s)"));
        var noWeights = CliRunner.Run("project", "-m", TestWorld.Model, "--data", dir);
        Assert.That(noWeights.Code, Is.EqualTo(2), noWeights.ToString());
        Assert.That(noWeights.StderrLines, Has.Length.EqualTo(1));
        Assert.That(noWeights.Stderr, Does.Contain("--vgg-backbone"));
    }
}

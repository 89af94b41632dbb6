// `prepare` on a folder of mixed photos, then `project` and `personalize` on what it wrote, unchanged: a real face is
// accepted (with its mirrored copy); a picture without a face, a damaged JPEG and an empty PNG each get one line and are skipped
// without stopping the batch; the tiny model (128²) takes the dataset as is with --size 128.
using My3DGen.Models.Imaging;

namespace My3DGen.Cli.Tests;

[Category("Slow")]
public class PrepareCommandTests
{
    static readonly string[] Quick = ["--lpips-random", "--device", "cpu", "--loss-resolution", "32", "--w-avg-samples", "16"];

    static string MixedFolder()
    {
        var dir = TestWorld.CaseDir();
        var photo = RgbImage.Decode(File.ReadAllBytes(Path.Combine(TestContext.CurrentContext.TestDirectory, "fixtures", "faces", "astronaut.png")));
        photo.SavePng(Path.Combine(dir, "a_face.png"));
        var pattern = new RgbImage(320, 240);
        for (int y = 0; y < 240; y++)
            for (int x = 0; x < 320; x++) pattern[x, y] = new Rgb((byte)(128 + 100 * Math.Sin(x * 0.07)), (byte)(128 + 100 * Math.Cos(y * 0.05)), (byte)((x + y) % 256));
        pattern.SavePng(Path.Combine(dir, "c_no_face.png"));
        File.WriteAllText(Path.Combine(dir, "d_damaged.jpg"), "this is not a JPEG");
        File.WriteAllBytes(Path.Combine(dir, "e_empty.png"), []);
        return dir;
    }

    [Test]
    public void MixedFolderPreparesADatasetProjectAndPersonalizeAcceptUnchanged()
    {
        var photos = MixedFolder();
        var person = Path.Combine(TestWorld.CaseDir(), "person");
        var prep = CliRunner.Run("prepare", photos, "-o", person, "--size", "128");
        Assert.That(prep.Code, Is.Zero, prep.ToString());
        TestContext.Out.WriteLine(prep.Stdout);
        var lines = prep.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var bad in new[] { "c_no_face.png", "d_damaged.jpg", "e_empty.png" })
            Assert.That(lines.Count(l => l.StartsWith("rejected", StringComparison.Ordinal) && l.Contains(bad, StringComparison.Ordinal)), Is.EqualTo(1), $"{bad}\n{prep}");
        Assert.That(lines.Count(l => l.StartsWith("accepted", StringComparison.Ordinal)), Is.EqualTo(1), prep.ToString());
        Assert.That(prep.Stdout, Does.Contain("1 of 4 photos accepted"));
        Assert.That(File.Exists(Path.Combine(person, "dataset.json")) && File.Exists(Path.Combine(person, "a_face_mirror.png")), Is.True);
        Assert.That(RgbImage.Decode(File.ReadAllBytes(Path.Combine(person, "a_face.png"))).Width, Is.EqualTo(128));

        var project = CliRunner.Run(["project", "-m", TestWorld.Model, "--data", person, "--steps", "2", "--batch", "2", .. Quick]);
        Assert.That(project.Code, Is.Zero, project.ToString());
        foreach (var name in new[] { "a_face", "a_face_mirror" })
            Assert.That(File.Exists(Path.Combine(person, name + "_latent.npy")), Is.True, name);

        var adapter = Path.Combine(TestWorld.CaseDir(), "me.lora.safetensors");
        var train = CliRunner.Run(["personalize", "-m", TestWorld.Model, "--data", person, "--steps", "1", "--checkpoint-every", "0", "-o", adapter, .. Quick]);
        Assert.That(train.Code, Is.Zero, train.ToString());
        Assert.That(File.Exists(adapter), Is.True);
    }

    [Test]
    public void PersonalizeWithPrepareGoesFromRawPhotosToAnAdapter()
    {
        var photos = MixedFolder();
        var adapter = Path.Combine(TestWorld.CaseDir(), "raw.lora.safetensors");
        var r = CliRunner.Run(["personalize", "-m", TestWorld.Model, "--data", photos, "--prepare", "--project-steps", "1", "--steps", "1", "--checkpoint-every", "0", "-o", adapter, .. Quick]);
        Assert.That(r.Code, Is.Zero, r.ToString());
        var prepared = Path.ChangeExtension(adapter, null) + ".prepared";
        Assert.That(r.Stdout, Does.Contain("1 of 4 photos accepted"));
        Assert.That(File.Exists(adapter) && File.Exists(Path.Combine(prepared, "dataset.json")) && File.Exists(Path.Combine(prepared, "a_face_latent.npy")), Is.True, r.ToString());
        Assert.That(RgbImage.Decode(File.ReadAllBytes(Path.Combine(prepared, "a_face.png"))).Width, Is.EqualTo(128), "prepared at the model's resolution");

        var none = TestWorld.CaseDir();
        File.WriteAllText(Path.Combine(none, "d_damaged.jpg"), "this is not a JPEG");
        var bad = CliRunner.Run(["personalize", "-m", TestWorld.Model, "--data", none, "--prepare", "--steps", "1", "-o", Path.Combine(none, "x.safetensors"), .. Quick]);
        Assert.That(bad.Code, Is.Not.Zero);
        Assert.That(bad.StderrLines.Last(), Does.Contain("could be prepared").And.Contain(none), bad.ToString());
        Assert.That(bad.Stderr, Does.Not.Contain("   at "), "no stack trace");
    }
}

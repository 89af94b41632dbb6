// `my3dgen metrics` when nothing is wrong: folders of PNGs and JPEGs of mixed sizes, random weights labelled in the
// table, the --json result and the --json-out file, the table printed back from that file (--show) identical to the
// run's, unavailable metrics naming their options, and the set modes (--id-sim, --diversity) with cluster sizes.
using System.Text.Json;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace My3DGen.Cli.Tests;

[NonParallelizable]
public class MetricsCommandTests
{
    /// <summary>A w×h image with a gradient and a seeded speckle, saved as PNG or JPEG by extension.</summary>
    static string Photo(string path, int w, int h, int seed)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var rng = new Random(seed);
        using var img = new Image<Rgb24>(w, h);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                img[x, y] = new Rgb24((byte)(255 * x / w), (byte)(255 * y / h), (byte)rng.Next(256));
        if (path.EndsWith(".jpg", StringComparison.Ordinal)) img.SaveAsJpeg(path); else img.SaveAsPng(path);
        return path;
    }

    static string[] TableLines(string stdout) =>
        stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r'))
            .Where(l => !l.StartsWith("pairs: ", StringComparison.Ordinal) && !l.StartsWith("wrote ", StringComparison.Ordinal)).ToArray();

    [Test, Category("Slow")]
    public void PairwiseOnMixedSizesWritesJsonThatPrintsTheSameTable()
    {
        var dir = TestWorld.CaseDir();
        string a = Path.Combine(dir, "a"), b = Path.Combine(dir, "b"), json = Path.Combine(dir, "m.json");
        Photo(Path.Combine(a, "p0.png"), 40, 48, 1); Photo(Path.Combine(b, "p0.png"), 40, 48, 2);
        Photo(Path.Combine(a, "p1.jpg"), 64, 36, 3); Photo(Path.Combine(b, "p1.jpg"), 80, 45, 4);   // b resized to 64×36
        Photo(Path.Combine(a, "only-a.png"), 40, 40, 5);
        var run = CliRunner.Run("metrics", "--a", a, "--b", b, "--random-weights", "--device", "cpu", "--json-out", json);
        Assert.That(run.Code, Is.Zero, run.ToString());
        Assert.That(run.Stdout, Does.Contain("RANDOM WEIGHTS").And.Contain("p1.jpg (resized from 80x45)"), run.Stdout);
        using (var doc = JsonDocument.Parse(File.ReadAllText(json)))
        {
            var root = doc.RootElement;
            Assert.That(root.GetProperty("pairs").GetArrayLength(), Is.EqualTo(2), "pairs by identical file name");
            var p0 = root.GetProperty("pairs")[0];
            foreach (var key in new[] { "a", "b", "lpips_alex", "lpips_vgg", "dists", "psnr", "ssim", "id_similarity" })
                Assert.That(p0.TryGetProperty(key, out _), Is.True, key);
            Assert.That(root.GetProperty("mean").GetProperty("psnr").GetDouble(), Is.GreaterThan(0));
            Assert.That(root.GetProperty("random_weights").EnumerateArray().Select(e => e.GetString()),
                Is.EquivalentTo(new[] { "lpips_alex", "lpips_vgg", "dists", "id_similarity" }));
            Assert.That(root.TryGetProperty("unavailable", out _), Is.False);
        }
        var shown = CliRunner.Run("metrics", "--show", json);
        Assert.That(shown.Code, Is.Zero, shown.ToString());
        Assert.That(TableLines(shown.Stdout), Is.EqualTo(TableLines(run.Stdout)), "the JSON round-trips into the same table");
        var again = CliRunner.Run("metrics", "--show", json, "--json");
        using (var doc = JsonDocument.Parse(again.Stdout))
            Assert.That(doc.RootElement.GetProperty("pairs")[1].GetProperty("b_resized_from").GetString(), Is.EqualTo("80x45"));
    }

    [Test]
    public void MissingWeightsAreReportedWithTheOptionsThatProvideThem()
    {
        var dir = TestWorld.CaseDir();
        string a = Photo(Path.Combine(dir, "x.png"), 40, 40, 1), b = Photo(Path.Combine(dir, "y.png"), 40, 40, 2);
        var run = CliRunner.Run("metrics", "--a", a, "--b", b, "--json");
        Assert.That(run.Code, Is.Zero, run.ToString());
        using var doc = JsonDocument.Parse(run.Stdout);
        var root = doc.RootElement;
        var pair = root.GetProperty("pairs")[0];
        Assert.That(pair.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "a", "b", "psnr", "ssim" }));
        var unavailable = root.GetProperty("unavailable");
        Assert.That(unavailable.GetProperty("id_similarity").GetString(), Does.Contain("--arcface"));
        Assert.That(unavailable.GetProperty("dists").GetString(), Does.Contain("--vgg").And.Contain("--dists"));
        Assert.That(unavailable.GetProperty("lpips_alex").GetString(), Does.Contain("--alexnet").And.Contain("--lpips-lin"));
        Assert.That(run.Stderr, Does.Contain("id_similarity: unavailable (needs --arcface"));
        Assert.That(root.TryGetProperty("random_weights", out _), Is.False);
    }

    [Test, Category("Slow")]
    public void SetModesReportIdSimAndDiversityWithClusterSizes()
    {
        var dir = TestWorld.CaseDir();
        string gen = Path.Combine(dir, "gen"), refs = Path.Combine(dir, "ref"), train = Path.Combine(dir, "train");
        for (int i = 0; i < 5; i++) Photo(Path.Combine(gen, $"g{i}.png"), 48 + 8 * i, 48, 10 + i);
        for (int i = 0; i < 2; i++) { Photo(Path.Combine(refs, $"r{i}.png"), 64, 64, 20 + i); Photo(Path.Combine(train, $"t{i}.jpg"), 56, 64, 30 + i); }
        var run = CliRunner.Run("metrics", "--id-sim", "--diversity", "--generated", gen, "--reference", refs, "--train", train,
            "--diversity-size", "64", "--random-weights", "--device", "cpu", "--json");
        Assert.That(run.Code, Is.Zero, run.ToString());
        using var doc = JsonDocument.Parse(run.Stdout);
        var root = doc.RootElement;
        Assert.That(root.GetProperty("id_sim").GetDouble(), Is.InRange(-1.0, 1.0));
        Assert.That(root.GetProperty("id_preprocess").GetString(), Is.EqualTo("my3dgen"));
        var clusters = root.GetProperty("clusters").EnumerateArray().ToList();
        Assert.That(clusters.Select(c => c.GetProperty("train").GetString()), Is.EqualTo(new[] { "t0.jpg", "t1.jpg" }));
        Assert.That(clusters.Sum(c => c.GetProperty("size").GetInt32()), Is.EqualTo(5));
        Assert.That(root.GetProperty("random_weights").EnumerateArray().Select(e => e.GetString()), Is.EquivalentTo(new[] { "id_sim", "diversity" }));
        Assert.That(run.Stderr, Does.Contain("RANDOM WEIGHTS").And.Contain("cluster t0.jpg: "));
    }
}

// My3DGen checkpoints in and out: `convert <snapshot> --adapter-out` on the official code's snapshots (rank 1 / alpha 1,
// rank 4 / alpha 16, non-zero factors) must render, base + adapter, what My3DGen renders from the snapshot (≤ 1e-3 max abs,
// on the fly and merged); `render --merged-out` writes one generator that renders like base + adapter (≤ 1e-4).
using System.IO.Compression;
using System.Text.Json;
using My3DGen.Engine.Backends.Cpu;
using My3DGen.Engine.IO;
using My3DGen.Engine.Tensors;
using My3DGen.Models;
using My3DGen.Personalization.Lora;

namespace My3DGen.Cli.Tests;

[Category("Slow")]
public class My3DGenInteropTests
{
    static string Fixture(string name) => Path.Combine(TestContext.CurrentContext.TestDirectory, "fixtures", "my3dgen", name);

    /// <summary>The snapshot decompressed to a scratch file (see tests/fixtures/my3dgen/README.md for why it is compressed).</summary>
    static string Snapshot(string tag)
    {
        var path = Path.Combine(TestWorld.Dir("my3dgen"), $"snapshot-{tag}.pkl");
        if (File.Exists(path)) return path;
        using (var input = File.OpenRead(Fixture($"my3dgen-tiny-{tag}.pkl.br")))
        using (var brotli = new BrotliStream(input, CompressionMode.Decompress))
        using (var output = File.Create(path + ".part"))
            brotli.CopyTo(output);
        File.Move(path + ".part", path);
        return path;
    }

    static readonly Dictionary<string, Lazy<(string Base, string Adapter, JsonElement Json)>> Converted = new[] { "r1_alpha1", "r4_alpha16" }
        .ToDictionary(tag => tag, tag => new Lazy<(string, string, JsonElement)>(() =>
        {
            var dir = TestWorld.Dir("my3dgen");
            string basePath = Path.Combine(dir, $"base-{tag}.safetensors"), adapter = Path.Combine(dir, $"{tag}.lora.safetensors");
            var run = CliRunner.Run("convert", Snapshot(tag), "-o", basePath, "--adapter-out", adapter, "--json");
            Assert.That(run.Code, Is.Zero, run.ToString());
            TestContext.Out.WriteLine($"{tag}: adapter {new FileInfo(adapter).Length:N0} bytes, base {new FileInfo(basePath).Length:N0} bytes");
            return (basePath, adapter, JsonDocument.Parse(run.Stdout).RootElement.Clone());
        }));

    [TestCase("r1_alpha1", 1, 1f)]
    [TestCase("r4_alpha16", 4, 16f)]
    public void ConvertedSnapshotRendersWhatMy3DGenRenders(string tag, int rank, float alpha)
    {
        var (basePath, adapter, json) = Converted[tag].Value;
        var a = json.GetProperty("adapter");
        Assert.That((a.GetProperty("rank").GetInt32(), a.GetProperty("alpha").GetDouble(), a.GetProperty("factors").GetInt32()), Is.EqualTo((rank, (double)alpha, 104)));

        using (var f = SafeTensorsFile.Open(adapter))
        {
            Assert.That((f.Metadata["format"], f.Metadata["mode"], f.Metadata["rank"], f.Metadata["alpha"]), Is.EqualTo((AdapterFile.Format, "lora", $"{rank}", $"{alpha}")));
            Assert.That(float.Parse(f.Metadata["scaling"], System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(alpha / rank));
            using var g = Eg3dGenerator.Load(basePath, CpuBackend.Instance);
            using var set = new TrainableSet(g, new Models.Lora.LoraOptions(rank, alpha), trainDecoder: false);
            Assert.That(f.Tensors.Select(t => t.Name), Is.EquivalentTo(set.Named.Select(n => n.Name)), "the adapter's key set: every factor and trained vector");
            Assert.That(f.Metadata["base_hash"], Is.EqualTo(set.BaseHash));
            Assert.That(f.Info("backbone.synthesis.b4.conv1.lora_A").Shape, Is.EqualTo(new[] { 3 * rank, 32 * 9 }));
        }

        using var reference = SafeTensorsFile.Open(Fixture($"reference-{tag}.safetensors"));
        using var gen = Eg3dGenerator.Load(basePath, CpuBackend.Instance);
        var ws = Tensor.FromArray(gen.Backend, reference.ReadFloat32("ws"), reference.Info("ws").Shape);
        var c = Tensor.FromArray(gen.Backend, reference.ReadFloat32("c"), reference.Info("c").Shape);
        using (var applied = AdapterFile.Apply(gen, adapter))
        {
            Compare(reference, Eg3dGenerator.Inference(() => gen.Synthesize(ws, c)), $"{tag} adapter on the fly", 1e-3);
            applied.Merge();
            Compare(reference, Eg3dGenerator.Inference(() => gen.Synthesize(ws, c)), $"{tag} adapter merged", 1e-3);
        }
        double lora = double.Parse(reference.Metadata["lora_effect_max_abs"], System.Globalization.CultureInfo.InvariantCulture);
        var plain = Eg3dGenerator.Inference(() => gen.Synthesize(ws, c)).Image.ToArray();
        double baseErr = MaxAbs(plain, reference.ReadFloat32("image"));
        TestContext.Out.WriteLine($"{tag}: base without adapter differs by {baseErr:E2} (the factors' own effect in PyTorch: {lora:E2})");
        Assert.That(baseErr, Is.GreaterThan(0.05), "the adapter matters: without it the render is far from My3DGen's");
    }

    [Test]
    public void MergedOutRendersLikeBasePlusAdapter()
    {
        var (basePath, adapter, _) = Converted["r4_alpha16"].Value;
        using var reference = SafeTensorsFile.Open(Fixture("reference-r4_alpha16.safetensors"));
        var dir = TestWorld.CaseDir();
        var ws = reference.ReadFloat32("ws");
        NpyFile.Write(Path.Combine(dir, "ws.npy"), [1, 14, 512], ws.AsSpan(0, 14 * 512));
        NpyFile.Write(Path.Combine(dir, "cam.npy"), [1, 25], reference.ReadFloat32("c").AsSpan(0, 25));
        string merged = Path.Combine(dir, "merged.safetensors"), dumpAdapter = Path.Combine(dir, "a.safetensors"), dumpMerged = Path.Combine(dir, "m.safetensors");
        string[] common = ["--ws", Path.Combine(dir, "ws.npy"), "--camera", Path.Combine(dir, "cam.npy"), "--deterministic", "--device", "cpu"];
        var run = CliRunner.Run(["render", .. common, "-m", basePath, "--adapter", adapter, "--merged-out", merged, "--save-tensors", dumpAdapter, "-o", Path.Combine(dir, "a")]);
        Assert.That(run.Code, Is.Zero, run.ToString());
        run = CliRunner.Run(["render", .. common, "-m", merged, "--save-tensors", dumpMerged, "-o", Path.Combine(dir, "m")]);
        Assert.That(run.Code, Is.Zero, run.ToString());
        using var fa = SafeTensorsFile.Open(dumpAdapter);
        using var fm = SafeTensorsFile.Open(dumpMerged);
        foreach (var key in new[] { "image", "image_raw", "image_depth" })
        {
            double err = MaxAbs(fa.ReadFloat32(key), fm.ReadFloat32(key));
            TestContext.Out.WriteLine($"merged-out vs adapter, {key}: max abs {err:E2}");
            Assert.That(err, Is.LessThanOrEqualTo(1e-4), key);
        }
        var expected = reference.ReadFloat32("image").AsSpan(0, 3 * 128 * 128).ToArray();
        Assert.That(MaxAbs(fm.ReadFloat32("image"), expected), Is.LessThanOrEqualTo(1e-3), "the CLI render matches My3DGen's");
        Assert.That(Directory.GetFiles(dir, "*.tmp"), Is.Empty);
        using var mf = SafeTensorsFile.Open(merged);
        Assert.That(mf.Metadata["merged_adapter"], Is.EqualTo(Path.GetFileName(adapter)));
    }

    [Test]
    public void SnapshotErrorsAreOneLine()
    {
        var dir = TestWorld.CaseDir();
        var outPath = Path.Combine(dir, "base.safetensors");
        var run = CliRunner.Run("convert", Snapshot("r1_alpha1"), "-o", outPath);
        Assert.That(run.Code, Is.EqualTo(1), run.ToString());
        Assert.That(run.StderrLines, Has.Length.EqualTo(1));
        Assert.That(run.Stderr, Does.Contain("My3DGen LoRA snapshot").And.Contain("--adapter-out"));
        Assert.That(File.Exists(outPath), Is.False);

        var cut = Path.Combine(dir, "cut.pkl");
        using (var src = File.OpenRead(Snapshot("r1_alpha1")))
        using (var dst = File.Create(cut))
        {
            var buf = new byte[1 << 20];
            for (int i = 0; i < 40; i++) dst.Write(buf, 0, src.Read(buf));
        }
        run = CliRunner.Run("convert", cut, "-o", outPath, "--adapter-out", Path.Combine(dir, "a.lora.safetensors"));
        Assert.That(run.Code, Is.EqualTo(1), run.ToString());
        Assert.That(run.StderrLines, Has.Length.EqualTo(1));
        Assert.That(run.Stderr, Does.Contain("cut.pkl"));

        run = CliRunner.Run("render", "-m", TestWorld.Model, "--merged-out", Path.Combine(dir, "m.safetensors"), "-o", dir);
        Assert.That(run.Code, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain("--merged-out needs --adapter"));
    }

    static void Compare(SafeTensorsFile reference, SynthesisResult got, string stage, double tol)
    {
        foreach (var (key, t) in new[] { ("image", got.Image), ("image_raw", got.ImageRaw), ("image_depth", got.ImageDepth) })
        {
            Assert.That(t.Shape, Is.EqualTo(reference.Info(key).Shape), $"{stage} {key} shape");
            double err = MaxAbs(t.ToArray(), reference.ReadFloat32(key));
            TestContext.Out.WriteLine($"{stage}, {key}: max abs err {err:E2}");
            Assert.That(err, Is.LessThanOrEqualTo(tol), $"{stage} {key}");
        }
    }

    static double MaxAbs(float[] a, float[] b)
    {
        Assert.That(a, Has.Length.EqualTo(b.Length));
        double m = 0;
        for (int i = 0; i < a.Length; i++) m = Math.Max(m, Math.Abs((double)a[i] - b[i]));
        return m;
    }
}

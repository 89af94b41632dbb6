// Converts the real EG3D snapshot fixture and checks names, shapes, exact values (against an independent
// blob reader), the mapping network's outputs and w_avg against the reference cases, metadata, and that
// G and G_ema are not confused.
using System.Security.Cryptography;
using System.Text.Json;
using My3DGen.Engine.IO;

namespace My3DGen.WeightsConverter.Tests;

public class Eg3dTinyTests
{
    string _dir = "", _out = "", _outG = "";
    string Pkl => TestFiles.Fixture("eg3d", "eg3d-tiny.pkl");

    [OneTimeSetUp]
    public void ConvertOnce()
    {
        _dir = TestFiles.TempDir();
        _out = Path.Combine(_dir, "tiny.safetensors");
        _outG = Path.Combine(_dir, "tiny_G.safetensors");
        WeightsConverter.Convert(Pkl, _out);
        WeightsConverter.Convert(Pkl, _outG, new ConvertOptions { Key = "G" });
    }

    [OneTimeTearDown]
    public void Cleanup() => Directory.Delete(_dir, true);

    [Test]
    public void HasThe178GemaKeysInStateDictOrder()
    {
        using var f = SafeTensorsFile.Open(_out);
        var names = f.Tensors.Select(t => t.Name).ToList();
        Assert.That(names, Has.Count.EqualTo(178));
        Assert.That(names[0], Is.EqualTo("dataset_label_std"));
        Assert.That(names[1], Is.EqualTo("backbone.synthesis.b4.const"));
        Assert.That(names[^1], Is.EqualTo("decoder.net.2.bias"));
        int firstMapping = names.IndexOf("backbone.mapping.w_avg"), firstSr = names.FindIndex(n => n.StartsWith("superresolution."));
        Assert.That(firstMapping, Is.GreaterThan(names.IndexOf("backbone.synthesis.b256.torgb.affine.bias")));
        Assert.That(firstSr, Is.GreaterThan(names.IndexOf("backbone.mapping.fc1.bias")));
        // Backbone and decoder names are exactly the ffhq512 names of spec appendix A.
        var appendix = Testing.SyntheticEg3d.GeneratorKeys().Select(k => k.Name).Where(n => !n.StartsWith("superresolution.")).ToList();
        Assert.That(names.Where(n => !n.StartsWith("superresolution.")).ToList(), Is.EqualTo(appendix));
        Assert.That(f.Tensors.Sum(t => t.ElementCount), Is.GreaterThan(1_821_720)); // parameters + buffers
    }

    [TestCase("dataset_label_std", new[] { 25 })]
    [TestCase("backbone.synthesis.b4.const", new[] { 32, 4, 4 })]
    [TestCase("backbone.synthesis.b4.conv1.noise_strength", new int[0])]
    [TestCase("backbone.synthesis.b256.conv1.weight", new[] { 16, 16, 3, 3 })]
    [TestCase("backbone.synthesis.b256.torgb.weight", new[] { 96, 16, 1, 1 })]
    [TestCase("backbone.synthesis.b256.conv0.noise_const", new[] { 256, 256 })]
    [TestCase("backbone.mapping.embed.weight", new[] { 512, 25 })]
    [TestCase("backbone.mapping.fc0.weight", new[] { 512, 1024 })]
    [TestCase("decoder.net.0.weight", new[] { 64, 32 })]
    [TestCase("decoder.net.2.weight", new[] { 33, 64 })]
    public void Shapes(string name, int[] shape)
    {
        using var f = SafeTensorsFile.Open(_out);
        Assert.That(f.Info(name).Shape, Is.EqualTo(shape));
        Assert.That(f.Info(name).DType, Is.EqualTo(StoredDType.F32));
    }

    [Test]
    public void ParameterCountMatchesReadme()
    {
        using var f = SafeTensorsFile.Open(_out);
        var bufferLeaves = new[] { "noise_const", "resample_filter", "w_avg", "dataset_label_std" };
        long parameters = f.Tensors.Where(t => !bufferLeaves.Contains(t.Name.Split('.')[^1])).Sum(t => t.ElementCount);
        Assert.That(parameters, Is.EqualTo(1_821_720));
    }

    [Test]
    public void EveryValueEqualsAGemaBlobOfTheFileByteForByte()
    {
        var bytes = File.ReadAllBytes(Pkl);
        long gemaAt = bytes.AsSpan().IndexOf(new byte[] { 0x8c, 0x05, (byte)'G', (byte)'_', (byte)'e', (byte)'m', (byte)'a' });
        var blobs = IndependentBlobScanner.Scan(bytes, gemaAt);
        Assert.That(blobs, Has.Count.EqualTo(179)); // 178 state_dict tensors + renderer.plane_axes
        var pool = blobs.GroupBy(b => Convert.ToHexString(SHA256.HashData(b.Data))).ToDictionary(g => g.Key, g => g.Count());
        using var f = SafeTensorsFile.Open(_out);
        foreach (var t in f.Tensors)
        {
            var h = Convert.ToHexString(SHA256.HashData(f.RawBytes(t.Name)));
            Assert.That(pool.TryGetValue(h, out int n) && n > 0, $"{t.Name} matches no G_ema blob");
            pool[h] = n - 1;
        }
        Assert.That(pool.Values.Sum(), Is.EqualTo(1));
    }

    [Test]
    public void MappingNetworkReproducesTheReferenceOutputs()
    {
        using var f = SafeTensorsFile.Open(_out);
        using var r = SafeTensorsFile.Open(TestFiles.Fixture("eg3d", "tiny_seed0_psi1.0_cam0.safetensors"));
        var embed = Fc(f, "embed", D(r.ReadFloat32("input.c_cond")), 1.0, lrelu: false);
        AssertClose(embed, r.ReadFloat32("mapping.embed"), 1e-5);
        var x = Normalize(D(r.ReadFloat32("input.z"))).Concat(Normalize(embed)).ToArray();
        var fc0 = Fc(f, "fc0", x, 0.01, lrelu: true);
        AssertClose(fc0, r.ReadFloat32("mapping.fc0"), 1e-4);
        var w = Fc(f, "fc1", fc0, 0.01, lrelu: true);
        AssertClose(w, r.ReadFloat32("mapping.fc1"), 1e-4);
    }

    [Test]
    public void WAvgGivesTheTruncatedWsOfThePsi07Case()
    {
        using var f = SafeTensorsFile.Open(_out);
        using var r = SafeTensorsFile.Open(TestFiles.Fixture("eg3d", "tiny_seed0_psi1.0_cam0.safetensors"));
        using var r7 = SafeTensorsFile.Open(TestFiles.Fixture("eg3d", "tiny_seed0_psi0.7_cam1.safetensors"));
        var w = r.ReadFloat32("mapping.fc1"); // same seed and c_cond as the psi 0.7 case
        var wAvg = f.ReadFloat32("backbone.mapping.w_avg");
        var ws = r7.ReadFloat32("ws");
        var expect = Enumerable.Range(0, 14 * 512).Select(i => wAvg[i % 512] + 0.7 * (w[i % 512] - wAvg[i % 512])).ToArray();
        AssertClose(expect, ws, 1e-5);
    }

    [Test]
    public void GAndGemaAreDifferentNetworks()
    {
        using var ema = SafeTensorsFile.Open(_out);
        using var g = SafeTensorsFile.Open(_outG);
        Assert.That(g.Tensors.Select(t => t.Name), Is.EqualTo(ema.Tensors.Select(t => t.Name)));
        Assert.That(g.ReadFloat32("backbone.mapping.embed.bias"), Is.Not.EqualTo(ema.ReadFloat32("backbone.mapping.embed.bias")));
        Assert.That(g.ReadFloat32("decoder.net.2.bias"), Is.Not.EqualTo(ema.ReadFloat32("decoder.net.2.bias")));
        Assert.That(g.Metadata["source"], Does.EndWith("[G]"));
        using var r = SafeTensorsFile.Open(TestFiles.Fixture("eg3d", "tiny_seed0_psi1.0_cam0.safetensors"));
        var embedG = Fc(g, "embed", D(r.ReadFloat32("input.c_cond")), 1.0, lrelu: false);
        Assert.That(MaxDiff(embedG, r.ReadFloat32("mapping.embed")), Is.GreaterThan(1e-3));
    }

    [Test]
    public void ConfigurationIsWrittenAsMetadata()
    {
        using var f = SafeTensorsFile.Open(_out);
        Assert.That(f.Metadata["format"], Is.EqualTo("my3dgen-eg3d-v1"));
        Assert.That(f.Metadata["source"], Is.EqualTo("eg3d-tiny.pkl[G_ema]"));
        Assert.That(f.Metadata["neural_rendering_resolution"], Is.EqualTo("32"));
        using var init = JsonDocument.Parse(f.Metadata["init_kwargs"]);
        var root = init.RootElement;
        Assert.That(root.GetProperty("z_dim").GetInt32(), Is.EqualTo(512));
        Assert.That(root.GetProperty("c_dim").GetInt32(), Is.EqualTo(25));
        Assert.That(root.GetProperty("channel_base").GetInt32(), Is.EqualTo(4096));
        Assert.That(root.GetProperty("conv_clamp").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(root.GetProperty("mapping_kwargs").GetProperty("num_layers").GetInt32(), Is.EqualTo(2));
        Assert.That(root.GetProperty("rendering_kwargs").GetProperty("superresolution_module").GetString(), Does.EndWith("SuperresolutionHybrid2X"));
        using var rk = JsonDocument.Parse(f.Metadata["rendering_kwargs"]);
        Assert.That(rk.RootElement.GetProperty("depth_resolution").GetInt32(), Is.EqualTo(12));
        Assert.That(rk.RootElement.GetProperty("ray_start").GetDouble(), Is.EqualTo(2.25));
        Assert.That(rk.RootElement.GetProperty("avg_camera_pivot")[2].GetDouble(), Is.EqualTo(0.2));
        Assert.That(rk.RootElement.GetProperty("sr_antialias").GetBoolean(), Is.True);
    }

    [Test]
    public void InspectListsGlobalsKeysAndTensors()
    {
        var rep = WeightsInspector.Inspect(Pkl);
        Assert.That(rep.Container, Is.EqualTo("pickle"));
        Assert.That(rep.SelectedKey, Is.EqualTo("G_ema"));
        Assert.That(rep.TopLevelKeys, Is.EqualTo(new[] { "training_set_kwargs", "G", "D", "G_ema", "augment_pipe" }));
        Assert.That(rep.Tensors, Has.Count.EqualTo(178));
        var outer = new[]
        {
            "torch_utils.persistence._reconstruct_persistent_obj", "collections.OrderedDict", "torch._utils._rebuild_tensor_v2",
            "torch._utils._rebuild_parameter", "torch.storage._load_from_bytes", "training.volumetric_rendering.renderer.ImportanceRenderer",
            "training.volumetric_rendering.ray_marcher.MipRayMarcher2", "training.volumetric_rendering.ray_sampler.RaySampler",
            "training.triplane.OSGDecoder", "torch.nn.modules.container.Sequential", "torch.nn.modules.activation.Softplus",
            "numpy.core.multiarray.scalar", "numpy.dtype", "dnnlib.util.EasyDict",
        };
        Assert.That(rep.Globals, Is.EquivalentTo(outer.Append("torch.FloatStorage")));
        Assert.That(WeightsInspector.Inspect(Pkl, "D").Tensors.Count, Is.GreaterThan(0));
    }

    [Test]
    public void UnknownKeyIsATypedError()
    {
        var ex = Assert.Throws<WeightsFormatException>(() => WeightsConverter.Convert(Pkl, Path.Combine(_dir, "x.safetensors"), new ConvertOptions { Key = "nope" }));
        Assert.That(ex!.Message, Does.Contain("nope").And.Contain("G_ema"));
        Assert.That(File.Exists(Path.Combine(_dir, "x.safetensors")), Is.False);
    }

    [Test]
    public void CancellingMidWriteLeavesNoOutputNorTempFile()
    {
        string dir = Path.Combine(_dir, "cancel");
        Directory.CreateDirectory(dir);
        string outPath = Path.Combine(dir, "x.safetensors");
        using var cts = new CancellationTokenSource();
        var cancelOnFirstWrite = new SyncProgress(p => { if (p.Stage == ConvertStage.Writing && p.Done > 0) cts.Cancel(); });
        Assert.Throws<OperationCanceledException>(() => WeightsConverter.Convert(Pkl, outPath, progress: cancelOnFirstWrite, cancel: cts.Token));
        Assert.That(Directory.GetFiles(dir), Is.Empty, "neither the output nor a temp file may remain");
        Assert.Throws<OperationCanceledException>(() => WeightsConverter.Convert(Pkl, outPath, cancel: cts.Token));   // already cancelled
        Assert.That(Directory.GetFiles(dir), Is.Empty);
    }

    sealed class SyncProgress(Action<ConvertProgress> report) : IProgress<ConvertProgress>
    {
        public void Report(ConvertProgress value) => report(value);
    }

    // FullyConnectedLayer with equalized lr: y = x·(W·lr/sqrt(in))ᵀ + b·lr, then lrelu(0.2)·sqrt(2).
    static double[] D(float[] v) => v.Select(x => (double)x).ToArray();

    static double[] Fc(SafeTensorsFile f, string layer, double[] x, double lr, bool lrelu)
    {
        var w = f.ReadFloat32($"backbone.mapping.{layer}.weight");
        var b = f.ReadFloat32($"backbone.mapping.{layer}.bias");
        int outN = b.Length, inN = x.Length;
        double gain = lr / Math.Sqrt(inN);
        var y = new double[outN];
        for (int o = 0; o < outN; o++)
        {
            double s = 0;
            for (int i = 0; i < inN; i++) s += x[i] * (double)w[o * inN + i];
            s = s * gain + b[o] * lr;
            y[o] = lrelu ? (s < 0 ? 0.2 * s : s) * Math.Sqrt(2) : s;
        }
        return y;
    }

    static double[] Normalize(double[] v)
    {
        double m = v.Average(x => x * x);
        return v.Select(x => x / Math.Sqrt(m + 1e-8)).ToArray();
    }

    static double MaxDiff(double[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max();

    static void AssertClose(double[] actual, float[] expected, double tol)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length));
        Assert.That(MaxDiff(actual, expected), Is.LessThanOrEqualTo(tol));
    }
}

// Shared access to the EG3D fixtures: the tiny pickle converted once per test run, the reference cases, and a
// comparison helper that understands the fixtures' subsampling (.sub + stride, .sum/.l2) and reports max abs errors.
using My3DGen.Engine.IO;
using My3DGen.Engine.Tensors;

namespace My3DGen.Models.Tests.Eg3d;

internal static class FixtureData
{
    public static string Path(string name) => System.IO.Path.Combine(TestContext.CurrentContext.TestDirectory, "fixtures", "eg3d", name);

    static readonly Lazy<string> Converted = new(() =>
    {
        var dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "my3dgen-models-tests");
        Directory.CreateDirectory(dir);
        var outPath = System.IO.Path.Combine(dir, $"eg3d-tiny-{Environment.ProcessId}.safetensors");
        WeightsConverter.WeightsConverter.Convert(Path("eg3d-tiny.pkl"), outPath);
        return outPath;
    });

    /// <summary>eg3d-tiny.pkl converted to safetensors (G_ema), once per process.</summary>
    public static string TinyModel => Converted.Value;

    public const string Case0 = "tiny_seed0_psi1.0_cam0.safetensors";
    public const string Case1 = "tiny_seed0_psi0.7_cam1.safetensors";
    public const string Sr8xdc = "sr8xdc_module.safetensors";

    public static SafeTensorsFile Open(string name) => SafeTensorsFile.Open(Path(name));
}

/// <summary>Compares computed tensors with reference entries and logs "stage: max abs err" lines.</summary>
internal sealed class Reference(SafeTensorsFile file) : IDisposable
{
    public SafeTensorsFile File { get; } = file;

    public float[] Read(string key) => File.ReadFloat32(key);
    public Tensor Tensor(Engine.Backends.IBackend be, string key) => Engine.Tensors.Tensor.FromArray(be, Read(key), File.Info(key).Shape);

    /// <summary>Max abs error of <paramref name="actual"/> (full tensor, row-major, shape <paramref name="shape"/>) against entry
    /// <paramref name="key"/> or, when the file stores it subsampled, against key.sub (+ .sum/.l2 checks). Asserts ≤ tol.</summary>
    public double Check(string stage, string key, float[] actual, int[] shape, double tol)
    {
        double err;
        if (File.Contains(key))
        {
            var info = File.Info(key);
            Assert.That(info.ElementCount, Is.EqualTo(actual.LongLength), $"{stage}: element count of '{key}'");
            var expected = Read(key);
            err = MaxAbs(expected, actual);
        }
        else
        {
            var stride = File.Metadata[key + ".sub.stride"].Split(',').Select(int.Parse).ToArray();
            var full = File.Metadata[key + ".full_shape"].Split(',').Select(int.Parse).ToArray();
            Assert.That(shape, Is.EqualTo(full), $"{stage}: full shape of '{key}'");
            var sub = Read(key + ".sub");
            var picked = Subsample(actual, shape, stride);
            Assert.That(picked.Length, Is.EqualTo(sub.Length), $"{stage}: subsample size");
            err = MaxAbs(sub, picked);
            double sum = 0, l2 = 0;
            foreach (var v in actual) { sum += v; l2 += (double)v * v; }
            l2 = Math.Sqrt(l2);
            double refSum = File.ReadFloat64(key + ".sum")[0], refL2 = File.ReadFloat64(key + ".l2")[0];
            TestContext.Out.WriteLine($"  {stage}: |Δsum| = {Math.Abs(sum - refSum):E2} (N = {actual.Length}), |Δl2| = {Math.Abs(l2 - refL2):E2} (l2 = {refL2:F3})");
            Assert.That(Math.Abs(l2 - refL2), Is.LessThanOrEqualTo(1e-4 * refL2 + 1e-6), $"{stage}: l2 of '{key}'");
            Assert.That(Math.Abs(sum - refSum), Is.LessThanOrEqualTo(1e-5 * actual.Length + 1e-6), $"{stage}: sum of '{key}'");
        }
        TestContext.Out.WriteLine($"{stage}: max abs err = {err:E2}");
        Assert.That(err, Is.LessThanOrEqualTo(tol), $"{stage}: max abs error vs '{key}'");
        return err;
    }

    public double Check(string stage, string key, Tensor actual, double tol) => Check(stage, key, actual.ToArray(), actual.Shape, tol);

    /// <summary>Intermediates tolerance of the fixture README §8: 1e-3 abs or 1e-4 relative to max |x|, whichever is larger.</summary>
    public double IntermediateTol(string key)
    {
        var data = File.Contains(key) ? Read(key) : Read(key + ".sub");
        double m = data.Length == 0 ? 0 : data.Max(v => Math.Abs((double)v));
        return Math.Max(1e-3, 1e-4 * m);
    }

    static float[] Subsample(float[] x, int[] shape, int[] stride)
    {
        int r = shape.Length;
        var sub = shape.Select((s, i) => (s + stride[i] - 1) / stride[i]).ToArray();
        var full = new int[r];
        var res = new List<float>();
        var idx = new int[r];
        long total = sub.Aggregate(1L, (a, b) => a * b);
        for (long q = 0; q < total; q++)
        {
            long rem = q;
            for (int a = r - 1; a >= 0; a--) { idx[a] = (int)(rem % sub[a]); rem /= sub[a]; }
            long flat = 0;
            for (int a = 0; a < r; a++) flat = flat * shape[a] + (long)idx[a] * stride[a];
            res.Add(x[flat]);
        }
        return res.ToArray();
    }

    public static double MaxAbs(float[] a, float[] b)
    {
        Assert.That(b.Length, Is.EqualTo(a.Length), "length mismatch");
        double m = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = Math.Abs((double)a[i] - b[i]);
            if (double.IsNaN(d)) return double.PositiveInfinity;
            if (d > m) m = d;
        }
        return m;
    }

    public void Dispose() => File.Dispose();
}

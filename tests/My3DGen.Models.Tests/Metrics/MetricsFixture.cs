// The reference outputs of tools/metrics/make_reference.py (tests/fixtures/metrics): images (uint8 HWC) and the
// PyTorch / scikit-image results they are compared with, plus the hash-random networks both sides rebuild.
using My3DGen.Engine.Backends.Cpu;
using My3DGen.Engine.IO;
using My3DGen.Models.Imaging;
using My3DGen.Models.Metrics;

namespace My3DGen.Models.Tests.Metrics;

internal static class MetricsFixture
{
    public static string Dir => Path.Combine(TestContext.CurrentContext.TestDirectory, "fixtures", "metrics");
    public const int ArcFaceSeed = 3, DistsSeed = 5, LpipsVggSeed = 8;

    static readonly Lazy<SafeTensorsFile> File = new(() => SafeTensorsFile.Open(Path.Combine(Dir, "metrics_reference.safetensors")));
    static readonly Lazy<Identity.ArcFaceIrSe50> ArcFaceNet = new(() => Identity.ArcFaceIrSe50.CreateRandom(ArcFaceSeed, CpuBackend.Instance));

    /// <summary>The shared random ArcFace (seed 3); building it draws 43.6 M hash values, so it is built once.</summary>
    public static Identity.ArcFaceIrSe50 ArcFace => ArcFaceNet.Value;

    public static float[] Floats(string name) { lock (File) return File.Value.ReadFloat32(name); }
    public static double[] Doubles(string name) { lock (File) return File.Value.ReadFloat64(name); }

    public static RgbImage Image(string name)
    {
        lock (File)
        {
            var info = File.Value.Info($"image.{name}");
            return new RgbImage(info.Shape[1], info.Shape[0], File.Value.RawBytes($"image.{name}").ToArray());
        }
    }

    public static NamedImage Named(string name) => new(name + ".png", Image(name));

    public static double MaxAbsDiff(IEnumerable<double> a, IEnumerable<double> b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max();
}

// safetensors and .npy round trips, the fixture files, and typed errors on corrupt input.
using My3DGen.Engine.IO;

namespace My3DGen.Engine.Tests.IO;

public class SafeTensorsTests
{
    static string Tmp(string name) => Path.Combine(Path.GetTempPath(), $"my3dgen-{Guid.NewGuid():N}-{name}");

    [Test]
    public void RoundTripsTensorsAndMetadata()
    {
        var path = Tmp("a.safetensors");
        var w = new SafeTensorsWriter();
        w.AddMetadata("format", "test");
        w.Add("x", [2, 3], new float[] { 1, 2, 3, 4, 5, 6 });
        w.Add("s", [], new double[] { 2.5 });
        w.Add("i", [2], new long[] { 7, -8 });
        w.Write(path);
        using var f = SafeTensorsFile.Open(path);
        Assert.That(f.Metadata["format"], Is.EqualTo("test"));
        Assert.That(f.ReadFloat32("x"), Is.EqualTo(new float[] { 1, 2, 3, 4, 5, 6 }));
        Assert.That(f.Info("x").Shape, Is.EqualTo(new[] { 2, 3 }));
        Assert.That(f.ReadFloat64("s"), Is.EqualTo(new[] { 2.5 }));
        Assert.That(f.ReadFloat32("i"), Is.EqualTo(new float[] { 7, -8 }));
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}*"), Is.Empty, "no temp file left");
        File.Delete(path);
    }

    [Test]
    public void ReadsPyTorchFixture()
    {
        var path = Path.Combine(TestContext.CurrentContext.TestDirectory, "fixtures", "eg3d", "tiny_seed0_psi0.7_cam1.safetensors");
        using var f = SafeTensorsFile.Open(path);
        Assert.That(f.Info("ws").Shape, Is.EqualTo(new[] { 1, 14, 512 }));
        Assert.That(f.Info("image").Shape, Is.EqualTo(new[] { 1, 3, 128, 128 }));
        Assert.That(f.ReadFloat32("input.c").Length, Is.EqualTo(25));
        Assert.That(f.ReadFloat32("input.c")[11], Is.EqualTo(2.4666247f));
    }

    [Test]
    public void TruncatedFileGivesTypedErrorNamingFile()
    {
        var path = Tmp("bad.safetensors");
        var w = new SafeTensorsWriter();
        w.Add("x", [4], new float[] { 1, 2, 3, 4 });
        w.Write(path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^4]);
        var ex = Assert.Throws<FileFormatException>(() => SafeTensorsFile.Open(path))!;
        Assert.That(ex.Message, Does.Contain(path).And.Contain("'x'"));
        File.WriteAllBytes(path, [1, 2, 3]);
        Assert.Throws<FileFormatException>(() => SafeTensorsFile.Open(path));
        File.WriteAllBytes(path, BitConverter.GetBytes(1000UL).Concat(new byte[20]).ToArray());
        Assert.Throws<FileFormatException>(() => SafeTensorsFile.Open(path));
        File.Delete(path);
    }

    [Test]
    public void FailedWriteLeavesNothingBehind()
    {
        var path = Tmp("fail.safetensors");
        var w = new SafeTensorsWriter();
        w.AddStreamed("x", StoredDType.F32, [4], (n, s) => throw new IOException("disk full"));
        Assert.Throws<IOException>(() => w.Write(path));
        Assert.That(File.Exists(path), Is.False);
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}*"), Is.Empty);
    }

    [Test]
    public void NpyRoundTripAndErrors()
    {
        var path = Tmp("z.npy");
        NpyFile.Write(path, [1, 4], new float[] { 1, -2, 3.5f, 0 });
        var a = NpyFile.Read(path);
        Assert.That(a.Shape, Is.EqualTo(new[] { 1, 4 }));
        Assert.That(a.Data, Is.EqualTo(new float[] { 1, -2, 3.5f, 0 }));
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^3]);
        var ex = Assert.Throws<FileFormatException>(() => NpyFile.Read(path))!;
        Assert.That(ex.Message, Does.Contain(path));
        File.Delete(path);
    }
}

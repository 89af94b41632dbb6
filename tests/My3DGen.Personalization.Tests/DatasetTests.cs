// Person folders: a valid folder loads (W and W+ anchors), and every kind of bad input is a one-line
// DatasetException naming the file at fault.
using My3DGen.Engine.IO;
using My3DGen.Personalization.Data;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace My3DGen.Personalization.Tests;

public class DatasetTests
{
    static string MakeFolder(int size = 8, bool writeLatent = true, string? json = null)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"my3dgen-ds-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        using (var img = new Image<Rgb24>(size, size, new Rgb24(255, 0, 128))) img.SaveAsPng(Path.Combine(dir, "image_0.png"));
        var cam = string.Join(",", Enumerable.Range(0, 25).Select(i => (i * 0.1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        File.WriteAllText(Path.Combine(dir, "dataset.json"), json ?? $"{{\"labels\": [[\"image_0.png\", [{cam}]]]}}");
        if (writeLatent) NpyFile.Write(Path.Combine(dir, "image_0_latent.npy"), [1, 512], new float[512]);
        return dir;
    }

    [Test]
    public void LoadsFolderAndExpandsWAnchor()
    {
        var dir = MakeFolder();
        var ds = PersonDataset.Load(dir, 8);
        Assert.That(ds.Samples, Has.Count.EqualTo(1));
        Assert.That(ds.Samples[0].Latent, Has.Length.EqualTo(14 * 512));
        Assert.That(ds.Samples[0].Image[0], Is.EqualTo(1f));
        Assert.That(ds.Samples[0].Image[64], Is.EqualTo(-1f));
        Directory.Delete(dir, true);
    }

    [Test]
    public void BadInputNamesTheFile()
    {
        var dir = MakeFolder();
        var ex = Assert.Throws<DatasetException>(() => PersonDataset.Load(dir, 16))!;
        Assert.That(ex.Message, Does.Contain("image_0.png").And.Contain("8x8"));
        Directory.Delete(dir, true);

        dir = MakeFolder(writeLatent: false);
        ex = Assert.Throws<DatasetException>(() => PersonDataset.Load(dir, 8))!;
        Assert.That(ex.Message, Does.Contain("image_0_latent.npy"));
        Directory.Delete(dir, true);

        dir = MakeFolder(json: "{\"labels\": [[\"image_0.png\", [1, 2, 3]]]}");
        ex = Assert.Throws<DatasetException>(() => PersonDataset.Load(dir, 8))!;
        Assert.That(ex.Message, Does.Contain("dataset.json").And.Contain("25"));
        Directory.Delete(dir, true);

        dir = MakeFolder();
        File.WriteAllText(Path.Combine(dir, "image_0.png"), "not a png");
        ex = Assert.Throws<DatasetException>(() => PersonDataset.Load(dir, 8))!;
        Assert.That(ex.Message, Does.Contain("image_0.png").And.Contain("unreadable"));
        Directory.Delete(dir, true);

        ex = Assert.Throws<DatasetException>(() => PersonDataset.Load("/nonexistent/folder", 8))!;
        Assert.That(ex.Message, Does.Contain("/nonexistent/folder"));
    }
}

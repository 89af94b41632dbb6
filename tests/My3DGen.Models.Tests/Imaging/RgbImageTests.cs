// RgbImage and ImageExport: tensor → byte conversion as in EG3D's scripts, depth to grey, PNG round trip,
// atomic saving (no temp files left, an existing file replaced whole), drawing primitives and GIF output.
using My3DGen.Engine.Backends.Cpu;
using My3DGen.Engine.Tensors;
using My3DGen.Models.Imaging;

namespace My3DGen.Models.Tests.Imaging;

public class RgbImageTests
{
    static string TempDir()
    {
        var d = Path.Combine(Path.GetTempPath(), $"my3dgen-img-{Guid.NewGuid():N}");
        Directory.CreateDirectory(d);
        return d;
    }

    [Test]
    public void FromRgbMapsMinusOneToZeroAndOneTo255PerChannel()
    {
        // [1,3,1,2]: pixel 0 = (−1, 0, 1), pixel 1 = (1, −1, 0.5)
        using var t = Tensor.FromArray(CpuBackend.Instance, new float[] { -1f, 1f, 0f, -1f, 1f, 0.5f }, 1, 3, 1, 2);
        var img = ImageExport.FromRgb(t);
        Assert.That((img.Width, img.Height), Is.EqualTo((2, 1)));
        Assert.That(img[0, 0], Is.EqualTo(new Rgb(0, 128, 255)));
        Assert.That(img[1, 0], Is.EqualTo(new Rgb(255, 0, 191)));
    }

    [Test]
    public void FromDepthShowsNearAsWhite()
    {
        using var t = Tensor.FromArray(CpuBackend.Instance, new float[] { 1f, 2f, 3f }, 1, 1, 1, 3);
        var img = ImageExport.FromDepth(t);
        Assert.That(img[0, 0], Is.EqualTo(Rgb.White));
        Assert.That(img[2, 0], Is.EqualTo(Rgb.Black));
        Assert.That(img[1, 0].R, Is.EqualTo(127));
    }

    [Test]
    public void PngRoundTripsEveryPixel()
    {
        var img = new RgbImage(7, 5);
        var rng = new Random(1);
        rng.NextBytes(img.Pixels);
        Assert.That(RgbImage.Decode(img.ToPng()).Pixels, Is.EqualTo(img.Pixels));
    }

    [Test]
    public void SavePngReplacesAnExistingFileAndLeavesNoTempFiles()
    {
        var dir = TempDir();
        try
        {
            var path = Path.Combine(dir, "picture.png");
            File.WriteAllText(path, "old content");
            new RgbImage(3, 2, new Rgb(10, 20, 30)).SavePng(path);
            Assert.That(RgbImage.Decode(File.ReadAllBytes(path))[2, 1], Is.EqualTo(new Rgb(10, 20, 30)));
            Assert.That(Directory.GetFiles(dir).Select(Path.GetFileName), Is.EqualTo(new[] { "picture.png" }));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Test]
    public void FailedSaveLeavesNoPartialFile()
    {
        var dir = TempDir();
        try
        {
            var blocked = Path.Combine(dir, "taken.png");
            Directory.CreateDirectory(blocked);   // the target name is a folder: the final rename must fail
            Assert.That(() => new RgbImage(3, 2).SavePng(blocked), Throws.InstanceOf<IOException>().Or.InstanceOf<UnauthorizedAccessException>());
            Assert.That(Directory.GetFiles(dir), Is.Empty);
            Assert.That(Directory.Exists(blocked));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Test]
    public void DrawingIsClippedToTheImage()
    {
        var img = new RgbImage(4, 4);
        img.FillRectangle(-2, -2, 4, 4, Rgb.Black);
        img.DrawLine(-5, 3, 10, 3, Rgb.Ink, 1);
        img.DrawImage(new RgbImage(3, 3, Rgb.Grey), 3, 3);
        Assert.That(img[1, 1], Is.EqualTo(Rgb.Black));
        Assert.That(img[2, 2], Is.EqualTo(Rgb.White));
        Assert.That(img[0, 3], Is.EqualTo(Rgb.Ink));
        Assert.That(img[3, 3], Is.EqualTo(Rgb.Grey));
    }

    [Test]
    public void WrongPixelBufferLengthIsRejected() =>
        Assert.Throws<ArgumentException>(() => _ = new RgbImage(2, 2, new byte[11]));

    [Test]
    public void SaveGifWritesALoopingGifOfAllFrames()
    {
        var dir = TempDir();
        try
        {
            var path = Path.Combine(dir, "orbit.gif");
            ImageExport.SaveGif([new RgbImage(8, 8, Rgb.Black), new RgbImage(8, 8, Rgb.White), new RgbImage(8, 8, Rgb.Grey)], path);
            var bytes = File.ReadAllBytes(path);
            Assert.That(System.Text.Encoding.ASCII.GetString(bytes, 0, 6), Is.EqualTo("GIF89a"));
            Assert.That(RgbImage.Decode(bytes)[0, 0], Is.EqualTo(Rgb.Black));
            Assert.That(Directory.GetFiles(dir), Has.Length.EqualTo(1));
            Assert.Throws<ArgumentException>(() => ImageExport.SaveGif([new RgbImage(8, 8), new RgbImage(4, 4)], path));
        }
        finally { Directory.Delete(dir, true); }
    }
}

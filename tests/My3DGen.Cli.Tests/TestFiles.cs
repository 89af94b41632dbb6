// Builders of the small files the CLI cases need: .npy arrays of any shape (little- or big-endian, truncated),
// a valid 4-photo person dataset for the tiny model and variants of it with one thing broken.
using System.Text;
using System.Text.Json;
using My3DGen.Engine.IO;
using My3DGen.Models.Cameras;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace My3DGen.Cli.Tests;

internal static class TestFiles
{
    /// <summary>A float32 .npy of <paramref name="shape"/> filled with <paramref name="fill"/>; big-endian ('&gt;f4') when asked.</summary>
    public static string Npy(string path, int[] shape, float fill = 0.1f, bool bigEndian = false, int truncateBy = 0)
    {
        long n = shape.Aggregate(1L, (a, b) => a * b);
        var data = Enumerable.Repeat(fill, (int)n).ToArray();
        if (!bigEndian && truncateBy == 0) { NpyFile.Write(path, shape, data); return path; }
        string shapeText = shape.Length == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape) + ")";
        string dict = $"{{'descr': '{(bigEndian ? ">" : "<")}f4', 'fortran_order': False, 'shape': {shapeText}, }}";
        int pad = (64 - (10 + dict.Length + 1) % 64) % 64;
        var header = dict + new string(' ', pad) + "\n";
        using var ms = new MemoryStream();
        ms.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        ms.Write(BitConverter.GetBytes((ushort)header.Length));
        ms.Write(Encoding.ASCII.GetBytes(header));
        foreach (var v in data) ms.Write(BitConverter.GetBytes(v));
        var bytes = ms.ToArray();
        File.WriteAllBytes(path, bytes.AsSpan(0, bytes.Length - truncateBy).ToArray());
        return path;
    }

    /// <summary>A text file.</summary>
    public static string Text(string path, string text) { File.WriteAllText(path, text); return path; }

    /// <summary>The first <paramref name="bytes"/> bytes of <paramref name="source"/>.</summary>
    public static string Truncated(string path, string source, int bytes)
    {
        File.WriteAllBytes(path, File.ReadAllBytes(source).AsSpan(0, bytes).ToArray());
        return path;
    }

    public static readonly string[] Photos = ["img0.png", "img1.png", "img2.png", "img3.png"];

    /// <summary>A valid person folder for a model of <paramref name="resolution"/>² images and <paramref name="numWs"/> × 512 ws.</summary>
    public static string Dataset(string dir, int resolution = 128, int numWs = 14, int seed = 0)
    {
        Directory.CreateDirectory(dir);
        var labels = new List<object[]>();
        for (int i = 0; i < Photos.Length; i++)
        {
            using var img = new Image<Rgb24>(resolution, resolution);
            for (int y = 0; y < resolution; y++)
                for (int x = 0; x < resolution; x++)
                    img[x, y] = new Rgb24((byte)(x * 2 + seed), (byte)(y * 2 + i * 30), (byte)(100 + i * 20));
            img.SaveAsPng(Path.Combine(dir, Photos[i]));
            Npy(Path.Combine(dir, Path.GetFileNameWithoutExtension(Photos[i]) + "_latent.npy"), [numWs, 512], 0.01f * (i + 1 + seed));
            labels.Add([Photos[i], CameraLabel.Create(-0.3f + 0.2f * i, 0.05f * i)]);
        }
        WriteLabels(dir, labels);
        return dir;
    }

    /// <summary>Writes dataset.json with the given labels ([name, camera] pairs).</summary>
    public static void WriteLabels(string dir, IEnumerable<object[]> labels) =>
        File.WriteAllText(Path.Combine(dir, "dataset.json"), JsonSerializer.Serialize(new Dictionary<string, object> { ["labels"] = labels }));

    /// <summary>Flips one byte inside the IDAT chunk of a PNG (its CRC no longer matches).</summary>
    public static void CorruptPngCrc(string path)
    {
        var b = File.ReadAllBytes(path);
        int idat = b.AsSpan().IndexOf("IDAT"u8);
        b[idat + 10] ^= 0x5A;
        File.WriteAllBytes(path, b);
    }
}

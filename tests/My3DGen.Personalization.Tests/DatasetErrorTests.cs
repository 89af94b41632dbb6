// Every dataset problem is a DatasetException (a UserInputException) whose one-line message names the user's file
// exactly once and says what is wrong with it.
using System.Text.RegularExpressions;
using My3DGen.Engine;
using My3DGen.Engine.IO;
using My3DGen.Personalization.Data;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace My3DGen.Personalization.Tests;

public class DatasetErrorTests
{
    const int Size = 8;
    static readonly string Cam = string.Join(",", Enumerable.Range(0, 25).Select(i => (i * 0.1).ToString(System.Globalization.CultureInfo.InvariantCulture)));

    static string MakeFolder()
    {
        var dir = Directory.CreateTempSubdirectory("my3dgen-ds-").FullName;
        using (var img = new Image<Rgb24>(Size, Size, new Rgb24(255, 0, 128))) img.SaveAsPng(Path.Combine(dir, "image_0.png"));
        File.WriteAllText(Path.Combine(dir, "dataset.json"), $"{{\"labels\": [[\"image_0.png\", [{Cam}]]]}}");
        NpyFile.Write(Path.Combine(dir, "image_0_latent.npy"), [1, 512], new float[512]);
        return dir;
    }

    /// <summary>(what to break in a valid folder, the file that must be named, a word of the problem).</summary>
    static IEnumerable<TestCaseData> Problems()
    {
        TestCaseData Case(string name, Action<string> breakIt, string file, string problem) => new TestCaseData(breakIt, file, problem).SetName(name);
        yield return Case("no dataset.json", d => File.Delete(Path.Combine(d, "dataset.json")), "dataset.json", "missing");
        yield return Case("dataset.json not JSON", d => File.WriteAllText(Path.Combine(d, "dataset.json"), "{labels: ["), "dataset.json", "JSON");
        yield return Case("24 numbers", d => File.WriteAllText(Path.Combine(d, "dataset.json"),
            $"{{\"labels\": [[\"image_0.png\", [{string.Join(",", Enumerable.Repeat("0", 24))}]]]}}"), "dataset.json", "24");
        yield return Case("label not a pair", d => File.WriteAllText(Path.Combine(d, "dataset.json"), "{\"labels\": [\"image_0.png\"]}"), "dataset.json", "label");
        yield return Case("missing image", d => File.Delete(Path.Combine(d, "image_0.png")), "image_0.png", "not found");
        yield return Case("wrong-size PNG", d =>
        {
            using var img = new Image<Rgb24>(Size * 2, Size); img.SaveAsPng(Path.Combine(d, "image_0.png"));
        }, "image_0.png", "16x8");
        yield return Case("truncated PNG", d =>
        {
            var p = Path.Combine(d, "image_0.png");
            var bytes = File.ReadAllBytes(p);
            File.WriteAllBytes(p, bytes[..(bytes.Length / 2)]);
        }, "image_0.png", "unreadable");
        yield return Case("corrupt PNG", d => File.WriteAllText(Path.Combine(d, "image_0.png"), "not a png"), "image_0.png", "unreadable");
        yield return Case("missing latent", d => File.Delete(Path.Combine(d, "image_0_latent.npy")), "image_0_latent.npy", "missing");
        yield return Case("latent of the wrong shape", d => NpyFile.Write(Path.Combine(d, "image_0_latent.npy"), [2, 7, 512], new float[14 * 512]),
            "image_0_latent.npy", "shape [2,7,512]");
        yield return Case("big-endian latent", d =>
        {
            var p = Path.Combine(d, "image_0_latent.npy");
            var bytes = File.ReadAllBytes(p);
            int i = IndexOf(bytes, "<f4"u8.ToArray());
            bytes[i] = (byte)'>';
            File.WriteAllBytes(p, bytes);
        }, "image_0_latent.npy", "dtype");
        yield return Case("truncated latent", d =>
        {
            var p = Path.Combine(d, "image_0_latent.npy");
            var bytes = File.ReadAllBytes(p);
            File.WriteAllBytes(p, bytes[..(bytes.Length - 100)]);
        }, "image_0_latent.npy", "bytes");
        yield return Case("empty folder", d => { foreach (var f in Directory.GetFiles(d)) File.Delete(f); }, "dataset.json", "empty");
    }

    static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle)) return i;
        throw new InvalidOperationException("pattern not found");
    }

    [TestCaseSource(nameof(Problems))]
    public void ProblemIsOneLineNamingTheFileOnce(Action<string> breakIt, string file, string problem)
    {
        var dir = MakeFolder();
        try
        {
            breakIt(dir);
            var ex = Assert.Throws<DatasetException>(() => PersonDataset.Load(dir, Size))!;
            Assert.That(ex, Is.InstanceOf<UserInputException>());
            var path = Path.Combine(dir, file);
            Assert.That(ex.FilePath, Is.EqualTo(path));
            Assert.That(Regex.Matches(ex.Message, Regex.Escape(dir)).Count, Is.EqualTo(1), $"the path appears once: {ex.Message}");
            Assert.That(ex.Message, Does.StartWith(path + ": ").And.Contain(problem).And.Not.Contain("\n"));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Test]
    public void MissingFolderAndMissingAnchorsFileAreNamed()
    {
        var ex = Assert.Throws<DatasetException>(() => PersonDataset.Load("/nonexistent/folder", Size))!;
        Assert.That(ex.Message, Is.EqualTo("/nonexistent/folder: folder not found"));
        var dir = MakeFolder();
        var anchors = Path.Combine(dir, "anchors.safetensors");
        ex = Assert.Throws<DatasetException>(() => PersonDataset.Load(dir, Size, anchorsPath: anchors))!;
        Assert.That(ex.Message, Is.EqualTo($"{anchors}: anchors file not found"));
        Directory.Delete(dir, true);
    }
}

// Rows of the CLI error table for `my3dgen metrics`: missing modes and inputs (usage, exit 2) and bad images, folders,
// weight files and saved JSON (exit 1, one line naming the file).
using My3DGen.Engine.IO;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static My3DGen.Cli.Tests.Cases;
using static My3DGen.Cli.Tests.TestFiles;

namespace My3DGen.Cli.Tests;

internal static class MetricsCases
{
    /// <summary>Writes a w×h PNG of a flat colour and returns its path.</summary>
    public static string Png(string path, int w = 40, int h = 40, byte shade = 90)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var img = new Image<Rgb24>(w, h, new Rgb24(shade, (byte)(255 - shade), 40));
        img.SaveAsPng(path);
        return path;
    }

    static string Folder(CaseDir d, string name, params string[] files)
    {
        var dir = d.File(name);
        foreach (var f in files) Png(Path.Combine(dir, f));
        return dir;
    }

    static string[] Pairwise(CaseDir d, params string[] extra) => ["metrics", "--a", Folder(d, "a", "x.png"), "--b", Folder(d, "b", "x.png"), .. extra];

    public static IEnumerable<CliCase> All() =>
    [
        Usage("metrics without a mode", _ => ["metrics"], "--id-sim"),
        Usage("metrics --a without --b", d => ["metrics", "--a", Folder(d, "a", "x.png")], "--a and --b"),
        Usage("metrics --id-sim without --reference", d => ["metrics", "--id-sim", "--generated", Folder(d, "g", "x.png")], "--reference"),
        Usage("metrics bad --id-preprocess", d => Pairwise(d, "--id-preprocess", "crop"), "--id-preprocess"),
        User("metrics unreadable image", d =>
        {
            var args = Pairwise(d);
            Text(d.File("b/y.png"), "not an image"); Text(d.File("a/y.png"), "also not");
            return args;
        }, d => d.File("a/y.png")),
        User("metrics truncated png", d => { var args = Pairwise(d); Truncated(d.File("b/x.png"), d.File("a/x.png"), 40); return args; }, d => d.File("b/x.png")),
        User("metrics --a missing", d => ["metrics", "--a", d.File("nope"), "--b", Folder(d, "b", "x.png")], d => d.File("nope")),
        User("metrics no common names", d => ["metrics", "--a", Folder(d, "a", "x.png"), "--b", Folder(d, "b", "y.png")], d => d.File("b")),
        User("metrics empty folder", d => { Directory.CreateDirectory(d.File("e")); return ["metrics", "--a", d.File("e"), "--b", Folder(d, "b", "x.png")]; }, d => d.File("e")),
        User("metrics image too small", d => ["metrics", "--a", Png(d.File("a/s.png"), 16, 16), "--b", Png(d.File("b/s.png"), 16, 16)], d => d.File("a/s.png")),
        User("metrics --arcface missing", d => Pairwise(d, "--arcface", d.File("arc.safetensors")), d => d.File("arc.safetensors")),
        User("metrics --arcface not converted", d => Pairwise(d, "--arcface", Text(d.File("arc.safetensors"), "{}")), d => d.File("arc.safetensors")),
        User("metrics --lpips-lin not a lin file", d =>
        {
            var w = new SafeTensorsWriter();
            w.Add("alpha", [2], [1f, 2f]);
            w.Write(d.File("lin.safetensors"));
            return Pairwise(d, "--lpips-lin", d.File("lin.safetensors"));
        }, d => d.File("lin.safetensors")),
        User("metrics --show not JSON", d => ["metrics", "--show", Text(d.File("m.json"), "pairs: 1")], d => d.File("m.json")),
    ];
}

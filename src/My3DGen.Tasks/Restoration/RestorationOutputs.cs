// Files both restoration tasks write: the α⁺ latent and its coefficients as .npy (MyStyle's w and "alpha"), a labelled
// grid of novel views of the restored latent over the paper's yaw/pitch range, a metric,value CSV, and CHW float images
// turned into PNGs. Every file is written atomically.
using System.Globalization;
using System.Text;
using My3DGen.Engine.Backends.Cpu;
using My3DGen.Engine.IO;
using My3DGen.Engine.Tensors;
using My3DGen.Models;
using My3DGen.Models.Api;
using My3DGen.Models.Imaging;
using My3DGen.Tasks.Inversion;
using My3DGen.Tasks.Rendering;

namespace My3DGen.Tasks.Restoration;

internal static class RestorationOutputs
{
    /// <summary>A CHW image of 3·side·side floats in [−1,1] as 8-bit RGB.</summary>
    public static RgbImage Picture(float[] chw, int side) => ImageExport.FromChw(chw, side, side);

    /// <summary>Writes <paramref name="chw"/> as a PNG and records the path.</summary>
    public static void SavePng(string path, float[] chw, int side, List<string> files)
    {
        OutputFileException.Guard(path, () => Picture(chw, side).SavePng(path));
        files.Add(path);
    }

    /// <summary>latent.npy [1, L, D] and alpha.npy [1, L, N] (â).</summary>
    public static void SaveLatent(string dir, AlphaPlusResult r, int numWs, int wDim, List<string> files)
    {
        string latent = Path.Combine(dir, "latent.npy"), alpha = Path.Combine(dir, "alpha.npy");
        OutputFileException.Guard(latent, () => NpyFile.Write(latent, [1, numWs, wDim], r.Ws));
        int n = r.Alpha.GetLength(1);
        var a = new float[numWs * n];
        for (int l = 0; l < numWs; l++)
            for (int k = 0; k < n; k++) a[l * n + k] = (float)r.Alpha[l, k];
        OutputFileException.Guard(alpha, () => NpyFile.Write(alpha, [1, numWs, n], a));
        files.Add(latent); files.Add(alpha);
    }

    /// <summary>novel_views.png: the latent from yaw {−0.35, 0, 0.35} (columns) × pitch {−0.25, 0.25} (rows).</summary>
    public static void SaveNovelViews(Eg3dGenerator generator, float[] ws, string dir, string title, List<string> files, CancellationToken cancel)
    {
        var views = RenderViews.FromYawPitch(generator, InversionService.GridYaws, InversionService.GridPitches);
        var tiles = LatentRows.Render(generator, [ws], _ => views, ["novel views"], null, null, cancel);
        string path = Path.Combine(dir, "novel_views.png");
        OutputFileException.Guard(path, () => LabelledGrid.Save(path, tiles, title,
            InversionService.GridPitches.Select(p => "pitch " + TaskViews.Signed(p)).ToList(),
            InversionService.GridYaws.Select(y => "yaw " + TaskViews.Signed(y)).ToList(), Math.Min(192, generator.Config.ImgResolution)));
        files.Add(path);
    }

    /// <summary>A two-column CSV (metric,value).</summary>
    public static void SaveCsv(string path, IEnumerable<(string Metric, double Value)> rows, List<string> files)
    {
        var text = new StringBuilder("metric,value\n");
        foreach (var (m, v) in rows) text.Append(string.Create(CultureInfo.InvariantCulture, $"{m},{v:G6}\n"));
        OutputFileException.Guard(path, () => AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(text.ToString())));
        files.Add(path);
    }

    /// <summary>The projection's losses as CSV rows with a prefix.</summary>
    public static IEnumerable<(string, double)> LossRows(AlphaPlusResult r) =>
    [
        ("projection_lpips_alex_start", r.Initial.Lpips), ("projection_mse_start", r.Initial.Mse),
        ("projection_lpips_alex", r.Final.Lpips), ("projection_mse", r.Final.Mse), ("projection_regularizer", r.Final.Regularization),
        ("projection_loss", r.Final.Total),
    ];

    /// <summary>Progress of the projection steps as task progress out of <paramref name="total"/>.</summary>
    public static IProgress<AlphaPlusProgress>? Forward(IProgress<TaskProgress>? progress, int total) => progress == null ? null
        : new Forwarder<AlphaPlusProgress>(p => progress.Report(new TaskProgress(p.Step, total,
            FormattableString.Invariant($"alpha+ step {p.Step}/{p.Steps}: LPIPS-alex {p.Losses.Lpips:0.0000}, MSE {p.Losses.Mse:0.00000}, R {p.Losses.Regularization:0.000}"), p.Elapsed)));

    /// <summary>The grid font's character set: ², · and ⁺ spelled out.</summary>
    public static string Ascii(string s) => s.Replace("²", "^2", StringComparison.Ordinal).Replace("·", "*", StringComparison.Ordinal).Replace("⁺", "+", StringComparison.Ordinal);

    /// <summary>Reports synchronously on the reporting thread (System.Progress would post and could reorder or outlive the run).</summary>
    sealed class Forwarder<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}

// The pictures and table of a projection run: a labelled grid PNG (one row per photo: target | projection | |difference|,
// row captions with the photo's LPIPS and PSNR) and a CSV of final LPIPS-VGG, MSE and PSNR per photo. Random loss
// weights are named in the grid title and in every CSV row.
using System.Globalization;
using System.Text;
using My3DGen.Engine.Backends.Cpu;
using My3DGen.Engine.IO;
using My3DGen.Engine.Tensors;
using My3DGen.Models.Imaging;

namespace My3DGen.Personalization.Projection;

/// <summary>Writes the grid and the table of a projection run.</summary>
public static class ProjectionReport
{
    /// <summary>Grid title suffix and CSV column value when the LPIPS-VGG weights were random.</summary>
    public const string RandomWeightsNote = "RANDOM LPIPS-VGG weights (not perceptual)";

    /// <summary>Grid of <paramref name="results"/> against their <paramref name="targets"/> (same names), cells of
    /// <paramref name="cellSize"/> pixels, written atomically to <paramref name="path"/>.</summary>
    public static void WriteGrid(string path, IReadOnlyList<ProjectionResult> results, IReadOnlyDictionary<string, ProjectionTarget> targets,
        int resolution, ProjectionOptions options, bool randomWeights, int cellSize = 256)
    {
        if (results.Count == 0) throw new ArgumentException("no results to show", nameof(results));
        var images = new List<RgbImage>();
        foreach (var r in results)
        {
            var t = targets[r.Name].Image;
            var diff = new float[t.Length];
            for (int i = 0; i < t.Length; i++) diff[i] = 2f * Math.Min(1f, Math.Abs(r.Projection[i] - t[i])) - 1f;   // |d| = 1 → white
            images.Add(ImageExport.FromChw(t, resolution, resolution));
            images.Add(ImageExport.FromChw(r.Projection, resolution, resolution));
            images.Add(ImageExport.FromChw(diff, resolution, resolution));
        }
        var rows = results.Select(r => string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileNameWithoutExtension(r.Name)}\nLPIPS {r.Lpips:F3}\nPSNR {r.Psnr:F1} dB")).ToList();
        string title = $"Projection ({options.Describe()})" + (randomWeights ? " - " + RandomWeightsNote : "");
        LabelledGrid.Save(path, images, title, rows, ["target photo", "projection", "|projection - target|\n(white = 1 on [-1,1])"],
            cellSize: Math.Min(cellSize, resolution));
    }

    /// <summary>CSV (header + one row per photo): name, lpips_vgg, mse, psnr_db, start_mse, space, steps, lpips_weights. Atomic.</summary>
    public static void WriteCsv(string path, IReadOnlyList<ProjectionResult> results, ProjectionOptions options, bool randomWeights)
    {
        var sb = new StringBuilder("image,lpips_vgg256,mse,psnr_db,start_mse,space,steps,lpips_weights\n");
        foreach (var r in results)
            sb.Append(string.Create(CultureInfo.InvariantCulture,
                $"{Csv(r.Name)},{r.Lpips:G6},{r.Mse:G6},{r.Psnr:F3},{r.StartMse:G6},{(options.Space == LatentSpace.W ? "w" : "w+")},{options.Steps},{(randomWeights ? "random" : "released")}\n"));
        AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(sb.ToString()));
    }

    static string Csv(string s) => s.Contains(',') || s.Contains('"') ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}

// `interpolate` (paper Fig. 4): between two anchors w_a and w_b, w(θ) = (1 − θ)·w_a + θ·w_b per layer at equally spaced
// θ ∈ [0, 1] (θ = 0 and 1 are the anchors exactly), each rendered from the same views; writes a grid (rows θ, columns
// views), a GIF (θ forth and back, the views side by side), the latents, and ID_sim per θ when a scorer is given.
using System.Globalization;
using System.Text;
using My3DGen.Engine.IO;
using My3DGen.Models;
using My3DGen.Models.Api;
using My3DGen.Models.Imaging;
using My3DGen.Tasks.Identity;
using My3DGen.Tasks.Latents;
using My3DGen.Tasks.Rendering;

namespace My3DGen.Tasks.Interpolation;

/// <summary>What to interpolate and where to write it.</summary>
public sealed record InterpolationRequest
{
    /// <summary>Index of the start anchor (θ = 0).</summary>
    public required int From { get; init; }
    /// <summary>Index of the end anchor (θ = 1).</summary>
    public required int To { get; init; }
    /// <summary>The views (grid columns), e.g. <see cref="TaskViews.Random"/>.</summary>
    public required IReadOnlyList<RenderView> Views { get; init; }
    /// <summary>Output folder: interpolation_grid.png, interpolation.gif, latents.npy [T,L,D], interpolation.csv.</summary>
    public required string OutputDirectory { get; init; }
    /// <summary>Number of θ values, equally spaced in [0, 1] (the paper: 10).</summary>
    public int Steps { get; init; } = 10;
    /// <summary>When set, ID_sim per θ = mean over views of the scorer's max-cos (formula (2) with M = the views).</summary>
    public IIdentityScorer? IdentityScorer { get; init; }
    /// <summary>Sees every rendered image (row θ index, column view index) before it is discarded.</summary>
    public ImageObserver? Observer { get; init; }
    /// <summary>Title line of the grid (e.g. the model and adapter).</summary>
    public string Title { get; init; } = "Interpolation between anchors";
}

/// <summary>What an interpolation wrote.</summary>
/// <param name="Thetas">The θ values (rows).</param>
/// <param name="IdentitySimilarity">ID_sim per θ, or null without a scorer.</param>
/// <param name="Grid">The grid PNG.</param>
/// <param name="Gif">The GIF.</param>
/// <param name="Files">Every file written.</param>
public sealed record InterpolationResult(double[] Thetas, double[]? IdentitySimilarity, string Grid, string Gif, IReadOnlyList<string> Files);

/// <summary>Interpolates between two anchors.</summary>
public static class InterpolationService
{
    /// <summary>θ_i = i / (steps − 1), i = 0 … steps − 1.</summary>
    public static double[] Thetas(int steps) =>
        steps < 2 ? throw new ArgumentOutOfRangeException(nameof(steps), "need at least 2 steps") : Enumerable.Range(0, steps).Select(i => (double)i / (steps - 1)).ToArray();

    /// <summary>(1 − θ)·a + θ·b per value, in double: θ = 0 gives a and θ = 1 gives b exactly.</summary>
    public static float[] Lerp(ReadOnlySpan<float> a, ReadOnlySpan<float> b, double theta)
    {
        var r = new float[a.Length];
        for (int i = 0; i < r.Length; i++) r[i] = (float)((1 - theta) * a[i] + theta * b[i]);
        return r;
    }

    /// <summary>Renders and writes the interpolation.</summary>
    /// <exception cref="OutputFileException">The output folder cannot be written.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> fired.</exception>
    public static InterpolationResult Run(Eg3dGenerator generator, AnchorSet anchors, InterpolationRequest request,
        IProgress<TaskProgress>? progress = null, CancellationToken cancel = default)
    {
        if (request.Views.Count == 0) throw new ArgumentException("need at least one view", nameof(request));
        var dir = request.OutputDirectory;
        OutputPaths.PrepareFolder(dir);
        var thetas = Thetas(request.Steps);
        var latents = thetas.Select(t => Lerp(anchors.Ws(request.From), anchors.Ws(request.To), t)).ToList();
        var rowNames = thetas.Select(t => $"θ = {t:0.00}").ToList();
        var scores = request.IdentityScorer == null ? null : new double[thetas.Length];
        void Observe(int r, int c, Engine.Tensors.Tensor image)
        {
            request.Observer?.Invoke(r, c, image);
            if (scores != null) scores[r] += request.IdentityScorer!.Score(image) / request.Views.Count;
        }
        var tiles = LatentRows.Render(generator, latents, _ => request.Views, rowNames, Observe, progress, cancel);

        var files = new List<string>();
        string from = anchors.Names[request.From], to = anchors.Names[request.To];
        var captions = thetas.Select((t, i) => scores == null ? rowNames[i] : $"{rowNames[i]}\nID_sim {scores[i]:0.000}").ToList();
        string grid = Path.Combine(dir, "interpolation_grid.png");
        OutputFileException.Guard(grid, () => LabelledGrid.Save(grid, tiles, $"{request.Title}: {from} (θ = 0) -> {to} (θ = 1)" + (scores == null ? "" : $"\nID_sim: {request.IdentityScorer!.Name}"),
            captions, request.Views.Select(TaskViews.Caption).ToList(), Math.Min(192, generator.Config.ImgResolution)));
        files.Add(grid);

        string gif = Path.Combine(dir, "interpolation.gif");
        var strips = Enumerable.Range(0, thetas.Length).Select(r => Strip(tiles.GetRange(r * request.Views.Count, request.Views.Count))).ToList();
        var frames = strips.Concat(Enumerable.Reverse(strips).Skip(1).SkipLast(1)).ToList();
        OutputFileException.Guard(gif, () => ImageExport.SaveGif(frames, gif, frameDelayCs: 20));
        files.Add(gif);

        string npy = Path.Combine(dir, "latents.npy");
        OutputFileException.Guard(npy, () => NpyFile.Write(npy, [thetas.Length, anchors.NumWs, anchors.WDim], latents.SelectMany(l => l).ToArray()));
        files.Add(npy);

        string csv = Path.Combine(dir, "interpolation.csv");
        var text = new StringBuilder(scores == null ? "theta\n" : "theta,id_sim\n");
        for (int i = 0; i < thetas.Length; i++)
            text.Append(thetas[i].ToString("0.######", CultureInfo.InvariantCulture))
                .Append(scores == null ? "" : "," + scores[i].ToString("0.######", CultureInfo.InvariantCulture)).Append('\n');
        OutputFileException.Guard(csv, () => AtomicFile.WriteAllBytes(csv, Encoding.UTF8.GetBytes(text.ToString())));
        files.Add(csv);
        return new InterpolationResult(thetas, scores, grid, gif, files);
    }

    /// <summary>The tiles of one row side by side (one GIF frame).</summary>
    internal static RgbImage Strip(IReadOnlyList<RgbImage> row)
    {
        var strip = new RgbImage(row.Sum(t => t.Width), row.Max(t => t.Height));
        int x = 0;
        foreach (var t in row) { strip.DrawImage(t, x, 0); x += t.Width; }
        return strip;
    }
}

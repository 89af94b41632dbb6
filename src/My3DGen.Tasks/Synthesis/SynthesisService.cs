// `synthesize` (paper Fig. 5): new latents sampled in the personal convex hull P0 (MyStyle's sampler), each rendered from
// fixed views (the same for every sample) or its own random views in the paper's range; writes a grid (rows samples,
// columns views), one PNG per sample and view, the latents [M, L, D], the mixing weights (samples.json), and, when the
// metric networks are given, ID_sim (formula (2)) and the Ojha diversity of the rendered images around the training photos.
using System.Text.Json;
using System.Text.Json.Nodes;
using My3DGen.Engine.IO;
using My3DGen.Models;
using My3DGen.Models.Api;
using My3DGen.Models.Imaging;
using My3DGen.Models.Metrics;
using My3DGen.Models.Perceptual;
using My3DGen.Tasks.Identity;
using My3DGen.Tasks.Latents;
using My3DGen.Tasks.Rendering;

namespace My3DGen.Tasks.Synthesis;

/// <summary>What to synthesise and where to write it.</summary>
public sealed record SynthesisRequest
{
    /// <summary>Number of samples M (MyStyle: 30).</summary>
    public int Count { get; init; } = 30;
    /// <summary>Seed of the sampler (MyStyle: 2); random views use Seed + 1.</summary>
    public int Seed { get; init; } = P0Sampler.DefaultSeed;
    /// <summary>Distinct anchors mixed per sample (MyStyle: 3).</summary>
    public int AnchorsPerSample { get; init; } = P0Sampler.DefaultAnchorsPerSample;
    /// <summary>Fixed views shared by every sample; when null, each sample gets <see cref="RandomViews"/> random views.</summary>
    public IReadOnlyList<RenderView>? Views { get; init; }
    /// <summary>Random views per sample when <see cref="Views"/> is null.</summary>
    public int RandomViews { get; init; } = 3;
    /// <summary>Output folder: synthesis_grid.png, sample_NNN_&lt;view&gt;.png, latents.npy, samples.json.</summary>
    public required string OutputDirectory { get; init; }
    /// <summary>When set, ID_sim (formula (2)) over all rendered images.</summary>
    public IIdentityScorer? IdentityScorer { get; init; }
    /// <summary>When set, the Ojha diversity of all rendered images (spec §3.5).</summary>
    public SynthesisDiversity? Diversity { get; init; }
    /// <summary>Sees every rendered image (row sample, column view) before it is discarded.</summary>
    public ImageObserver? Observer { get; init; }
    /// <summary>Title of the grid.</summary>
    public string Title { get; init; } = "Synthesis in the personal space P0";
}

/// <summary>The diversity metric's inputs: the LPIPS-VGG network and the cluster centres.</summary>
/// <param name="LpipsVgg">LPIPS with VGG16 (random weights are labelled in the outputs).</param>
/// <param name="Train">The person's training photos, one cluster each.</param>
public sealed record SynthesisDiversity(Lpips LpipsVgg, IReadOnlyList<NamedImage> Train)
{
    /// <summary>Side the images are resized to (Ojha et al.: 256).</summary>
    public int Size { get; init; } = 256;
    /// <summary>Seed of the members kept in clusters over the cap.</summary>
    public int Seed { get; init; }
    /// <summary>The network's name for captions ("LPIPS-vgg", plus "RANDOM WEIGHTS" when it has them).</summary>
    public string Name => "LPIPS-vgg" + (LpipsVgg.IsRandom ? ", RANDOM WEIGHTS" : "");
}

/// <summary>What a synthesis wrote.</summary>
/// <param name="Samples">The sampled latents with their anchors and weights.</param>
/// <param name="IdentitySimilarity">Formula (2) over every rendered image, or null without a scorer.</param>
/// <param name="Grid">The grid PNG.</param>
/// <param name="Files">Every file written.</param>
/// <param name="Diversity">The diversity of the rendered images, or null when not asked for.</param>
/// <param name="Images">Every rendered image, row-major (sample, view).</param>
public sealed record P0SynthesisResult(IReadOnlyList<P0Sample> Samples, double? IdentitySimilarity, string Grid, IReadOnlyList<string> Files,
    DiversityResult? Diversity = null, IReadOnlyList<RgbImage>? Images = null);

/// <summary>Synthesises new appearances of a person from their anchors.</summary>
public static class SynthesisService
{
    /// <summary>Samples, renders and writes the synthesis.</summary>
    /// <exception cref="TaskInputException">Too few anchors.</exception>
    /// <exception cref="OutputFileException">The output folder cannot be written.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> fired.</exception>
    public static P0SynthesisResult Run(Eg3dGenerator generator, AnchorSet anchors, SynthesisRequest request,
        IProgress<TaskProgress>? progress = null, CancellationToken cancel = default)
    {
        var samples = P0Sampler.Sample(anchors, request.Count, request.Seed, request.AnchorsPerSample);
        var dir = request.OutputDirectory;
        OutputPaths.PrepareFolder(dir);
        int columns = request.Views?.Count ?? request.RandomViews;
        if (columns < 1) throw new ArgumentException("need at least one view", nameof(request));
        var random = request.Views == null ? TaskViews.Random(generator, samples.Count * columns, request.Seed + 1) : null;
        var views = samples.Select((s, i) => request.Views ?? random!.Skip(i * columns).Take(columns).ToList()).ToList();
        var names = samples.Select(s => $"sample {s.Index:D3}").ToList();
        double idSum = 0;
        void Observe(int r, int c, Engine.Tensors.Tensor image)
        {
            request.Observer?.Invoke(r, c, image);
            if (request.IdentityScorer != null) idSum += request.IdentityScorer.Score(image);
        }
        var tiles = LatentRows.Render(generator, samples.Select(s => s.Ws).ToList(), r => views[r], names, Observe, progress, cancel);
        double? idSim = request.IdentityScorer == null || tiles.Count == 0 ? null : idSum / tiles.Count;
        DiversityResult? diversity = null;
        if (request.Diversity is { } div && tiles.Count > 0)
        {
            var generated = tiles.Select((t, i) => new NamedImage($"sample_{i / columns:D3}_{views[i / columns][i % columns].Name}", t)).ToList();
            diversity = DiversityMetric.Compute(div.LpipsVgg, generated, div.Train, div.Size, seed: div.Seed, cancel: cancel);
        }

        var files = new List<string>();
        for (int r = 0; r < samples.Count; r++)
            for (int c = 0; c < columns; c++)
            {
                string png = Path.Combine(dir, $"sample_{r:D3}_{views[r][c].Name}.png");
                OutputFileException.Guard(png, () => tiles[r * columns + c].SavePng(png));
                files.Add(png);
            }
        string grid = Path.Combine(dir, "synthesis_grid.png");
        var rowCaptions = samples.Select(s => $"sample {s.Index}\n" + string.Join("\n", s.Anchors.Select((a, k) =>
            $"{s.Weights[k]:0.00} {Path.GetFileNameWithoutExtension(anchors.Names[a])}"))).ToList();
        var columnCaptions = request.Views != null ? request.Views.Select(TaskViews.Caption).ToList()
            : Enumerable.Range(1, columns).Select(c => $"random view {c}").ToList();
        if (samples.Count > 0)
        {
            var notes = new List<string>();
            if (idSim is double id) notes.Add($"ID_sim {id:0.000} ({request.IdentityScorer!.Name})");
            if (diversity != null) notes.Add($"diversity {Format(diversity.Score)} ({request.Diversity!.Name})");
            string title = request.Title + (notes.Count > 0 ? "\n" + string.Join("; ", notes) : "");
            OutputFileException.Guard(grid, () => LabelledGrid.Save(grid, tiles, title, rowCaptions, columnCaptions, Math.Min(160, generator.Config.ImgResolution), textScale: 1));
            files.Add(grid);
        }

        string npy = Path.Combine(dir, "latents.npy");
        OutputFileException.Guard(npy, () => NpyFile.Write(npy, [samples.Count, anchors.NumWs, anchors.WDim], samples.SelectMany(s => s.Ws).ToArray()));
        files.Add(npy);
        string json = Path.Combine(dir, "samples.json");
        var doc = new JsonObject
        {
            ["seed"] = request.Seed, ["anchorsPerSample"] = request.AnchorsPerSample, ["idSim"] = idSim, ["idSimNetwork"] = request.IdentityScorer?.Name,
            ["diversity"] = diversity == null || double.IsNaN(diversity.Score) ? null : diversity.Score,
            ["diversityStd"] = diversity == null || double.IsNaN(diversity.Std) ? null : diversity.Std,
            ["diversityNetwork"] = diversity == null ? null : request.Diversity!.Name,
            ["clusters"] = diversity == null ? null : new JsonArray(diversity.Clusters.Select(c => (JsonNode)new JsonObject
                { ["train"] = c.Train, ["size"] = c.Size, ["meanLpips"] = double.IsNaN(c.MeanLpips) ? null : c.MeanLpips }).ToArray()),
            ["samples"] = new JsonArray(samples.Select(s => (JsonNode)new JsonObject
            {
                ["index"] = s.Index,
                ["anchors"] = new JsonArray(s.Anchors.Select(a => (JsonNode)anchors.Names[a]!).ToArray()),
                ["weights"] = new JsonArray(s.Weights.Select(w => (JsonNode)w!).ToArray()),
                ["views"] = new JsonArray(views[s.Index].Select(v => (JsonNode)new JsonObject { ["name"] = v.Name, ["label"] = new JsonArray(v.Label.Select(x => (JsonNode)x!).ToArray()) }).ToArray()),
            }).ToArray()),
        };
        OutputFileException.Guard(json, () => AtomicFile.WriteAllBytes(json, System.Text.Encoding.UTF8.GetBytes(doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true }))));
        files.Add(json);
        return new P0SynthesisResult(samples, idSim, grid, files, diversity, tiles);
    }

    /// <summary>A diversity score for captions: "n/a" when no cluster had 2 members.</summary>
    public static string Format(double score) => double.IsNaN(score) ? "n/a (no cluster with 2+ images)" : score.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture);
}

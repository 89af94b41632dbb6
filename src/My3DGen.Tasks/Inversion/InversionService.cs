// `invert` (PTI, spec algorithms.md §2): projects one photo with its camera into W or W+ (the projector, const noise as
// PTI's first stage), then tunes a small LoRA set stacked on the person's adapter (or every weight) around that pivot.
// Writes the reconstruction at the input view, a grid of novel views (rows: projection only / after PTI), an orbit GIF,
// the pivot latent, the tuning adapter, and metrics against the photo. The person's model is restored when it returns.
using System.Globalization;
using System.Text;
using System.Text.Json;
using My3DGen.Engine.Backends.Cpu;
using My3DGen.Engine.IO;
using My3DGen.Engine.Tensors;
using My3DGen.Models;
using My3DGen.Models.Api;
using My3DGen.Models.Imaging;
using My3DGen.Models.Metrics;
using My3DGen.Models.Perceptual;
using My3DGen.Personalization.Lora;
using My3DGen.Personalization.Projection;
using My3DGen.Tasks.Rendering;

namespace My3DGen.Tasks.Inversion;

/// <summary>What to invert and where to write it.</summary>
public sealed record InversionRequest
{
    /// <summary>The photo (3·R·R floats in [−1,1]) with its name and camera.</summary>
    public required ProjectionTarget Photo { get; init; }
    /// <summary>Output folder.</summary>
    public required string OutputDirectory { get; init; }
    /// <summary>Stage 1 (default: W, 600 steps as the paper, the model's const noise as PTI).</summary>
    public ProjectionOptions Projection { get; init; } = new() { Steps = 600, NoiseMaps = NoiseMapMode.Const };
    /// <summary>Stage 2.</summary>
    public PivotalTuningOptions Tuning { get; init; } = new();
    /// <summary>When set, LPIPS/DISTS/PSNR/ID of the reconstruction against the photo (unavailable networks are listed).</summary>
    public MetricNetworks? Metrics { get; init; }
    /// <summary>Orbit GIF frames.</summary>
    public int OrbitFrames { get; init; } = 24;
    /// <summary>Title line of the pictures (e.g. the model and adapter).</summary>
    public string Title { get; init; } = "PTI inversion";
}

/// <summary>What an inversion produced.</summary>
/// <param name="Pivot">The pivot latent, num_ws·w_dim floats.</param>
/// <param name="LpipsProjection">LPIPS-alex of the projection alone to the photo.</param>
/// <param name="LpipsTuned">LPIPS-alex after pivotal tuning.</param>
/// <param name="MseProjection">MSE ([−1,1]) of the projection alone.</param>
/// <param name="MseTuned">MSE after tuning.</param>
/// <param name="AdapterPath">The tuning adapter file.</param>
/// <param name="TrainedValues">Number of values in the tuning adapter.</param>
/// <param name="Metrics">Metrics of the reconstruction against the photo, or null without networks.</param>
/// <param name="Files">Every file written.</param>
public sealed record InversionResult(float[] Pivot, float LpipsProjection, float LpipsTuned, float MseProjection, float MseTuned, string AdapterPath,
    long TrainedValues, MetricsReport? Metrics, IReadOnlyList<string> Files);

/// <summary>Runs PTI on one photo.</summary>
public static class InversionService
{
    /// <summary>Novel-view yaws of the grid (the paper's ±0.35 range).</summary>
    public static readonly float[] GridYaws = [-TaskViews.YawRange, 0f, TaskViews.YawRange];
    /// <summary>Novel-view pitches of the grid (the paper's ±0.25 range).</summary>
    public static readonly float[] GridPitches = [-TaskViews.PitchRange, TaskViews.PitchRange];

    /// <summary>Projects, tunes and writes the outputs; the generator carries whatever it carried before when this returns.</summary>
    /// <exception cref="OutputFileException">The output folder cannot be written.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> fired.</exception>
    public static InversionResult Run(Eg3dGenerator generator, Lpips vgg, Lpips alex, InversionRequest request,
        IProgress<TaskProgress>? progress = null, CancellationToken cancel = default)
    {
        var dir = request.OutputDirectory;
        OutputPaths.PrepareFolder(dir);
        request.Tuning.Validate();
        var photo = request.Photo;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int total = request.Projection.Steps + request.Tuning.Steps;
        var projector = new Projector(generator, vgg, request.Projection);
        var projected = projector.Project([photo], new Progress<ProjectionProgress>(p =>
            progress?.Report(new TaskProgress(p.Step, total, FormattableString.Invariant($"projection step {p.Step}, LPIPS-vgg {p.Lpips:0.0000}"), clock.Elapsed))), cancel)[0];
        var pivot = projected.Latent;
        var views = RenderViews.FromYawPitch(generator, GridYaws, GridPitches);
        var tiles = RenderAll(generator, pivot, views);
        var files = new List<string>();
        string Out(string name) { var p = Path.Combine(dir, name); files.Add(p); return p; }

        bool onPerson = generator.AttachedLora != null;
        using var tuner = new PivotalTuner(generator, alex, request.Tuning, pivot, photo.Camera, photo.Image);
        var before = tuner.Evaluate();
        RgbImage projectionImage;
        using (var t = tuner.Render()) { projectionImage = ImageExport.FromRgb(t); Save(Out("projection.png"), t); }
        tuner.Run(new Progress<TuningProgress>(p => progress?.Report(new TaskProgress(request.Projection.Steps + p.Step, total,
            FormattableString.Invariant($"tuning step {p.Step}, LPIPS-alex {p.Lpips:0.0000}, MSE {p.Mse:0.00000}"), clock.Elapsed))), cancel);
        var after = tuner.Evaluate();

        RgbImage reconstruction;
        using (var t = tuner.Render()) { reconstruction = ImageExport.FromRgb(t); Save(Out("reconstruction.png"), t); }
        tiles.AddRange(RenderAll(generator, pivot, views));
        string describe = Ascii(FormattableString.Invariant($"{request.Title}: {photo.Name}; stage 1 {request.Projection.Describe()}; stage 2 {request.Tuning.Describe()}"));
        using (var input = Tensor.FromArray(CpuBackend.Instance, photo.Image, 1, 3, generator.Config.ImgResolution, generator.Config.ImgResolution))
        {
            string compare = Out("compare.png");
            var inputImage = ImageExport.FromRgb(input);
            OutputFileException.Guard(compare, () => LabelledGrid.Save(compare, [inputImage, projectionImage, reconstruction], describe, ["input view"],
                ["photo", FormattableString.Invariant($"projection only\nLPIPS-alex {before.Lpips:0.000}"), FormattableString.Invariant($"after PTI\nLPIPS-alex {after.Lpips:0.000}")],
                Math.Min(256, generator.Config.ImgResolution)));
        }
        string grid = Out("novel_views.png");
        OutputFileException.Guard(grid, () => LabelledGrid.Save(grid, tiles, describe,
            [FormattableString.Invariant($"projection only\nLPIPS-alex {before.Lpips:0.000}"), FormattableString.Invariant($"after PTI\nLPIPS-alex {after.Lpips:0.000}")],
            views.Select(TaskViews.Caption).ToList(), Math.Min(192, generator.Config.ImgResolution)));
        string gif = Out("orbit.gif");
        var frames = RenderViews.Orbit(generator, request.OrbitFrames).Select(c => { using var t = tuner.Render(c); return ImageExport.FromRgb(t); }).ToList();
        OutputFileException.Guard(gif, () => ImageExport.SaveGif(frames, gif, frameDelayCs: 8));
        string npy = Out("pivot.npy");
        OutputFileException.Guard(npy, () => NpyFile.Write(npy, [1, generator.Config.NumWs, generator.Config.WDim], pivot));
        string adapter = Out(photo.Name + ".pti.lora.safetensors");
        AdapterFile.Save(tuner.Trainables, adapter, new Dictionary<string, string>
        {
            ["training"] = "pti " + request.Tuning.Describe(), ["photo"] = photo.Name,
            ["stacked_on"] = onPerson ? "the person's LoRA adapter (merged)" : "the generator as loaded",
        });

        MetricsReport? metrics = null;
        if (request.Metrics != null)
        {
            using var input = Tensor.FromArray(CpuBackend.Instance, photo.Image, 1, 3, generator.Config.ImgResolution, generator.Config.ImgResolution);
            metrics = MetricsService.Pairwise(request.Metrics, [(new NamedImage(photo.Name, ImageExport.FromRgb(input)), new NamedImage("reconstruction", reconstruction))]);
            string json = Out("metrics.json");
            var bytes = Encoding.UTF8.GetBytes(metrics.ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            OutputFileException.Guard(json, () => AtomicFile.WriteAllBytes(json, bytes));
        }
        string csv = Out("inversion.csv");
        var text = string.Create(CultureInfo.InvariantCulture,
            $"stage,lpips_alex,mse\nprojection,{before.Lpips:G6},{before.Mse:G6}\npti,{after.Lpips:G6},{after.Mse:G6}\n");
        OutputFileException.Guard(csv, () => AtomicFile.WriteAllBytes(csv, Encoding.UTF8.GetBytes(text)));
        return new InversionResult(pivot, before.Lpips, after.Lpips, before.Mse, after.Mse, adapter, tuner.Trainables.Count, metrics, files);
    }

    /// <summary>The grid font's character set: the descriptions' w̄, ² and · spelled out.</summary>
    static string Ascii(string s) => s.Replace("w̄", "w_avg", StringComparison.Ordinal).Replace("²", "^2", StringComparison.Ordinal).Replace("·", "*", StringComparison.Ordinal).Replace("≤", "<=", StringComparison.Ordinal);

    static List<RgbImage> RenderAll(Eg3dGenerator g, float[] ws, IReadOnlyList<RenderView> views) =>
        views.Select(v => { using var t = PivotalTuner.RenderPivot(g, ws, v.Label); return ImageExport.FromRgb(t); }).ToList();

    static void Save(string path, Tensor image) => OutputFileException.Guard(path, () => ImageExport.FromRgb(image).SavePng(path));
}

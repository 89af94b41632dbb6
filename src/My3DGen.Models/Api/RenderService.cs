// The one orchestration of "latents × views → images, contact sheet, orbit GIFs" used by every front end: for each
// latent, synthesise its tri-planes once and render every view (PNG image / raw / depth), optionally an orbit GIF, then
// one contact sheet (rows: latents, columns: views). Every file is written atomically; progress and cancellation per latent/view.
using System.Diagnostics;
using My3DGen.Engine.Autograd;
using My3DGen.Engine.IO;
using My3DGen.Engine.Tensors;
using My3DGen.Models.Cameras;
using My3DGen.Models.Imaging;

namespace My3DGen.Models.Api;

/// <summary>What to render and where.</summary>
public sealed record RenderRequest
{
    /// <summary>The latents (rows of the contact sheet).</summary>
    public required IReadOnlyList<RenderLatent> Latents { get; init; }
    /// <summary>The views (columns of the contact sheet).</summary>
    public required IReadOnlyList<RenderView> Views { get; init; }
    /// <summary>Folder receiving &lt;latent&gt;_&lt;view&gt;.png/_raw.png/_depth.png, &lt;latent&gt;_orbit.gif and contact_sheet.png.</summary>
    public required string OutputDirectory { get; init; }
    /// <summary>Frames of an orbit GIF per latent (0: none).</summary>
    public int OrbitFrames { get; init; }
    /// <summary>No depth jitter and deterministic importance sampling (reproducible renders).</summary>
    public bool Deterministic { get; init; }
    /// <summary>When set, ws, image, image_raw and image_depth of the first render are written to this .safetensors.</summary>
    public string? TensorDumpPath { get; init; }
    /// <summary>Title printed above the contact sheet (e.g. the model file and ψ).</summary>
    public string SheetTitle { get; init; } = "EG3D renders";
}

/// <summary>Progress after each latent: how many are done, the latent's name and the time it took.</summary>
public sealed record RenderProgress(int Done, int Total, string Latent, int Views, int OrbitFrames, TimeSpan Elapsed);

/// <summary>The files a render wrote.</summary>
public sealed record RenderResult(IReadOnlyList<string> Files, string ContactSheet, int Latents, int Views);

/// <summary>Renders latents × views with an EG3D generator.</summary>
public static class RenderService
{
    /// <summary>Renders every latent of <paramref name="request"/> from every view and writes the images, orbits and the contact sheet.</summary>
    /// <exception cref="OutputFileException">The output folder or a file in it cannot be written.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> fired; the files written so far are complete.</exception>
    public static RenderResult Render(Eg3dGenerator generator, RenderRequest request, IProgress<RenderProgress>? progress = null,
        CancellationToken cancel = default)
    {
        if (request.OrbitFrames < 0) throw new ArgumentOutOfRangeException(nameof(request), "OrbitFrames must be ≥ 0");
        string dir = request.OutputDirectory;
        OutputPaths.PrepareFolder(dir);
        if (request.TensorDumpPath != null) OutputPaths.PrepareFile(request.TensorDumpPath);
        var be = generator.Backend;
        var files = new List<string>();
        var tiles = new List<RgbImage>();
        using var noGrad = GradMode.NoGrad();
        bool dumped = request.TensorDumpPath == null;
        for (int li = 0; li < request.Latents.Count; li++)
        {
            cancel.ThrowIfCancellationRequested();
            var lat = request.Latents[li];
            var sw = Stopwatch.StartNew();
            using var scope = TensorScope.Begin();
            var opts = new SynthesisOptions { Deterministic = request.Deterministic, Seed = lat.Seed };
            var ws = lat.Ws();
            var planes = generator.SynthesizePlanes(ws, opts);
            foreach (var view in request.Views)
            {
                cancel.ThrowIfCancellationRequested();
                var res = generator.Render(planes, ws, CameraLabel.ToTensor(be, view.Label, "camera"), opts);
                string stem = Path.Combine(dir, $"{lat.Name}_{view.Name}");
                var img = ImageExport.FromRgb(res.Image);
                tiles.Add(img);
                SavePng(img, stem + ".png", files);
                SavePng(ImageExport.FromRgb(res.ImageRaw), stem + "_raw.png", files);
                SavePng(ImageExport.FromDepth(res.ImageDepth), stem + "_depth.png", files);
                if (!dumped) { SaveTensors(request.TensorDumpPath!, ws, res); files.Add(request.TensorDumpPath!); dumped = true; }
            }
            if (request.OrbitFrames > 0) SaveOrbit(generator, planes, ws, opts, request.OrbitFrames, Path.Combine(dir, $"{lat.Name}_orbit.gif"), files, cancel);
            progress?.Report(new RenderProgress(li + 1, request.Latents.Count, lat.Name, request.Views.Count, request.OrbitFrames, sw.Elapsed));
        }
        string sheet = Path.Combine(dir, "contact_sheet.png");
        SaveContactSheet(request, tiles, Math.Min(256, generator.Config.ImgResolution), sheet);
        files.Add(sheet);
        return new RenderResult(files, sheet, request.Latents.Count, request.Views.Count);
    }

    /// <summary>Renders each (latent, camera) pair to an image in memory, without autograd: for latents ws [NumWs·WDim] floats
    /// (W+) and 25-float camera labels, returns one [1, 3, H, W] tensor in [-1, 1] per pair, owned by the caller (dispose them).</summary>
    /// <remarks>The in-memory half of <see cref="Render"/>, for callers that keep images rather than files (the demo, metrics).</remarks>
    public static Tensor[] RenderImages(Eg3dGenerator generator, IReadOnlyList<(float[] Ws, float[] Camera)> items,
        SynthesisOptions? options = null, CancellationToken cancel = default)
    {
        var be = generator.Backend;
        var cfg = generator.Config;
        var result = new Tensor[items.Count];
        using var noGrad = GradMode.NoGrad();
        for (int i = 0; i < items.Count; i++)
        {
            cancel.ThrowIfCancellationRequested();
            using var scope = TensorScope.Begin();
            var ws = Tensor.FromArray(be, items[i].Ws, 1, cfg.NumWs, cfg.WDim);
            var image = generator.Synthesize(ws, CameraLabel.ToTensor(be, items[i].Camera, "camera"), options ?? new SynthesisOptions()).Image;
            result[i] = scope.Keep(image.Contiguous(forceCopy: true));
        }
        return result;
    }

    static void SaveOrbit(Eg3dGenerator g, Tensor planes, Tensor ws, SynthesisOptions opts, int count, string path, List<string> files, CancellationToken cancel)
    {
        var frames = new List<RgbImage>();
        foreach (var label in RenderViews.Orbit(g, count))
        {
            cancel.ThrowIfCancellationRequested();
            using var frameScope = TensorScope.Begin();
            frames.Add(ImageExport.FromRgb(g.Render(planes, ws, CameraLabel.ToTensor(g.Backend, label), opts).Image));
        }
        OutputFileException.Guard(path, () => ImageExport.SaveGif(frames, path));
        files.Add(path);
    }

    /// <summary>The one place that lays out the contact sheet: a captioned grid, rows the latents, columns the views.</summary>
    static void SaveContactSheet(RenderRequest request, IReadOnlyList<RgbImage> tiles, int cell, string path) =>
        OutputFileException.Guard(path, () => LabelledGrid.Save(path, tiles, request.SheetTitle,
            request.Latents.Select(l => l.Name).ToList(), request.Views.Select(v => v.Name.Replace('_', '\n')).ToList(), cell));

    static void SavePng(RgbImage image, string path, List<string> files)
    {
        OutputFileException.Guard(path, () => image.SavePng(path));
        files.Add(path);
    }

    static void SaveTensors(string path, Tensor ws, SynthesisResult r)
    {
        var w = new SafeTensorsWriter();
        w.Add("ws", ws.Shape, ws.ToArray());
        w.Add("image", r.Image.Shape, r.Image.ToArray());
        w.Add("image_raw", r.ImageRaw.Shape, r.ImageRaw.ToArray());
        w.Add("image_depth", r.ImageDepth.Shape, r.ImageDepth.ToArray());
        OutputFileException.Guard(path, () => w.Write(path));
    }
}

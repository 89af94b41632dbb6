// `inpaint` (MyStyle, spec algorithms.md §3.2): the photo with a hole (mask or centred box) is degraded once (x ⊙ m), the
// α⁺ projection fits the person's anchors to the known pixels, and the render is blended into the photo inside the hole
// grown by the dilation radius — Poisson (seamless, MyStyle's choice; the default) or feathered. Outside that region the
// output is the photo bit for bit. Writes inpainted.png, projection.png, compare.png, novel_views.png, latent/alpha .npy, a CSV.
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Backends.Cpu;
using My3DGen.Engine.Tensors;
using My3DGen.Models;
using My3DGen.Models.Api;
using My3DGen.Models.Imaging;
using My3DGen.Models.Perceptual;
using My3DGen.Personalization.Projection;
using My3DGen.Tasks.Latents;

namespace My3DGen.Tasks.Restoration;

/// <summary>What to inpaint and where to write it.</summary>
public sealed record InpaintingRequest
{
    /// <summary>The photo (3·R·R floats in [−1,1], R = the model's resolution) with its name and camera; its hole pixels are ignored.</summary>
    public required ProjectionTarget Photo { get; init; }
    /// <summary>The person's anchors (the α⁺ space).</summary>
    public required AnchorSet Anchors { get; init; }
    /// <summary>Output folder.</summary>
    public required string OutputDirectory { get; init; }
    /// <summary>The hole (R×R); null = a centred box of side <see cref="BoxFraction"/>·R.</summary>
    public HoleMask? Mask { get; init; }
    /// <summary>Side of the default centred box as a fraction of the image side.</summary>
    public double BoxFraction { get; init; } = DefaultBoxFraction;
    /// <summary>The projection (MyStyle's defaults: α⁺, β 0.03, 1000 steps, Adam 5e-3).</summary>
    public AlphaPlusOptions Projection { get; init; } = new();
    /// <summary>How the render is put into the photo.</summary>
    public BlendMode Blend { get; init; } = BlendMode.Poisson;
    /// <summary>Pixels the hole grows by before blending; null = <see cref="DefaultDilation"/> (MyStyle's 20×20 kernel at 512²).</summary>
    public int? DilationRadius { get; init; }
    /// <summary>Title line of the pictures (e.g. the model and adapter).</summary>
    public string Title { get; init; } = "alpha+ inpainting";

    /// <summary>The default box side (fraction of the image side).</summary>
    public const double DefaultBoxFraction = 0.4;

    /// <summary>MyStyle dilates the hole with a 20×20 kernel (≈ 10 px each way at 512²); scaled to the model's resolution.</summary>
    public static int DefaultDilation(int resolution) => Math.Max(1, (int)Math.Round(10.0 * resolution / 512));
}

/// <summary>What an inpainting produced. Images are CHW floats in [−1,1], 3·R·R.</summary>
/// <param name="Inpainted">The photo with the hole filled (the photo bit for bit outside <paramref name="BlendRegion"/>).</param>
/// <param name="Masked">The degraded target the projection saw (the hole at 0, mid-grey).</param>
/// <param name="Projection">The α⁺ projection and its render.</param>
/// <param name="Hole">The hole.</param>
/// <param name="BlendRegion">The hole grown by the dilation radius: the only pixels that can differ from the photo.</param>
/// <param name="LpipsInHole">LPIPS-alex of the inpainted image to the photo over the hole's bounding box (grown to ≥ 32²): meaningful when the
/// photo's hole pixels are the truth (a synthetic hole); the projection never sees them.</param>
/// <param name="Files">Every file written.</param>
public sealed record InpaintingResult(float[] Inpainted, float[] Masked, AlphaPlusResult Projection, HoleMask Hole, HoleMask BlendRegion,
    float LpipsInHole, IReadOnlyList<string> Files);

/// <summary>Fills a hole in a photo from the person's α⁺ space.</summary>
public static class InpaintingService
{
    /// <summary>Projects, blends and writes the outputs.</summary>
    /// <exception cref="TaskInputException">The mask does not fit the photo.</exception>
    /// <exception cref="Models.Lora.InvalidOptionException">A projection option or the box fraction is out of range.</exception>
    /// <exception cref="OutputFileException">The output folder cannot be written.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> fired.</exception>
    public static InpaintingResult Run(Eg3dGenerator generator, Lpips alex, InpaintingRequest request, IProgress<TaskProgress>? progress = null,
        CancellationToken cancel = default)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int res = generator.Config.ImgResolution;
        var photo = request.Photo;
        if (photo.Image.Length != 3 * res * res) throw new ArgumentException($"{photo.Name}: image has {photo.Image.Length} values, expected 3·{res}·{res}", nameof(request));
        if (request.Mask == null && !(request.BoxFraction > 0 && request.BoxFraction < 1))
            throw new Models.Lora.InvalidOptionException("--box", $"must be a fraction of the side in (0, 1), got {request.BoxFraction}");
        var hole = request.Mask ?? HoleMask.CentredBox(res, request.BoxFraction);
        if (hole.Side != res) throw new TaskInputException("mask", $"mask is {hole.Side}x{hole.Side}; the model renders {res}x{res}");
        int dilation = request.DilationRadius ?? InpaintingRequest.DefaultDilation(res);
        if (dilation < 0 || dilation > res) throw new Models.Lora.InvalidOptionException("--dilate", $"must be in [0, {res}] pixels, got {dilation}");
        request.Projection.Validate();
        var dir = request.OutputDirectory;
        OutputPaths.PrepareFolder(dir);

        var degradation = new MaskDegradation(hole);
        float[] masked;
        using (var ng = GradMode.NoGrad())
        using (var scope = TensorScope.Begin())
            masked = degradation.Apply(Tensor.FromArray(CpuBackend.Instance, photo.Image, 1, 3, res, res)).ToArray();   // degraded once
        int total = request.Projection.Steps + 1;
        AlphaPlusResult projected;
        using (var projector = new AlphaPlusProjector(generator, alex, request.Anchors, request.Projection, degradation, masked, photo.Camera))
            projected = projector.Run(RestorationOutputs.Forward(progress, total), cancel);

        var region = hole.Dilate(dilation);
        var inpainted = request.Blend == BlendMode.Poisson
            ? ImageBlending.Poisson(photo.Image, projected.Reconstruction, region)
            : ImageBlending.Feather(photo.Image, projected.Reconstruction, hole, dilation);
        float lpipsInHole = LpipsInHoleBox(alex, inpainted, photo.Image, hole);

        var files = new List<string>();
        RestorationOutputs.SavePng(Path.Combine(dir, "inpainted.png"), inpainted, res, files);
        RestorationOutputs.SavePng(Path.Combine(dir, "projection.png"), projected.Reconstruction, res, files);
        string blendName = request.Blend == BlendMode.Poisson ? "Poisson" : "feathered";
        string title = RestorationOutputs.Ascii($"{request.Title}: {photo.Name}; {degradation.Name}; {request.Projection.Describe()}; {blendName} blend, dilation {dilation} px");
        string compare = Path.Combine(dir, "compare.png");
        OutputFileException.Guard(compare, () => LabelledGrid.Save(compare,
            [RestorationOutputs.Picture(photo.Image, res), RestorationOutputs.Picture(masked, res), RestorationOutputs.Picture(projected.Reconstruction, res),
             RestorationOutputs.Picture(inpainted, res)],
            title, ["input view"],
            ["input", "masked\n(what the projection sees)", FormattableString.Invariant($"alpha+ projection\nLPIPS-alex {projected.Final.Lpips:G3} (known)"),
             FormattableString.Invariant($"{blendName} blend\nLPIPS-alex {lpipsInHole:G3} (hole box)")],
            Math.Min(256, res)));
        files.Add(compare);
        RestorationOutputs.SaveNovelViews(generator, projected.Ws, dir, title, files, cancel);
        progress?.Report(new TaskProgress(total, total, "novel views", clock.Elapsed));
        RestorationOutputs.SaveLatent(dir, projected, generator.Config.NumWs, generator.Config.WDim, files);
        RestorationOutputs.SaveCsv(Path.Combine(dir, "inpainting.csv"),
            [.. RestorationOutputs.LossRows(projected), ("hole_fraction", hole.HoleFraction), ("dilation_px", dilation), ("lpips_alex_hole_box", lpipsInHole)], files);
        return new InpaintingResult(inpainted, masked, projected, hole, region, lpipsInHole, files);
    }

    /// <summary>LPIPS-alex of <paramref name="a"/> and <paramref name="b"/> (CHW 3·S·S in [−1,1]) cropped to the hole's bounding box, grown
    /// around its centre to at least <see cref="AlphaPlusProjector.MinLossSide"/>² (LPIPS-alex's smallest input) and kept inside the image.</summary>
    public static float LpipsInHoleBox(Lpips alex, float[] a, float[] b, HoleMask hole)
    {
        int s = hole.Side;
        var (x, y, w, h) = hole.BoundingBox();
        if (w == 0) return 0;
        (x, w) = Grow(x, w, s);
        (y, h) = Grow(y, h, s);
        using var ng = GradMode.NoGrad();
        using var scope = TensorScope.Begin();
        Tensor Crop(float[] img) => Tensor.FromArray(alex.Backend, img, 1, 3, s, s).Slice(2, y, h).Slice(3, x, w).Contiguous(forceCopy: true);
        return alex.Distance(Crop(a), Crop(b)).Item();
    }

    static (int Start, int Length) Grow(int start, int length, int side)
    {
        int want = Math.Min(side, Math.Max(length, AlphaPlusProjector.MinLossSide));
        int s = Math.Clamp(start + length / 2 - want / 2, 0, side - want);
        return (s, want);
    }
}

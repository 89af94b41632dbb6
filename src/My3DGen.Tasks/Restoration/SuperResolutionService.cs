// `superres` (MyStyle, spec algorithms.md §3.2): a low-resolution photo is the target as it is; the α⁺ projection fits the
// person's anchors so that the area-downsampled render matches it (LPIPS-alex + MSE at low resolution); the render at the
// model's resolution is the restoration. Writes restoration.png, lowres.png, compare.png, novel_views.png, latent/alpha .npy
// and a CSV with the MSE between the area-downsampled restoration and the low-resolution input.
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Backends.Cpu;
using My3DGen.Engine.Ops;
using My3DGen.Engine.Tensors;
using My3DGen.Models;
using My3DGen.Models.Api;
using My3DGen.Models.Imaging;
using My3DGen.Models.Perceptual;
using My3DGen.Tasks.Latents;

namespace My3DGen.Tasks.Restoration;

/// <summary>What to restore and where to write it.</summary>
public sealed record SuperResolutionRequest
{
    /// <summary>A short name of the photo for captions.</summary>
    public required string Name { get; init; }
    /// <summary>The low-resolution photo, CHW 3·S·S floats in [−1,1].</summary>
    public required float[] LowRes { get; init; }
    /// <summary>S, its side: at least 32 (LPIPS-alex) and below the model's resolution.</summary>
    public required int Side { get; init; }
    /// <summary>The photo's 25-float camera label.</summary>
    public required float[] Camera { get; init; }
    /// <summary>The person's anchors (the α⁺ space).</summary>
    public required AnchorSet Anchors { get; init; }
    /// <summary>Output folder.</summary>
    public required string OutputDirectory { get; init; }
    /// <summary>The projection (MyStyle's defaults: α⁺, β 0.03, 1000 steps, Adam 5e-3).</summary>
    public AlphaPlusOptions Projection { get; init; } = new();
    /// <summary>Title line of the pictures (e.g. the model and adapter).</summary>
    public string Title { get; init; } = "alpha+ super-resolution";
}

/// <summary>What a super-resolution produced.</summary>
/// <param name="Restoration">The render at the model's resolution R, CHW 3·R·R floats in about [−1,1].</param>
/// <param name="Projection">The α⁺ projection (its Final.Mse is <paramref name="DownsampledMse"/>).</param>
/// <param name="DownsampledMse">MSE (on the [−1,1] scale) between the area-downsampled restoration and the low-resolution input.</param>
/// <param name="Files">Every file written.</param>
public sealed record SuperResolutionResult(float[] Restoration, AlphaPlusResult Projection, float DownsampledMse, IReadOnlyList<string> Files);

/// <summary>Restores a low-resolution photo from the person's α⁺ space.</summary>
public static class SuperResolutionService
{
    /// <summary>Projects with the area-downsampling degradation and writes the outputs.</summary>
    /// <exception cref="TaskInputException">The photo is not smaller than the model's resolution, or smaller than 32².</exception>
    /// <exception cref="Models.Lora.InvalidOptionException">A projection option is out of range.</exception>
    /// <exception cref="OutputFileException">The output folder cannot be written.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> fired.</exception>
    public static SuperResolutionResult Run(Eg3dGenerator generator, Lpips alex, SuperResolutionRequest request, IProgress<TaskProgress>? progress = null,
        CancellationToken cancel = default)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int res = generator.Config.ImgResolution, side = request.Side;
        CheckSide(request.Name, side, res);
        if (request.LowRes.Length != 3 * side * side) throw new ArgumentException($"{request.Name}: {request.LowRes.Length} values, expected 3·{side}·{side}", nameof(request));
        request.Projection.Validate();
        var dir = request.OutputDirectory;
        OutputPaths.PrepareFolder(dir);
        var degradation = new AreaDownsampleDegradation(side);
        int total = request.Projection.Steps + 1;
        AlphaPlusResult projected;
        using (var projector = new AlphaPlusProjector(generator, alex, request.Anchors, request.Projection, degradation, request.LowRes, request.Camera))
            projected = projector.Run(RestorationOutputs.Forward(progress, total), cancel);
        var downsampled = Downsample(projected.Reconstruction, res, side);
        float mse = (float)downsampled.Zip(request.LowRes, (a, b) => (double)(a - b) * (a - b)).Average();

        var files = new List<string>();
        RestorationOutputs.SavePng(Path.Combine(dir, "restoration.png"), projected.Reconstruction, res, files);
        RestorationOutputs.SavePng(Path.Combine(dir, "lowres.png"), request.LowRes, side, files);
        string title = RestorationOutputs.Ascii($"{request.Title}: {request.Name}, {side}x{side} -> {res}x{res}; {request.Projection.Describe()}");
        var low = RestorationOutputs.Picture(request.LowRes, side);
        int cell = Math.Min(256, res);
        string compare = Path.Combine(dir, "compare.png");
        OutputFileException.Guard(compare, () => LabelledGrid.Save(compare,
            [low.Resized(cell, cell, nearest: true), low.Resized(cell, cell), RestorationOutputs.Picture(projected.Reconstruction, res),
             RestorationOutputs.Picture(downsampled, side).Resized(cell, cell, nearest: true)],
            title, ["input view"],
            [$"low-res input {side}x{side}\n(nearest)", "bicubic upsampling", $"alpha+ restoration\n{res}x{res}",
             FormattableString.Invariant($"restoration area-\ndownsampled to {side}x{side}\nMSE {mse:0.00000}")], cell));
        files.Add(compare);
        RestorationOutputs.SaveNovelViews(generator, projected.Ws, dir, title, files, cancel);
        progress?.Report(new TaskProgress(total, total, "novel views", clock.Elapsed));
        RestorationOutputs.SaveLatent(dir, projected, generator.Config.NumWs, generator.Config.WDim, files);
        RestorationOutputs.SaveCsv(Path.Combine(dir, "superres.csv"),
            [.. RestorationOutputs.LossRows(projected), ("input_side", side), ("output_side", res), ("mse_downsampled_output_vs_input", mse)], files);
        return new SuperResolutionResult(projected.Reconstruction, projected, mse, files);
    }

    /// <summary>Area-downsamples a CHW image of 3·<paramref name="side"/>² floats to <paramref name="targetSide"/>² (F.interpolate mode='area').</summary>
    public static float[] Downsample(float[] image, int side, int targetSide)
    {
        using var ng = GradMode.NoGrad();
        using var scope = TensorScope.Begin();
        return Resampling.ResizeArea(Tensor.FromArray(CpuBackend.Instance, image, 1, 3, side, side), targetSide, targetSide).ToArray();
    }

    /// <summary>Checks that a low-resolution side fits: ≥ 32 (LPIPS-alex) and below the model's resolution.</summary>
    /// <exception cref="TaskInputException">It does not; the message names <paramref name="input"/>.</exception>
    public static void CheckSide(string input, int side, int resolution)
    {
        if (side >= resolution) throw new TaskInputException(input, $"is {side}x{side}; a low-resolution photo must be smaller than the model's {resolution}x{resolution} (or pass --factor to downsample it)");
        if (side < AlphaPlusProjector.MinLossSide) throw new TaskInputException(input, $"is {side}x{side}; the loss (LPIPS-alex) needs at least {AlphaPlusProjector.MinLossSide}x{AlphaPlusProjector.MinLossSide}");
    }
}

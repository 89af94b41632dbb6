// The one render loop of the tasks: each latent (a row) synthesises its tri-planes once and is rendered from every view
// (the columns), deterministically; each image goes to an optional observer (tests, identity scoring) before it becomes
// a PNG tile. Progress per row, cancellation between renders.
using System.Diagnostics;
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Tensors;
using My3DGen.Models;
using My3DGen.Models.Api;
using My3DGen.Models.Cameras;
using My3DGen.Models.Imaging;

namespace My3DGen.Tasks.Rendering;

/// <summary>Observes one rendered image [1, 3, H, W] in [−1, 1] of row <c>row</c> and column <c>column</c>; valid during the call only.</summary>
public delegate void ImageObserver(int row, int column, Tensor image);

internal static class LatentRows
{
    /// <summary>Renders rows × views; views per row are <paramref name="views"/>(row). Returns the tiles row-major.</summary>
    public static List<RgbImage> Render(Eg3dGenerator generator, IReadOnlyList<float[]> rows, Func<int, IReadOnlyList<RenderView>> views,
        IReadOnlyList<string> rowNames, ImageObserver? observer, IProgress<TaskProgress>? progress, CancellationToken cancel)
    {
        var be = generator.Backend;
        var cfg = generator.Config;
        var tiles = new List<RgbImage>();
        var options = new SynthesisOptions { Deterministic = true };
        using var noGrad = GradMode.NoGrad();
        var clock = Stopwatch.StartNew();
        for (int r = 0; r < rows.Count; r++)
        {
            cancel.ThrowIfCancellationRequested();
            using var scope = TensorScope.Begin();
            var ws = Tensor.FromArray(be, rows[r], 1, cfg.NumWs, cfg.WDim);
            var planes = generator.SynthesizePlanes(ws, options);
            var rowViews = views(r);
            for (int c = 0; c < rowViews.Count; c++)
            {
                cancel.ThrowIfCancellationRequested();
                using var viewScope = TensorScope.Begin();
                var image = generator.Render(planes, ws, CameraLabel.ToTensor(be, rowViews[c].Label, "camera"), options).Image;
                observer?.Invoke(r, c, image);
                tiles.Add(ImageExport.FromRgb(image));
            }
            progress?.Report(new TaskProgress(r + 1, rows.Count, rowNames[r], clock.Elapsed));
        }
        return tiles;
    }
}

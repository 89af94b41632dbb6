// Runs a folder projection for `project` and `personalize`: checks the LPIPS-VGG weight files, loads them (or random
// weights, announced on the console), shows a progress bar (photo, step, LPIPS now, ETA) and prints the result table.
using My3DGen.Engine.Backends;
using My3DGen.Models;
using My3DGen.Models.Perceptual;
using My3DGen.Personalization.Projection;

namespace My3DGen.Cli.Commands;

internal static class ProjectionRunner
{
    /// <summary>Checks the weight choice before any work (usage error when neither files nor random weights are given).</summary>
    public static void CheckWeights(VggChoice vgg, string randomSwitch)
    {
        if (vgg.Random) return;
        if (vgg.Backbone == null || vgg.Lin == null)
            throw new UsageException($"LPIPS-VGG weights are needed for projection: pass --vgg-backbone <vgg16.safetensors> and --vgg-lin <vgg.safetensors> (convert torchvision's vgg16-397923af.pth and LPIPS's vgg.pth with `my3dgen convert`), or {randomSwitch}");
        OptionChecks.InputFile(vgg.Backbone, "--vgg-backbone");
        OptionChecks.InputFile(vgg.Lin, "--vgg-lin");
    }

    /// <summary>Projects the photos of <paramref name="folder"/> lacking anchors (all with <paramref name="force"/>) and prints a table.</summary>
    public static FolderProjectionResult Run(CliSession s, Eg3dGenerator gen, IBackend backend, VggChoice vgg, ProjectionOptions opts, string folder,
        bool force, string? reportStem)
    {
        var o = s.Output;
        using var lpips = vgg.Random ? Lpips.CreateRandom(LpipsNet.Vgg, 0, backend) : Lpips.Load(LpipsNet.Vgg, vgg.Backbone!, vgg.Lin!, backend);
        if (lpips.IsRandom) o.Line($"warning: {ProjectionReport.RandomWeightsNote}: the anchors fit a random-feature distance");
        var projector = new Projector(gen, lpips, opts);
        var result = ProgressDisplay.Run(o, d =>
        {
            var progress = new ProgressDisplay.Sync<ProjectionProgress>(p => d.Update("projecting", (double)p.ImagesDone * p.Steps + p.Step * p.Batch.Count,
                (double)p.ImageCount * p.Steps,
                $"photos {p.ImagesDone + 1}-{p.ImagesDone + p.Batch.Count}/{p.ImageCount} step {p.Step}/{p.Steps} lpips {p.Lpips:F4} ETA {p.Eta:hh\\:mm\\:ss}"));
            return FolderProjection.Run(projector, gen, folder, force, reportStem, progress, s.Cancel);
        });
        if (result.Skipped.Count > 0) o.Line($"skipped {result.Skipped.Count} photo(s) that already have anchors (--force projects them again)");
        if (result.Projected.Count > 0)
        {
            o.Table(["photo", "LPIPS-VGG" + (lpips.IsRandom ? " (random)" : ""), "MSE", "PSNR dB"],
                result.Projected.Select(r => new[] { r.Name, r.Lpips.ToString("F4"), r.Mse.ToString("F5"), r.Psnr.ToString("F2") }));
            o.Line($"grid: {result.Grid} (target | projection | difference); table: {result.Table}");
        }
        if (result.Collection != null) o.Line($"anchors: <image>_latent.npy beside each photo and {result.Collection}");
        return result;
    }
}

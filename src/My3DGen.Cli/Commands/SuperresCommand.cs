// `my3dgen superres`: restores a low-resolution photo at the model's resolution from the person's α⁺ space (MyStyle):
// the photo as it is (square, at least 32², smaller than the model) or, with --factor f, a full-resolution photo
// area-downsampled by f first; the projection's loss is taken at low resolution through area downsampling.
using System.CommandLine;
using System.Text.Json.Nodes;
using My3DGen.Models.Api;
using My3DGen.Personalization.Data;
using My3DGen.Tasks;
using My3DGen.Tasks.Restoration;

namespace My3DGen.Cli.Commands;

internal static class SuperresCommand
{
    /// <summary>The `superres` verb.</summary>
    public static Command Create(CliSession s)
    {
        var inputs = new TaskInputs();
        var set = new AlphaPlusOptionSet();
        var factor = new Option<int?>("--factor") { Description = "the photo is at the model's resolution: area-downsample it by this integer factor first (e.g. 16: 512² -> 32²)" };
        var output = new Option<string>("--out", "-o") { Description = "output folder", Required = true };
        var cmd = CliSession.With(s.Verb("superres", "restore a low-resolution photo at the model's resolution from the person's alpha+ space (MyStyle super-resolution)",
                "my3dgen superres -m eg3d.safetensors --adapter me.lora.safetensors --data me/ --photo small32.png --camera cam.npy --alexnet alexnet.safetensors --lpips-lin alex.safetensors -o sr",
                "my3dgen superres -m eg3d.safetensors --adapter me.lora.safetensors --data me/ --photo new.png --camera cam.npy --factor 8 --random-weights --steps 50 -o sr-quick"),
            [.. inputs.Options, .. set.All, factor, output]);
        cmd.SetAction(p =>
        {
            var o = s.Output;
            var options = set.Read(p);
            int? f = p.GetValue(factor) is int k ? OptionChecks.InRange(k, "--factor", 2, 64) : null;
            var (photoPath, camera) = set.PhotoAndCamera(p);
            string outDir = p.GetValue(output)!;
            OutputPaths.PrepareFolder(outDir);
            var (g, merged, anchors, _) = inputs.Load(p);
            using var generator = g;
            using var adapter = merged;   // unmerged before the generator is freed
            int res = g.Config.ImgResolution;
            var (low, side) = LowRes(photoPath, res, f);
            using var nets = set.OpenLoss(p, g.Backend, o);
            o.Line($"super-resolving {Path.GetFileName(photoPath)} {side}x{side} -> {res}x{res} ({inputs.ModelCaption(p)}, {anchors.Count} anchors): {options.Describe()}");
            var r = TaskInputs.WithProgress(s, "super-resolving", pr => SuperResolutionService.Run(g, nets.LpipsAlex!, new SuperResolutionRequest
            {
                Name = Path.GetFileNameWithoutExtension(photoPath), LowRes = low, Side = side, Camera = camera, Anchors = anchors, OutputDirectory = outDir,
                Projection = options, Title = inputs.ModelCaption(p) + AlphaPlusOptionSet.WeightsNote(nets),
            }, pr, s.Cancel));
            o.Line(FormattableString.Invariant($"projection at {side}x{side}: LPIPS-alex {r.Projection.Initial.Lpips:0.0000} -> {r.Projection.Final.Lpips:0.0000}"));
            o.Line(FormattableString.Invariant($"MSE between the area-downsampled restoration and the low-res input: {r.DownsampledMse:0.000000} (images in [-1,1]; PSNR {10 * Math.Log10(4 / Math.Max(r.DownsampledMse, 1e-12)):0.0} dB)"));
            foreach (var file in r.Files) o.Detail($"wrote {file}");
            o.Line($"wrote {Path.Combine(outDir, "restoration.png")} and {Path.Combine(outDir, "compare.png")}");
            o.Result(new JsonObject
            {
                ["ok"] = true, ["inputSide"] = side, ["outputSide"] = res, ["downsampledMse"] = r.DownsampledMse, ["lpipsLowRes"] = r.Projection.Final.Lpips,
                ["files"] = new JsonArray(r.Files.Select(x => (JsonNode)Path.GetFullPath(x)!).ToArray()),
            });
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>The low-resolution input: the photo as it is, or with a factor the full-resolution photo area-downsampled.</summary>
    static (float[] Image, int Side) LowRes(string path, int resolution, int? factor)
    {
        if (factor is int f)
        {
            if (resolution % f != 0) throw new UsageException($"--factor {f} does not divide the model's resolution {resolution}");
            var full = PersonDataset.ReadImage(path, resolution);
            SuperResolutionService.CheckSide($"{path} downsampled by --factor {f}", resolution / f, resolution);
            return (SuperResolutionService.Downsample(full, resolution, resolution / f), resolution / f);
        }
        var (data, w, h) = PersonDataset.ReadAnySize(path);
        if (w != h) throw new TaskInputException(path, $"is {w}x{h}; a low-resolution photo must be square");
        SuperResolutionService.CheckSide(path, w, resolution);
        return (data, w);
    }
}

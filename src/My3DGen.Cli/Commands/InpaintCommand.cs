// `my3dgen inpaint`: fills a hole in a photo from the person's α⁺ space (MyStyle): a mask PNG (white = hole, black =
// known, the photo's size) or a centred box; the α⁺ projection sees only the known pixels; the render is Poisson-blended
// (default) or feather-blended into the photo inside the dilated hole; outside it the photo is kept bit for bit.
using System.CommandLine;
using System.Text.Json.Nodes;
using My3DGen.Models.Api;
using My3DGen.Personalization.Data;
using My3DGen.Personalization.Projection;
using My3DGen.Tasks.Restoration;

namespace My3DGen.Cli.Commands;

internal static class InpaintCommand
{
    /// <summary>The `inpaint` verb.</summary>
    public static Command Create(CliSession s)
    {
        var inputs = new TaskInputs();
        var set = new AlphaPlusOptionSet();
        var mask = new Option<string?>("--mask") { Description = "mask PNG of the photo's size: white = hole (to fill), black = known; default: a centred box" };
        var box = new Option<float>("--box") { Description = "side of the default centred box hole as a fraction of the image side", DefaultValueFactory = _ => (float)InpaintingRequest.DefaultBoxFraction };
        var blend = new Option<string>("--blend") { Description = "poisson (seamless, as MyStyle) | feather (alpha ramp over the dilation margin)", DefaultValueFactory = _ => "poisson" };
        var dilate = new Option<int?>("--dilate") { Description = "pixels the hole grows by before blending (default: MyStyle's 20x20 kernel scaled to the model, 10 at 512²)" };
        var output = new Option<string>("--out", "-o") { Description = "output folder", Required = true };
        var cmd = CliSession.With(s.Verb("inpaint", "fill a hole in a photo from the person's alpha+ space (MyStyle inpainting)",
                "my3dgen inpaint -m eg3d.safetensors --adapter me.lora.safetensors --data me/ --photo new.png --camera new_cam.npy --mask hole.png --alexnet alexnet.safetensors --lpips-lin alex.safetensors -o filled",
                "my3dgen inpaint -m eg3d.safetensors --data me/ --photo new.png --camera new_cam.npy --box 0.3 --blend feather --random-weights --steps 50 -o quick"),
            [.. inputs.Options, .. set.All, mask, box, blend, dilate, output]);
        cmd.SetAction(p =>
        {
            var o = s.Output;
            var options = set.Read(p);
            var mode = p.GetValue(blend)!.ToLowerInvariant() switch
            {
                "poisson" => BlendMode.Poisson, "feather" => BlendMode.Feather,
                var v => throw new UsageException($"--blend must be poisson or feather, got '{v}'"),
            };
            float fraction = OptionChecks.Finite(p.GetValue(box), "--box", 0, 1, aboveMin: true);
            if (fraction >= 1) throw new UsageException($"--box must be < 1, got {fraction}");
            int? dilation = p.GetValue(dilate) is int d ? OptionChecks.InRange(d, "--dilate", 0, 4096) : null;
            var (photoPath, camera) = set.PhotoAndCamera(p);
            string outDir = p.GetValue(output)!;
            string? maskPath = p.GetValue(mask) is string m ? OptionChecks.InputFile(m, "--mask") : null;
            OutputPaths.PrepareFolder(outDir);
            var (g, merged, anchors, _) = inputs.Load(p);
            using var generator = g;
            using var adapter = merged;   // unmerged before the generator is freed
            int res = g.Config.ImgResolution;
            var photo = new ProjectionTarget(Path.GetFileNameWithoutExtension(photoPath), PersonDataset.ReadImage(photoPath, res), camera);
            var hole = maskPath != null ? HoleMask.Read(maskPath, res) : null;
            using var nets = set.OpenLoss(p, g.Backend, o);
            o.Line($"inpainting {photo.Name} ({inputs.ModelCaption(p)}, {anchors.Count} anchors): {(hole != null ? $"mask {Path.GetFileName(maskPath)}" : $"centred box {fraction:0.##}")}, " +
                   $"{options.Describe()}, {mode.ToString().ToLowerInvariant()} blend");
            var r = TaskInputs.WithProgress(s, "inpainting", pr => InpaintingService.Run(g, nets.LpipsAlex!, new InpaintingRequest
            {
                Photo = photo, Anchors = anchors, OutputDirectory = outDir, Mask = hole, BoxFraction = fraction, Projection = options, Blend = mode,
                DilationRadius = dilation, Title = inputs.ModelCaption(p) + AlphaPlusOptionSet.WeightsNote(nets),
            }, pr, s.Cancel));
            o.Line(FormattableString.Invariant($"hole {100 * r.Hole.HoleFraction:0.#}% of the image, blended in {100 * r.BlendRegion.HoleFraction:0.#}% (outside it the photo is unchanged)"));
            o.Line(FormattableString.Invariant($"projection on the known pixels: LPIPS-alex {r.Projection.Initial.Lpips:0.0000} -> {r.Projection.Final.Lpips:0.0000}, MSE {r.Projection.Initial.Mse:0.00000} -> {r.Projection.Final.Mse:0.00000}"));
            o.Line(FormattableString.Invariant($"LPIPS-alex to the input photo over the hole's box: {r.LpipsInHole:0.0000} (meaningful when the photo's hole pixels are the truth)"));
            foreach (var f in r.Files) o.Detail($"wrote {f}");
            o.Line($"wrote {Path.Combine(outDir, "inpainted.png")} and {Path.Combine(outDir, "compare.png")}");
            o.Result(new JsonObject
            {
                ["ok"] = true, ["holeFraction"] = r.Hole.HoleFraction, ["lpipsKnown"] = r.Projection.Final.Lpips, ["mseKnown"] = r.Projection.Final.Mse,
                ["lpipsHoleBox"] = r.LpipsInHole, ["files"] = new JsonArray(r.Files.Select(f => (JsonNode)Path.GetFullPath(f)!).ToArray()),
            });
            return ExitCodes.Ok;
        });
        return cmd;
    }
}

// `my3dgen interpolate`: morphs between two of the person's anchors (by image name or index) at equally spaced θ, each
// rendered from N random views in the paper's range (or --yaw × --pitch); grid PNG + GIF + latents + CSV, and ID_sim per θ
// (formula (2) against the person's photos) when an identity network is given (--arcface, or --random-weights).
using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using My3DGen.Tasks.Interpolation;

namespace My3DGen.Cli.Commands;

internal static class InterpolateCommand
{
    /// <summary>The `interpolate` verb.</summary>
    public static Command Create(CliSession s)
    {
        var inputs = new TaskInputs();
        var metrics = new TaskMetricInputs();
        var from = new Option<string>("--from") { Description = "start anchor: image name (with or without extension) or 0-based index", Required = true };
        var to = new Option<string>("--to") { Description = "end anchor: image name or index", Required = true };
        var steps = new Option<int>("--steps") { Description = "θ values equally spaced in [0, 1] (the paper: 10)", DefaultValueFactory = _ => 10 };
        var views = new Option<int>("--views") { Description = "random views per θ, yaw U(±0.35), pitch U(±0.25) rad", DefaultValueFactory = _ => 4 };
        var seed = new Option<int>("--seed") { Description = "seed of the random views", DefaultValueFactory = _ => 0 };
        var yaw = new Option<string?>("--yaw") { Description = "fixed yaws in radians instead of random views (use --yaw=-0.3,0.3 for negatives)" };
        var pitch = new Option<string?>("--pitch") { Description = "fixed pitches in radians (with --yaw)" };
        var output = new Option<string>("--out", "-o") { Description = "output folder", Required = true };
        var cmd = CliSession.With(s.Verb("interpolate", "interpolate between two of the person's anchors and render each step from several views",
                "my3dgen interpolate -m eg3d.safetensors --adapter me.lora.safetensors --data me/ --from img_00 --to img_07 -o morph",
                "my3dgen interpolate -m eg3d.safetensors --data me/ --from 0 --to 3 --views 2 --yaw=-0.3,0,0.3 -o morph-base",
                "my3dgen interpolate -m eg3d.safetensors --adapter me.lora.safetensors --data me/ --from 0 --to 1 --arcface arcface.safetensors --reference me-test/ -o morph-id"),
            [.. inputs.Options, from, to, steps, views, seed, yaw, pitch, .. metrics.IdentityOptions, output]);
        cmd.SetAction(p =>
        {
            var o = s.Output;
            int n = OptionChecks.InRange(p.GetValue(steps), "--steps", 2, 1000), nViews = OptionChecks.InRange(p.GetValue(views), "--views", 1, 64);
            string dir = p.GetValue(output)!;
            Models.Api.OutputPaths.PrepareFolder(dir);
            var (g, merged, anchors, data) = inputs.Load(p);
            using var _ = merged;
            using var opened = metrics.Open(p, g, data, diversity: false, o);
            var request = new InterpolationRequest
            {
                From = anchors.Find(p.GetValue(from)!), To = anchors.Find(p.GetValue(to)!), Steps = n, OutputDirectory = dir,
                Views = TaskInputs.Views(g, p.GetValue(yaw), p.GetValue(pitch), nViews, p.GetValue(seed)), Title = inputs.ModelCaption(p),
                IdentityScorer = opened.Scorer,
            };
            o.Line($"interpolating {anchors.Names[request.From]} -> {anchors.Names[request.To]}: {n} θ × {request.Views.Count} view(s) on {g.Backend.Name}");
            var result = TaskInputs.WithProgress(s, "interpolating", pr => InterpolationService.Run(g, anchors, request, pr, s.Cancel));
            foreach (var f in result.Files) o.Detail($"wrote {f}");
            if (result.IdentitySimilarity is { } id)
                o.Table(["θ", "ID_sim"], result.Thetas.Select((t, i) => new[] { t.ToString("0.00", CultureInfo.InvariantCulture), id[i].ToString("0.0000", CultureInfo.InvariantCulture) }).ToList());
            o.Line($"wrote {result.Grid} and {result.Gif}");
            o.Result(new JsonObject { ["ok"] = true, ["grid"] = Path.GetFullPath(result.Grid), ["gif"] = Path.GetFullPath(result.Gif),
                ["thetas"] = new JsonArray(result.Thetas.Select(t => (JsonNode)t!).ToArray()),
                ["idSim"] = result.IdentitySimilarity == null ? null : new JsonArray(result.IdentitySimilarity.Select(v => (JsonNode)v!).ToArray()),
                ["idSimNetwork"] = opened.Scorer?.Name, ["files"] = new JsonArray(result.Files.Select(f => (JsonNode)Path.GetFullPath(f)!).ToArray()) });
            return ExitCodes.Ok;
        });
        return cmd;
    }
}

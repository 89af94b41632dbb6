// `my3dgen synthesize`: new appearances of the person sampled in the convex hull of their anchors (MyStyle's P0 sampler:
// 3 distinct anchors, normalised uniform weights), each rendered from random views or fixed --yaw × --pitch; with metric
// networks (--arcface / --vgg, or --random-weights) also ID_sim (formula (2)) and the Ojha diversity around the photos.
using System.CommandLine;
using System.Text.Json.Nodes;
using My3DGen.Tasks.Latents;
using My3DGen.Tasks.Synthesis;

namespace My3DGen.Cli.Commands;

internal static class SynthesizeCommand
{
    /// <summary>The `synthesize` verb.</summary>
    public static Command Create(CliSession s)
    {
        var inputs = new TaskInputs();
        var metrics = new TaskMetricInputs();
        var count = new Option<int>("--count", "-n") { Description = "number of samples (MyStyle: 30)", DefaultValueFactory = _ => 30 };
        var seed = new Option<int>("--seed") { Description = "sampler seed (MyStyle: 2); the same seed gives the same set", DefaultValueFactory = _ => P0Sampler.DefaultSeed };
        var mix = new Option<int>("--mix") { Description = "distinct anchors mixed per sample", DefaultValueFactory = _ => P0Sampler.DefaultAnchorsPerSample };
        var views = new Option<int>("--views") { Description = "random views per sample, yaw U(±0.35), pitch U(±0.25) rad", DefaultValueFactory = _ => 3 };
        var yaw = new Option<string?>("--yaw") { Description = "fixed yaws in radians, the same for every sample (use --yaw=-0.3,0.3 for negatives)" };
        var pitch = new Option<string?>("--pitch") { Description = "fixed pitches in radians (with --yaw)" };
        var output = new Option<string>("--out", "-o") { Description = "output folder", Required = true };
        var cmd = CliSession.With(s.Verb("synthesize", "sample new latents in the person's convex hull (MyStyle P0) and render them",
                "my3dgen synthesize -m eg3d.safetensors --adapter me.lora.safetensors --data me/ -n 30 -o synth",
                "my3dgen synthesize -m eg3d.safetensors --data me/ -n 8 --yaw 0 --pitch 0 --seed 7 -o synth-frontal",
                "my3dgen synthesize -m eg3d.safetensors --adapter me.lora.safetensors --data me/ -n 100 --arcface arcface.safetensors --vgg vgg16.safetensors --lpips-lin vgg.safetensors -o synth-metrics"),
            [.. inputs.Options, count, seed, mix, views, yaw, pitch, .. metrics.AllOptions, output]);
        cmd.SetAction(p =>
        {
            var o = s.Output;
            int n = OptionChecks.InRange(p.GetValue(count), "--count", 1, 10_000), k = OptionChecks.InRange(p.GetValue(mix), "--mix", 1, 1000);
            int nViews = OptionChecks.InRange(p.GetValue(views), "--views", 1, 64);
            string dir = p.GetValue(output)!;
            Models.Api.OutputPaths.PrepareFolder(dir);
            var (g, merged, anchors, data) = inputs.Load(p);
            using var _ = merged;
            using var opened = metrics.Open(p, g, data, diversity: true, o);
            bool fixedViews = p.GetValue(yaw) != null || p.GetValue(pitch) != null;
            var request = new SynthesisRequest
            {
                Count = n, Seed = p.GetValue(seed), AnchorsPerSample = k, RandomViews = nViews, OutputDirectory = dir, Title = $"P0 samples, {inputs.ModelCaption(p)}",
                Views = fixedViews ? TaskInputs.Views(g, p.GetValue(yaw), p.GetValue(pitch), 0, 0) : null,
                IdentityScorer = opened.Scorer, Diversity = opened.Diversity,
            };
            o.Line($"sampling {n} latent(s) from {anchors.Count} anchors ({k} per sample), {(fixedViews ? request.Views!.Count : nViews)} view(s) each on {g.Backend.Name}");
            var result = TaskInputs.WithProgress(s, "synthesizing", pr => SynthesisService.Run(g, anchors, request, pr, s.Cancel));
            foreach (var f in result.Files) o.Detail($"wrote {f}");
            if (result.IdentitySimilarity is double id) o.Line(FormattableString.Invariant($"ID_sim (formula (2), {opened.Scorer!.Name}): {id:0.0000}"));
            if (result.Diversity is { } d)
                o.Line($"diversity (mean intra-cluster {opened.Diversity!.Name} at {opened.Diversity.Size}²): {SynthesisService.Format(d.Score)}, {d.Clusters.Count(c => c.Size >= 2)} of {d.Clusters.Count} clusters with 2+ images");
            o.Line($"wrote {result.Files.Count} files to {dir} (grid {result.Grid})");
            o.Result(new JsonObject { ["ok"] = true, ["grid"] = Path.GetFullPath(result.Grid), ["samples"] = result.Samples.Count,
                ["idSim"] = result.IdentitySimilarity, ["idSimNetwork"] = opened.Scorer?.Name,
                ["diversity"] = result.Diversity == null || double.IsNaN(result.Diversity.Score) ? null : result.Diversity.Score, ["diversityNetwork"] = opened.Diversity?.Name,
                ["latents"] = Path.GetFullPath(Path.Combine(dir, "latents.npy")), ["files"] = new JsonArray(result.Files.Select(f => (JsonNode)Path.GetFullPath(f)!).ToArray()) });
            return ExitCodes.Ok;
        });
        return cmd;
    }
}

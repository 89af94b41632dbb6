// `my3dgen eval`: the paper's evaluation of one person for the base model and each --adapter (label=file): PTI inversion
// of the --test photos (Fig. 3), interpolation ID_sim per θ (Fig. 4), synthesis ID_sim and diversity (Fig. 5),
// inpainting and super-resolution of the test photos (Fig. 6) and the rank sweep (Table 1), as eval.md + CSV + PNG in
// one folder; --quick (and the count options) scale the protocol down.
using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using My3DGen.Models;
using My3DGen.Models.Api;
using My3DGen.Models.Metrics;
using My3DGen.Personalization.Data;
using My3DGen.Personalization.Projection;
using My3DGen.Tasks.Evaluation;
using My3DGen.Tasks.Identity;
using My3DGen.Tasks.Latents;

namespace My3DGen.Cli.Commands;

internal static class EvalCommand
{
    /// <summary>The `eval` verb.</summary>
    public static Command Create(CliSession s)
    {
        var model = new Option<string>("--model", "-m") { Description = "base generator .safetensors (from `my3dgen convert`, or the demo's generator.safetensors)", Required = true };
        var data = new Option<string>("--data") { Description = "the person's folder: training photos, dataset.json and <image>_latent.npy anchors", Required = true };
        var anchorsFile = new Option<string?>("--anchors") { Description = "anchors in one .safetensors (tensor per image name) instead of _latent.npy files" };
        var test = new Option<string?>("--test") { Description = "held-out photos with dataset.json (no anchors needed): inverted (Fig. 3), restored (Fig. 6) and the ID_sim reference set" };
        var adapters = new Option<string[]>("--adapter") { Description = "an adapter to evaluate beside the base model: label=file or file (label = file name); repeat the option", AllowMultipleArgumentsPerToken = false };
        var quick = new Option<bool>("--quick") { Description = "scale every count down for a smoke run (1 photo, 12+12 PTI steps, 12 α⁺ steps, 1 pair × 5 θ × 2 views, 8 samples × 2 views)" };
        var photos = new Option<int?>("--photos") { Description = "test photos inverted and restored per model (default: all)" };
        var projectSteps = new Option<int?>("--project-steps") { Description = "PTI stage 1 projection steps (the paper: 600)" };
        var tuneSteps = new Option<int?>("--tune-steps") { Description = "PTI stage 2 tuning steps (the paper: 350)" };
        var restoreSteps = new Option<int?>("--restore-steps") { Description = "α⁺ projection steps of inpainting and super-resolution (MyStyle: 1000)" };
        var pairs = new Option<int?>("--pairs") { Description = "anchor pairs interpolated per model: (0,1), (2,3), … (default 5)" };
        var thetas = new Option<int?>("--thetas") { Description = "θ values per pair (the paper: 10)" };
        var views = new Option<int?>("--views") { Description = "random views per θ (default 4)" };
        var samples = new Option<int?>("--samples") { Description = "P0 samples per model (MyStyle: 30)" };
        var sampleViews = new Option<int?>("--sample-views") { Description = "random views per sample (default 3)" };
        var clusters = new Option<int?>("--clusters") { Description = "training photos used as diversity clusters (default: all, as Ojha et al.)" };
        var divSize = new Option<int?>("--diversity-size") { Description = "side the diversity metric resizes images to (Ojha et al.: 256)" };
        var seed = new Option<int?>("--seed") { Description = "seed of the views and P0 samples (default 2)" };
        var weights = new MetricWeightOptions();
        var output = new Option<string>("--out", "-o") { Description = "output folder for eval.md, the CSV tables, the figures and each model's task outputs", Required = true };
        var device = DeviceOption.Create();
        var cmd = CliSession.With(s.Verb("eval", "the paper's tables and figures for a person: base model vs each adapter (inversion, interpolation, synthesis, inpainting, super-resolution, rank sweep)",
                "my3dgen eval -m ffhq512-128.safetensors --data me/ --test me-test/ --adapter r1=me.r1.lora.safetensors --adapter r4=me.r4.lora.safetensors --arcface arcface.safetensors --vgg vgg16.safetensors --alexnet alexnet.safetensors --lpips-lin alex.safetensors --lpips-lin vgg.safetensors --dists dists.safetensors -o eval",
                "my3dgen eval -m my3dgen-demo/generator.safetensors --data my3dgen-demo/person --test my3dgen-demo/test --adapter r1=my3dgen-demo/person.lora.safetensors --random-weights --quick -o my3dgen-demo/eval"),
            [model, data, anchorsFile, test, adapters, quick, photos, projectSteps, tuneSteps, restoreSteps, pairs, thetas, views, samples, sampleViews, clusters, divSize, seed,
             .. weights.All, output, device]);
        cmd.SetAction(p =>
        {
            var o = s.Output;
            var preset = p.GetValue(quick) ? EvalOptions.Quick : EvalOptions.Paper;
            int? Count(Option<int?> option, int min, int max) => p.GetValue(option) is int v ? OptionChecks.InRange(v, option.Name, min, max) : null;
            var options = preset with
            {
                InversionPhotos = Count(photos, 0, 10_000) ?? preset.InversionPhotos,
                Projection = preset.Projection with { Steps = Count(projectSteps, 1, 100_000) ?? preset.Projection.Steps },
                Tuning = preset.Tuning with { Steps = Count(tuneSteps, 0, 100_000) ?? preset.Tuning.Steps },
                Restoration = preset.Restoration with { Steps = Count(restoreSteps, 0, 100_000) ?? preset.Restoration.Steps },
                InterpolationPairs = Count(pairs, 1, 1000) ?? preset.InterpolationPairs, InterpolationSteps = Count(thetas, 2, 1000) ?? preset.InterpolationSteps,
                InterpolationViews = Count(views, 1, 64) ?? preset.InterpolationViews, SynthesisSamples = Count(samples, 1, 100_000) ?? preset.SynthesisSamples,
                SynthesisViews = Count(sampleViews, 1, 64) ?? preset.SynthesisViews, DiversityClusters = Count(clusters, 1, 100_000) ?? preset.DiversityClusters,
                DiversitySize = Count(divSize, 32, 1024) ?? preset.DiversitySize, Seed = p.GetValue(seed) ?? preset.Seed,
            };
            var models = new List<EvalModel> { new(EvalModel.BaseLabel, null) };
            foreach (var a in p.GetValue(adapters) ?? []) models.Add(ParseAdapter(a));
            var twice = models.GroupBy(m => m.Label).FirstOrDefault(g => g.Count() > 1);
            if (twice != null) throw new UsageException($"--adapter: two models are labelled '{twice.Key}' (the base model is '{EvalModel.BaseLabel}'); use label=file");
            foreach (var m in models.Skip(1)) OptionChecks.InputFile(m.AdapterPath!, "--adapter");
            string dir = p.GetValue(output)!;
            OutputPaths.PrepareFolder(dir);
            string modelPath = OptionChecks.InputFile(p.GetValue(model)!, "--model"), dataDir = p.GetValue(data)!;
            if (p.GetValue(anchorsFile) is string af) OptionChecks.InputFile(af, "--anchors");
            if (File.Exists(dataDir)) throw new DatasetException(dataDir, "is a file; --data takes the folder holding dataset.json");

            using var g = Eg3dGenerator.Load(modelPath, Engine.Backends.DeviceSelector.Create(p.GetValue(device)));
            var cfg = g.Config;
            var dataset = PersonDataset.Load(dataDir, cfg.ImgResolution, cfg.NumWs, cfg.WDim, p.GetValue(anchorsFile));
            var testPhotos = p.GetValue(test) is string t ? PhotoFolder.Load(t, cfg.ImgResolution) : Array.Empty<ProjectionTarget>();
            var wanted = new HashSet<string>([MetricNames.IdSim, MetricNames.IdSimilarity, MetricNames.Diversity, MetricNames.LpipsVgg, MetricNames.LpipsAlex, MetricNames.Dists]);
            using var nets = weights.Open(p, g.Backend, wanted, o);
            if (testPhotos.Count > 0 && options.InversionPhotos != 0 && (nets.LpipsAlex == null || nets.LpipsVgg == null))
                throw new UsageException("--test: inverting and restoring the test photos needs LPIPS-alex and LPIPS-vgg (--alexnet, --vgg and --lpips-lin for both), or --random-weights");
            o.Line($"evaluating {string.Join(", ", models.Select(m => m.Label))} on {dataset.Samples.Count} training photo(s), {testPhotos.Count} test photo(s), {g.Backend.Name}");
            o.Line("protocol: " + options.Describe());
            var request = new EvalRequest
            {
                Models = models, Anchors = AnchorSet.FromDataset(dataset), TrainPhotos = ReferenceImages.FromDataset(dataset),
                TestPhotos = options.InversionPhotos == 0 ? [] : testPhotos, Networks = nets, IdMode = weights.IdMode(p), Options = options,
                OutputDirectory = dir, GeneratorName = Path.GetFileName(modelPath),
            };
            var report = ProgressDisplay.Run(o, d => EvalService.Run(g, request, new ProgressDisplay.Sync<EvalProgress>(e =>
                d.Update($"eval {e.Model} {e.Stage}", e.Task?.Done ?? 0, e.Task?.Total ?? 1, $"[{e.Done + 1}/{e.Total}] {e.Task?.Detail ?? "starting"} ({e.Elapsed.TotalSeconds:F0} s)")), s.Cancel));
            foreach (var (file, table) in EvalTables.Tables(report))
            {
                o.Line("");
                o.Line(table.Caption);
                o.Table(table.Header.SkipLast(1).ToArray(), table.Rows.Select(r => r.SkipLast(1).Select(c => c.Length == 0 ? "n/a" : c).ToArray()));
            }
            o.Line("");
            foreach (var note in report.Notes.Where(n => n.Contains("RANDOM WEIGHTS", StringComparison.Ordinal) || n.Contains("unavailable", StringComparison.Ordinal))) o.Line(note);
            foreach (var f in report.Files) o.Detail($"wrote {f}");
            o.Line(FormattableString.Invariant($"wrote {Path.Combine(dir, EvalTables.Markdown)} and {report.Files.Count - 1} other files in {report.Elapsed.TotalSeconds:0} s"));
            var json = EvalTables.ToJson(report);
            json["ok"] = true;
            json["markdown"] = Path.GetFullPath(Path.Combine(dir, EvalTables.Markdown));
            json["files"] = new JsonArray(report.Files.Select(f => (JsonNode)Path.GetFullPath(f)!).ToArray());
            o.Result(json);
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>"label=file" or "file" (label: the file name without ".lora.safetensors" / ".safetensors").</summary>
    static EvalModel ParseAdapter(string text)
    {
        int eq = text.IndexOf('=', StringComparison.Ordinal);
        string label = eq > 0 ? text[..eq] : Path.GetFileName(text).Replace(".safetensors", "", StringComparison.Ordinal).Replace(".lora", "", StringComparison.Ordinal);
        if (!EvalModel.IsValidLabel(label)) throw new UsageException($"--adapter: label '{label}' must be 1-40 letters, digits, '-', '_', '.' or '+' (write label=file)");
        return new EvalModel(label, eq > 0 ? text[(eq + 1)..] : text);
    }
}

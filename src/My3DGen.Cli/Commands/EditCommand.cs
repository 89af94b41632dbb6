// `my3dgen edit`: edits one of the person's latents (an anchor, by image name or index) along a W direction projected into
// the anchors' span, in MyStyle's α space, over a θ sweep with the CONTINUE/STOP/PROJECT edge policy; grid over θ and views.
// (Editing a new photo plugs an inversion's latent into the same EditService once inversion lands.)
using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using My3DGen.Tasks.Editing;

namespace My3DGen.Cli.Commands;

internal static class EditCommand
{
    /// <summary>The `edit` verb.</summary>
    public static Command Create(CliSession s)
    {
        var inputs = new TaskInputs();
        var start = new Option<string?>("--start") { Description = "the latent to edit: an anchor's image name or 0-based index" };
        var wsFile = new Option<string?>("--ws") { Description = "or any latent to edit, .npy [1,14,512] or [14,512] (the first when several; e.g. an inversion's pivot): its projection onto the anchors' affine hull is edited, the rest kept" };
        var direction = new Option<string>("--direction") { Description = "W direction .npy [1,512] (float32/float64, e.g. from `my3dgen fit-direction` or InterFaceGAN)", Required = true };
        var magnitude = new Option<double>("--magnitude") { Description = "largest |θ| (edit.py's edit_mag; the co-authors used 10 for EG3D)", DefaultValueFactory = _ => 2 };
        var edits = new Option<int>("--edits") { Description = "edit.py's num_edits: θ = linspace(−m,0,k/2) ∪ linspace(0,m,k/2)", DefaultValueFactory = _ => 11 };
        var thetas = new Option<string?>("--thetas") { Description = "explicit comma-separated θ values instead of --magnitude/--edits (use --thetas=-2,0,2)" };
        var policy = new Option<string>("--policy") { Description = "when min α < −β: continue (keep) | stop (skip) | project (closest α with Σα=1, α ≥ −β)", DefaultValueFactory = _ => "continue" };
        var beta = new Option<double>("--beta") { Description = "β of the dilated personal space P_β", DefaultValueFactory = _ => AlphaEditor.DefaultBeta };
        var views = new Option<int>("--views") { Description = "random views, yaw U(±0.35), pitch U(±0.25) rad", DefaultValueFactory = _ => 3 };
        var seed = new Option<int>("--seed") { Description = "seed of the random views", DefaultValueFactory = _ => 0 };
        var yaw = new Option<string?>("--yaw") { Description = "fixed yaws in radians instead of random views (use --yaw=-0.3,0.3 for negatives)" };
        var pitch = new Option<string?>("--pitch") { Description = "fixed pitches in radians (with --yaw)" };
        var output = new Option<string>("--out", "-o") { Description = "output folder", Required = true };
        var cmd = CliSession.With(s.Verb("edit", "edit one of the person's latents along a W direction in α space (MyStyle)",
                "my3dgen edit -m eg3d.safetensors --adapter me.lora.safetensors --data me/ --start img_03 --direction smile.npy -o smile",
                "my3dgen edit -m eg3d.safetensors --data me/ --start 0 --direction age.npy --magnitude 10 --edits 15 --policy project -o age"),
            [.. inputs.Options, start, wsFile, direction, magnitude, edits, thetas, policy, beta, views, seed, yaw, pitch, output]);
        cmd.SetAction(p =>
        {
            var o = s.Output;
            var edgePolicy = p.GetValue(policy)!.ToLowerInvariant() switch
            {
                "continue" => EdgePolicy.Continue, "stop" => EdgePolicy.Stop, "project" => EdgePolicy.Project,
                var v => throw new UsageException($"--policy must be continue, stop or project, got '{v}'"),
            };
            double b = OptionChecks.Finite((float)p.GetValue(beta), "--beta", 0, 10);
            var sweep = p.GetValue(thetas) is string list ? OptionChecks.Floats(list, "--thetas", 1000).Select(v => (double)v).ToArray()
                : AlphaEditor.MyStyleThetas(OptionChecks.Finite((float)p.GetValue(magnitude), "--magnitude", 0, 1000, aboveMin: true), OptionChecks.InRange(p.GetValue(edits), "--edits", 4, 1001));
            if ((p.GetValue(start) == null) == (p.GetValue(wsFile) == null)) throw new UsageException("give exactly one of --start (an anchor) and --ws (a latent file)");
            string dirPath = OptionChecks.InputFile(p.GetValue(direction)!, "--direction"), outDir = p.GetValue(output)!;
            Models.Api.OutputPaths.PrepareFolder(outDir);
            var (g, merged, anchors, _) = inputs.Load(p);
            using var _ = merged;
            var (n, norm) = DirectionFile.Read(dirPath, g.Config.WDim);
            if (Math.Abs(norm - 1) > 1e-3) o.Line($"note: {dirPath} had norm {norm:G4}; normalised to 1");
            var (startLatent, startName) = StartLatent(g, anchors, p.GetValue(start), p.GetValue(wsFile));
            var request = new EditRequest
            {
                Start = startLatent, StartName = startName,
                Direction = n, DirectionName = Path.GetFileName(dirPath), Thetas = sweep, Policy = edgePolicy, Beta = b, OutputDirectory = outDir,
                Views = TaskInputs.Views(g, p.GetValue(yaw), p.GetValue(pitch), OptionChecks.InRange(p.GetValue(views), "--views", 1, 64), p.GetValue(seed)),
            };
            o.Line($"editing {startName} ({inputs.ModelCaption(p)}): {sweep.Length} θ × {request.Views.Count} view(s), policy {edgePolicy.ToString().ToLowerInvariant()}, β = {b.ToString(CultureInfo.InvariantCulture)}");
            var result = TaskInputs.WithProgress(s, "editing", pr => EditService.Run(g, request, pr, s.Cancel));
            o.Line($"cos(n_par, n) = {result.Projection.MinCosine:F4} (the direction projected into the span of {anchors.Count} anchors)");
            foreach (var st in result.Steps.Where(st => st.OutsideDilatedSpace)) o.Detail($"θ = {st.Theta:+0.00;-0.00}: min α {st.MinAlpha:F3} < −β, {st.Action}");
            foreach (var f in result.Files) o.Detail($"wrote {f}");
            o.Line(result.Grid != null ? $"wrote {result.Grid}" : "every edit left P_β and was stopped: no images (see edit.csv)");
            o.Result(new JsonObject { ["ok"] = true, ["grid"] = result.Grid == null ? null : Path.GetFullPath(result.Grid), ["cosParallel"] = result.Projection.MinCosine,
                ["edits"] = new JsonArray(result.Steps.Select(st => (JsonNode)new JsonObject { ["theta"] = st.Theta, ["minAlpha"] = st.MinAlpha, ["action"] = st.Action }).ToArray()),
                ["files"] = new JsonArray(result.Files.Select(f => (JsonNode)Path.GetFullPath(f)!).ToArray()) });
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>An anchor (one-hot α) or the first latent of a ws .npy (α of its projection + the out-of-hull residual).</summary>
    static (AlphaLatent Latent, string Name) StartLatent(Models.Eg3dGenerator g, Tasks.Latents.AnchorSet anchors, string? anchor, string? wsPath)
    {
        if (anchor != null)
        {
            int index = anchors.Find(anchor);
            return (AlphaLatent.FromAnchor(anchors, index), Path.GetFileNameWithoutExtension(anchors.Names[index]));
        }
        var latents = Models.Api.LatentSources.FromWsFile(g, OptionChecks.InputFile(wsPath!, "--ws"));
        using var ws = latents[0].Ws();
        return (AlphaLatent.FromLatent(anchors, ws.ToArray()), Path.GetFileNameWithoutExtension(wsPath!));
    }
}

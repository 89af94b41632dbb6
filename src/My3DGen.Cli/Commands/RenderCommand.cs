// `my3dgen render`: parses latents (seeds, --z or --ws), views (--yaw × --pitch or --camera) and options, then lets
// RenderService write the PNGs (image / raw / depth per latent and view), the contact sheet and the orbit GIFs.
using System.CommandLine;
using System.Text.Json.Nodes;
using My3DGen.Engine.Backends;
using My3DGen.Models;
using My3DGen.Models.Api;

namespace My3DGen.Cli.Commands;

internal static class RenderCommand
{
    /// <summary>The `render` verb.</summary>
    public static Command Create(CliSession s)
    {
        var model = new Option<string>("--model", "-m") { Description = "generator .safetensors (from `my3dgen convert`)", Required = true };
        var seeds = new Option<string>("--seeds") { Description = "latent seeds, e.g. 0-7 or 1,5,9 (z = numpy RandomState(seed).randn(1,512))", DefaultValueFactory = _ => "0" };
        var psi = new Option<float>("--psi") { Description = "truncation ψ", DefaultValueFactory = _ => 0.7f };
        var cutoff = new Option<int>("--trunc-cutoff") { Description = "truncate ws[:, :cutoff]", DefaultValueFactory = _ => 14 };
        var yaw = new Option<string>("--yaw") { Description = "comma-separated yaw angles in radians, within ±π (use --yaw=-0.35,0,0.35 for negative values)", DefaultValueFactory = _ => "0" };
        var pitch = new Option<string>("--pitch") { Description = "comma-separated pitch angles in radians, within ±π/2", DefaultValueFactory = _ => "0" };
        var output = new Option<string>("--out", "-o") { Description = "output folder", Required = true };
        var orbit = new Option<int>("--orbit") { Description = "also write an orbit GIF with this many frames per latent (0 = none)" };
        var zFile = new Option<string?>("--z") { Description = ".npy of z latents [N,512] (instead of --seeds)" };
        var wsFile = new Option<string?>("--ws") { Description = ".npy of ws latents [N,14,512] or [14,512] (skips the mapping)" };
        var camFile = new Option<string?>("--camera") { Description = ".npy of render cameras [K,25] (instead of --yaw/--pitch)" };
        var condFile = new Option<string?>("--cond-camera") { Description = ".npy of the mapping's conditioning camera [25] (default: the model's average camera)" };
        var deterministic = new Option<bool>("--deterministic") { Description = "no depth jitter, deterministic importance sampling (reproducible)" };
        var saveTensors = new Option<string?>("--save-tensors") { Description = "write ws, image, image_raw, image_depth of the first render to this .safetensors" };
        var adapter = new Option<string?>("--adapter") { Description = "personalized adapter (.lora.safetensors from `my3dgen personalize`) applied to the model" };
        var mergedOut = new Option<string?>("--merged-out") { Description = "also write the generator with the adapter merged in to this .safetensors (one file, plain EG3D speed)" };
        var device = DeviceOption.Create();
        var cmd = CliSession.With(s.Verb("render", "render images with an EG3D generator",
                "my3dgen render -m eg3d.safetensors --seeds 0-7 --yaw=-0.35,0,0.35 -o renders",
                "my3dgen render -m eg3d.safetensors --adapter me.lora.safetensors --seeds 0 --orbit 48 -o me",
                "my3dgen render -m eg3d.safetensors --ws ws.npy --camera cams.npy --deterministic --json -o out",
                "my3dgen render -m base.safetensors --adapter me.lora.safetensors --merged-out me.safetensors -o me"),
            model, seeds, psi, cutoff, yaw, pitch, output, orbit, zFile, wsFile, camFile, condFile, deterministic, saveTensors, adapter, mergedOut, device);
        cmd.SetAction(p =>
        {
            var o = s.Output;
            var mapping = new MappingSettings(OptionChecks.Finite(p.GetValue(psi), "--psi", -10, 10), OptionChecks.InRange(p.GetValue(cutoff), "--trunc-cutoff", 0, 64));
            int frames = OptionChecks.InRange(p.GetValue(orbit), "--orbit", 0, 10_000);
            var seedList = OptionChecks.Seeds(p.GetValue(seeds)!);
            float[] yaws = OptionChecks.Floats(p.GetValue(yaw)!, "--yaw", MathF.PI), pitches = OptionChecks.Floats(p.GetValue(pitch)!, "--pitch", MathF.PI / 2);
            string? z = p.GetValue(zFile), ws = p.GetValue(wsFile), cams = p.GetValue(camFile), cond = p.GetValue(condFile), lora = p.GetValue(adapter);
            if (z != null && ws != null) throw new UsageException("--z and --ws exclude each other");
            foreach (var (path, name) in new[] { (z, "--z"), (ws, "--ws"), (cams, "--camera"), (cond, "--cond-camera"), (lora, "--adapter") })
                if (path != null) OptionChecks.InputFile(path, name);
            string outDir = p.GetValue(output)!, modelPath = OptionChecks.InputFile(p.GetValue(model)!, "--model");
            string? mergedPath = p.GetValue(mergedOut);
            if (mergedPath != null && lora == null) throw new UsageException("--merged-out needs --adapter (the adapter to merge)");
            OutputPaths.PrepareFolder(outDir);
            if (mergedPath != null) OutputPaths.PrepareFile(mergedPath);
            var g = Eg3dGenerator.Load(modelPath, DeviceSelector.Create(p.GetValue(device)));
            using var merged = AdapterLoader.Merge(g, lora);
            if (mergedPath != null)
            {
                var meta = new Dictionary<string, string>(GeneratorFile.ReadMetadata(modelPath)) { ["merged_adapter"] = Path.GetFileName(lora!) };
                GeneratorFile.Save(g, mergedPath, meta);
                o.Line($"wrote {mergedPath}: {Path.GetFileName(modelPath)} with {Path.GetFileName(lora!)} merged in");
            }
            if (cond != null) mapping = mapping with { ConditioningCamera = RenderViews.ReadConditioningCamera(cond) };
            var request = new RenderRequest
            {
                Latents = ws != null ? LatentSources.FromWsFile(g, ws) : z != null ? LatentSources.FromZFile(g, z, mapping) : LatentSources.FromSeeds(g, seedList, mapping),
                Views = cams != null ? RenderViews.FromCameraFile(cams) : RenderViews.FromYawPitch(g, yaws, pitches),
                OutputDirectory = outDir, OrbitFrames = frames, Deterministic = p.GetValue(deterministic), TensorDumpPath = p.GetValue(saveTensors),
                SheetTitle = (lora != null ? $"{Path.GetFileName(modelPath)} + {Path.GetFileName(lora)}" : Path.GetFileName(modelPath))
                    + (ws != null ? $", latents from {Path.GetFileName(ws)}" : $", ψ = {mapping.Psi:0.##}"),
            };
            o.Line($"rendering {request.Latents.Count} latent(s) × {request.Views.Count} view(s) on {g.Backend.Name}");
            var result = ProgressDisplay.Run(o, d => RenderService.Render(g, request, new ProgressDisplay.Sync<RenderProgress>(r =>
                d.Update("rendering", r.Done, r.Total, $"{r.Latent}: {r.Views} view(s){(r.OrbitFrames > 0 ? $" + {r.OrbitFrames}-frame orbit" : "")} in {r.Elapsed.TotalSeconds:F1} s")), s.Cancel));
            foreach (var f in result.Files) o.Detail($"wrote {f}");
            o.Line($"wrote {result.Files.Count} files to {outDir} (contact sheet {result.ContactSheet})");
            o.Result(new JsonObject { ["ok"] = true, ["out"] = Path.GetFullPath(outDir), ["contactSheet"] = Path.GetFullPath(result.ContactSheet),
                ["merged"] = mergedPath == null ? null : Path.GetFullPath(mergedPath),
                ["latents"] = result.Latents, ["views"] = result.Views, ["files"] = new JsonArray(result.Files.Select(f => (JsonNode)Path.GetFullPath(f)!).ToArray()) });
            return ExitCodes.Ok;
        });
        return cmd;
    }
}

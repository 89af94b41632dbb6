// `my3dgen shape`: parses the latent (--seed or --ws), the grid size and the level, then lets ShapeService write the
// σ = level iso-surface as a binary PLY mesh (.ply) or the density grid as a float32 .npy [R,R,R] indexed [z,y,x].
using System.CommandLine;
using System.Text.Json.Nodes;
using My3DGen.Engine.Backends;
using My3DGen.Models;
using My3DGen.Models.Api;

namespace My3DGen.Cli.Commands;

internal static class ShapeCommand
{
    /// <summary>The `shape` verb.</summary>
    public static Command Create(CliSession s)
    {
        var model = new Option<string>("--model", "-m") { Description = "generator .safetensors", Required = true };
        var seed = new Option<int>("--seed") { Description = "latent seed (numpy RandomState(seed).randn)" };
        var wsFile = new Option<string?>("--ws") { Description = ".npy ws [1,14,512] or [14,512] (instead of --seed)" };
        var psi = new Option<float>("--psi") { Description = "truncation ψ", DefaultValueFactory = _ => 0.7f };
        var res = new Option<int>("--resolution") { Description = "grid size R (R³ samples), 2 to 1024", DefaultValueFactory = _ => 128 };
        var output = new Option<string>("--out", "-o") { Description = "output: .ply (marching-cubes mesh) or .npy (σ grid)", Required = true };
        var level = new Option<float>("--level")
        {
            Description = "iso level on the raw σ (decoder output before softplus) for .ply; EG3D's shape scripts use 10",
            DefaultValueFactory = _ => ShapeService.DefaultLevel,
        };
        var device = DeviceOption.Create();
        var cmd = CliSession.With(s.Verb("shape", "extract the shape of a generated head: σ = --level mesh (.ply) or the density σ grid (.npy)",
                "my3dgen shape -m eg3d.safetensors --seed 0 -o face.ply",
                "my3dgen shape -m eg3d.safetensors --ws ws.npy --resolution 256 --level 5 -o face.ply",
                "my3dgen shape -m eg3d.safetensors --seed 3 -o sigma.npy --json"),
            model, seed, wsFile, psi, res, output, level, device);
        cmd.SetAction(p =>
        {
            int r = OptionChecks.InRange(p.GetValue(res), "--resolution", 2, 1024);
            int seedValue = OptionChecks.InRange(p.GetValue(seed), "--seed", 0);
            float iso = OptionChecks.Finite(p.GetValue(level), "--level"), truncation = OptionChecks.Finite(p.GetValue(psi), "--psi", -10, 10);
            var outPath = p.GetValue(output)!;
            if (Path.GetExtension(outPath).ToLowerInvariant() is not (".ply" or ".npy"))
                throw new UsageException($"--out {outPath}: expected a .ply (mesh) or .npy (σ grid) path");
            var ws = p.GetValue(wsFile);
            if (ws != null) OptionChecks.InputFile(ws, "--ws");
            OutputPaths.PrepareFile(outPath);
            var g = Eg3dGenerator.Load(OptionChecks.InputFile(p.GetValue(model)!, "--model"), DeviceSelector.Create(p.GetValue(device)));
            var latents = ws != null ? LatentSources.FromWsFile(g, ws) : LatentSources.FromSeeds(g, [seedValue], new MappingSettings(truncation, 14));
            if (latents.Count != 1) throw new Engine.IO.FileFormatException(ws!, $"holds {latents.Count} latents; shape takes one [1,{g.Config.NumWs},{g.Config.WDim}]");
            ShapeResult result;
            try { result = ShapeService.Extract(g, latents[0], r, iso, outPath, s.Cancel); }
            catch (NoSurfaceException e) { throw new UsageException($"--level {iso:G}: {e.Message}"); }
            s.Output.Line(result.IsMesh
                ? $"wrote {outPath}: {result.Vertices:N0} vertices, {result.Triangles:N0} triangles (σ = {iso:G} on a {r}³ grid, σ range [{result.SigmaMin:F2}, {result.SigmaMax:F2}])"
                : $"wrote {outPath}: σ on a {r}³ grid, range [{result.SigmaMin:F2}, {result.SigmaMax:F2}]");
            s.Output.Result(new JsonObject { ["ok"] = true, ["out"] = Path.GetFullPath(outPath), ["kind"] = result.IsMesh ? "mesh" : "grid", ["resolution"] = r,
                ["vertices"] = result.Vertices, ["triangles"] = result.Triangles, ["sigmaMin"] = result.SigmaMin, ["sigmaMax"] = result.SigmaMax });
            return ExitCodes.Ok;
        });
        return cmd;
    }
}

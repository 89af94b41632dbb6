// `my3dgen shape --model m.safetensors --seed 0 --resolution 256 --out face.ply`: samples the generator's raw density σ on
// an R³ grid over the bounding cube (EG3D's shape extraction) and writes either the iso-surface σ = --level (default 10,
// EG3D's threshold) as a binary PLY mesh in world coordinates, or the grid itself as a float32 .npy [R,R,R] indexed [z,y,x].
using System.CommandLine;
using System.Numerics;
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Backends;
using My3DGen.Engine.IO;
using My3DGen.Engine.Tensors;
using My3DGen.Models.Cameras;
using My3DGen.Models.Geometry;
using My3DGen.Models.Latents;
using Spectre.Console;
using My3DGen.Models;
using My3DGen.Models.Rendering;

namespace My3DGen.Cli.Commands;

public static class ShapeCommand
{
    /// <summary>Default iso level on the raw σ: the threshold EG3D's shape extraction uses.</summary>
    public const float DefaultLevel = 10f;

    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "generator .safetensors", Required = true };
        var seed = new Option<int>("--seed") { Description = "latent seed (numpy RandomState(seed).randn)" };
        var wsFile = new Option<string?>("--ws") { Description = ".npy ws [1,14,512] (instead of --seed)" };
        var psi = new Option<float>("--psi") { Description = "truncation ψ", DefaultValueFactory = _ => 0.7f };
        var res = new Option<int>("--resolution") { Description = "grid size R (R³ samples)", DefaultValueFactory = _ => 128 };
        var output = new Option<string>("--out", "-o") { Description = "output: .ply (marching-cubes mesh) or .npy (σ grid)", Required = true };
        var level = new Option<float>("--level")
        {
            Description = "iso level on the raw σ (decoder output before softplus) for .ply; EG3D's shape scripts use 10",
            DefaultValueFactory = _ => DefaultLevel,
        };
        var device = DeviceOption.Create();
        var cmd = new Command("shape", "extract the shape of a generated head: σ = --level mesh (.ply) or the density σ grid (.npy)");
        foreach (var o in new Option[] { model, seed, wsFile, psi, res, output, level, device }) cmd.Options.Add(o);
        cmd.SetAction(p =>
        {
            int r = p.GetValue(res);
            if (r is < 2 or > 1024) throw new ArgumentException($"--resolution must be between 2 and 1024, got {r}", "resolution");
            var outPath = p.GetValue(output)!;
            var ext = Path.GetExtension(outPath).ToLowerInvariant();
            if (ext is not (".ply" or ".npy")) throw new ArgumentException($"--out {outPath}: expected a .ply (mesh) or .npy (σ grid) path", "out");
            float iso = p.GetValue(level);
            if (!float.IsFinite(iso)) throw new ArgumentException("--level must be a finite number", "level");
            var be = DeviceSelector.Create(p.GetValue(device));
            var g = Eg3dGenerator.Load(p.GetValue(model)!, be);
            using var _ = GradMode.NoGrad();
            Tensor ws;
            if (p.GetValue(wsFile) is string wf)
            {
                var arr = NpyFile.Read(wf);
                if (arr.Data.Length != g.Config.NumWs * g.Config.WDim)
                    throw new ArgumentException($"--ws {wf}: expected [1,{g.Config.NumWs},{g.Config.WDim}], got [{string.Join(",", arr.Shape)}]", "ws");
                ws = Tensor.FromArray(be, arr.Data, 1, g.Config.NumWs, g.Config.WDim);
            }
            else
            {
                var rk = g.Config.Rendering;
                var cond = Tensor.FromArray(be, CameraLabel.Create(0f, 0f, rk.AvgCameraRadius, rk.AvgCameraPivot), 1, 25);
                ws = g.Mapping(Tensor.FromArray(be, new NumpyRandomState((uint)p.GetValue(seed)).Randn(g.Config.ZDim), 1, g.Config.ZDim), cond, p.GetValue(psi), 14);
            }
            var sigma = DensityGrid.Sample(g, g.SynthesizePlanes(ws), r);
            float lo = sigma.Min(), hi = sigma.Max();
            if (ext == ".npy")
            {
                NpyFile.Write(outPath, [r, r, r], sigma);
                AnsiConsole.MarkupLine($"wrote [bold]{Markup.Escape(outPath)}[/]: σ on a {r}³ grid, range [[{lo:F2}, {hi:F2}]]");
                return 0;
            }
            // DensityGrid samples cell centres of the cube [−b/2, b/2]³ (b = box_warp); the mesh is capped on the cube's faces.
            float half = g.Config.Rendering.BoxWarp / 2;
            var mesh = MarchingCubes.Extract(sigma, r, iso, new Vector3(-half), new Vector3(half));
            if (mesh.TriangleCount == 0)
                throw new ArgumentException($"no surface at --level {iso:G}: σ on the {r}³ grid ranges over [{lo:F2}, {hi:F2}]; pick a level inside that range", "level");
            PlyWriter.Write(outPath, mesh, $"my3dgen shape: sigma = {iso:G} iso-surface, {r}^3 grid over [-{half:G}, {half:G}]^3");
            AnsiConsole.MarkupLine($"wrote [bold]{Markup.Escape(outPath)}[/]: {mesh.VertexCount:N0} vertices, {mesh.TriangleCount:N0} triangles " +
                $"(σ = {iso:G} on a {r}³ grid, σ range [[{lo:F2}, {hi:F2}]])");
            return 0;
        });
        return cmd;
    }
}

// `my3dgen shape --model m.safetensors --seed 0 --resolution 128 --out sigma.npy`: samples the generator's density σ on
// an R³ grid over the bounding cube (EG3D's shape extraction) and writes it as a float32 .npy [R,R,R] indexed [z,y,x].
using System.CommandLine;
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Backends;
using My3DGen.Engine.IO;
using My3DGen.Engine.Tensors;
using My3DGen.Models.Cameras;
using My3DGen.Models.Eg3d;
using My3DGen.Models.Latents;
using Spectre.Console;

namespace My3DGen.Cli.Commands;

public static class ShapeCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "generator .safetensors", Required = true };
        var seed = new Option<int>("--seed") { Description = "latent seed (numpy RandomState(seed).randn)" };
        var wsFile = new Option<string?>("--ws") { Description = ".npy ws [1,14,512] (instead of --seed)" };
        var psi = new Option<float>("--psi") { Description = "truncation ψ", DefaultValueFactory = _ => 0.7f };
        var res = new Option<int>("--resolution") { Description = "grid size R (R³ samples)", DefaultValueFactory = _ => 128 };
        var output = new Option<string>("--out", "-o") { Description = "output .npy", Required = true };
        var device = DeviceOption.Create();
        var cmd = new Command("shape", "sample the density σ of a generated head on a 3-D grid (.npy; threshold ≈ 10 for a surface)");
        foreach (var o in new Option[] { model, seed, wsFile, psi, res, output, device }) cmd.Options.Add(o);
        cmd.SetAction(p =>
        {
            int r = p.GetValue(res);
            if (r is < 2 or > 1024) throw new ArgumentException("--resolution must be between 2 and 1024", "resolution");
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
            NpyFile.Write(p.GetValue(output)!, [r, r, r], sigma);
            AnsiConsole.MarkupLine($"wrote [bold]{Markup.Escape(p.GetValue(output)!)}[/]: σ on a {r}³ grid, range [[{sigma.Min():F2}, {sigma.Max():F2}]]");
            return 0;
        });
        return cmd;
    }
}

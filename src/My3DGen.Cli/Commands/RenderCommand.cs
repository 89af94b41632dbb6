// `my3dgen render --model m.safetensors --seeds 0-7 --psi 0.7 --yaw -0.35,0,0.35 --pitch 0 --out dir`: renders
// EG3D images (PNG image / raw / depth per seed and view), a contact sheet, optional orbit GIFs and a tensor dump.
// Latents come from seeds (numpy RandomState, as EG3D's scripts), or --z / --ws .npy files; cameras from yaw/pitch or --camera.
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Backends;
using My3DGen.Engine.IO;
using My3DGen.Engine.Tensors;
using My3DGen.Models.Cameras;
using My3DGen.Models.Imaging;
using My3DGen.Models.Latents;
using My3DGen.Personalization.Lora;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Spectre.Console;
using My3DGen.Models;

namespace My3DGen.Cli.Commands;

public static class RenderCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "generator .safetensors (from `my3dgen convert`)", Required = true };
        var seeds = new Option<string>("--seeds") { Description = "latent seeds, e.g. 0-7 or 1,5,9 (z = numpy RandomState(seed).randn(1,512))", DefaultValueFactory = _ => "0" };
        var psi = new Option<float>("--psi") { Description = "truncation ψ", DefaultValueFactory = _ => 0.7f };
        var cutoff = new Option<int>("--trunc-cutoff") { Description = "truncate ws[:, :cutoff]", DefaultValueFactory = _ => 14 };
        var yaw = new Option<string>("--yaw") { Description = "comma-separated yaw angles in radians (use --yaw=-0.35,0,0.35 for negative values)", DefaultValueFactory = _ => "0" };
        var pitch = new Option<string>("--pitch") { Description = "comma-separated pitch angles in radians", DefaultValueFactory = _ => "0" };
        var output = new Option<string>("--out", "-o") { Description = "output folder", Required = true };
        var orbit = new Option<int>("--orbit") { Description = "also write an orbit GIF with this many frames per latent (0 = none)" };
        var zFile = new Option<string?>("--z") { Description = ".npy of z latents [N,512] (instead of --seeds)" };
        var wsFile = new Option<string?>("--ws") { Description = ".npy of ws latents [N,14,512] or [14,512] (skips the mapping)" };
        var camFile = new Option<string?>("--camera") { Description = ".npy of render cameras [K,25] (instead of --yaw/--pitch)" };
        var condFile = new Option<string?>("--cond-camera") { Description = ".npy of the mapping's conditioning camera [25] (default: frontal)" };
        var deterministic = new Option<bool>("--deterministic") { Description = "no depth jitter, deterministic importance sampling (reproducible)" };
        var saveTensors = new Option<string?>("--save-tensors") { Description = "write ws, image, image_raw, image_depth of the first render to this .safetensors" };
        var adapter = new Option<string?>("--adapter") { Description = "personalized adapter (.lora.safetensors from `my3dgen personalize`) applied to the model" };
        var device = DeviceOption.Create();
        var cmd = new Command("render", "render images with an EG3D generator");
        foreach (var o in new Option[] { model, seeds, psi, cutoff, yaw, pitch, output, orbit, zFile, wsFile, camFile, condFile, deterministic, saveTensors, adapter, device })
            cmd.Options.Add(o);
        cmd.SetAction(p => Run(new RenderArgs(p.GetValue(model)!, p.GetValue(seeds)!, p.GetValue(psi), p.GetValue(cutoff),
            ParseFloats(p.GetValue(yaw)!, "--yaw"), ParseFloats(p.GetValue(pitch)!, "--pitch"), p.GetValue(output)!, p.GetValue(orbit),
            p.GetValue(zFile), p.GetValue(wsFile), p.GetValue(camFile), p.GetValue(condFile), p.GetValue(deterministic),
            p.GetValue(saveTensors), p.GetValue(adapter), p.GetValue(device))));
        return cmd;
    }

    sealed record RenderArgs(string Model, string Seeds, float Psi, int Cutoff, float[] Yaws, float[] Pitches, string Out, int Orbit,
        string? Z, string? Ws, string? Camera, string? CondCamera, bool Deterministic, string? SaveTensors, string? Adapter, string? Device);

    sealed record Latent(string Name, int Seed, Func<Tensor> Ws);

    static int Run(RenderArgs a)
    {
        if (a.Orbit < 0) throw new ArgumentException("--orbit must be ≥ 0", "orbit");
        var backend = DeviceSelector.Create(a.Device);
        var g = Eg3dGenerator.Load(a.Model, backend);
        using var adapter = a.Adapter == null ? null : AdapterFile.Apply(g, a.Adapter);
        adapter?.Merge();   // inference: fold the adapter into the weights (plain EG3D speed)
        Directory.CreateDirectory(a.Out);
        using var noGrad = GradMode.NoGrad();
        var cond = a.CondCamera != null ? CameraLabel.Validate(NpyFile.Read(a.CondCamera).Data, "cond-camera") == 1
                ? NpyFile.Read(a.CondCamera).Data : throw new ArgumentException("--cond-camera must hold one 25-float label", "cond-camera")
            : CameraLabel.Create(0f, 0f, g.Config.Rendering.AvgCameraRadius, g.Config.Rendering.AvgCameraPivot);
        var latents = Latents(a, g, backend, cond);
        var views = Views(a, g);
        AnsiConsole.MarkupLine($"rendering {latents.Count} latent(s) × {views.Count} view(s) on [bold]{Markup.Escape(backend.Name)}[/]");
        var tiles = new List<Image<Rgb24>>();
        bool saved = false;
        foreach (var lat in latents)
        {
            var sw = Stopwatch.StartNew();
            using var scope = TensorScope.Begin();
            var opts = new SynthesisOptions { Deterministic = a.Deterministic, Seed = lat.Seed };
            var ws = lat.Ws();
            var planes = g.SynthesizePlanes(ws, opts);
            foreach (var (viewName, label) in views)
            {
                var res = g.Render(planes, ws, CameraLabel.ToTensor(backend, label, "camera"), opts);
                string stem = Path.Combine(a.Out, $"{lat.Name}_{viewName}");
                var img = ImageExport.FromRgb(res.Image);
                img.SaveAsPng(stem + ".png");
                using (var raw = ImageExport.FromRgb(res.ImageRaw)) raw.SaveAsPng(stem + "_raw.png");
                using (var depth = ImageExport.FromDepth(res.ImageDepth)) depth.SaveAsPng(stem + "_depth.png");
                tiles.Add(img);
                if (a.SaveTensors != null && !saved) { Save(a.SaveTensors, ws, res); saved = true; }
            }
            if (a.Orbit > 0)
            {
                var frames = new List<Image<Rgb24>>();
                for (int f = 0; f < a.Orbit; f++)
                {
                    double t = (double)f / a.Orbit;
                    var label = CameraLabel.Create((float)(0.35 * Math.Sin(2 * Math.PI * t)), (float)(-0.05 + 0.25 * Math.Cos(2 * Math.PI * t)),
                        g.Config.Rendering.AvgCameraRadius, g.Config.Rendering.AvgCameraPivot);
                    using var frameScope = TensorScope.Begin();
                    frames.Add(ImageExport.FromRgb(g.Render(planes, ws, CameraLabel.ToTensor(backend, label), opts).Image));
                }
                ImageExport.SaveGif(frames, Path.Combine(a.Out, $"{lat.Name}_orbit.gif"));
                foreach (var fr in frames) fr.Dispose();
            }
            AnsiConsole.MarkupLine($"  {Markup.Escape(lat.Name)}: {views.Count} view(s){(a.Orbit > 0 ? $" + {a.Orbit}-frame orbit" : "")} in {sw.Elapsed.TotalSeconds:F1} s");
        }
        using (var sheet = ImageExport.ContactSheet(tiles, views.Count, Math.Min(256, g.Config.ImgResolution)))
            sheet.SaveAsPng(Path.Combine(a.Out, "contact_sheet.png"));
        foreach (var t in tiles) t.Dispose();
        AnsiConsole.MarkupLine($"wrote [bold]{Markup.Escape(a.Out)}[/]");
        return 0;
    }

    static List<Latent> Latents(RenderArgs a, Eg3dGenerator g, IBackend be, float[] cond)
    {
        int wDim = g.Config.WDim, numWs = g.Config.NumWs, zDim = g.Config.ZDim;
        Tensor Map(float[] z) => g.Mapping(Tensor.FromArray(be, z, 1, zDim), Tensor.FromArray(be, cond, 1, 25), a.Psi, a.Cutoff);
        if (a.Ws != null)
        {
            var arr = NpyFile.Read(a.Ws);
            if (arr.Data.Length == 0 || arr.Data.Length % (numWs * wDim) != 0 || arr.Shape[^1] != wDim)
                throw new ArgumentException($"--ws {a.Ws}: expected shape [N,{numWs},{wDim}], got [{string.Join(",", arr.Shape)}]", "ws");
            int n = arr.Data.Length / (numWs * wDim);
            return Enumerable.Range(0, n).Select(i => new Latent($"ws{i:D4}", i,
                () => Tensor.FromArray(be, arr.Data.AsSpan(i * numWs * wDim, numWs * wDim), 1, numWs, wDim))).ToList();
        }
        if (a.Z != null)
        {
            var arr = NpyFile.Read(a.Z);
            if (arr.Data.Length == 0 || arr.Data.Length % zDim != 0 || arr.Shape[^1] != zDim)
                throw new ArgumentException($"--z {a.Z}: expected shape [N,{zDim}], got [{string.Join(",", arr.Shape)}]", "z");
            return Enumerable.Range(0, arr.Data.Length / zDim).Select(i => new Latent($"z{i:D4}", i,
                () => Map(arr.Data.AsSpan(i * zDim, zDim).ToArray()))).ToList();
        }
        return ParseSeeds(a.Seeds).Select(s => new Latent($"seed{s:D4}", s, () => Map(new NumpyRandomState((uint)s).Randn(zDim)))).ToList();
    }

    static List<(string Name, float[] Label)> Views(RenderArgs a, Eg3dGenerator g)
    {
        if (a.Camera != null)
        {
            var cams = NpyFile.Read(a.Camera).Data;
            int k = CameraLabel.Validate(cams, "camera");
            return Enumerable.Range(0, k).Select(i => ($"cam{i:D2}", cams.AsSpan(i * 25, 25).ToArray())).ToList();
        }
        var rk = g.Config.Rendering;
        return (from p in a.Pitches from y in a.Yaws
                select ($"yaw{y.ToString("+0.00;-0.00", CultureInfo.InvariantCulture)}_pitch{p.ToString("+0.00;-0.00", CultureInfo.InvariantCulture)}",
                    CameraLabel.Create(y, p, rk.AvgCameraRadius, rk.AvgCameraPivot))).ToList();
    }

    static void Save(string path, Tensor ws, SynthesisResult r)
    {
        var w = new SafeTensorsWriter();
        w.Add("ws", ws.Shape, ws.ToArray());
        w.Add("image", r.Image.Shape, r.Image.ToArray());
        w.Add("image_raw", r.ImageRaw.Shape, r.ImageRaw.ToArray());
        w.Add("image_depth", r.ImageDepth.Shape, r.ImageDepth.ToArray());
        w.Write(path);
    }

    /// <summary>"0-3,7" → 0,1,2,3,7.</summary>
    internal static int[] ParseSeeds(string text)
    {
        var r = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var ab = part.Split('-');
            if (ab.Length == 1 && int.TryParse(ab[0], out int s) && s >= 0) r.Add(s);
            else if (ab.Length == 2 && int.TryParse(ab[0], out int lo) && int.TryParse(ab[1], out int hi) && lo >= 0 && hi >= lo) r.AddRange(Enumerable.Range(lo, hi - lo + 1));
            else throw new ArgumentException($"--seeds: '{part}' is not a seed or range like 0-7", "seeds");
        }
        return r.Count > 0 ? r.ToArray() : throw new ArgumentException("--seeds: no seeds given", "seeds");
    }

    internal static float[] ParseFloats(string text, string option) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(t =>
            float.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out float v) && float.IsFinite(v) ? v
                : throw new ArgumentException($"{option}: '{t}' is not a number", option.TrimStart('-'))).ToArray();
}

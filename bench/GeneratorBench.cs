// End-to-end generator timing: builds the full ffhq512-128-sized EG3D generator with random weights in-process and
// renders 512² images (deterministic sampling, const noise) at batch 1 and 4, reporting ms/image, a per-stage
// split (backbone / render / super-resolution), the process CPU time (a load-independent cross-check on shared machines)
// and the peak working set. Options: --device <name>, --runs <n>, --batches 1,4; --compare-upconv times the batch-1 forward per conv route (sub-pixel, transposed, kernels)
// with the ×2 up-conv as sub-pixel parity kernels (the previous form) and as EG3D's transposed conv + FIR, runs interleaved.
using System.Diagnostics;
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Backends;
using My3DGen.Engine.Tensors;
using My3DGen.Models.Cameras;
using My3DGen.Models;
using My3DGen.Models.Synthesis;
using My3DGen.Models.Eg3d;

namespace My3DGen.Bench;

public static class GeneratorBench
{
    public static void Run(string[] args)
    {
        string? device = BenchArgs.Option(args, "--device");
        int runs = int.Parse(BenchArgs.Option(args, "--runs") ?? "1");
        var batches = (BenchArgs.Option(args, "--batches") ?? "1,4").Split(',').Select(int.Parse).ToArray();
        var backend = DeviceSelector.Create(device);
        Console.WriteLine($"generator bench on {backend.Name}: ffhq512-128 config, random weights, deterministic, noise const");
        var sw = Stopwatch.StartNew();
        var g = Eg3dGenerator.CreateRandom(Eg3dConfig.Ffhq512, seed: 0, backend);
        Console.WriteLine($"  built {g.Tensors.Count} tensors ({g.Tensors.Sum(t => t.Value.Numel):N0} values) in {sw.ElapsedMilliseconds} ms");
        ConvWork.Print(g);
        using var _ = GradMode.NoGrad();
        if (args.Contains("--compare-upconv")) { CompareUpConv(g, backend, runs); return; }
        bool first = true;
        foreach (int batch in batches)
        {
            var rng = new Random(batch);
            var cams = Enumerable.Range(0, batch).SelectMany(i => CameraLabel.Create(0.3f * (i - batch / 2), 0f)).ToArray();
            var c = Tensor.FromArray(backend, cams, batch, 25);
            var z = Tensor.Randn(backend, rng, [batch, 512]);
            var ws = g.Mapping(z, c, 0.7f, 14);
            if (first) { Once(g, ws, c); first = false; }   // warm-up (JIT, pools)
            double best = double.MaxValue, cpu = 0;
            (double B, double R, double S) split = default;
            for (int i = 0; i < runs; i++)
            {
                var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
                var t = Once(g, ws, c);
                var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds * t.Total / (t.Total + t.Sr);
                if (t.Total < best) { best = t.Total; cpu = cpuMs; split = (t.Backbone, t.Render, t.Sr); }
            }
            string parts = double.IsNaN(split.B) ? "" : $"backbone {split.B:F0} ms, render {split.R:F0} ms, SR {split.S:F0} ms; ";
            Console.WriteLine($"  batch {batch}: {best / batch:F0} ms/image ({best:F0} ms per call; {parts}" +
                $"process CPU time {cpu / batch:F0} ms/image over {Environment.ProcessorCount} threads)");
        }
        Console.WriteLine($"  peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):F0} MiB");
    }

    /// <summary>Batch-1 forward per conv route (<see cref="ConvRoutes"/>), runs interleaved (same machine load for all); per stage
    /// the best wall time and the best process CPU time (the fairer clock when other jobs share the machine).</summary>
    static void CompareUpConv(Eg3dGenerator g, IBackend backend, int runs)
    {
        var c = Tensor.FromArray(backend, CameraLabel.Create(0f, 0f), 1, 25);
        var ws = g.Mapping(Tensor.Randn(backend, new Random(1), [1, 512]), c, 0.7f, 14);
        var names = ConvRoutes.All.Select(r => r.Name).ToArray();
        var wall = names.ToDictionary(p => p, _ => new double[3].Select(_ => double.MaxValue).ToArray());
        var cpu = names.ToDictionary(p => p, _ => new double[3].Select(_ => double.MaxValue).ToArray());
        for (int i = 0; i <= runs; i++)   // run 0 warms up
            foreach (var (name, use) in ConvRoutes.All)
                using (use())
                {
                    var (w, cp) = Stages(g, ws, c);
                    if (i == 0) continue;
                    for (int k = 0; k < 3; k++) { wall[name][k] = Math.Min(wall[name][k], w[k]); cpu[name][k] = Math.Min(cpu[name][k], cp[k]); }
                }
        foreach (var p in names)
            Console.WriteLine($"  {p,-10}: backbone {wall[p][0]:F0} ms ({cpu[p][0]:F0} ms CPU), render {wall[p][1]:F0} ms ({cpu[p][1]:F0} ms CPU), " +
                $"SR {wall[p][2]:F0} ms ({cpu[p][2]:F0} ms CPU); backbone + SR {wall[p][0] + wall[p][2]:F0} ms ({cpu[p][0] + cpu[p][2]:F0} ms CPU), best of {runs}");
        double Ratio(Dictionary<string, double[]> d, string a, string b) => (d[a][0] + d[a][2]) / (d[b][0] + d[b][2]);
        Console.WriteLine($"  backbone + SR, kernels / transposed: {Ratio(wall, "kernels", "transposed"):F2}× wall, {Ratio(cpu, "kernels", "transposed"):F2}× process CPU; " +
            $"kernels / sub-pixel: {Ratio(wall, "kernels", "sub-pixel"):F2}× wall, {Ratio(cpu, "kernels", "sub-pixel"):F2}× process CPU");
    }

    /// <summary>Wall and process CPU ms of the backbone, render (without SR) and SR stages of one batch-1 forward.</summary>
    static (double[] Wall, double[] Cpu) Stages(Eg3dGenerator g, Tensor ws, Tensor c)
    {
        using var scope = TensorScope.Begin();
        var proc = Process.GetCurrentProcess();
        var wall = new double[3]; var cpu = new double[3];
        Tensor? planes = null; SynthesisResult? res = null;
        Action[] stages =
        [
            () => planes = g.SynthesizePlanes(ws),
            () => res = g.Render(planes!, ws, c),
            () => g.SuperResolve(res!.ImageRaw, res.FeatureImage, ws, new SynthesisOptions().Seed),
        ];
        for (int k = 0; k < 3; k++)
        {
            proc.Refresh();
            var c0 = proc.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            stages[k]();
            g.Backend.Synchronize();
            wall[k] = sw.Elapsed.TotalMilliseconds;
            proc.Refresh();
            cpu[k] = (proc.TotalProcessorTime - c0).TotalMilliseconds;
        }
        // Render includes the SR; the SR is re-run alone on the same features and its time taken out of the render's.
        wall[1] -= wall[2]; cpu[1] -= cpu[2];
        return (wall, cpu);
    }

    static (double Total, double Backbone, double Render, double Sr) Once(Eg3dGenerator g, Tensor ws, Tensor c)
    {
        var sw = Stopwatch.StartNew();
        using var scope = TensorScope.Begin();
        if (ws.Shape[0] > 1)
        {
            // Batches go through the public Synthesize (per-sample inference, bounded memory); no per-stage split.
            _ = g.Synthesize(ws, c).Image.Shape;
            g.Backend.Synchronize();
            return (sw.Elapsed.TotalMilliseconds, double.NaN, double.NaN, 0);
        }
        var planes = g.SynthesizePlanes(ws);
        g.Backend.Synchronize();
        double tb = sw.Elapsed.TotalMilliseconds;
        var res = g.Render(planes, ws, c);
        g.Backend.Synchronize();
        double total = sw.Elapsed.TotalMilliseconds;
        _ = res.Image.Shape;
        // Split render vs SR by re-timing the SR alone on the produced features, with the noise the render's SR used.
        var sw2 = Stopwatch.StartNew();
        g.SuperResolve(res.ImageRaw, res.FeatureImage, ws, new SynthesisOptions().Seed);
        g.Backend.Synchronize();
        double tsr = sw2.Elapsed.TotalMilliseconds;
        return (total, tb, total - tb - tsr, tsr);
    }

}

// The neural render stage alone on the full ffhq512-128 config (128² rays × (48 + 48) samples, random weights and planes,
// deterministic sampling): the fused device kernels vs the composed reference path, side by side in one run, per backend,
// as ms per render and sample points per second. Options: --devices cpu[,ilgpu-cpu,cuda], --runs <n>, --batch <n>, --grad,
// --fused-only (skips the slow composed path, e.g. under a profiler).
using System.Diagnostics;
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Backends;
using My3DGen.Engine.Tensors;
using My3DGen.Models;
using My3DGen.Models.Cameras;
using My3DGen.Models.Eg3d;
using My3DGen.Models.Rendering;

namespace My3DGen.Bench;

public static class RenderBench
{
    public static void Run(string[] args)
    {
        var devices = (BenchArgs.Option(args, "--devices") ?? "cpu").Split(',');
        int runs = int.Parse(BenchArgs.Option(args, "--runs") ?? "3");
        int batch = int.Parse(BenchArgs.Option(args, "--batch") ?? "1");
        bool grad = args.Contains("--grad"), fusedOnly = args.Contains("--fused-only");
        var cfg = Eg3dConfig.Ffhq512;
        int r = cfg.NeuralRenderingResolution, samples = cfg.Rendering.DepthResolution + cfg.Rendering.DepthResolutionImportance;
        long points = (long)batch * r * r * samples;
        Console.WriteLine($"render stage: ffhq512-128 config, batch {batch}, {r}² rays × {samples} samples = {points:N0} points, deterministic" +
            (grad ? ", forward + backward to planes and decoder" : ", forward only") + $"; best of {runs}");
        Console.WriteLine($"| backend | path | ms per render | points/s | time vs composed | process CPU ms | CPU time vs composed |");
        Console.WriteLine($"|---|---|---:|---:|---:|---:|---:|");
        foreach (var device in devices)
        {
            using var backend = DeviceSelector.Create(device);
            using var g = Eg3dGenerator.CreateRandom(cfg, seed: 0, backend);
            using var scope = TensorScope.Begin();
            var rng = new Random(1);
            var planes = Tensor.Randn(backend, rng, [batch, 3, 32, 256, 256]) * 0.5f;
            var labels = Enumerable.Range(0, batch).SelectMany(i => CameraLabel.Create(0.2f * i, 0f)).ToArray();
            var camera = Tensor.FromArray(backend, labels, batch, 25);
            var (fused, fusedCpu) = Best(backend, runs, grad, planes, p => g.FusedRenderer.Render(p, camera, r, null));
            if (fusedOnly)
            {
                Console.WriteLine($"| {backend.Name} | fused kernels | {fused:F0} | {points / fused * 1e3:E2} | – | {fusedCpu:F0} | – |");
                continue;
            }
            var (composed, composedCpu) = Best(backend, runs, grad, planes, p => g.Renderer.Render(FlatPlanes.From(p), RaySampler.Sample(labels, batch, r), new RenderSettings(null)));
            Console.WriteLine($"| {backend.Name} | composed (reference) | {composed:F0} | {points / composed * 1e3:E2} | 1.00 | {composedCpu:F0} | 1.00 |");
            Console.WriteLine($"| {backend.Name} | fused kernels | {fused:F0} | {points / fused * 1e3:E2} | {fused / composed:F3} | {fusedCpu:F0} | {fusedCpu / composedCpu:F3} |");
        }
    }

    /// <summary>Best wall time (ms) of <paramref name="runs"/> renders after one warm-up, waiting for the device each time, and the
    /// least process CPU time of those runs (a cross-check on a shared machine, where wall time follows the load).</summary>
    static (double Wall, double Cpu) Best(IBackend backend, int runs, bool grad, Tensor planes, Func<Tensor, (Tensor Features, Tensor Depth)> render)
    {
        double best = double.MaxValue, bestCpu = double.MaxValue;
        for (int i = 0; i <= runs; i++)
        {
            using var scope = TensorScope.Begin();
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            if (grad)
            {
                var p = planes.Contiguous(forceCopy: true);
                p.RequiresGrad = true;
                var (f, d) = render(p);
                (f.Sum() + d.Sum()).Backward();
            }
            else
            {
                using var _ = GradMode.NoGrad();
                render(planes);
            }
            backend.Synchronize();
            double wall = sw.Elapsed.TotalMilliseconds, cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds;
            if (i > 0 && wall < best) best = wall;
            if (i > 0 && cpu < bestCpu) bestCpu = cpu;
        }
        return (best, bestCpu);
    }
}

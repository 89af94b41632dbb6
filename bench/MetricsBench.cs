// Metric networks on one backend (random weights of the real shapes, inference without autograd): ms per image and
// achieved conv/linear GFLOP/s for ArcFace IR-SE50 (images pooled to 112²), LPIPS-alex, LPIPS-vgg and DISTS at
// batch 1 and 8, plus PSNR/SSIM (CPU, double). Options: --device <name>, --size <side> (default 256), --batches 1,8, --runs <n>.
using System.Diagnostics;
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Backends;
using My3DGen.Engine.Tensors;
using My3DGen.Models.Identity;
using My3DGen.Models.Imaging;
using My3DGen.Models.Metrics;
using My3DGen.Models.Perceptual;

namespace My3DGen.Bench;

public static class MetricsBench
{
    public static void Run(string[] args)
    {
        var backend = DeviceSelector.Create(BenchArgs.Option(args, "--device"));
        int size = int.Parse(BenchArgs.Option(args, "--size") ?? "256"), runs = int.Parse(BenchArgs.Option(args, "--runs") ?? "1");
        var batches = (BenchArgs.Option(args, "--batches") ?? "1,8").Split(',').Select(int.Parse).ToArray();
        Console.WriteLine($"metrics bench on {backend.Name}: random weights, {size}² images (ArcFace pools them to 112²), best of {runs} run(s) after one warm-up");
        using var _ = GradMode.NoGrad();
        using var arc = ArcFaceIrSe50.CreateRandom(0, backend);
        using var alex = Lpips.CreateRandom(LpipsNet.Alex, 0, backend);
        using var vgg = Lpips.CreateRandom(LpipsNet.Vgg, 0, backend);
        using var dists = Dists.CreateRandom(0, backend);
        var cases = new (string Name, double GflopPerImage, Func<Tensor, Tensor, Tensor> Run)[]
        {
            ("ArcFace IR-SE50 (embed x)", Flops.ArcFace() / 1e9, (x, y) => arc.Embed(x)),
            ("LPIPS-alex (x, y)", 2 * Flops.Features(LpipsNet.Alex, size) / 1e9, (x, y) => alex.Distance(x, y)),
            ("LPIPS-vgg (x, y)", 2 * Flops.Features(LpipsNet.Vgg, size) / 1e9, (x, y) => vgg.Distance(x, y)),
            ("DISTS (x, y)", 2 * Flops.Features(LpipsNet.Vgg, size) / 1e9, (x, y) => dists.Distance(x.Affine(0.5f, 0.5f), y.Affine(0.5f, 0.5f))),
        };
        foreach (var (name, gflop, run) in cases)
            foreach (int batch in batches)
            {
                using var scope = TensorScope.Begin();
                var rng = new Random(batch);
                var x = Tensor.Uniform(backend, rng, [batch, 3, size, size], -1, 1);
                var y = Tensor.Uniform(backend, rng, [batch, 3, size, size], -1, 1);
                Once(() => run(x, y), backend);
                double best = double.MaxValue, cpu = 0;
                for (int i = 0; i < runs; i++)
                {
                    var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
                    double ms = Once(() => run(x, y), backend);
                    if (ms < best) { best = ms; cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds; }
                }
                Console.WriteLine($"  {name,-27} batch {batch}: {best / batch,8:F1} ms/image, {gflop * batch / (best / 1e3),6:F1} GFLOP/s ({gflop:F2} GFLOP/image; process CPU {cpu / batch:F0} ms/image)");
            }
        var a = new RgbImage(size, size, Enumerable.Range(0, size * size * 3).Select(i => (byte)(i * 7)).ToArray());
        var b = new RgbImage(size, size, Enumerable.Range(0, size * size * 3).Select(i => (byte)(i * 5)).ToArray());
        var t = BenchTimer.Measure(() => { ImageQuality.Psnr(a, b); ImageQuality.Ssim(a, b); }, 1);
        Console.WriteLine($"  {"PSNR + SSIM (CPU, double)",-27} {t.MedianMs,8:F1} ms/image pair");
    }

    static double Once(Func<Tensor> f, IBackend backend)
    {
        var sw = Stopwatch.StartNew();
        using var scope = TensorScope.Begin();
        _ = f().ToArray();
        backend.Synchronize();
        return sw.Elapsed.TotalMilliseconds;
    }
}

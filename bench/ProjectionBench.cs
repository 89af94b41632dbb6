// Projection step timing: the full ffhq512-128-sized generator (random weights, built in-process), LPIPS-VGG (random
// weights of the real VGG16 shapes) at 256², W space with optimised noise maps; ms per projection step per image at
// batch 1 and 4 and the peak working set. Options: --device <name>, --steps <n> (timed steps after one warm-up), --batches 1,4.
using System.Diagnostics;
using My3DGen.Engine.Backends;
using My3DGen.Models;
using My3DGen.Models.Cameras;
using My3DGen.Models.Eg3d;
using My3DGen.Models.Perceptual;
using My3DGen.Personalization.Projection;

namespace My3DGen.Bench;

public static class ProjectionBench
{
    public static void Run(string[] args)
    {
        var backend = DeviceSelector.Create(BenchArgs.Option(args, "--device"));
        int steps = int.Parse(BenchArgs.Option(args, "--steps") ?? "1");
        var batches = (BenchArgs.Option(args, "--batches") ?? "1,4").Split(',').Select(int.Parse).ToArray();
        Console.WriteLine($"projection bench on {backend.Name}: ffhq512-128 config, random weights, W + optimised noise maps, LPIPS-VGG-256 (random weights)");
        using var gen = Eg3dGenerator.CreateRandom(Eg3dConfig.Ffhq512, seed: 0, backend);
        using var vgg = Lpips.CreateRandom(LpipsNet.Vgg, 0, backend);
        int res = gen.Config.ImgResolution;
        var rng = new Random(1);
        foreach (int batch in batches)
        {
            var projector = new Projector(gen, vgg, new ProjectionOptions { Steps = 500, BatchSize = batch, WAvgSamples = 600 });
            var states = Enumerable.Range(0, batch).Select(i => new ProjectionState(gen,
                new ProjectionTarget($"synthetic_{i}", Enumerable.Range(0, 3 * res * res).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray(), CameraLabel.Create(0.2f * (i - 1), 0f)),
                projector.StatisticsFor(CameraLabel.Create(0, 0)), projector.Options, new ProjectionLoss(vgg))).ToList();
            int step = 100;   // mid-run: full lr, W noise on
            foreach (var s in states) projector.Step(s, step);   // warm-up: JIT, buffer pools
            var times = new List<double>();
            for (int i = 0; i < steps; i++) times.Add(BenchTimer.Time(() => { foreach (var s in states) projector.Step(s, ++step); }) * 1e3);
            Console.WriteLine($"  batch {batch}: {times.Min():F0} ms/step best, {times.Average():F0} ms/step mean over {steps} step(s) → {times.Min() / batch:F0} ms per step per image");
            foreach (var s in states) s.Dispose();
        }
        Console.WriteLine($"  peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):F0} MiB");
    }
}

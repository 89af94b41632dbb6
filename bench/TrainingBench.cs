// Personalization step timing: the full ffhq512-128-sized generator (random weights, built in-process) with My3DGen's
// rank-1 LoRA + decoder, MSE + LPIPS-alex (random weights) at the raw and the 512² image, Adam; ms per training step
// at batch 1 and 4 and the peak working set. Options: --device <name>, --steps <n>, --batches 1,4; --compare-upconv
// alternates steps between the conv routes (composed with the sub-pixel or the transposed up-conv, and the kernel family).
using System.Diagnostics;
using My3DGen.Engine.Backends;
using My3DGen.Models.Cameras;
using My3DGen.Models.Perceptual;
using My3DGen.Personalization.Diagnostics;
using My3DGen.Personalization.Training;
using My3DGen.Models;
using My3DGen.Models.Eg3d;
using My3DGen.Models.Synthesis;

namespace My3DGen.Bench;

public static class TrainingBench
{
    public static void Run(string[] args)
    {
        var backend = DeviceSelector.Create(BenchArgs.Option(args, "--device"));
        int steps = int.Parse(BenchArgs.Option(args, "--steps") ?? "2");
        var batches = (BenchArgs.Option(args, "--batches") ?? "1,4").Split(',').Select(int.Parse).ToArray();
        Console.WriteLine($"training-step bench on {backend.Name}: ffhq512-128 config, random weights, LoRA r=1 + decoder, MSE + LPIPS-alex (random weights)");
        var gen = Eg3dGenerator.CreateRandom(Eg3dConfig.Ffhq512, seed: 0, backend);
        var data = Ffhq512Workloads.SyntheticPerson(gen, count: 4);
        using var lpips = Lpips.CreateRandom(LpipsNet.Alex, 0, backend);
        foreach (int batch in batches)
        {
            using var trainer = new Personalizer(gen, lpips, data, new PersonalizeOptions { Steps = int.MaxValue, BatchSize = batch, CheckpointEvery = 0 });
            if (batch == batches[0]) Console.WriteLine($"  trainable parameters: {trainer.Trainables.Count:N0}");
            trainer.TrainStep();   // warm-up: JIT, buffer pools
            if (args.Contains("--compare-upconv")) { CompareUpConv(trainer, steps, batch); continue; }
            var times = new List<double>();
            for (int i = 0; i < steps; i++) times.Add(BenchTimer.Time(() => trainer.TrainStep()) * 1e3);
            Console.WriteLine($"  batch {batch}: {times.Min():F0} ms/step best, {times.Average():F0} ms/step mean over {steps} steps ({times.Min() / batch:F0} ms/image)");
        }
        Console.WriteLine($"  peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):F0} MiB");
    }

    /// <summary>Steps alternating between the conv routes (<see cref="ConvRoutes"/>); best and mean wall ms and best process CPU ms per route.</summary>
    static void CompareUpConv(Personalizer trainer, int steps, int batch)
    {
        var names = ConvRoutes.All.Select(r => r.Name).ToArray();
        var wall = names.ToDictionary(p => p, _ => new List<double>());
        var cpu = names.ToDictionary(p => p, _ => new List<double>());
        var proc = Process.GetCurrentProcess();
        foreach (var (_, use) in ConvRoutes.All) using (use()) trainer.TrainStep();   // warm-up
        for (int i = 0; i < steps; i++)
            foreach (var (name, use) in ConvRoutes.All)
                using (use())
                {
                    proc.Refresh();
                    var c0 = proc.TotalProcessorTime;
                    wall[name].Add(BenchTimer.Time(() => trainer.TrainStep()) * 1e3);
                    proc.Refresh();
                    cpu[name].Add((proc.TotalProcessorTime - c0).TotalMilliseconds);
                }
        foreach (var p in names)
            Console.WriteLine($"  batch {batch}, {p,-10}: {wall[p].Min():F0} ms/step best, {wall[p].Average():F0} ms/step mean, {cpu[p].Min():F0} ms CPU best, over {steps} steps");
        Console.WriteLine($"  training step, kernels / transposed: {wall["kernels"].Min() / wall["transposed"].Min():F2}× wall (best), " +
            $"{cpu["kernels"].Min() / cpu["transposed"].Min():F2}× process CPU time (best)");
    }

}

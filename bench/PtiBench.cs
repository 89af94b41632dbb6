// PTI tuning step timing: the full ffhq512-128 generator (random weights, built in-process), LPIPS-alex (random weights,
// real AlexNet shapes) at 512², a pivot from the mapping, one photo; ms per tuning step for the stacked LoRA set at
// --rank (default 1) and the size of its adapter file (what `invert` writes). Options: --device <name>, --steps <n>, --rank <r>.
using My3DGen.Engine.Backends;
using My3DGen.Models;
using My3DGen.Models.Cameras;
using My3DGen.Models.Eg3d;
using My3DGen.Models.Perceptual;
using My3DGen.Personalization.Lora;
using My3DGen.Tasks.Inversion;

namespace My3DGen.Bench;

public static class PtiBench
{
    public static void Run(string[] args)
    {
        var backend = DeviceSelector.Create(BenchArgs.Option(args, "--device"));
        int steps = int.Parse(BenchArgs.Option(args, "--steps") ?? "1"), rank = int.Parse(BenchArgs.Option(args, "--rank") ?? "1");
        Console.WriteLine($"PTI bench on {backend.Name}: ffhq512-128 config, random weights, stacked LoRA rank {rank}, MSE + LPIPS-alex at 512² (random weights)");
        using var gen = Eg3dGenerator.CreateRandom(Eg3dConfig.Ffhq512, seed: 0, backend);
        using var alex = Lpips.CreateRandom(LpipsNet.Alex, 0, backend);
        int res = gen.Config.ImgResolution;
        var rng = new Random(1);
        var photo = Enumerable.Range(0, 3 * res * res).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var pivot = Enumerable.Range(0, gen.Config.NumWs * gen.Config.WDim).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        using var tuner = new PivotalTuner(gen, alex, new PivotalTuningOptions { Rank = rank, Steps = steps + 1 }, pivot, CameraLabel.Create(0.2f, 0f), photo);
        tuner.TrainStep();   // warm-up: JIT, buffer pools
        var times = new List<double>();
        for (int i = 0; i < steps; i++) times.Add(BenchTimer.Time(() => tuner.TrainStep()) * 1e3);
        Console.WriteLine($"  {times.Min():F0} ms/step best, {times.Average():F0} ms/step mean over {steps} step(s)");
        var path = Path.Combine(Path.GetTempPath(), $"pti-bench-{Environment.ProcessId}.lora.safetensors");
        AdapterFile.Save(tuner.Trainables, path);
        Console.WriteLine($"  stacked adapter: {tuner.Trainables.Count} values, file {new FileInfo(path).Length / 1024.0:F1} KiB");
        File.Delete(path);
    }
}

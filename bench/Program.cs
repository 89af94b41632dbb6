// Entry point of the bench executable: a verb dispatch table. `dotnet run -c Release --project bench -- <verb> [options]`.
// Add a verb by adding one row to Verbs.
using My3DGen.Bench.Kernels;

namespace My3DGen.Bench;

public static class Program
{
    private static readonly (string Name, string Help, Action<string[]> Run)[] Verbs =
    [
        ("kernels", "CPU kernel table (GEMM, conv, streaming) vs. measured machine peaks. Options: --json <path>, --quick, --filter <text>", KernelBench.Run),
        ("modconv", "Modulated conv at every EG3D shape (up and plain, fwd and fwd+bwd): the kernel family vs. the composed route vs. PyTorch. Options: --batches 1,4, --runs <n>, --filter <text>, --torch <json>", ModConvBench.Run),
        ("converter", "Synthetic ffhq512 snapshot → safetensors: wall time and peak RSS vs. targets. Options: --dir <folder>, --divisor <n>, --keep", ConverterBench.Run),
        ("generator", "EG3D ffhq512-128 (random weights) end-to-end ms/image at batch 1 and 4. Options: --device <name>, --runs <n>, --batches 1,4, --compare-upconv (stages per conv route)", GeneratorBench.Run),
        ("metrics", "Metric networks (ArcFace, LPIPS-alex/vgg, DISTS; random weights): ms/image and GFLOP/s at batch 1 and 8, plus PSNR/SSIM. Options: --device <name>, --size <side>, --batches 1,8, --runs <n>", MetricsBench.Run),
        ("render", "Render stage alone (ffhq512-128, 128² × (48+48) samples): fused kernels vs composed path, ms and points/s. Options: --devices cpu,ilgpu-cpu,cuda, --runs <n>, --batch <n>, --grad, --fused-only", RenderBench.Run),
        ("training", "Personalization step (LoRA r=1 + decoder, MSE + LPIPS) on the ffhq512-128 config: ms/step at batch 1 and 4. Options: --device <name>, --steps <n>, --batches 1,4, --compare-upconv (steps per conv route)", TrainingBench.Run),
        ("pti", "PTI tuning step (stacked LoRA, MSE + LPIPS-alex-512) on the ffhq512-128 config: ms/step and the adapter size. Options: --device <name>, --steps <n>, --rank <r>", PtiBench.Run),
        ("alphaplus", "alpha+ projection step (MyStyle inpainting/super-resolution: identity, hole mask, area-downsample to 32²; LPIPS-alex + MSE + R) on the ffhq512-128 config: ms/step. Options: --device <name>, --steps <n>, --anchors <N>, --quick (tiny config)", AlphaPlusBench.Run),
        ("projection", "Projection step (W + noise maps, LPIPS-VGG-256) on the ffhq512-128 config: ms per step per image at batch 1 and 4, memory. Options: --device <name>, --steps <n>, --batches 1,4", ProjectionBench.Run),
        ("faces", "prepare's face analysis (detect, landmarks, align, pose) on the CPU: photos/s at 512² and 2048², per stage. Options: --photo <path>", FacesBench.Run),
    ];

    public static int Main(string[] args)
    {
        var verb = args.Length > 0 ? Verbs.FirstOrDefault(v => v.Name == args[0]) : default;
        if (verb.Run is null)
        {
            Console.Error.WriteLine(args.Length == 0 ? "Missing verb." : $"Unknown verb '{args[0]}'.");
            Console.Error.WriteLine("Usage: My3DGen.Bench <verb> [options]");
            foreach (var v in Verbs) Console.Error.WriteLine($"  {v.Name,-10} {v.Help}");
            return 2;
        }
        verb.Run(args[1..]);
        return 0;
    }
}

// α⁺ projection step timing (MyStyle inpainting / super-resolution): the full ffhq512-128 generator (random weights, built
// in-process; --quick: the tiny config), LPIPS-alex (random weights, real AlexNet shapes), N anchors mapped from seeds,
// one photo; ms per Adam step (render + staged backward + the α⁺ graph) for each degradation: identity at full
// resolution, a centred-box hole mask, area downsampling to 32². Options: --device <name>, --steps <n>, --anchors <N>, --quick.
using My3DGen.Engine.Backends;
using My3DGen.Models;
using My3DGen.Models.Api;
using My3DGen.Models.Eg3d;
using My3DGen.Models.Perceptual;
using My3DGen.Tasks.Latents;
using My3DGen.Tasks.Restoration;

namespace My3DGen.Bench;

public static class AlphaPlusBench
{
    public static void Run(string[] args)
    {
        var backend = DeviceSelector.Create(BenchArgs.Option(args, "--device"));
        int steps = int.Parse(BenchArgs.Option(args, "--steps") ?? "2"), count = int.Parse(BenchArgs.Option(args, "--anchors") ?? "8");
        bool quick = args.Contains("--quick");
        var config = quick ? Eg3dConfig.Tiny : Eg3dConfig.Ffhq512;
        Console.WriteLine($"alpha+ projection bench on {backend.Name}: {(quick ? "tiny" : "ffhq512-128")} config, random weights, {count} anchors, " +
                          "LPIPS-alex (random weights) + MSE + R, Adam");
        using var gen = Eg3dGenerator.CreateRandom(config, seed: 0, backend);
        using var alex = Lpips.CreateRandom(LpipsNet.Alex, 0, backend);
        int res = gen.Config.ImgResolution;
        var ws = LatentSources.FromSeeds(gen, Enumerable.Range(0, count).ToList(), new MappingSettings()).Select(l => { using var t = l.Ws(); return t.ToArray(); }).ToList();
        var anchors = new AnchorSet(Enumerable.Range(0, count).Select(i => $"seed{i}").ToList(), ws, gen.Config.NumWs, gen.Config.WDim);
        var rng = new Random(1);
        var photo = Enumerable.Range(0, 3 * res * res).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var camera = RenderViews.FromYawPitch(gen, [0.2f], [0f])[0].Label;
        var hole = HoleMask.CentredBox(res, InpaintingRequest.DefaultBoxFraction);
        foreach (IDegradation d in new IDegradation[] { IdentityDegradation.Instance, new MaskDegradation(hole), new AreaDownsampleDegradation(32) })
        {
            int side = d.OutputSide(res);
            var target = side == res ? photo : SuperResolutionService.Downsample(photo, res, side);
            using var projector = new AlphaPlusProjector(gen, alex, anchors, new AlphaPlusOptions { Steps = steps + 1 }, d, target, camera);
            projector.TrainStep();   // warm-up: JIT, buffer pools
            var times = new List<double>();
            for (int i = 0; i < steps; i++) times.Add(BenchTimer.Time(() => projector.TrainStep()) * 1e3);
            Console.WriteLine($"  {d.Name,-28} {times.Min(),8:F0} ms/step best, {times.Average(),8:F0} ms/step mean over {steps} step(s)");
        }
    }
}

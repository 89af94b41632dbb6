// The memory-bounded staged backward gives the same loss and gradients as one backward through the whole graph, for
// every super-resolution noise mode (it runs the generator's own stages, so "random" SR noise is drawn identically).
using My3DGen.Engine.Ops;
using My3DGen.Engine.Tensors;
using My3DGen.Models.Cameras;
using My3DGen.Models.Lora;
using My3DGen.Personalization.Lora;
using My3DGen.Personalization.Training;
using My3DGen.Models;
using My3DGen.Models.Eg3d;
using My3DGen.Engine.Backends.Cpu;

namespace My3DGen.Personalization.Tests;

public class StagedBackwardTests
{
    [TestCase("none")]
    [TestCase("random")]
    public void MatchesDirectBackward(string srNoiseMode)
    {
        var config = Eg3dConfig.Tiny with { Rendering = Eg3dConfig.Tiny.Rendering with { SuperresolutionNoiseMode = srNoiseMode } };
        var gen = Eg3dGenerator.CreateRandom(config, 31, CpuBackend.Instance);
        var be = gen.Backend;
        using var lora = new LoraNetwork(gen, new LoraOptions(1, 1f, Seed: 2), trainDecoder: true);
        var rng = new Random(3);
        foreach (var f in lora.Factors) f.B.AssignFrom(Enumerable.Range(0, (int)f.B.Numel).Select(_ => (float)(rng.NextDouble() - 0.5) * 0.1f).ToArray());
        var cam = CameraLabel.Create(0.2f, 0.1f);
        var ws = gen.Mapping(Tensor.Randn(be, new Random(5), [1, 512]), CameraLabel.ToTensor(be, CameraLabel.Create(0f, 0f))).Detach();
        int res = gen.Config.ImgResolution, raw = 64;  // 4096 rays: four staged chunks
        var target = Tensor.Uniform(be, rng, [1, 3, res, res], -1, 1);
        var targetRaw = Resampling.ResizeBilinear(target, raw, raw, antialias: true);
        Tensor Loss(Tensor image, Tensor imageRaw) => (image - target).Square().Mean() + (imageRaw - targetRaw).Square().Mean();

        var trainables = lora.TrainableTensors().ToList();
        Dictionary<Tensor, float[]> Collect()
        {
            var d = trainables.ToDictionary(t => t, t => t.Grad?.ToArray() ?? new float[t.Numel]);
            foreach (var t in trainables) { t.Grad?.Dispose(); t.Grad = null; }
            return d;
        }
        float directLoss;
        using (var scope = TensorScope.Begin())
        {
            var r = gen.Synthesize(ws, CameraLabel.ToTensor(be, cam), new SynthesisOptions { Deterministic = true, NeuralRenderingResolution = raw, Seed = 4 });
            var l = Loss(r.Image, r.ImageRaw);
            directLoss = l.Item();
            l.Backward();
        }
        var direct = Collect();
        float stagedLoss = StagedBackward.Run(gen, ws, cam, raw, deterministic: true, seed: 4, Loss);
        var staged = Collect();
        Assert.That(stagedLoss, Is.EqualTo(directLoss).Within(1e-5 * Math.Abs(directLoss)), "loss");
        double worst = 0;
        foreach (var t in trainables)
        {
            double scale = Math.Max(1e-12, direct[t].Max(v => Math.Abs(v)));
            double err = direct[t].Zip(staged[t], (a, b) => Math.Abs(a - b)).DefaultIfEmpty(0).Max() / scale;
            worst = Math.Max(worst, err);
            Assert.That(err, Is.LessThan(1e-3), t.Name);
        }
        TestContext.Out.WriteLine($"staged vs direct backward: max error relative to each tensor's max |grad| {worst:E2} over {trainables.Count} tensors");
    }
}

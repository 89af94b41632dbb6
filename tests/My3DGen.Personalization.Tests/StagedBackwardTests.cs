// The memory-bounded staged backward gives the same loss and gradients as one backward through the whole graph, for
// every super-resolution noise mode (it runs the generator's own stages, so "random" SR noise is drawn identically),
// and its fused render path (device kernels) gives the same loss and gradients as the composed reference path.
using My3DGen.Engine.Ops;
using My3DGen.Engine.Tensors;
using My3DGen.Models.Cameras;
using My3DGen.Models.Lora;
using My3DGen.Personalization.Lora;
using My3DGen.Personalization.Training;
using My3DGen.Models;
using My3DGen.Models.Eg3d;
using My3DGen.Models.Rendering;
using My3DGen.Engine.Backends.Cpu;

namespace My3DGen.Personalization.Tests;

public class StagedBackwardTests
{
    /// <summary>A tiny generator with a LoRA set (B ≠ 0) and a trainable decoder, one sample's inputs and an MSE objective.</summary>
    sealed class Setup : IDisposable
    {
        public Eg3dGenerator Gen = null!;
        public LoraNetwork Lora = null!;
        public Tensor Ws = null!;
        public float[] Cam = null!;
        public Tensor Target = null!, TargetRaw = null!;
        public const int Raw = 64;   // 4096 rays: four staged chunks on the composed path

        public static Setup Create(string srNoiseMode)
        {
            var s = new Setup();
            var config = Eg3dConfig.Tiny with { Rendering = Eg3dConfig.Tiny.Rendering with { SuperresolutionNoiseMode = srNoiseMode } };
            s.Gen = Eg3dGenerator.CreateRandom(config, 31, CpuBackend.Instance);
            var be = s.Gen.Backend;
            s.Lora = new LoraNetwork(s.Gen, new LoraOptions(1, 1f, Seed: 2), trainDecoder: true);
            var rng = new Random(3);
            foreach (var f in s.Lora.Factors) f.B.AssignFrom(Enumerable.Range(0, (int)f.B.Numel).Select(_ => (float)(rng.NextDouble() - 0.5) * 0.1f).ToArray());
            s.Cam = CameraLabel.Create(0.2f, 0.1f);
            s.Ws = s.Gen.Mapping(Tensor.Randn(be, new Random(5), [1, 512]), CameraLabel.ToTensor(be, CameraLabel.Create(0f, 0f))).Detach();
            int res = s.Gen.Config.ImgResolution;
            s.Target = Tensor.Uniform(be, rng, [1, 3, res, res], -1, 1);
            s.TargetRaw = Resampling.ResizeBilinear(s.Target, Raw, Raw, antialias: true);
            return s;
        }

        public Tensor Loss(Tensor image, Tensor imageRaw) => (image - Target).Square().Mean() + (imageRaw - TargetRaw).Square().Mean();

        /// <summary>The trainables' gradients (zeros where none), then clears them.</summary>
        public Dictionary<Tensor, float[]> Collect()
        {
            var trainables = Lora.TrainableTensors().ToList();
            var d = trainables.ToDictionary(t => t, t => t.Grad?.ToArray() ?? new float[t.Numel]);
            foreach (var t in trainables) { t.Grad?.Dispose(); t.Grad = null; }
            return d;
        }

        public void Dispose() { Lora.Dispose(); Gen.Dispose(); }
    }

    /// <summary>Largest difference per tensor relative to that tensor's max |grad| in <paramref name="reference"/>, asserted ≤ tolerance.</summary>
    static double AssertClose(Dictionary<Tensor, float[]> reference, Dictionary<Tensor, float[]> other, double tolerance)
    {
        double worst = 0;
        foreach (var (t, a) in reference)
        {
            double scale = Math.Max(1e-12, a.Max(v => Math.Abs(v)));
            double err = a.Zip(other[t], (x, y) => Math.Abs(x - y)).DefaultIfEmpty(0).Max() / scale;
            worst = Math.Max(worst, err);
            Assert.That(err, Is.LessThanOrEqualTo(tolerance), t.Name);
        }
        return worst;
    }

    [TestCase("none")]
    [TestCase("random")]
    public void MatchesDirectBackward(string srNoiseMode)
    {
        using var s = Setup.Create(srNoiseMode);
        var be = s.Gen.Backend;
        float directLoss;
        using (var scope = TensorScope.Begin())
        {
            var r = s.Gen.Synthesize(s.Ws, CameraLabel.ToTensor(be, s.Cam), new SynthesisOptions { Deterministic = true, NeuralRenderingResolution = Setup.Raw, Seed = 4 });
            var l = s.Loss(r.Image, r.ImageRaw);
            directLoss = l.Item();
            l.Backward();
        }
        var direct = s.Collect();
        float stagedLoss = StagedBackward.Run(s.Gen, s.Ws, s.Cam, Setup.Raw, deterministic: true, seed: 4, s.Loss);
        var staged = s.Collect();
        Assert.That(stagedLoss, Is.EqualTo(directLoss).Within(1e-5 * Math.Abs(directLoss)), "loss");
        double worst = AssertClose(direct, staged, 1e-3);
        TestContext.Out.WriteLine($"staged vs direct backward: max error relative to each tensor's max |grad| {worst:E2} over {direct.Count} tensors");
    }

    [Test]
    public void FusedRenderPathMatchesComposed()
    {
        using var s = Setup.Create("none");
        float composedLoss = StagedBackward.Run(s.Gen, s.Ws, s.Cam, Setup.Raw, deterministic: true, seed: 4, s.Loss, path: RenderPath.Composed);
        var composed = s.Collect();
        float fusedLoss = StagedBackward.Run(s.Gen, s.Ws, s.Cam, Setup.Raw, deterministic: true, seed: 4, s.Loss, path: RenderPath.Fused);
        var fused = s.Collect();
        Assert.That(fusedLoss, Is.EqualTo(composedLoss).Within(1e-4 * Math.Abs(composedLoss)), "loss");
        // The whole gradient (every trainable tensor, concatenated) within 1e-4 in relative L2; per tensor within 1e-3 of its own
        // max |grad| (single scalars such as a noise strength are sums over a whole map and show float cancellation).
        double diff2 = composed.Sum(kv => kv.Value.Zip(fused[kv.Key], (x, y) => (double)(x - y) * (x - y)).Sum());
        double norm2 = composed.Sum(kv => kv.Value.Sum(x => (double)x * x));
        double relative = Math.Sqrt(diff2 / norm2);
        double worst = AssertClose(composed, fused, 1e-3);
        TestContext.Out.WriteLine($"fused vs composed training step: loss {fusedLoss:G9} vs {composedLoss:G9}; whole gradient relative L2 error {relative:E2}; " +
            $"max error per tensor relative to its max |grad| {worst:E2} over {composed.Count} tensors");
        Assert.That(relative, Is.LessThanOrEqualTo(1e-4), "relative L2 error of the whole gradient");
    }
}

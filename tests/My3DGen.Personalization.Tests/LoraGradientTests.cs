// Finite-difference checks of the full backward pass through EG3D (modulated/up convs, FIR, noise, ToRGB skip,
// tri-plane sampling, decoder, ray marcher, super-resolution) for every trained tensor kind: directional
// derivatives ⟨∇L, d⟩ against central differences of L(θ ± εd), L = Σ r·image + Σ r'·image_raw.
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Tensors;
using My3DGen.Models.Cameras;
using My3DGen.Models.Lora;
using My3DGen.Personalization.Lora;
using My3DGen.Models;

namespace My3DGen.Personalization.Tests;

[Category("Slow")]
public class LoraGradientTests
{
    [Test]
    public void EveryTrainedTensorKindMatchesFiniteDifferences()
    {
        var gen = TinyGenerators.Create(11, coarseOnly: true);
        var be = gen.Backend;
        using var lora = new LoraNetwork(gen, new LoraOptions(1, 2f, Seed: 3), trainDecoder: true);
        var rng = new Random(4);
        foreach (var f in lora.Factors)
            f.B.AssignFrom(Enumerable.Range(0, (int)f.B.Numel).Select(_ => (float)(rng.NextDouble() - 0.5) * 0.1f).ToArray());
        var ws = gen.Mapping(Tensor.Randn(be, new Random(2), [1, 512]), CameraLabel.ToTensor(be, CameraLabel.Create(0f, 0f)));
        ws = ws.Detach(); ws.RequiresGrad = true;
        var cam = CameraLabel.ToTensor(be, CameraLabel.Create(0.3f, -0.1f));
        var opts = new SynthesisOptions { Deterministic = true };
        int img = gen.Config.ImgResolution, raw = gen.Config.NeuralRenderingResolution;
        var r1 = Enumerable.Range(0, 3 * img * img).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var r2 = Enumerable.Range(0, 3 * raw * raw).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();

        // Two losses: L_raw = Σ r'·image_raw checks the backbone, renderer and decoder; L_sr = Σ r·image checks the
        // super-resolution (whose clamps and many kinks make finite differences of the full sum too rough).
        Dictionary<Tensor, float[]> Gradients(bool sr)
        {
            using var scope = TensorScope.Begin();
            var res = gen.Synthesize(ws, cam, opts);
            var loss = sr ? (res.Image * Tensor.FromArray(be, r1, 1, 3, img, img)).Sum() : (res.ImageRaw * Tensor.FromArray(be, r2, 1, 3, raw, raw)).Sum();
            loss.Backward();
            var all = lora.TrainableTensors().Append(ws).ToList();
            var g = all.Where(t => t.Grad != null).ToDictionary(t => t, t => t.Grad!.ToArray());
            foreach (var t in all) { t.Grad?.Dispose(); t.Grad = null; }
            return g;
        }
        var gradRaw = Gradients(sr: false);
        var gradSr = Gradients(sr: true);

        double HostLoss(bool sr)
        {
            using var ng = GradMode.NoGrad();
            using var scope = TensorScope.Begin();
            var o = gen.Synthesize(ws, cam, opts);
            var a = sr ? o.Image.ToArray() : o.ImageRaw.ToArray();
            var r = sr ? r1 : r2;
            double l = 0;
            for (int i = 0; i < a.Length; i++) l += (double)a[i] * r[i];
            return l;
        }

        var backbone = gen.Backbone.Blocks;
        var srBlocks = gen.SuperResolution.Blocks;
        var kinds = new (string Kind, Tensor T)[]
        {
            ("3x3 conv lora_A (b4.conv1)", Factor(lora, backbone[0].Conv1.Name).A),
            ("3x3 up-conv lora_B (b8.conv0)", Factor(lora, backbone[1].Conv0!.Name).B),
            ("ToRGB lora_A (b16.torgb)", Factor(lora, backbone[2].ToRgb.Name).A),
            ("affine lora_A (b32.conv1.affine)", Factor(lora, backbone[3].Conv1.Affine.Name).A),
            ("affine lora_B (b256.torgb.affine)", Factor(lora, backbone[^1].ToRgb.Affine.Name).B),
            ("SR conv lora_A (block1.conv0)", Factor(lora, srBlocks[1].Conv0!.Name).A),
            ("SR ToRGB lora_B (block0.torgb)", Factor(lora, srBlocks[0].ToRgb.Name).B),
            ("conv bias (b64.conv1)", backbone[4].Conv1.Bias),
            ("noise_strength (b128.conv0)", backbone[5].Conv0!.NoiseStrength),
            ("const (b4)", backbone[0].Const!),
            ("decoder hidden weight", gen.Decoder.Hidden.Weight),
            ("decoder output bias", gen.Decoder.Output.Bias),
            ("input ws", ws),
        };
        double worst = 0;
        foreach (var (kind, t) in kinds)
        {
            bool sr = kind.StartsWith("SR", StringComparison.Ordinal);
            var grad = (sr ? gradSr : gradRaw).GetValueOrDefault(t) ?? throw new AssertionException($"{kind}: no gradient");
            var theta = t.ToArray();
            var dir = theta.Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
            double dirRms = Math.Sqrt(dir.Sum(v => (double)v * v) / dir.Length);
            for (int i = 0; i < dir.Length; i++) dir[i] = (float)(dir[i] / dirRms);
            double analytic = grad.Zip(dir, (g, d) => (double)g * d).Sum();
            double norm = Math.Sqrt(theta.Sum(v => (double)v * v) / theta.Length);
            // Float32 forward passes put a noise floor under small steps and the random model's kinks and clamps
            // bend large ones, so the best of three step sizes is used; a wrong gradient fails at all of them.
            double rel = double.PositiveInfinity, numeric = double.NaN;
            foreach (var scale in new[] { 1e-2, 3e-3, 1e-3 })
            {
                float eps = (float)(scale * Math.Max(1.0, norm));
                t.AssignFrom(theta.Zip(dir, (v, d) => v + eps * d).ToArray()); double lp = HostLoss(sr);
                t.AssignFrom(theta.Zip(dir, (v, d) => v - eps * d).ToArray()); double lm = HostLoss(sr);
                t.AssignFrom(theta);
                double fd = (lp - lm) / (2 * eps);
                double r = Math.Abs(fd - analytic) / Math.Max(1e-6, Math.Abs(analytic));
                if (r < rel) { rel = r; numeric = fd; }
            }
            worst = Math.Max(worst, rel);
            TestContext.Out.WriteLine($"{kind,-36} analytic {analytic,12:E4}  numeric {numeric,12:E4}  rel err {rel:E2}");
            Assert.That(rel, Is.LessThan(3e-2), kind);
        }
        TestContext.Out.WriteLine($"max relative error {worst:E2}");
    }

    static LoraFactors Factor(LoraNetwork l, string name) => l.Factors.Single(f => f.Name == name);
}

// LoRA structure: trainable counts on the full ffhq512-128 config (My3DGen's 243,965 at r = 1), shapes
// of the factors, zero delta at init, merge ≡ on-the-fly adapter, detach restores the base.
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Backends.Cpu;
using My3DGen.Engine.Tensors;
using Cameras = My3DGen.Models.Cameras;
using My3DGen.Models.Lora;
using My3DGen.Personalization.Lora;
using My3DGen.Models;
using My3DGen.Models.Eg3d;

namespace My3DGen.Personalization.Tests;

public class LoraNetworkTests
{
    [Test]
    public void FullConfigCountsMatchMy3DGen()
    {
        var gen = Eg3dGenerator.CreateRandom(Eg3dConfig.Ffhq512, 0, CpuBackend.Instance);
        using (var lora = new LoraNetwork(gen, new LoraOptions(1, 1f), trainDecoder: false))
        {
            TestContext.Out.WriteLine($"r=1: LoRA {lora.LoraParameterCount}, trainable {lora.TrainableCount}");
            Assert.That(lora.LoraParameterCount, Is.EqualTo(219_174));
            Assert.That(lora.TrainableCount, Is.EqualTo(243_965));
        }
        using (var lora = new LoraNetwork(gen, new LoraOptions(1, 1f), trainDecoder: true))
            Assert.That(lora.TrainableCount, Is.EqualTo(243_965 + 4_257));
        using (var lora = new LoraNetwork(gen, new LoraOptions(2, 1f), trainDecoder: false))
            Assert.That(lora.TrainableCount, Is.EqualTo(463_139));
        using (var lora = new LoraNetwork(gen, new LoraOptions(4, 1f), trainDecoder: false))
            Assert.That(lora.TrainableCount, Is.EqualTo(901_487));
        var conv = gen.Backbone.Blocks[0].Conv1;
        using var l1 = new LoraNetwork(gen, new LoraOptions(1, 16f), false);
        var f = l1.Factors.First(x => x.Name == conv.Name);
        Assert.That(f.A.Shape, Is.EqualTo(new[] { 3, 9 * 512 }));
        Assert.That(f.B.Shape, Is.EqualTo(new[] { 512, 3 }));
        Assert.That(f.Scaling, Is.EqualTo(16f));
    }

    [Test]
    public void ZeroAtInitMergeMatchesAdapterAndDetachRestores()
    {
        var be = CpuBackend.Instance;
        var gen = Eg3dGenerator.CreateRandom(Eg3dConfig.Tiny, 3, be);
        using var scope = TensorScope.Begin();
        var ws = gen.Mapping(Tensor.Randn(be, new Random(1), [1, 512]), Cameras.CameraLabel.ToTensor(be, Cameras.CameraLabel.Create(0f, 0f)));
        var cam = Cameras.CameraLabel.ToTensor(be, Cameras.CameraLabel.Create(0f, 0f));
        var opts = new SynthesisOptions { Deterministic = true };
        float[] Render() { using var ng = GradMode.NoGrad(); return gen.Synthesize(ws, cam, opts).Image.ToArray(); }
        var baseImage = Render();

        string hash = ModelHash.Compute(gen);
        using var lora = new LoraNetwork(gen, new LoraOptions(2, 4f, Seed: 5), trainDecoder: true);
        Assert.That(Render(), Is.EqualTo(baseImage), "B = 0 at init: the adapted model equals the base");

        var rng = new Random(9);
        foreach (var fct in lora.Factors) fct.B.AssignFrom(Enumerable.Range(0, (int)fct.B.Numel).Select(_ => (float)(rng.NextDouble() - 0.5) * 0.05f).ToArray());
        var adapted = Render();
        double change = adapted.Zip(baseImage, (a, b) => Math.Abs(a - b)).Max();
        Assert.That(change, Is.GreaterThan(1e-3), "a non-zero adapter changes the image");
        lora.Merge();
        var merged = Render();
        double err = merged.Zip(adapted, (a, b) => Math.Abs(a - b)).Max();
        TestContext.Out.WriteLine($"merged vs on-the-fly adapter: max abs diff {err:E2} (adapter changed image by {change:E2})");
        Assert.That(err, Is.LessThan(1e-4));
        lora.Unmerge();
        Assert.That(Render().Zip(adapted, (a, b) => Math.Abs(a - b)).Max(), Is.LessThan(1e-4), "unmerge restores the adapter path");
        lora.Detach();
        Assert.That(Render(), Is.EqualTo(baseImage), "detach restores the base bit for bit");
        Assert.That(ModelHash.Compute(gen), Is.EqualTo(hash), "merge + unmerge leaves no rounding in the weights (adapter files check this hash)");
    }
}

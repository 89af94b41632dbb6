// Applying an adapter file always returns an IDisposable handle, for LoRA files and full fine-tuning files alike, and
// disposing it restores the base model bit for bit; a generator carries one LoRA set at a time.
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Tensors;
using My3DGen.Models;
using My3DGen.Models.Cameras;
using My3DGen.Models.Lora;
using My3DGen.Personalization.Lora;

namespace My3DGen.Personalization.Tests;

public class AdapterApplyTests
{
    static float[] Render(Eg3dGenerator gen)
    {
        using var ng = GradMode.NoGrad();
        using var scope = TensorScope.Begin();
        var be = gen.Backend;
        var ws = gen.Mapping(Tensor.Randn(be, new Random(1), [1, 512]), CameraLabel.ToTensor(be, CameraLabel.Create(0f, 0f)));
        return gen.Synthesize(ws, CameraLabel.ToTensor(be, CameraLabel.Create(0.2f, 0f)), new SynthesisOptions()).Image.ToArray();
    }

    static void Perturb(TrainableSet set)
    {
        var rng = new Random(4);
        foreach (var (_, t) in set.Named)
            t.AssignFrom(t.ToArray().Select(v => v + (float)(rng.NextDouble() - 0.5) * 0.05f).ToArray());
    }

    [TestCase(false)]
    [TestCase(true)]
    public void ApplyThenDisposeRestoresTheBaseExactly(bool fullFineTune)
    {
        using var gen = TinyGenerators.Create(11);
        var baseHash = ModelHash.Compute(gen);
        var baseImage = Render(gen);
        var path = Path.Combine(Path.GetTempPath(), $"my3dgen-test-{Guid.NewGuid():N}.lora.safetensors");
        float[] trainedImage;
        using (var set = new TrainableSet(gen, fullFineTune ? null : new LoraOptions(1, 1f, 3), trainDecoder: true))
        {
            Perturb(set);
            trainedImage = Render(gen);
            AdapterFile.Save(set, path);
        }
        Assert.That(ModelHash.Compute(gen), Is.EqualTo(baseHash), "disposing the trained set restores the base");
        using (IDisposable applied = AdapterFile.Apply(gen, path))
        {
            var image = Render(gen);
            Assert.That(image.Zip(trainedImage, (a, b) => Math.Abs(a - b)).Max(), Is.LessThan(1e-5), "the applied adapter reproduces the trained model");
            Assert.That(image.Zip(baseImage, (a, b) => Math.Abs(a - b)).Max(), Is.GreaterThan(1e-3), "the adapter changes the image");
            Assert.That(gen.AttachedLora, fullFineTune ? Is.Null : Is.Not.Null);
        }
        Assert.That(gen.AttachedLora, Is.Null);
        Assert.That(ModelHash.Compute(gen), Is.EqualTo(baseHash), "every base tensor is restored");
        Assert.That(Render(gen), Is.EqualTo(baseImage), "the base renders bit for bit as before");
        File.Delete(path);
    }

    [Test]
    public void OneLoraSetPerGenerator()
    {
        using var gen = TinyGenerators.Create(12);
        using (var first = new LoraNetwork(gen, new LoraOptions(), trainDecoder: false))
        {
            Assert.That(gen.AttachedLora, Is.SameAs(first));
            Assert.Throws<InvalidOperationException>(() => new LoraNetwork(gen, new LoraOptions(), trainDecoder: false));
        }
        using var second = new LoraNetwork(gen, new LoraOptions(2), trainDecoder: false);
        Assert.That(gen.AttachedLora, Is.SameAs(second));
    }
}

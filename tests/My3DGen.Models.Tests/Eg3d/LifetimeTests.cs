// Generator lifetime: Dispose releases every weight tensor and any attached LoRA set, and is idempotent.
using My3DGen.Engine.Backends.Cpu;
using My3DGen.Models.Eg3d;
using My3DGen.Models.Lora;

namespace My3DGen.Models.Tests.Eg3d;

public class LifetimeTests
{
    [Test]
    public void DisposeReleasesWeightsAndTheAttachedLoraSet()
    {
        var gen = Eg3dGenerator.CreateRandom(Eg3dConfig.Tiny, 1, CpuBackend.Instance);
        var lora = new LoraNetwork(gen, new LoraOptions(), trainDecoder: false);
        Assert.That(gen.AttachedLora, Is.SameAs(lora));
        gen.Dispose();
        Assert.That(gen.AttachedLora, Is.Null);
        Assert.That(gen.Tensors.All(kv => kv.Value.IsDisposed), "every weight tensor is released");
        Assert.That(lora.Factors.All(f => f.A.IsDisposed && f.B.IsDisposed), "the LoRA factors are released");
        Assert.DoesNotThrow(gen.Dispose);
    }
}

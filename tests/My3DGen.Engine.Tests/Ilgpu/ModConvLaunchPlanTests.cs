// The modulated-conv launch plan at full size without running kernels: every EG3D ffhq512-128 modulated-conv layer
// (backbone and super-resolution, LoRA rank 1, full fine-tuning gradients) through the counting backend for batch 1–8
// stays inside grid Y/Z 65,535 and int32; plans cut z and split the pixel reduction when needed; big spans are flagged.
using My3DGen.Engine.Backends;
using My3DGen.Engine.Backends.Counting;
using My3DGen.Engine.Backends.Ilgpu;
using My3DGen.Kernels;

namespace My3DGen.Engine.Tests.Ilgpu;

public class ModConvLaunchPlanTests
{
    /// <summary>(name, in, out, input side, K, up, ToRGB-style epilogue) of every EG3D modulated conv.</summary>
    static IEnumerable<(string Name, int I, int O, int H, int K, int Up, bool Rgb)> Eg3dLayers()
    {
        yield return ("b4.conv1", 512, 512, 4, 3, 1, false);
        yield return ("b4.torgb", 512, 96, 4, 1, 1, true);
        foreach (var (res, cin, cout) in new[] { (8, 512, 512), (16, 512, 512), (32, 512, 512), (64, 512, 512), (128, 512, 256), (256, 256, 128) })
        {
            yield return ($"b{res}.conv0", cin, cout, res / 2, 3, 2, false);
            yield return ($"b{res}.conv1", cout, cout, res, 3, 1, false);
            yield return ($"b{res}.torgb", cout, 96, res, 1, 1, true);
        }
        yield return ("sr.block0.conv0", 32, 256, 128, 3, 2, false);
        yield return ("sr.block0.conv1", 256, 256, 256, 3, 1, false);
        yield return ("sr.block0.torgb", 256, 3, 256, 1, 1, true);
        yield return ("sr.block1.conv0", 256, 128, 256, 3, 2, false);
        yield return ("sr.block1.conv1", 128, 128, 512, 3, 1, false);
        yield return ("sr.block1.torgb", 128, 3, 512, 1, 1, true);
    }

    static ModConvGeometry Layer(int n, (string Name, int I, int O, int H, int K, int Up, bool Rgb) l) => new()
    {
        N = n, I = l.I, O = l.O, H = l.H, W = l.H, K = l.K, Up = l.Up, Rank = l.K == 3 ? 3 : 1, Adapters = 2, LoraScale = 1f,
        Gain = l.Rgb ? 1f : MathF.Sqrt(2), Slope = l.Rgb ? 1f : 0.2f, Clamp = 256f, HasBias = true,
        Noise = l.Rgb ? ModConvNoise.None : ModConvNoise.Shared,
    };

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(4)]
    [TestCase(8)]
    public void Eg3dLayers_WithGradients_StayInsideTheDeviceLimits(int batch)
    {
        var be = new CountingBackend();
        double forwardMacs = 0;
        foreach (var l in Eg3dLayers())
        {
            var g = Layer(batch, l);
            forwardMacs += g.ForwardMacs;
            RunAll(be, g);
        }
        var c = be.Counts;
        Assert.That(c.Violations, Is.Empty, string.Join("\n", c.Violations));
        Assert.That(c.MaxGridY, Is.LessThanOrEqualTo(DeviceLimits.MaxGridYZ));
        Assert.That(c.MaxGridZ, Is.LessThanOrEqualTo(DeviceLimits.MaxGridYZ));
        Assert.That(c.MaxIndexRange, Is.LessThanOrEqualTo(DeviceLimits.MaxLinearCount));
        double forward = c.FlopsByOp[nameof(IBackend.ModConvForward)];
        TestContext.Out.WriteLine($"batch {batch}: forward {forward / batch / 1e9:F1} GFLOP per image (2·ForwardMacs {2 * forwardMacs / batch / 1e9:F1}), " +
            $"backward data {c.FlopsByOp[nameof(IBackend.ModConvBackwardData)] / batch / 1e9:F1}, weights {c.FlopsByOp[nameof(IBackend.ModConvBackwardWeights)] / batch / 1e9:F1}; " +
            $"launches {string.Join(", ", c.LaunchesByOp.Where(kv => kv.Key.StartsWith("ModConv")).Select(kv => $"{kv.Key} {kv.Value}"))}; max grid Z {c.MaxGridZ}");
        // The kernels do the conv's own MACs (plus the up layers' border taps and the epilogue), nothing like 4× for the ×2 up.
        Assert.That(forward, Is.InRange(2 * forwardMacs, 1.1 * 2 * forwardMacs));
    }

    /// <summary>Every primitive of one layer with full fine-tuning and LoRA gradients, as a training step issues them.</summary>
    static void RunAll(CountingBackend be, in ModConvGeometry g)
    {
        var x = be.Allocate(g.InputLength); var s = be.Allocate((long)g.N * g.I); var w = be.Allocate(g.WeightLength);
        var lora = new ModConvLora(be.Allocate(g.LoraALength), be.Allocate(g.LoraBLength), be.Allocate(g.N), be.Allocate(g.HiddenLength));
        var epi = new ModConvEpilogueInputs(be.Allocate((long)g.N * g.O), be.Allocate(g.O), be.Allocate((long)g.EH * g.EW), be.Allocate(1));
        var raw = be.Allocate(g.RawLength); var y = be.Allocate(g.OutputLength);
        var rows = new[] { be.Allocate((long)g.N * g.O), be.Allocate((long)g.N * g.O), be.Allocate((long)g.N * g.O) };
        be.ModConvForward(g, x, s, w, lora, epi, raw, g.EpilogueFusable ? y : null);
        if (!g.EpilogueFusable) be.ModConvEpilogue(g, y, epi, y);
        be.ModConvEpilogueBackward(g, y, y, epi, y, rows[0], rows[1], rows[2]);
        be.ModConvBackwardData(g, raw, w, lora, x);
        be.ModConvBackwardWeights(g, raw, x, s, lora, w, lora.A, lora.B);
    }

    [Test]
    public void Plan_CutsZBeyondTheGridLimit()
    {
        // 20,000 samples × 4 parity classes = 80,000 z: two forward launches per pass; the factor gradient's z (samples ×
        // chunks × classes) is cut the same way. Plan only: nothing is allocated.
        var g = new ModConvGeometry { N = 20_000, I = 4, O = 8, H = 4, W = 4, K = 3, Up = 2, Rank = 3, Adapters = 2, LoraScale = 1f, Gain = 1f, Slope = 1f };
        var forward = ModConvLaunchPlan.Forward(g, true, null, DeviceLimits.MaxGridYZ).Where(l => l.Step == ModConvStep.Forward).ToList();
        Assert.That(forward, Has.Count.EqualTo(2));
        Assert.That(forward.Sum(l => l.Grid.Z), Is.EqualTo(80_000));
        Assert.That(forward[1].Pass.Z0, Is.EqualTo(DeviceLimits.MaxGridYZ), "the second launch starts at z 65,535");
        var weights = ModConvLaunchPlan.BackwardWeights(g, true, true, true, 0, 2, DeviceLimits.MaxGridYZ, out long partial)
            .Where(l => l.Step == ModConvStep.WeightGrad).ToList();
        Assert.That(weights.Sum(l => (long)l.Grid.Z), Is.EqualTo(20_000L * 2 * 4));
        Assert.That(weights.Max(l => l.Grid.Z), Is.LessThanOrEqualTo(DeviceLimits.MaxGridYZ));
        Assert.That(partial, Is.EqualTo(20_000L * 2 * (8 + 3) * 4 * 9));
    }

    [Test]
    public void Plan_SplitsTheFactorGradientOfLargeImagesAcrossTheDevice()
    {
        // SR block1 conv1 at batch 1: 2×3 output tiles only, so the 512² pixel reduction is split into chunks.
        var g = Layer(1, ("sr.block1.conv1", 128, 128, 512, 3, 1, false));
        var launches = ModConvLaunchPlan.BackwardWeights(g, true, false, false, 132 * 8, 0, DeviceLimits.MaxGridYZ, out _);
        var grad = launches.Single(l => l.Step == ModConvStep.WeightGrad);
        Assert.That(grad.Pass.Chunks, Is.GreaterThan(1));
        Assert.That(grad.Grid.X * grad.Grid.Y * grad.Grid.Z, Is.GreaterThanOrEqualTo(132 * 8));
        Assert.That((long)grad.Pass.Chunks * grad.Pass.ChunkPixels, Is.GreaterThanOrEqualTo(512L * 512));
    }

    [Test]
    public void Counting_FlagsPerSampleSpansBeyondInt32()
    {
        var be = new CountingBackend();
        var g = new ModConvGeometry { N = 1, I = 512, O = 4, H = 2100, W = 2100, K = 1, Up = 1, Gain = 1f, Slope = 1f };
        var x = be.Allocate(g.InputLength); var s = be.Allocate(g.I); var w = be.Allocate(g.WeightLength); var raw = be.Allocate(g.RawLength);
        be.ModConvForward(g, x, s, w, null, null, raw, null);
        Assert.That(be.Counts.Violations, Has.Count.EqualTo(1).And.Some.Contains("exceeds int32"));
    }
}

// EG3D's ×2 up-conv (stride-2 transposed 3×3 conv + [1,3,3,1] FIR) against the previous sub-pixel form (four parity
// kernels of the composed weights), which the fixture tests proved equal to PyTorch: output and the gradients of x,
// weight, styles and bias, for the plain modulated conv (demodulated at the weights and at the output, batch 1 and 2)
// and the low-rank (fused LoRA) conv, on the managed CPU backend and ILGPU's CPU accelerator.
using My3DGen.Engine.Backends;
using My3DGen.Engine.Tensors;
using My3DGen.Models.Synthesis;

namespace My3DGen.Models.Tests.Synthesis;

[NonParallelizable]
public class UpConvPathTests
{
    static readonly Lazy<IBackend> Ilgpu = new(() => DeviceSelector.Create("ilgpu-cpu"));

    static IBackend Backend(string name) => name == "cpu" ? DeviceSelector.Create("cpu") : Ilgpu.Value;

    //        backend  N  I  O  H  W  (H·W·4 < I·9 → demodulation applied to the output)
    [TestCase("cpu", 1, 5, 4, 6, 7)]
    [TestCase("cpu", 2, 3, 6, 5, 4)]
    [TestCase("cpu", 2, 40, 8, 3, 3)]
    [TestCase("ilgpu-cpu", 2, 3, 4, 5, 4)]
    [TestCase("ilgpu-cpu", 1, 24, 3, 2, 3)]
    public void ModulatedUpConvMatchesSubPixelForm(string backend, int n, int inC, int o, int h, int w)
    {
        var be = Backend(backend);
        var rng = new Random(n * 31 + inC);
        var results = new List<float[]>[2];
        foreach (var path in new[] { UpConvPath.SubPixel, UpConvPath.Transposed })
        {
            using var scope = TensorScope.Begin();
            using var _ = ModulatedConv2d.UsePath(path);
            var inputs = GradProbe.Inputs(be, new Random(7), [n, inC, h, w], [o, inC, 3, 3], [n, inC], [o]);
            var y = ModulatedConv2d.Forward(inputs[0], inputs[1], inputs[2], demodulate: true, up: 2, inputs[3], gain: 1.4f);
            Assert.That(y.Shape, Is.EqualTo(new[] { n, o, 2 * h, 2 * w }));
            results[(int)path] = GradProbe.Backprop(y, inputs, new Random(3));
        }
        Compare(results[(int)UpConvPath.SubPixel], results[(int)UpConvPath.Transposed], ["y", "gx", "gweight", "gstyles", "gbias"]);
    }

    [TestCase("cpu", 1, 5, 4, 6, 7)]
    [TestCase("cpu", 2, 3, 6, 5, 4)]
    [TestCase("ilgpu-cpu", 2, 3, 4, 4, 5)]
    public void LowRankUpConvMatchesSubPixelForm(string backend, int n, int inC, int o, int h, int w)
    {
        var be = Backend(backend);
        const int r = 2;
        var results = new List<float[]>[2];
        foreach (var path in new[] { UpConvPath.SubPixel, UpConvPath.Transposed })
        {
            using var scope = TensorScope.Begin();
            using var _ = ModulatedConv2d.UsePath(path);
            var t = GradProbe.Inputs(be, new Random(11), [n, inC, h, w], [o, inC, 3, 3], [r, inC * 9], [o, r], [n, inC], [o]);
            var y = LowRankModulatedConv.Forward(t[0], t[1], t[2], t[3], 1.5f, t[4], demodulate: true, up: 2, t[5], gain: 1.4f);
            results[(int)path] = GradProbe.Backprop(y, t, new Random(3));
        }
        Compare(results[(int)UpConvPath.SubPixel], results[(int)UpConvPath.Transposed], ["y", "gx", "gweight", "gA", "gB", "gstyles", "gbias"]);
    }

    static void Compare(List<float[]> reference, List<float[]> actual, string[] names)
    {
        for (int k = 0; k < reference.Count; k++)
        {
            double max = reference[k].Max(v => Math.Abs((double)v)), err = 0;
            for (int i = 0; i < reference[k].Length; i++) err = Math.Max(err, Math.Abs((double)reference[k][i] - actual[k][i]));
            TestContext.Out.WriteLine($"{names[k]}: max |Δ| {err:E2} (max |ref| {max:E2})");
            Assert.That(err, Is.LessThanOrEqualTo(1e-5 * Math.Max(1, max)), $"{names[k]} differs between the up-conv paths");
        }
    }
}

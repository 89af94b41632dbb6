// The synthesis layer on the modulated-conv kernel family (ModConvKernelRoute: demodulation without ΔW, adapter inside the
// kernel, epilogue fused) against the composed reference path (per-sample weights + separate noise, bias, leaky ReLU and
// clamp ops): output and every gradient, plain and ×2 up, with and without a low-rank adapter; and a batch whose samples
// use different adapters of one stack against each sample run alone with its own adapter.
using My3DGen.Engine.Backends;
using My3DGen.Engine.Ops;
using My3DGen.Engine.Tensors;
using My3DGen.Models.Nn;
using My3DGen.Models.Synthesis;

namespace My3DGen.Models.Tests.Synthesis;

[NonParallelizable]
public class KernelRouteTests
{
    static readonly Lazy<IBackend> Ilgpu = new(() => DeviceSelector.Create("ilgpu-cpu"));
    static IBackend Backend(string name) => name == "cpu" ? DeviceSelector.Create("cpu") : Ilgpu.Value;

    sealed class Adapter(Tensor a, Tensor b, float scaling) : ILowRankConvAdapter
    {
        public Tensor A => a;
        public Tensor B => b;
        public float Scaling => scaling;
        public FusedLoraMode Fused => FusedLoraMode.Always;
        public Tensor? WeightDelta(Tensor rawWeight) => (b.MatMul(a) * scaling).Reshape(rawWeight.Shape);
        public Tensor? OutputDelta(Tensor input, Tensor output) => null;
    }

    //        backend      N  I  O  H  W  up rows clamp
    [TestCase("cpu", 1, 5, 4, 6, 7, 1, 0, 0f)]
    [TestCase("cpu", 2, 5, 4, 6, 7, 1, 2, 0.9f)]
    [TestCase("cpu", 2, 3, 6, 5, 4, 2, 3, 0f)]
    [TestCase("cpu", 1, 4, 3, 3, 3, 2, 0, 0.9f)]
    [TestCase("ilgpu-cpu", 2, 3, 4, 4, 5, 1, 2, 0.9f)]
    [TestCase("ilgpu-cpu", 2, 3, 4, 3, 4, 2, 3, 0f)]
    public void KernelRouteMatchesComposedLayer(string backend, int n, int inC, int o, int h, int w, int up, int rows, float clamp)
    {
        var be = Backend(backend);
        const float gain = 1.41421356f, scaling = 0.8f;
        var results = new List<float[]>[2];
        string[] names = rows > 0 ? ["y", "gx", "gweight", "gstyles", "gbias", "gnoise", "gstrength", "gA", "gB"]
                                  : ["y", "gx", "gweight", "gstyles", "gbias", "gnoise", "gstrength"];
        foreach (var route in new[] { ModConvRoute.Composed, ModConvRoute.Kernels })
        {
            using var scope = TensorScope.Begin();
            var shapes = new List<int[]> { new[] { n, inC, h, w }, new[] { o, inC, 3, 3 }, new[] { n, inC }, new[] { o }, new[] { h * up, w * up }, new[] { 1 } };
            if (rows > 0) { shapes.Add([rows, inC * 9]); shapes.Add([o, rows]); }
            var t = GradProbe.Inputs(be, new Random(5), shapes.ToArray());
            var adapter = rows > 0 ? new Adapter(t[6], t[7], scaling) : null;
            var strength = t[5].Reshape([]);
            Tensor y;
            if (route == ModConvRoute.Kernels)
                y = ModConvKernelRoute.Forward(t[0], t[1], adapter, t[2], demodulate: true, up, t[3], gain, 0.2f, clamp > 0 ? clamp : null, t[4], strength);
            else
            {
                y = adapter != null
                    ? LowRankModulatedConv.Forward(t[0], t[1], adapter.A, adapter.B, scaling, t[2], true, up, t[3] * gain, gain)
                    : ModulatedConv2d.Forward(t[0], t[1], t[2], true, up, t[3] * gain, gain);
                y = (y + t[4] * (strength * gain)).LeakyRelu(0.2f);
                if (clamp > 0) y = y.Clamp(-clamp, clamp);
            }
            results[(int)route] = GradProbe.Backprop(y, [t[0], t[1], t[2], t[3], t[4], t[5], .. t.Skip(6)], new Random(3));
        }
        Compare(results[0], results[1], names, 2e-5);
    }

    [TestCase("cpu", 1)]
    [TestCase("cpu", 2)]
    [TestCase("ilgpu-cpu", 2)]
    public void PerSampleAdaptersMatchSeparateRuns(string backend, int up)
    {
        var be = Backend(backend);
        const int n = 3, inC = 4, o = 5, h = 4, w = 3, q = 3;
        int[] index = [1, 0, 1];
        using var scope = TensorScope.Begin();
        var t = GradProbe.Inputs(be, new Random(9), [n, inC, h, w], [o, inC, 3, 3], [n, inC], [o], [2, q, inC, 3, 3], [2, o, q]);
        Tensor Run(Tensor x, Tensor s, int[] idx)
        {
            var lora = new ModConvAdapters(t[4], t[5], idx, 0.5f);
            var d = DemodulationCoefficients.Compute(t[1], s, lora);
            return ModulatedConvolution.Forward(x, s, t[1], up, lora, new ModConvEpilogue(d, t[3], null, null, 1.41421356f, 0.2f));
        }
        var batch = Run(t[0], t[2], index).ToArray();
        int per = batch.Length / n;
        for (int i = 0; i < n; i++)
        {
            var alone = Run(t[0].Slice(0, i, 1), t[2].Slice(0, i, 1), [index[i]]).ToArray();
            double err = 0, max = 0;
            for (int e = 0; e < per; e++) { err = Math.Max(err, Math.Abs(alone[e] - batch[i * per + e])); max = Math.Max(max, Math.Abs(alone[e])); }
            TestContext.Out.WriteLine($"sample {i} (adapter {index[i]}): max |Δ| {err:E2} (max |y| {max:E2})");
            Assert.That(err, Is.LessThanOrEqualTo(1e-6 * Math.Max(1, max)), $"sample {i} differs from its own adapter run alone");
        }
        // And the adapters matter: sample 0 with adapter 0 instead of 1 is a different picture.
        var swapped = Run(t[0].Slice(0, 0, 1), t[2].Slice(0, 0, 1), [0]).ToArray();
        Assert.That(swapped.Zip(batch.Take(per)).Max(p => Math.Abs(p.First - p.Second)), Is.GreaterThan(1e-3));
    }

    static void Compare(List<float[]> reference, List<float[]> actual, string[] names, double tol)
    {
        for (int k = 0; k < reference.Count; k++)
        {
            double max = reference[k].Max(v => Math.Abs((double)v)), err = 0;
            for (int i = 0; i < reference[k].Length; i++) err = Math.Max(err, Math.Abs((double)reference[k][i] - actual[k][i]));
            TestContext.Out.WriteLine($"{names[k]}: max |Δ| {err:E2} (max |ref| {max:E2})");
            Assert.That(err, Is.LessThanOrEqualTo(tol * Math.Max(1, max)), $"{names[k]} differs between the composed and the kernel route");
        }
    }
}

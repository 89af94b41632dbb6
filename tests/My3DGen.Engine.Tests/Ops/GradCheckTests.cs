// Finite-difference gradient checks on every test backend: for every differentiable op case, the
// autograd gradient of L = Σ r·f(x) (random r) matches central differences of L computed in double on the host.
using My3DGen.Engine.Backends;
using My3DGen.Engine.Tensors;
using My3DGen.Engine.Tests.Support;

namespace My3DGen.Engine.Tests.Ops;

public class GradCheckTests
{
    public static IEnumerable<TestCaseData> Cases() =>
        from b in TestBackends.All()
        from c in OpCases.All()
        where c.Differentiable
        select new TestCaseData(b, c).SetName($"GradCheck({c}, {b.Kind})");

    [TestCaseSource(nameof(Cases))]
    public void MatchesFiniteDifferences(IBackend backend, OpCase c) => Check(backend, c);

    /// <summary>On backends other than the managed CPU (the ILGPU CPU accelerator runs every kernel on
    /// simulated GPU threads), at most this many evenly spaced coordinates per input are differenced.</summary>
    const int MaxProbesOffManagedCpu = 24;

    public static void Check(IBackend backend, OpCase c, double tolerance = 1e-2)
    {
        using var scope = TensorScope.Begin();
        var data = c.MakeInputs(seed: 99);
        var rng = new Random(5);
        var inputs = data.Select((d, i) => { var t = Tensor.FromArray(backend, d, c.Shapes[i]); t.RequiresGrad = true; return t; }).ToArray();
        var y0 = c.Forward(inputs);
        var r = Enumerable.Range(0, (int)y0.Numel).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var rt = Tensor.FromArray(backend, r, y0.Shape);
        (y0 * rt).Sum().Backward();

        double Loss(float[][] xs)
        {
            using var s = TensorScope.Begin();
            using var ng = Autograd.GradMode.NoGrad();
            var ts = xs.Select((d, i) => Tensor.FromArray(backend, d, c.Shapes[i])).ToArray();
            var y = c.Forward(ts).ToArray();
            double l = 0;
            for (int i = 0; i < y.Length; i++) l += (double)y[i] * r[i];
            return l;
        }

        float eps = c.GradEps;
        double worst = 0;
        for (int k = 0; k < inputs.Length; k++)
        {
            var analytic = inputs[k].Grad?.ToArray() ?? new float[data[k].Length];
            double num2 = 0, diff2 = 0;
            int n = data[k].Length;
            int stride = backend.Kind == BackendKind.ManagedCpu ? 1 : Math.Max(1, n / MaxProbesOffManagedCpu);
            for (int i = stride / 2; i < n; i += stride)
            {
                float orig = data[k][i];
                data[k][i] = orig + eps; double lp = Loss(data);
                data[k][i] = orig - eps; double lm = Loss(data);
                data[k][i] = orig;
                double numeric = (lp - lm) / (2 * eps);
                num2 += numeric * numeric;
                diff2 += (numeric - analytic[i]) * (numeric - analytic[i]);
            }
            double rel = Math.Sqrt(diff2) / Math.Max(1e-6, Math.Sqrt(num2));
            worst = Math.Max(worst, rel);
            Assert.That(rel, Is.LessThan(tolerance), $"{c}: input {k} gradient relative error {rel:E3}");
        }
        TestContext.Out.WriteLine($"{c} on {backend.Kind}: max relative gradient error {worst:E2}");
    }
}

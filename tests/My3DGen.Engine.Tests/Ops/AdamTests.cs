// Adam against a double-precision transcription of torch.optim.Adam's update rule (incl. betas (0, 0.99)).
using My3DGen.Engine.Backends;
using My3DGen.Engine.Optim;
using My3DGen.Engine.Tensors;
using My3DGen.Engine.Tests.Support;

namespace My3DGen.Engine.Tests.Ops;

public class AdamTests
{
    public static IEnumerable<IBackend> Backends() => TestBackends.All();

    /// <summary>My3DGen's nan_to_num inside the update: a step on NaN/±∞ gradients equals a step on 0/±1e5 (finite values,
    /// even large ones, untouched), and the gradient tensor itself is left as it was.</summary>
    [TestCaseSource(nameof(Backends))]
    public void SanitizingStepEqualsStepOnCleanedGradient(IBackend backend)
    {
        float[] p0 = [0.1f, -0.2f, 0.3f, 0.4f, -0.5f, 0.6f, 0.7f, -0.8f];
        float[] bad = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0.5f, -2f, 3e6f, -1e-3f, 0f];
        float[] clean = [0f, 1e5f, -1e5f, 0.5f, -2f, 3e6f, -1e-3f, 0f];
        float[] Run(float[] g, bool sanitize)
        {
            using var scope = TensorScope.Begin();
            var p = Tensor.FromArray(backend, p0, p0.Length); p.RequiresGrad = true;
            using var opt = new Adam([p], lr: 0.01f) { SanitizeGradients = sanitize };
            for (int step = 0; step < 2; step++)
            {
                p.Grad = Tensor.FromArray(backend, g, g.Length);
                opt.Step();
                if (sanitize) Assert.That(p.Grad.ToArray()[0], Is.NaN, "the gradient tensor is not modified");
                opt.ZeroGrad();
            }
            return p.ToArray();
        }
        Assert.That(Run(bad, sanitize: true), Is.EqualTo(Run(clean, sanitize: false)));
    }

    [TestCaseSource(nameof(Backends))]
    public void MatchesPyTorchRule(IBackend backend)
    {
        var rng = new Random(3);
        int n = 37;
        var p0 = Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        var grads = Enumerable.Range(0, 4).Select(_ => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray()).ToArray();
        foreach (var (b1, b2, wd) in new[] { (0.9, 0.999, 0.0), (0.0, 0.99, 0.0), (0.9, 0.99, 0.01) })
        {
            using var scope = TensorScope.Begin();
            var p = Tensor.FromArray(backend, p0, n); p.RequiresGrad = true;
            using var opt = new Adam([p], lr: 0.002f, beta1: (float)b1, beta2: (float)b2, eps: 1e-8f, weightDecay: (float)wd);
            var rp = p0.Select(v => (double)v).ToArray();
            var m = new double[n]; var v = new double[n];
            for (int step = 1; step <= grads.Length; step++)
            {
                p.Grad = Tensor.FromArray(backend, grads[step - 1], n);
                opt.Step();
                for (int i = 0; i < n; i++)
                {
                    double g = grads[step - 1][i] + wd * rp[i];
                    m[i] = b1 * m[i] + (1 - b1) * g;
                    v[i] = b2 * v[i] + (1 - b2) * g * g;
                    double denom = Math.Sqrt(v[i]) / Math.Sqrt(1 - Math.Pow(b2, step)) + 1e-8;
                    rp[i] -= 0.002 / (1 - Math.Pow(b1, step)) * m[i] / denom;
                }
            }
            Compare.Close(p.ToArray(), rp, 1e-6, 1e-5, $"adam b1={b1} b2={b2} wd={wd}");
        }
    }
}

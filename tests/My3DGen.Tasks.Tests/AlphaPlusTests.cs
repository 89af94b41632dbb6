// The α⁺ projection: its parameterisation (â, w = â·A, R) against an independent double-precision reference, values and
// gradients (central finite differences vs autograd) in the softplus knee; and a short projection on the tiny EG3D
// fixture (the data term falls, rows of â sum to 1 with entries ≥ −β, same result twice, cancellation).
using My3DGen.Engine.Backends.Cpu;
using My3DGen.Engine.Tensors;
using My3DGen.Models;
using My3DGen.Models.Api;
using My3DGen.Models.Perceptual;
using My3DGen.Tasks.Editing;
using My3DGen.Tasks.Inversion;
using My3DGen.Tasks.Latents;
using My3DGen.Tasks.Restoration;

namespace My3DGen.Tasks.Tests;

public sealed class AlphaPlusTests
{
    const int L = 3, N = 4, D = 5;
    static readonly AlphaPlusOptions Small = new() { DeltaLayersToRegularize = 2 };

    /// <summary>f = Σ w ⊙ G + R in double, straight from the formulas of spec §3.2.</summary>
    static double Reference(double[] alpha, double[] deltas, AnchorSet anchors, double[] g, double beta, out double[,] ahat)
    {
        ahat = new double[L, N];
        double f = 0, sum1 = 0, normSum = 0;
        for (int l = 0; l < L; l++)
        {
            double rowPlus = 0, rowSum = 0, norm = 0;
            var t = new double[N];
            for (int n = 0; n < N; n++)
            {
                double ap = alpha[n] + deltas[l * N + n];
                rowPlus += ap;
                double x = ap + beta;
                t[n] = (100 * x > 20 ? x : Math.Log(1 + Math.Exp(100 * x)) / 100) - beta;
                rowSum += t[n];
                norm += deltas[l * N + n] * deltas[l * N + n];
            }
            for (int n = 0; n < N; n++) ahat[l, n] = t[n] / rowSum;
            for (int d = 0; d < D; d++)
            {
                double w = 0;
                for (int n = 0; n < N; n++) w += ahat[l, n] * anchors[n, l, d];
                f += w * g[l * D + d];
            }
            sum1 += (rowPlus - 1) * (rowPlus - 1);
            if (l < Small.DeltaLayersToRegularize) normSum += Math.Sqrt(norm);
        }
        return f + Small.DeltaRegWeight * normSum + Small.SumToOneRegWeight * sum1 / L;
    }

    [Test]
    public void ParameterisationMatchesTheFormulasAndItsGradientsMatchFiniteDifferences()
    {
        var be = CpuBackend.Instance;
        var anchors = TestPerson.RandomWPlus(N, seed: 4, numWs: L, wDim: D);
        var rng = new Random(9);
        // α⁺ + β spread over the softplus knee (|100·x| ≲ 3) and beyond, Δ non-zero so every ‖Δ_l‖ is differentiable.
        var alpha = new[] { 0.35, -0.02, 0.25, 0.4 };
        var deltas = Enumerable.Range(0, L * N).Select(_ => 0.03 * TestPerson.Gaussian(rng)).ToArray();
        var g = Enumerable.Range(0, L * D).Select(_ => TestPerson.Gaussian(rng)).ToArray();

        using var c = new AlphaPlusCoefficients(be, anchors, Small);
        c.Alpha.AssignFrom(alpha.Select(v => (float)v).ToArray());
        c.Deltas.AssignFrom(deltas.Select(v => (float)v).ToArray());
        double expected = Reference(alpha, deltas, anchors, g, 0.03, out var ahat);
        float value;
        using (var scope = TensorScope.Begin())
        {
            var w = c.Latent(c.Constrained());
            var f = (w * Tensor.FromArray(be, g.Select(v => (float)v).ToArray(), 1, L, D)).Sum() + c.Regularization();
            value = f.Item();
            f.Backward();
        }
        Assert.That(value, Is.EqualTo(expected).Within(1e-4 * Math.Abs(expected) + 1e-5));
        var got = c.ConstrainedValues();
        for (int l = 0; l < L; l++)
            for (int n = 0; n < N; n++) Assert.That(got[l, n], Is.EqualTo(ahat[l, n]).Within(1e-5), $"â[{l},{n}]");

        var gradAlpha = c.Alpha.Grad!.ToArray();
        var gradDeltas = c.Deltas.Grad!.ToArray();
        const double h = 1e-6;
        double worst = 0;
        for (int i = 0; i < N; i++)
        {
            var up = (double[])alpha.Clone(); up[i] += h;
            var down = (double[])alpha.Clone(); down[i] -= h;
            double fd = (Reference(up, deltas, anchors, g, 0.03, out _) - Reference(down, deltas, anchors, g, 0.03, out _)) / (2 * h);
            worst = Math.Max(worst, Math.Abs(fd - gradAlpha[i]) / (Math.Abs(fd) + 1));
            Assert.That(gradAlpha[i], Is.EqualTo(fd).Within(2e-3 * (Math.Abs(fd) + 1)), $"dα[{i}]");
        }
        for (int i = 0; i < L * N; i++)
        {
            var up = (double[])deltas.Clone(); up[i] += h;
            var down = (double[])deltas.Clone(); down[i] -= h;
            double fd = (Reference(alpha, up, anchors, g, 0.03, out _) - Reference(alpha, down, anchors, g, 0.03, out _)) / (2 * h);
            worst = Math.Max(worst, Math.Abs(fd - gradDeltas[i]) / (Math.Abs(fd) + 1));
            Assert.That(gradDeltas[i], Is.EqualTo(fd).Within(2e-3 * (Math.Abs(fd) + 1)), $"dΔ[{i}]");
        }
        TestContext.Out.WriteLine($"f = {value:G6} (reference {expected:G6}); worst gradient error {worst:G3} relative to |fd| + 1");
    }

    [Test]
    public void TheDeltaNormHasAZeroGradientAtTheStart()
    {
        var anchors = TestPerson.RandomWPlus(N, seed: 5, numWs: L, wDim: D);
        using var c = new AlphaPlusCoefficients(CpuBackend.Instance, anchors, Small);
        using (var scope = TensorScope.Begin()) c.Regularization().Backward();
        Assert.That(c.Deltas.Grad!.ToArray(), Has.All.EqualTo(0f), "R at α = 1/N, Δ = 0: no NaN from ‖0‖");
        Assert.That(c.Alpha.Grad!.ToArray(), Has.All.EqualTo(0f));
        var a = c.ConstrainedValues();
        Assert.That(a[0, 0], Is.EqualTo(1.0 / N).Within(1e-7));
    }

    [Test, Category("Slow")]
    public void ProjectionLowersTheLossKeepsRowsOnTheSimplexAndIsDeterministic()
    {
        var g = TestPerson.Tiny;
        var anchors = TestPerson.CloseAnchors(4, seed: 7);
        var cam = RenderViews.FromYawPitch(g, [0.2f], [0f])[0].Label;
        var truth = new AlphaLatent(anchors, Weights([0.6, 0.1, 0.1, 0.2])).ToWs();
        float[] photo;
        using (var t = PivotalTuner.RenderPivot(g, truth, cam)) photo = t.ToArray();
        using var alex = Lpips.CreateRandom(LpipsNet.Alex, 2, CpuBackend.Instance);
        AlphaPlusResult Project(int steps)
        {
            using var p = new AlphaPlusProjector(g, alex, anchors, new AlphaPlusOptions { Steps = steps }, IdentityDegradation.Instance, photo, cam);
            return p.Run();
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var r = Project(5);
        TestContext.Out.WriteLine($"5 steps in {clock.Elapsed.TotalSeconds:F1} s: loss {r.Initial.Total:G4} -> {r.Final.Total:G4} (LPIPS {r.Initial.Lpips:G4} -> {r.Final.Lpips:G4}, " +
            $"MSE {r.Initial.Mse:G4} -> {r.Final.Mse:G4}, R {r.Initial.Regularization:G3} -> {r.Final.Regularization:G3}); history {string.Join(" ", r.LossHistory.Select(v => v.ToString("G4")))}");
        // The data term falls; R jumps at the first step (Adam moves every Δ by about lr: R ≈ 10·12·lr·√N) and then stays bounded.
        Assert.That(r.Final.Lpips + r.Final.Mse, Is.LessThan(0.8 * (r.Initial.Lpips + r.Initial.Mse)));
        Assert.That(r.Final.Regularization, Is.LessThan(2 * 10 * 12 * 5e-3 * Math.Sqrt(anchors.Count)));
        Assert.That(r.LossHistory, Has.Count.EqualTo(5));
        for (int l = 0; l < anchors.NumWs; l++)
        {
            double sum = 0;
            for (int n = 0; n < anchors.Count; n++) { sum += r.Alpha[l, n]; Assert.That(r.Alpha[l, n], Is.GreaterThanOrEqualTo(-0.03 - 1e-3)); }
            Assert.That(sum, Is.EqualTo(1).Within(1e-5), $"row {l}");
        }
        var latent = r.ToAlphaLatent(anchors).ToWs();
        Assert.That(latent.Zip(r.Ws, (a, b) => Math.Abs(a - b)).Max(), Is.LessThan(1e-4), "â reproduces the latent as an AlphaLatent");
        Assert.That(Project(2).Ws, Is.EqualTo(Project(2).Ws), "deterministic");

        using var cancelled = new AlphaPlusProjector(g, alex, anchors, new AlphaPlusOptions(), IdentityDegradation.Instance, photo, cam);
        Assert.Throws<OperationCanceledException>(() => cancelled.Run(cancel: new CancellationToken(true)));
    }

    internal static double[,] Weights(double[] row, int layers = 14)
    {
        var a = new double[layers, row.Length];
        for (int l = 0; l < layers; l++)
            for (int n = 0; n < row.Length; n++) a[l, n] = row[n];
        return a;
    }
}

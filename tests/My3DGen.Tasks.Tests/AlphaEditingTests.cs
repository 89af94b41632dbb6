// α-space editing: the α form reproduces its latent at θ = 0, direction projection (γ = (AAᵀ)⁻¹An, cos(n∥, n)) against an
// independent QR projection, edit.py's θ grid, and the edge policies (STOP skips, CONTINUE keeps, PROJECT gives
// Σα = 1, α ≥ −β and the smallest latent-space distance, checked against the KKT conditions).
using MathNet.Numerics.LinearAlgebra;
using My3DGen.Tasks.Editing;
using My3DGen.Tasks.Latents;

namespace My3DGen.Tasks.Tests;

public class AlphaEditingTests
{
    [Test]
    public void ThetaGridIsEditPys()
    {
        Assert.That(AlphaEditor.MyStyleThetas(), Is.EqualTo(new[] { -2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2 }).Within(1e-12));
        Assert.That(AlphaEditor.MyStyleThetas(10, 15), Has.Length.EqualTo(13));
    }

    [Test]
    public void ThetaZeroReproducesTheStart()
    {
        var anchors = TestPerson.RandomWPlus(5, seed: 7, numWs: 3, wDim: 64);
        var direction = UnitRandom(64, seed: 8);
        var projection = ProjectedDirection.Project(anchors, direction);
        var fromAnchor = AlphaLatent.FromAnchor(anchors, 2);
        var step = AlphaEditor.Edit(fromAnchor, projection, 0, EdgePolicy.Continue);
        Assert.That(step.Ws, Is.EqualTo(anchors.Ws(2)), "an anchor is reproduced bit for bit");

        var rng = new Random(9);
        var latent = Enumerable.Range(0, 3 * 64).Select(_ => (float)TestPerson.Gaussian(rng)).ToArray();   // mostly outside the hull
        var start = AlphaLatent.FromLatent(anchors, latent);
        Assert.That(start.ResidualNorm, Is.GreaterThan(1));
        var ws = AlphaEditor.Edit(start, projection, 0, EdgePolicy.Project).Ws!;
        double err = ws.Zip(latent, (a, b) => Math.Abs(a - b)).Max();
        TestContext.Out.WriteLine($"θ = 0 of a latent outside the hull (residual {start.ResidualNorm:F2}): max |w(0) − w| = {err:E2}");
        Assert.That(err, Is.LessThanOrEqualTo(1e-5));
        for (int l = 0; l < 3; l++) Assert.That(Enumerable.Range(0, 5).Sum(i => start.Alpha[l, i]), Is.EqualTo(1).Within(1e-9));
    }

    [Test]
    public void AlphaOfALatentInTheHullIsItsCoefficients()
    {
        var anchors = TestPerson.RandomWPlus(4, seed: 10, numWs: 2, wDim: 32);
        double[,] alpha = { { 0.2, 0.5, -0.1, 0.4 }, { 0.7, 0.1, 0.1, 0.1 } };
        var ws = new AlphaLatent(anchors, alpha).ToWs();
        var back = AlphaLatent.FromLatent(anchors, ws);
        for (int l = 0; l < 2; l++)
            for (int i = 0; i < 4; i++) Assert.That(back.Alpha[l, i], Is.EqualTo(alpha[l, i]).Within(1e-5));
        Assert.That(back.ResidualNorm, Is.LessThan(1e-4));
    }

    [Test]
    public void ProjectionMatchesAnIndependentQrProjection()
    {
        var anchors = TestPerson.RandomW(6, seed: 11, numWs: 2, wDim: 128);
        var n = UnitRandom(128, seed: 12);
        var p = ProjectedDirection.Project(anchors, n);
        var q = Matrix<double>.Build.DenseOfArray(anchors.LayerMatrix(0)).Transpose().QR().Q.SubMatrix(0, 128, 0, 6);
        var nv = Vector<double>.Build.Dense(128, k => n[k]);
        var par = q * (q.Transpose() * nv);
        double expected = par.DotProduct(nv) / par.L2Norm();
        TestContext.Out.WriteLine($"random unit n in R^128, 6 anchors: cos(n∥, n) = {p.MinCosine:F6} (QR: {expected:F6})");
        Assert.That(p.Cosine, Has.All.EqualTo(expected).Within(1e-9));

        var inSpan = Enumerable.Range(0, 128).Select(k => (float)(0.3 * anchors[1, 0, k] - 0.7 * anchors[4, 0, k])).ToArray();
        var norm = Math.Sqrt(inSpan.Sum(v => (double)v * v));
        var pIn = ProjectedDirection.Project(anchors, inSpan.Select(v => (float)(v / norm)).ToArray());
        Assert.That(pIn.MinCosine, Is.EqualTo(1).Within(1e-6));
        Assert.That(pIn.Gamma[0, 1] / pIn.Gamma[0, 4], Is.EqualTo(-0.3 / 0.7).Within(1e-4));
    }

    [Test]
    public void PoliciesAtTheEdgeOfTheDilatedSpace()
    {
        var anchors = TestPerson.RandomW(5, seed: 13, numWs: 2, wDim: 64);
        var start = AlphaLatent.FromAnchor(anchors, 0);
        var projection = ProjectedDirection.Project(anchors, UnitRandom(64, seed: 14));
        double beta = 0.03;
        var thetas = AlphaEditor.MyStyleThetas(10, 15);
        var cont = AlphaEditor.Sweep(start, projection, thetas, EdgePolicy.Continue, beta);
        var stop = AlphaEditor.Sweep(start, projection, thetas, EdgePolicy.Stop, beta);
        var proj = AlphaEditor.Sweep(start, projection, thetas, EdgePolicy.Project, beta);
        Assert.That(cont.Count(s => s.OutsideDilatedSpace), Is.GreaterThan(0), "the sweep leaves P_β");
        Assert.That(cont.All(s => s.Ws != null && s.Action == "kept"));
        Assert.That(stop.Where(s => s.OutsideDilatedSpace).All(s => s.Ws == null && s.Action == "stopped"));
        Assert.That(stop.Where(s => !s.OutsideDilatedSpace).Select(s => s.Ws), Is.EqualTo(cont.Where(s => !s.OutsideDilatedSpace).Select(s => s.Ws)));
        double worst = double.PositiveInfinity, sumErr = 0;
        foreach (var s in proj.Where(s => s.OutsideDilatedSpace))
        {
            Assert.That(s.Action, Is.EqualTo("projected"));
            for (int l = 0; l < 2; l++)
            {
                var row = Enumerable.Range(0, 5).Select(i => s.Alpha![l, i]).ToArray();
                worst = Math.Min(worst, row.Min());
                sumErr = Math.Max(sumErr, Math.Abs(row.Sum() - 1));
            }
        }
        TestContext.Out.WriteLine($"PROJECT over {proj.Count(s => s.OutsideDilatedSpace)} edits outside P_β: min α = {worst:F6} (−β = {-beta}), max |Σα − 1| = {sumErr:E2}");
        Assert.That(worst, Is.GreaterThanOrEqualTo(-beta - 1e-12));
        Assert.That(sumErr, Is.LessThanOrEqualTo(1e-9));
    }

    [Test]
    public void ProjectSolvesTheConstrainedLeastSquares()
    {
        var anchors = TestPerson.RandomW(6, seed: 15, numWs: 1, wDim: 32);
        var gram = AffineLeastSquares.Gram(anchors.LayerMatrix(0));
        double[] target = [1.4, -0.6, 0.5, -0.2, 0.1, -0.2];   // Σ = 1, two coefficients far below −β
        var alpha = new double[1, 6];
        for (int i = 0; i < 6; i++) alpha[0, i] = target[i];
        var solved = AlphaEditor.ProjectIntoDilatedSpace(anchors, alpha, 0.03);
        var x = Enumerable.Range(0, 6).Select(i => solved[0, i]).ToArray();
        double Objective(double[] v) { double s = 0; for (int i = 0; i < 6; i++) for (int j = 0; j < 6; j++) s += (v[i] - target[i]) * gram[i, j] * (v[j] - target[j]); return s / 2; }
        // KKT: gradient g = G(x − a); on free coordinates g_i = μ, on active ones (x_i = −β) g_i ≥ μ.
        var g = Enumerable.Range(0, 6).Select(i => Enumerable.Range(0, 6).Sum(j => gram[i, j] * (x[j] - target[j]))).ToArray();
        var free = Enumerable.Range(0, 6).Where(i => x[i] > -0.03 + 1e-9).ToArray();
        double mu = free.Average(i => g[i]), scale = g.Max(Math.Abs);
        TestContext.Out.WriteLine($"PROJECT: α* = [{string.Join(", ", x.Select(v => v.ToString("F4")))}], KKT spread {free.Max(i => Math.Abs(g[i] - mu)) / scale:E2} of |g|");
        Assert.That(free.Max(i => Math.Abs(g[i] - mu)), Is.LessThanOrEqualTo(1e-6 * scale));
        Assert.That(Enumerable.Range(0, 6).Except(free).All(i => g[i] >= mu - 1e-6 * scale));
        Assert.That(Objective(x), Is.LessThanOrEqualTo(Objective(DilatedSimplexProjection.ProjectOntoSet(target, 0.03)) + 1e-12));
        Assert.That(x.Min(), Is.GreaterThanOrEqualTo(-0.03 - 1e-12));
        Assert.That(x.Sum(), Is.EqualTo(1).Within(1e-9));
    }

    internal static float[] UnitRandom(int d, int seed)
    {
        var rng = new Random(seed);
        var v = Enumerable.Range(0, d).Select(_ => TestPerson.Gaussian(rng)).ToArray();
        double n = Math.Sqrt(v.Sum(x => x * x));
        return v.Select(x => (float)(x / n)).ToArray();
    }
}

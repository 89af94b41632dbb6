// P0 sampling: every sampled per-layer latent is a convex combination of the anchors (weights recovered independently by
// least squares over all N anchors: ≥ 0 and summing to 1 within 1e-6), K distinct anchors, and seeds reproduce the set.
using MathNet.Numerics.LinearAlgebra;
using My3DGen.Tasks.Latents;

namespace My3DGen.Tasks.Tests;

public class P0SamplerTests
{
    [Test]
    public void EverySampledLayerIsAConvexCombinationOfTheAnchors()
    {
        var anchors = TestPerson.RandomWPlus(7, seed: 1);
        var samples = P0Sampler.Sample(anchors, 40, seed: 2);
        double maxSumError = 0, minWeight = double.PositiveInfinity, maxWeightError = 0;
        for (int l = 0; l < anchors.NumWs; l++)
        {
            var at = Matrix<double>.Build.DenseOfArray(anchors.LayerMatrix(l)).Transpose();   // D × N
            var qr = at.QR();
            foreach (var s in samples)
            {
                var w = Vector<double>.Build.Dense(anchors.WDim, k => s.Ws[l * anchors.WDim + k]);
                var alpha = qr.Solve(w);
                maxSumError = Math.Max(maxSumError, Math.Abs(alpha.Sum() - 1));
                minWeight = Math.Min(minWeight, alpha.Minimum());
                for (int k = 0; k < s.Anchors.Length; k++) maxWeightError = Math.Max(maxWeightError, Math.Abs(alpha[s.Anchors[k]] - s.Weights[k]));
            }
        }
        TestContext.Out.WriteLine($"40 samples × 14 layers, 7 W+ anchors: max |Σα − 1| = {maxSumError:E2}, min α = {minWeight:E2}, max |α − sampled weight| = {maxWeightError:E2}");
        Assert.That(maxSumError, Is.LessThanOrEqualTo(1e-6));
        Assert.That(minWeight, Is.GreaterThanOrEqualTo(-1e-6));
        Assert.That(maxWeightError, Is.LessThanOrEqualTo(1e-6));
        foreach (var s in samples)
        {
            Assert.That(s.Anchors.Distinct().Count(), Is.EqualTo(3));
            Assert.That(s.Weights.Sum(), Is.EqualTo(1).Within(1e-12));
            Assert.That(s.Weights, Has.All.GreaterThanOrEqualTo(0));
        }
    }

    [Test]
    public void SameSeedSameSetOtherSeedOtherSet()
    {
        var anchors = TestPerson.RandomWPlus(5, seed: 3, numWs: 2, wDim: 16);
        var a = P0Sampler.Sample(anchors, 10, seed: 2);
        var b = P0Sampler.Sample(anchors, 10, seed: 2);
        var c = P0Sampler.Sample(anchors, 10, seed: 3);
        for (int i = 0; i < a.Count; i++)
        {
            Assert.That(b[i].Anchors, Is.EqualTo(a[i].Anchors));
            Assert.That(b[i].Weights, Is.EqualTo(a[i].Weights));
            Assert.That(b[i].Ws, Is.EqualTo(a[i].Ws));
        }
        Assert.That(Enumerable.Range(0, 10).Any(i => !c[i].Ws.SequenceEqual(a[i].Ws)));
    }

    [Test]
    public void EveryAnchorIsChosenAndTooFewAnchorsIsAnError()
    {
        var anchors = TestPerson.RandomWPlus(5, seed: 4, numWs: 1, wDim: 8);
        var used = P0Sampler.Sample(anchors, 200).SelectMany(s => s.Anchors).GroupBy(i => i).ToDictionary(g => g.Key, g => g.Count());
        Assert.That(used.Keys, Is.EquivalentTo(Enumerable.Range(0, 5)));
        Assert.That(used.Values.Min(), Is.GreaterThan(80));   // 600 picks over 5 anchors: ≈ 120 each
        var two = TestPerson.RandomWPlus(2, seed: 5, numWs: 1, wDim: 8);
        var ex = Assert.Throws<TaskInputException>(() => P0Sampler.Sample(two, 1))!;
        Assert.That(ex.Message, Does.Contain("3 distinct anchors").And.Contain("only 2"));
    }
}

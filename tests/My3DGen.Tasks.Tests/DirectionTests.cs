// Direction fitting: the dual coordinate descent SVM on a 2-D problem with a known max-margin answer, InterFaceGAN's
// recipe on synthetic separable latents (validation accuracy quoted), and direction files (float32 / float64 .npy).
using My3DGen.Engine.IO;
using My3DGen.Tasks.Editing;

namespace My3DGen.Tasks.Tests;

public class DirectionTests
{
    [Test]
    public void SvmFindsTheMaxMarginNormal()
    {
        // Classes at x = ±1 (any y): the hard-margin normal is (1, 0); C large makes the soft margin hard.
        var rng = new Random(1);
        var x = new List<double[]>();
        var y = new List<int>();
        for (int i = 0; i < 40; i++) { int label = i % 2 == 0 ? 1 : -1; x.Add([label * (1 + rng.NextDouble()), rng.NextDouble() * 4 - 2]); y.Add(label); }
        var m = LinearSvm.Train(x, y, c: 100, tolerance: 1e-6);
        double angle = Math.Atan2(m.Weights[1], m.Weights[0]);
        TestContext.Out.WriteLine($"2-D max margin: w = ({m.Weights[0]:F4}, {m.Weights[1]:F4}), b = {m.Bias:F4}, {m.Epochs} epochs");
        Assert.That(Math.Abs(angle), Is.LessThan(0.05));
        Assert.That(m.Accuracy(x, y), Is.EqualTo(1));
    }

    [Test]
    public void InterFaceGanRecipeSeparatesSyntheticScores()
    {
        var truth = AlphaEditingTests.UnitRandom(512, seed: 2);
        var rng = new Random(3);
        var latents = new List<float[]>();
        var scores = new List<double>();
        for (int i = 0; i < 3000; i++)
        {
            var w = Enumerable.Range(0, 512).Select(_ => (float)TestPerson.Gaussian(rng)).ToArray();
            latents.Add(w);
            scores.Add(w.Zip(truth, (a, b) => (double)a * b).Sum() + 0.1 * TestPerson.Gaussian(rng));
        }
        var fit = DirectionFitter.Fit(latents, scores, ratio: 0.02, split: 0.7);
        double cos = fit.Direction.Zip(truth, (a, b) => (double)a * b).Sum();
        TestContext.Out.WriteLine($"3000 latents, top/bottom 2 % = {fit.PerSide}/side, {fit.TrainPerSide} train/side: train acc {fit.TrainAccuracy:P1}, " +
                                  $"validation acc {fit.ValidationAccuracy:P1}, cos(n, truth) = {cos:F3}, {fit.Epochs} epochs");
        Assert.That(fit.PerSide, Is.EqualTo(60));
        Assert.That(fit.TrainPerSide, Is.EqualTo(42));
        Assert.That(fit.Direction.Sum(v => (double)v * v), Is.EqualTo(1).Within(1e-5));
        Assert.That(fit.ValidationAccuracy, Is.GreaterThanOrEqualTo(0.95));
        Assert.That(cos, Is.GreaterThan(0.5), "points towards higher scores");
    }

    [Test]
    public void TooFewLatentsIsAnError()
    {
        var latents = Enumerable.Range(0, 20).Select(i => new float[] { i, 1 }).ToList();
        var ex = Assert.Throws<TaskInputException>(() => DirectionFitter.Fit(latents, latents.Select(l => (double)l[0]).ToList()))!;
        Assert.That(ex.Message, Does.Contain("20 latents").And.Contain("ratio"));
    }

    [Test]
    public void DirectionFilesRoundTripAndFloat64IsRead()
    {
        var dir = TestPerson.TempDir();
        var n = AlphaEditingTests.UnitRandom(512, seed: 4);
        var f32 = Path.Combine(dir, "n.npy");
        DirectionFile.Write(f32, n);
        Assert.That(DirectionFile.Read(f32).Direction, Is.EqualTo(n).Within(1e-6));

        var f64 = Path.Combine(dir, "boundary.npy");   // InterFaceGAN's '<f8' (1, 512), scaled ×2
        string dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 512), }";
        var header = dict + new string(' ', (64 - (10 + dict.Length + 1) % 64) % 64) + "\n";
        using (var fs = File.Create(f64))
        {
            fs.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
            fs.Write(BitConverter.GetBytes((ushort)header.Length));
            fs.Write(System.Text.Encoding.ASCII.GetBytes(header));
            foreach (var v in n) fs.Write(BitConverter.GetBytes(2.0 * v));
        }
        var (read, norm) = DirectionFile.Read(f64);
        Assert.That(norm, Is.EqualTo(2).Within(1e-5));
        Assert.That(read, Is.EqualTo(n).Within(1e-6));

        NpyFile.Write(Path.Combine(dir, "bad.npy"), [2, 512], new float[1024]);
        var ex = Assert.Throws<TaskInputException>(() => DirectionFile.Read(Path.Combine(dir, "bad.npy")))!;
        Assert.That(ex.Message, Does.Contain("bad.npy").And.Contain("[1,512]"));
        Directory.Delete(dir, true);
    }
}

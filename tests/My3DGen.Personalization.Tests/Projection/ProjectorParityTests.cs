// The projector's pieces against PyTorch (tools/projector/make_parity.py → tests/fixtures/projector/parity.safetensors):
// LPIPS-VGG-256 on area-downsampled 512² images (also equal to the vgg16.pt-style feature distance), the noise regulariser,
// its gradient and the renormalisation, the lr schedule and W-noise scale, and Adam steps with the schedule. 1e-5 relative.
using My3DGen.Engine.Autograd;
using My3DGen.Engine.Backends.Cpu;
using My3DGen.Engine.IO;
using My3DGen.Engine.Optim;
using My3DGen.Engine.Tensors;
using My3DGen.Models.Perceptual;
using My3DGen.Personalization.Projection;

namespace My3DGen.Personalization.Tests.Projection;

public class ProjectorParityTests
{
    static string Fixture => Path.Combine(TestContext.CurrentContext.TestDirectory, "fixtures", "projector", "parity.safetensors");
    static readonly CpuBackend Be = CpuBackend.Instance;

    static void Close(double got, double expected, double rel, string what)
    {
        double err = Math.Abs(got - expected) / Math.Max(Math.Abs(expected), 1e-30);
        TestContext.Out.WriteLine($"{what}: C# {got:G9} PyTorch {expected:G9} rel err {err:E2}");
        Assert.That(err, Is.LessThanOrEqualTo(rel), what);
    }

    [Test, Category("Slow")]
    public void LpipsVgg256MatchesPyTorchAndTheVgg16ptFormulation()
    {
        using var f = SafeTensorsFile.Open(Fixture);
        using var scope = TensorScope.Begin();
        using var ng = GradMode.NoGrad();
        using var vgg = Lpips.CreateRandom(LpipsNet.Vgg, 8, Be);
        int n = 2 * 3 * 512 * 512;
        var x = Tensor.FromArray(Be, HashUniform.Fill(9001, n, -1.0, 1.0).Select(v => v * 1.1f).ToArray(), 2, 3, 512, 512);
        var y = Tensor.FromArray(Be, HashUniform.Fill(9002, n, -1.0, 1.0), 2, 3, 512, 512);
        var loss = new ProjectionLoss(vgg);
        Close(loss.Prepare(x).ToArray().Sum(v => (double)v), f.ReadFloat32("area.x256_sum")[0], 1e-5, "area-downsampled sum");
        var d = loss.Distances(x, y).ToArray();
        var expected = f.ReadFloat32("lpips.distances");
        var vgg16pt = f.ReadFloat32("lpips.vgg16pt_style_distances");
        for (int i = 0; i < 2; i++)
        {
            Close(d[i], expected[i], 1e-5, $"LPIPS-VGG-256 image {i}");
            Close(d[i], vgg16pt[i], 1e-5, $"vs vgg16.pt-style distance image {i}");
        }
        Close(loss.Distance(x, y).Item(), f.ReadFloat32("lpips.batch_sum")[0], 1e-5, "batch sum");
    }

    static List<Tensor> Maps()
    {
        var sizes = new[] { 4 }.Concat(new[] { 8, 16, 32, 64, 128, 256 }.SelectMany(r => new[] { r, r })).ToArray();
        return sizes.Select((s, k) => { var t = Tensor.FromArray(Be, HashUniform.Fill((uint)(9100 + k), s * s, -1.7, 1.7), 1, 1, s, s); t.RequiresGrad = true; return t; }).ToList();
    }

    [Test]
    public void NoiseRegulariserGradientAndRenormalisationMatchPyTorch()
    {
        using var f = SafeTensorsFile.Open(Fixture);
        using var scope = TensorScope.Begin();
        var maps = Maps();
        var reg = NoiseRegularizer.Compute(maps);
        Close(reg.Item(), f.ReadFloat32("noise.reg")[0], 1e-5, "noise regulariser");
        (reg * 1e5f).Backward();
        var g = maps[1].Grad!.ToArray();
        var ge = f.ReadFloat32("noise.grad_map1");
        double gmax = ge.Max(Math.Abs), err = g.Zip(ge, (a, b) => Math.Abs(a - b)).Max();
        TestContext.Out.WriteLine($"d(1e5·reg)/d(map 1): max abs err {err:E2} of max |g| {gmax:E2}");
        Assert.That(err, Is.LessThanOrEqualTo(1e-5 * gmax));
        Close(maps[3].Grad!.ToArray().Sum(v => (double)Math.Abs(v)), f.ReadFloat32("noise.grad_map3_sum_abs")[0], 1e-5, "sum |grad map 3|");
        NoiseRegularizer.Renormalize([maps[1]]);
        var m = maps[1].ToArray();
        var me = f.ReadFloat32("noise.renormalised_map1");
        Assert.That(m.Zip(me, (a, b) => Math.Abs(a - b)).Max(), Is.LessThanOrEqualTo(1e-5 * me.Max(Math.Abs)), "renormalised map");
        foreach (var t in maps) t.Grad?.Dispose();
    }

    [Test]
    public void LearningRateAndWNoiseScheduleMatchPyTorch()
    {
        using var f = SafeTensorsFile.Open(Fixture);
        var steps = f.ReadFloat32("schedule.steps").Select(v => (int)v).ToArray();
        Assert.That(steps, Is.EqualTo(new[] { 0, 1, 250, 400, 499 }));
        foreach (var (key, lr0) in new[] { ("schedule.lr_0.01", 0.01f), ("schedule.lr_0.1", 0.1f) })
        {
            var e = f.ReadFloat32(key);
            for (int i = 0; i < steps.Length; i++)
            {
                float got = LearningRateSchedule.At(steps[i], 500, lr0);
                if (e[i] == 0) Assert.That(got, Is.EqualTo(0f), $"lr0 {lr0} step {steps[i]}");
                else Close(got, e[i], 1e-5, $"lr (lr0 {lr0}) at step {steps[i]}");
            }
        }
        var wn = f.ReadFloat32("schedule.wnoise_std3");
        for (int i = 0; i < steps.Length; i++)
        {
            float got = LearningRateSchedule.WNoiseScale(steps[i], 500, 3f, 0.05f);
            if (wn[i] == 0) Assert.That(got, Is.EqualTo(0f)); else Close(got, wn[i], 1e-5, $"W-noise scale at step {steps[i]}");
        }
    }

    [Test]
    public void AdamWithTheScheduleMatchesTorchOptimAdam()
    {
        using var f = SafeTensorsFile.Open(Fixture);
        using var scope = TensorScope.Begin();
        var w = Tensor.FromArray(Be, HashUniform.Fill(9200, 512, -1.0, 1.0), 1, 1, 512);
        w.RequiresGrad = true;
        using var adam = new Adam([w], 0.1f, ProjectionOptions.Beta1, ProjectionOptions.Beta2, ProjectionOptions.Epsilon);
        for (int s = 0; s < 3; s++)
        {
            adam.LearningRate = LearningRateSchedule.At(s, 20, 0.01f);
            w.Grad = scope.Forget(Tensor.FromArray(Be, HashUniform.Fill((uint)(9201 + s), 512, -0.5, 0.5), 1, 1, 512));
            adam.Step();
            adam.ZeroGrad();
        }
        var got = w.ToArray();
        var e = f.ReadFloat32("adam.w_after_3_steps");
        double worst = got.Zip(e, (a, b) => Math.Abs(a - b) / Math.Max(Math.Abs(b), 1e-6)).Max();
        TestContext.Out.WriteLine($"Adam: w[0] C# {got[0]:G9} PyTorch {e[0]:G9}; max rel err over 512 values {worst:E2}");
        Assert.That(worst, Is.LessThanOrEqualTo(1e-5));
    }
}

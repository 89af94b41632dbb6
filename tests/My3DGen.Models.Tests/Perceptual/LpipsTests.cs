// LPIPS (alex and vgg, hash-generated weights of the real shapes) against PyTorch: the distances and
// the gradient of their sum w.r.t. the first image, from tests/fixtures/lpips/make_reference.py.
using My3DGen.Engine.Backends.Cpu;
using My3DGen.Engine.IO;
using My3DGen.Engine.Tensors;
using My3DGen.Models.Perceptual;

namespace My3DGen.Models.Tests.Perceptual;

public class LpipsTests
{
    static string Fixture => Path.Combine(TestContext.CurrentContext.TestDirectory, "fixtures", "lpips", "lpips_random_reference.safetensors");

    [TestCase(LpipsNet.Alex, "alex", 7)]
    [TestCase(LpipsNet.Vgg, "vgg", 8)]
    public void MatchesPyTorchDistanceAndGradient(LpipsNet net, string key, int seed)
    {
        var be = CpuBackend.Instance;
        using var f = SafeTensorsFile.Open(Fixture);
        using var scope = TensorScope.Begin();
        using var lpips = Lpips.CreateRandom(net, seed, be);
        var x = Tensor.FromArray(be, f.ReadFloat32("input.x"), 2, 3, 64, 64); x.RequiresGrad = true;
        var y = Tensor.FromArray(be, f.ReadFloat32("input.y"), 2, 3, 64, 64);
        var d = lpips.Distance(x, y);
        Assert.That(d.Shape, Is.EqualTo(new[] { 2 }));
        var expected = f.ReadFloat32($"{key}.distance");
        var got = d.ToArray();
        double errD = got.Zip(expected, (a, b) => Math.Abs(a - b)).Max();
        d.Sum().Backward();
        var g = x.Grad!.ToArray();
        var ge = f.ReadFloat32($"{key}.grad_x");
        double gmax = ge.Max(Math.Abs);
        double errG = g.Zip(ge, (a, b) => Math.Abs(a - b)).Max();
        TestContext.Out.WriteLine($"LPIPS-{key}: distance {got[0]:F6} vs {expected[0]:F6}, max abs err {errD:E2}; grad max abs err {errG:E2} (max |grad| {gmax:E2})");
        Assert.That(errD, Is.LessThan(1e-5), "distance");
        Assert.That(errG, Is.LessThan(1e-4 * gmax + 1e-9), "gradient w.r.t. x");
    }

    [Test]
    public void IdenticalImagesHaveZeroDistanceAndBadShapesAreTyped()
    {
        var be = CpuBackend.Instance;
        using var scope = TensorScope.Begin();
        using var lpips = Lpips.CreateRandom(LpipsNet.Alex, 1, be);
        var x = Tensor.Uniform(be, new Random(2), [1, 3, 64, 64], -1, 1);
        Assert.That(lpips.Distance(x, x).Item(), Is.EqualTo(0f));
        Assert.Throws<ShapeMismatchException>(() => lpips.Distance(x, Tensor.Zeros(be, 1, 3, 32, 32)));
    }
}

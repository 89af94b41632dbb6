// Values kept between calls for an unchanged storage (DerivedCache): the CPU modulated conv packs or transforms its
// weight once and reuses it, every kind of write into the weight (upload, fill, copy, optimiser step, assign) makes the
// next call rebuild from the new contents, and a released storage gives its values back. The demodulation's weight
// square sums follow the same rule on every backend.
using My3DGen.Engine.Backends;
using My3DGen.Engine.Backends.Cpu;
using My3DGen.Engine.Ops;
using My3DGen.Engine.Optim;
using My3DGen.Engine.Tensors;
using My3DGen.Engine.Tests.Ilgpu;
using My3DGen.Engine.Tests.Support;
using My3DGen.Kernels;

namespace My3DGen.Engine.Tests.Cpu;

public class DerivedCacheTests
{
    static readonly IBackend Be = CpuBackend.Instance;

    /// <summary>Plain 3×3 layers on the GEMM route (8 channels) and, where CpuWinograd3x3 pays with kept weights
    /// (AVX-512, ≥ 32 channels, ≥ 16²), the Winograd route; plain 1×1; ×2 up.</summary>
    static readonly (string Name, int I, int O, int H, int K, int Up)[] Shapes =
    [
        ("k3 plain gemm", 8, 8, 5, 3, 1),
        ("k3 plain winograd", 32, 32, 16, 3, 1),
        ("k1 plain", 8, 6, 5, 1, 1),
        ("k3 up", 6, 8, 4, 3, 2),
    ];

    static IEnumerable<TestCaseData> ShapeCases() => Shapes.Select(s => new TestCaseData(s.Name, s.I, s.O, s.H, s.K, s.Up).SetName($"{{m}}({s.Name})"));

    [TestCaseSource(nameof(ShapeCases))]
    public void ModConv_ReusesThePreparedWeight_UntilItIsWritten(string name, int inC, int outC, int h, int k, int up)
    {
        var g = new ModConvGeometry { N = 2, I = inC, O = outC, H = h, W = h, K = k, Up = up, Gain = 1f, Slope = 1f };
        var x = Dev.Rand((int)g.InputLength, 1);
        var s = Dev.Rand(g.N * g.I, 2, 0.3f, 1.4f);
        var w0 = Dev.Rand((int)g.WeightLength, 3);
        var w1 = Dev.Rand((int)g.WeightLength, 4);
        Storage xs = Be.Up(x), ss = Be.Up(s), ws = Be.Up(w0), raw = Be.Allocate(g.RawLength), gxs = Be.Allocate(g.InputLength);
        var gr = Dev.Rand((int)g.RawLength, 5);
        var grs = Be.Up(gr);

        float[] Forward()
        {
            Be.ModConvForward(g, xs, ss, ws, null, null, raw, null);
            return Be.Down(raw, (int)g.RawLength);
        }
        float[] Data()
        {
            Be.ModConvBackwardData(g, grs, ws, null, gxs);
            return Be.Down(gxs, (int)g.InputLength);
        }
        void Check(float[] w, string when)
        {
            var expected = new float[g.RawLength];
            ModConvReference.Forward(g, x, s, w, [], [], [], expected);
            Dev.Close(expected, Forward(), 1e-4, 1e-4, $"{name}: forward {when}");
            var expectedGx = new float[g.InputLength];
            ModConvReference.BackwardData(g, gr, w, [], [], [], expectedGx);
            Dev.Close(expectedGx, Data(), 1e-4, 1e-4, $"{name}: data gradient {when}");
        }

        Check(w0, "first call");
        int builds = DerivedCache.Builds;
        Check(w0, "second call");
        Assert.That(DerivedCache.Builds, Is.EqualTo(builds), "an unchanged weight is not prepared again");

        // Every way the weight can change makes the next call use the new contents.
        Be.Upload(w1, ws, 0);
        Check(w1, "after Upload");
        Assert.That(DerivedCache.Builds, Is.GreaterThan(builds), "a written weight is prepared again");
        Be.Fill(ws, 0, g.WeightLength, 0.25f);
        Check(Enumerable.Repeat(0.25f, (int)g.WeightLength).ToArray(), "after Fill");
        var src = Be.Up(w0);
        Be.Copy(src, KernelView.Create([(int)g.WeightLength], [1], 0), ws, KernelView.Create([(int)g.WeightLength], [1], 0));
        Check(w0, "after Copy");

        long held = DerivedCache.HeldBytes;
        Assert.That(held, Is.GreaterThan(0));
        ws.Release();
        Assert.That(DerivedCache.HeldBytes, Is.LessThan(held), "a released weight gives its prepared forms back");
        foreach (var st in new[] { xs, ss, raw, gxs, grs, src }) st.Release();
    }

    [Test]
    public void EveryInPlaceWrite_BumpsTheWriteVersion([ValueSource(typeof(TestBackends), nameof(TestBackends.All))] IBackend be)
    {
        var s = be.Up(Dev.Rand(8, 1));
        var other = be.Up(Dev.Rand(8, 2));
        var view = KernelView.Create([8], [1], 0);
        var writes = new (string Name, Action Write)[]
        {
            ("Upload", () => be.Upload(new float[8], s, 0)),
            ("Fill", () => be.Fill(s, 0, 8, 1f)),
            ("Copy", () => be.Copy(other, view, s, view)),
            ("Binary", () => be.Binary(BinaryOp.Add, other, view, other, view, s, 8)),
            ("Unary", () => be.Unary(UnaryOp.Neg, other, 0, s, 0, 8, 0f, 0f)),
            ("AdamStep", () => be.AdamStep(new AdamParams(), s, other, be.Allocate(8), be.Allocate(8), 8)),
        };
        foreach (var (n, write) in writes)
        {
            long before = s.Version;
            write();
            Assert.That(s.Version, Is.GreaterThan(before), $"{n} on {be.Name}");
        }
    }

    [Test]
    public void WeightSquareSums_FollowTheWeight([ValueSource(typeof(TestBackends), nameof(TestBackends.All))] IBackend be)
    {
        using var scope = TensorScope.Begin();
        var w = Tensor.FromArray(be, Dev.Rand(4 * 3 * 9, 7), [4, 3, 3, 3]);
        float[] Expected() => Sums(w.ToArray(), 12, 9);
        Assert.That(ModulatedConvolution.WeightSquareSums(w).ToArray(), Is.EqualTo(Expected()).Within(1e-5f));
        int builds = DerivedCache.Builds;
        Assert.That(ModulatedConvolution.WeightSquareSums(w).ToArray(), Is.EqualTo(Expected()).Within(1e-5f));
        Assert.That(DerivedCache.Builds, Is.EqualTo(builds), "unchanged weight: sums reused");

        w.AssignFrom(Dev.Rand(4 * 3 * 9, 8));
        Assert.That(ModulatedConvolution.WeightSquareSums(w).ToArray(), Is.EqualTo(Expected()).Within(1e-5f), "after AssignFrom");

        w.RequiresGrad = true;
        using var adam = new Adam([w], lr: 0.1f);
        ModulatedConvolution.WeightSquareSums(w).Sum().Backward();
        Assert.That(w.Grad!.ToArray(), Is.EqualTo(w.ToArray().Select(v => 2 * v).ToArray()).Within(1e-5f), "gradient 2·W");
        adam.Step();
        Assert.That(ModulatedConvolution.WeightSquareSums(w).ToArray(), Is.EqualTo(Expected()).Within(1e-5f), "after an Adam step");
    }

    static float[] Sums(float[] w, int rows, int taps) =>
        Enumerable.Range(0, rows).Select(r => (float)Enumerable.Range(0, taps).Sum(t => (double)w[r * taps + t] * w[r * taps + t])).ToArray();
}

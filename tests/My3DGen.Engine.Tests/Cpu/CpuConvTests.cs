// Correctness of im2col/col2im and the im2col+GEMM convolution (forward, input and weight gradients) against
// the direct double-precision ConvReference, plus the adjoint identities <gy, conv(x)> = <convᵀ(gy), x> = <gw(gy, x), w>.
// Geometries cover stride 1/2, pad 0/1/2, kernels 1/3/4, groups 1/2, odd H/W, chunked and parallel paths.
using My3DGen.Kernels;
using My3DGen.Engine.Backends;
using My3DGen.Engine.Backends.Cpu;

namespace My3DGen.Engine.Tests.Cpu;

public class CpuConvTests
{
    private static readonly ConvGeometry[] Geometries =
    [
        new(2, 3, 7, 9, 4, 3, stride: 1, pad: 1),
        new(1, 4, 8, 8, 6, 3, stride: 2, pad: 1, groups: 2),
        new(2, 2, 5, 6, 4, 1),                                  // pointwise: no im2col
        new(1, 4, 6, 5, 4, 1, stride: 2, groups: 2),            // 1×1 but strided: im2col
        new(1, 3, 9, 7, 2, 4, stride: 2, pad: 2),
        new(2, 6, 10, 9, 6, 4, stride: 1, pad: 2, groups: 2),
        new(1, 3, 11, 13, 5, 3),
        new(1, 2, 9, 8, 3, 3, 2, 1, 2, 0, 1, 1),                // rectangular kernel, unequal strides/padding
        new(3, 8, 40, 37, 16, 3, stride: 1, pad: 1),            // several chunks per image, parallel chunks
        new(1, 16, 70, 69, 8, 3, stride: 2, pad: 1),            // few chunks: sequential, parallel GEMM
        new(1, 32, 24, 24, 32, 3, stride: 1, pad: 1, groups: 2),
        new(2, 40, 21, 19, 24, 1),                              // pointwise, larger
        new(2, 31, 13, 11, 16, 3, stride: 1, pad: 1),           // K = 279: GEMM depth slices start mid-tap
        new(1, 29, 15, 14, 8, 4, stride: 2, pad: 1),            // K = 464, strided, slices start mid-row
    ];

    private static IEnumerable<TestCaseData> Cases() =>
        Geometries.Select(g => new TestCaseData(g).SetArgDisplayNames(
            $"N{g.N} C{g.C} {g.H}x{g.W} O{g.O} k{g.KH}x{g.KW} s{g.StrideH}{g.StrideW} p{g.PadH}{g.PadW} g{g.Groups}"));

    [TestCaseSource(nameof(Cases))]
    public void Forward_MatchesDirectLoops(ConvGeometry g)
    {
        var rng = new Random(11);
        var x = CpuTestData.Uniform(rng, (int)g.InputLength);
        var w = CpuTestData.Uniform(rng, (int)g.WeightLength);
        var bias = CpuTestData.Uniform(rng, g.O);
        var y = Enumerable.Repeat(float.NaN, (int)g.OutputLength).ToArray();
        CpuConv2d.Conv2dForward(g, x, w, bias, y);
        var expected = ConvReference.Forward(g, x, w, bias);
        Assert.That(CpuTestData.MaxAbsDiff(y, expected), Is.LessThanOrEqualTo(Tolerance(g.C / g.Groups * g.KH * g.KW)));
    }

    [TestCaseSource(nameof(Cases))]
    public void BackwardInput_MatchesDirectLoopsAndAdjoint(ConvGeometry g)
    {
        var rng = new Random(12);
        var x = CpuTestData.Uniform(rng, (int)g.InputLength);
        var w = CpuTestData.Uniform(rng, (int)g.WeightLength);
        var gy = CpuTestData.Uniform(rng, (int)g.OutputLength);
        var gx = Enumerable.Repeat(float.NaN, (int)g.InputLength).ToArray();
        CpuConv2d.Conv2dBackwardInput(g, gy, w, gx);
        var expected = ConvReference.BackwardInput(g, gy, w);
        double tol = Tolerance(g.O / g.Groups * g.KH * g.KW);
        Assert.That(CpuTestData.MaxAbsDiff(gx, expected), Is.LessThanOrEqualTo(tol));

        var y = new float[g.OutputLength];
        CpuConv2d.Conv2dForward(g, x, w, ReadOnlySpan<float>.Empty, y);
        double lhs = CpuTestData.Dot(gy, y), rhs = CpuTestData.Dot(gx, x);
        Assert.That(Math.Abs(lhs - rhs), Is.LessThanOrEqualTo(1e-5 * (1 + Math.Abs(lhs)) * Math.Sqrt(g.OutputLength)));

        // accumulate = true adds onto what is there.
        var acc = Enumerable.Repeat(1f, (int)g.InputLength).ToArray();
        CpuConv2d.Conv2dBackwardInput(g, gy, w, acc, accumulate: true);
        Assert.That(CpuTestData.MaxAbsDiff(acc, expected.Select(v => v + 1f).ToArray()), Is.LessThanOrEqualTo(tol));
    }

    [TestCaseSource(nameof(Cases))]
    public void BackwardWeight_MatchesDirectLoopsAndAdjoint(ConvGeometry g)
    {
        var rng = new Random(13);
        var x = CpuTestData.Uniform(rng, (int)g.InputLength);
        var w = CpuTestData.Uniform(rng, (int)g.WeightLength);
        var gy = CpuTestData.Uniform(rng, (int)g.OutputLength);
        var gw = Enumerable.Repeat(float.NaN, (int)g.WeightLength).ToArray();
        CpuConv2d.Conv2dBackwardWeight(g, gy, x, gw);
        var expected = ConvReference.BackwardWeight(g, gy, x);
        double tol = Tolerance(g.N * g.OH * g.OW);
        Assert.That(CpuTestData.MaxAbsDiff(gw, expected), Is.LessThanOrEqualTo(tol));

        var y = new float[g.OutputLength];
        CpuConv2d.Conv2dForward(g, x, w, ReadOnlySpan<float>.Empty, y);
        double lhs = CpuTestData.Dot(gy, y), rhs = CpuTestData.Dot(gw, w);
        Assert.That(Math.Abs(lhs - rhs), Is.LessThanOrEqualTo(1e-5 * (1 + Math.Abs(lhs)) * Math.Sqrt(g.OutputLength)));

        var acc = Enumerable.Repeat(-2f, (int)g.WeightLength).ToArray();
        CpuConv2d.Conv2dBackwardWeight(g, gy, x, acc, accumulate: true);
        Assert.That(CpuTestData.MaxAbsDiff(acc, expected.Select(v => v - 2f).ToArray()), Is.LessThanOrEqualTo(tol));
    }

    [TestCase(3, 7, 9, 3, 3, 1, 1, 1, 1)]
    [TestCase(2, 8, 6, 4, 2, 2, 1, 2, 0)]
    [TestCase(2, 5, 5, 1, 1, 2, 2, 0, 0)]
    [TestCase(1, 9, 11, 3, 4, 2, 3, 2, 1)]
    public void Im2ColAndCol2Im_MatchDirectIndexingAndAreAdjoint(int C, int H, int W, int kh, int kw, int sh, int sw, int ph, int pw)
    {
        var rng = new Random(17);
        int Ho = CpuIm2Col.OutputSize(H, kh, sh, ph), Wo = CpuIm2Col.OutputSize(W, kw, sw, pw);
        var x = CpuTestData.Uniform(rng, C * H * W);
        var cols = Enumerable.Repeat(float.NaN, C * kh * kw * Ho * Wo).ToArray();
        CpuIm2Col.Im2Col(x, C, H, W, kh, kw, sh, sw, ph, pw, cols);
        for (int c = 0; c < C; c++)
            for (int i = 0; i < kh; i++)
                for (int j = 0; j < kw; j++)
                    for (int oh = 0; oh < Ho; oh++)
                        for (int ow = 0; ow < Wo; ow++)
                        {
                            int ih = oh * sh - ph + i, iw = ow * sw - pw + j;
                            float v = ih >= 0 && ih < H && iw >= 0 && iw < W ? x[(c * H + ih) * W + iw] : 0f;
                            Assert.That(cols[((c * kh + i) * kw + j) * Ho * Wo + oh * Wo + ow], Is.EqualTo(v));
                        }

        var r = CpuTestData.Uniform(rng, cols.Length);
        var back = new float[x.Length];
        CpuIm2Col.Col2Im(r, C, H, W, kh, kw, sh, sw, ph, pw, back);
        Assert.That(CpuTestData.Dot(back, x), Is.EqualTo(CpuTestData.Dot(r, cols)).Within(1e-5 * Math.Sqrt(cols.Length)));
    }

    [Test]
    public void RejectsInconsistentShapes()
    {
        var g = new ConvGeometry(1, 3, 5, 5, 4, 3, groups: 2);
        Assert.Throws<ArgumentException>(() => CpuConv2d.Conv2dForward(g, new float[75], new float[36], default, new float[36]));
        var ok = new ConvGeometry(1, 2, 5, 5, 4, 3);
        Assert.Throws<ArgumentException>(() => CpuConv2d.Conv2dForward(ok, new float[49], new float[72], default, new float[36]));
    }

    /// <summary>Float rounding of a K-term dot product of unit-range values, with generous headroom.</summary>
    private static double Tolerance(int terms) => 1e-4 * Math.Sqrt(terms) + 1e-6;
}
